"""What the API server (or kubectl) would refuse in ``kubelint apply``, at file positions.

The scenarios under ``tests/fixtures/apply/`` double as conformance scenarios: for each of
them the real kubectl sends exactly kubelint's patch to the stub API server (see
``test_apply_conformance.py``), so a refusal found here is the server's, not kubectl's.
Positions are asserted exactly, as (rule, line, column).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kubelint.apply.client_side.patch_meta import root_type
from kubelint.apply.client_side.simulate import apply_all
from kubelint.apply.command import read_objects
from kubelint.apply.model import Outcome
from kubelint.apply.refusals.positions import to_finding
from kubelint.apply.refusals.rejection import Rejection, dotted
from kubelint.apply.refusals.server import rejections
from kubelint.load.objects import LAST_APPLIED
from kubelint.schema.store import latest_version, schemas_for
from test_apply_command import as_json, invoke, scenario
from test_apply_conformance import SCENARIO_NAMES, Kubectl, StubServer, kubectl_or_skip

SCHEMAS = schemas_for(latest_version())

#: scenario -> the findings kubelint must report: (rule, line, column, field)
REFUSED: dict[str, list[tuple[str, int, int, str]]] = {
    "34-statefulset": [
        ("KA002", 29, 13, "spec.volumeClaimTemplates[0].spec.resources.requests.storage")
    ],
    "40-selector-change": [("KA002", 12, 7, "spec.selector.matchLabels.track")],
    "47-daemonset-selector-change": [("KA002", 8, 7, "spec.selector.matchLabels.app")],
    "48-job-template-image": [("KA002", 11, 11, "spec.template.spec.containers[0].image")],
    "50-service-cluster-ip-changed": [("KA002", 6, 3, "spec.clusterIPs[0]")],
    "53-pvc-storage-class-change": [("KA002", 7, 3, "spec.storageClassName")],
    "54-configmap-immutable-data": [("KA003", 7, 3, "data.mode")],
    "56-secret-immutable-unset": [
        ("KA003", 1, 1, "immutable"),
        ("KA003", 7, 3, "stringData.token"),
    ],
    "57-configmap-annotations-too-large": [("KA001", 7, 1, "metadata")],
    # the server's merge fails on the patch kubectl sends: reported at the object
    "71-env-duplicate-server-rejects": [("KA005", 1, 1, "")],
    # kubectl compiles these versions in, a 1.37 cluster does not serve them
    "74-extensions-v1beta1-daemonset": [("KA006", 1, 13, "apiVersion")],
    "75-apps-v1beta1-deployment": [("KA006", 1, 13, "apiVersion")],
    "76-batch-v1beta1-cronjob": [("KA006", 1, 13, "apiVersion")],
    "77-policy-v1beta1-pdb-selector": [("KA006", 1, 13, "apiVersion")],
    "78-networking-v1beta1-ingress": [("KA006", 1, 13, "apiVersion")],
    "79-extensions-v1beta1-ingress-create": [("KA006", 1, 13, "apiVersion")],
    "80-rbac-v1beta1-role": [("KA006", 1, 13, "apiVersion")],
    "81-apps-v1beta2-statefulset": [("KA006", 1, 13, "apiVersion")],
}


def outcomes_of(directory: Path, namespace: str = "default") -> list[Outcome]:
    live = directory / "live.yaml"
    outcomes, problems = apply_all(
        read_objects([str(directory / "manifest.yaml")]),
        read_objects([str(live)]) if live.is_file() else [],
        SCHEMAS,
        namespace,
    )
    assert not problems
    return outcomes


def found(outcomes: list[Outcome]) -> list[tuple[str, int, int, str | None]]:
    return [(f.rule, f.line, f.column, f.field) for o in outcomes for f in o.findings]


@pytest.mark.parametrize("name", SCENARIO_NAMES)
def test_scenario_findings(name: str) -> None:
    """Refused where the server refuses; every other conformance scenario is accepted
    (image changes, storage growth, a dropped clusterIP, data of a mutable ConfigMap ...)."""
    outcomes = outcomes_of(scenario(name)[0].parent)
    assert found(outcomes) == REFUSED.get(name, [])
    # the operation stays what kubectl does: it sends the patch; the server refuses it
    assert all(o.operation != "error" for o in outcomes)


def test_refused_scenarios_are_conformance_scenarios() -> None:
    assert set(REFUSED) <= set(SCENARIO_NAMES)
    accepted = {
        "01-image-change",
        "49-job-suspended-node-selector",
        "51-service-cluster-ip-dropped",
        "52-pvc-storage-increase",
        "55-configmap-mutable-data",
    }
    assert accepted <= set(SCENARIO_NAMES) - set(REFUSED)


def test_finding_record() -> None:
    [outcome] = outcomes_of(scenario("40-selector-change")[0].parent)
    [finding] = outcome.findings
    assert finding.path.endswith("40-selector-change/manifest.yaml")
    assert finding.name == "immutable-field"
    assert finding.severity.label == "error"
    assert "spec.selector: Invalid value: " in finding.message
    assert finding.message.endswith(
        ": field is immutable (apps/v1 does not let a Deployment's selector change: it "
        "decides which Pods the object owns)"
    )
    assert finding.suggestion is not None
    assert "kubectl replace --force" in finding.suggestion
    assert str(finding.object_ref) == "apps/v1 Deployment default/web"


# --- annotation size ------------------------------------------------------------------


def big_configmap(size: int) -> str:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: {'x' * size}\n"


def annotation_total(size: int) -> int:
    """What kubectl's annotations add up to for :func:`big_configmap` (as kubectl writes the
    last-applied copy: compact JSON, sorted keys, a trailing newline)."""
    copy = (
        '{"apiVersion":"v1","data":{"blob":"' + "x" * size + '"},"kind":"ConfigMap",'
        '"metadata":{"annotations":{},"name":"big","namespace":"default"}}\n'
    )
    return len(LAST_APPLIED) + len(copy)


AT_LIMIT = 262144 - annotation_total(0)


@pytest.mark.parametrize(("extra", "refused"), [(0, False), (1, True)])
def test_annotation_size_limit_on_create(tmp_path: Path, extra: int, refused: bool) -> None:
    manifest = tmp_path / "big.yaml"
    manifest.write_text(big_configmap(AT_LIMIT + extra), encoding="utf-8")
    assert annotation_total(AT_LIMIT + extra) == 262144 + extra
    code, [entry] = as_json(manifest)
    assert entry["operation"] == "create"
    if not refused:
        assert (code, entry["findings"]) == (0, [])
        return
    assert code == 1
    [finding] = entry["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("KA001", 3, 1)
    assert finding["name"] == "annotations-too-large"
    assert "metadata.annotations: Too long: must have at most 262144 bytes" in finding["message"]
    assert "add up to 262145 bytes" in finding["message"]
    assert "kubectl apply --server-side" in finding["suggestion"]


def test_annotation_size_counts_utf8_bytes_of_all_annotations() -> None:
    result: dict[str, Any] = {
        "metadata": {"annotations": {"a": "é" * 131071, "bb": ""}},
    }
    # 1 + 2 * 131071 + 2 = 262145 bytes, though only 131074 characters
    [rejection] = rejections("", "ConfigMap", "patch", {}, result, None)
    assert rejection.code == "KA001"
    del result["metadata"]["annotations"]["bb"]  # 262143 bytes
    assert rejections("", "ConfigMap", "patch", {}, result, None) == []


def test_annotation_size_on_a_patch(tmp_path: Path) -> None:
    """Applied over a live object, the live object's other annotations count too."""
    live = tmp_path / "live.yaml"
    live.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: default\n"
        f"  annotations:\n    note: {'n' * 1000}\ndata:\n  blob: small\n",
        encoding="utf-8",
    )
    manifest = tmp_path / "big.yaml"
    manifest.write_text(big_configmap(AT_LIMIT - 1000), encoding="utf-8")
    code, [entry] = as_json("--live", live, manifest)
    assert entry["operation"] == "patch"
    assert code == 1
    assert [(f["rule"], f["line"], f["column"]) for f in entry["findings"]] == [("KA001", 3, 1)]


def test_unchanged_object_sends_nothing_to_refuse() -> None:
    assert rejections("", "ConfigMap", "unchanged", {}, {"immutable": 1}, None) == []


# --- namespace mismatch (kubectl's own refusal) ----------------------------------------


def test_namespace_flag_against_the_manifest_namespace() -> None:
    live, manifest = scenario("29-configmap-data")
    code, [entry] = as_json("-n", "staging", "--live", live, manifest)
    assert code == 1
    assert entry["operation"] == "error"
    assert entry["patch"] is None
    [finding] = entry["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("KA004", 5, 14)
    assert entry["error"] == finding["message"]
    assert finding["message"].endswith(
        'the namespace from the provided object "prod" does not match the namespace '
        "\"staging\". You must pass '--namespace=prod' to perform this operation."
    )
    # the same namespace given explicitly, or none given: applied as usual
    assert as_json("-n", "prod", "--live", live, manifest)[0] == 0
    assert as_json("--live", live, manifest)[0] == 0


def test_namespace_flag_ignores_objects_without_a_namespace() -> None:
    live, manifest = scenario("01-image-change")
    code, [entry] = as_json("-n", "staging", "--live", live, manifest)
    assert (code, entry["operation"], entry["findings"]) == (0, "create", [])


# --- the command -------------------------------------------------------------------------


def test_json_output_of_a_refused_patch() -> None:
    live, manifest = scenario("40-selector-change")
    code, [entry] = as_json("--live", live, manifest)
    assert code == 1
    assert entry["operation"] == "patch"
    assert entry["patch"]["spec"]["selector"] == {"matchLabels": {"track": "stable"}}
    [finding] = entry["findings"]
    assert {"path", "line", "column", "rule", "severity", "message", "suggestion"} <= set(finding)
    assert finding["path"] == str(manifest)
    assert (finding["line"], finding["column"], finding["severity"]) == (12, 7, "error")


def test_human_output_of_a_refused_patch() -> None:
    live, manifest = scenario("48-job-template-image")
    result = invoke("--live", live, manifest)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("batch/v1 Job default/migrate: the API server would reject")
    assert lines[1].startswith(f"{manifest}:11:11: error KA002 immutable-field: ")
    assert "spec.template: Invalid value: {...}: field is immutable" in lines[1]
    assert lines[2] == "   11 |           image: registry.example.com/migrate:1.1"
    assert lines[3] == "      |           ^"
    assert lines[4].startswith("      = revert the change, or delete the Job")
    assert "--- live\n+++ result\n" in result.output  # the diff still shows what was sent


def test_human_output_of_a_namespace_refusal() -> None:
    _, manifest = scenario("29-configmap-data")
    result = invoke("-n", "staging", manifest)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("v1 ConfigMap prod/web-config: kubectl would fail")
    assert lines[1].startswith(f"{manifest}:5:14: error KA004 namespace-mismatch: ")
    assert lines[3] == "      |              ^"
    assert not any(line.startswith("  error:") for line in lines)  # said once, with position


def test_findings_inside_a_list_point_into_the_item(tmp_path: Path) -> None:
    live, manifest = scenario("40-selector-change")
    items = "".join(
        "  " + line if line.strip() else line
        for line in manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    )
    listed = tmp_path / "list.yaml"
    listed.write_text(f"apiVersion: v1\nkind: List\nitems:\n- {items.lstrip()}", encoding="utf-8")
    code, [entry] = as_json("--live", live, listed)
    assert code == 1
    assert [(f["line"], f["column"]) for f in entry["findings"]] == [(15, 9)]


def test_a_refused_request_changes_nothing_for_later_objects(tmp_path: Path) -> None:
    live, manifest = scenario("40-selector-change")
    twice = tmp_path / "twice.yaml"
    text = manifest.read_text(encoding="utf-8")
    twice.write_text(text + "---\n" + text, encoding="utf-8")
    code, entries = as_json("--live", live, twice)
    assert code == 1
    assert [(e["operation"], [f["line"] for f in e["findings"]]) for e in entries] == [
        ("patch", [12]),
        ("patch", [43]),
    ]


# --- the rules, on plain objects ---------------------------------------------------------


def check(
    api_version: str, kind: str, live: dict[str, Any], result: dict[str, Any]
) -> list[tuple[str, str]]:
    """(code, first path) of each refusal of updating ``live`` into ``result``."""
    group = api_version.rsplit("/", 1)[0] if "/" in api_version else ""
    root = root_type(SCHEMAS, api_version, kind)
    found = rejections(group, kind, "patch", live, result, root)
    return [(r.code, dotted(r.where[0])) for r in found]


def service(**spec: Any) -> dict[str, Any]:
    return {"spec": {"ports": [{"port": 80}], **spec}}


@pytest.mark.parametrize(
    ("live", "result", "expected"),
    [
        # no clusterIP in the result: the server keeps the allocated one
        (service(clusterIP="10.0.0.1", clusterIPs=["10.0.0.1"]), service(), []),
        (service(clusterIP="10.0.0.1"), service(clusterIP=""), []),
        (service(clusterIP="10.0.0.1"), service(clusterIP="10.0.0.1"), []),
        (
            service(clusterIP="10.0.0.1", clusterIPs=["10.0.0.1"]),
            service(clusterIP="10.0.0.2", clusterIPs=["10.0.0.1"]),
            [("KA002", "spec.clusterIPs[0]")],
        ),
        # to headless is a change; headless to headless is not
        (
            service(clusterIP="10.0.0.1"),
            service(clusterIP="None"),
            [("KA002", "spec.clusterIPs[0]")],
        ),
        (service(clusterIP="None"), service(clusterIP="None"), []),
        # ExternalName on either side: cluster IPs are not compared
        (service(clusterIP="10.0.0.1"), service(type="ExternalName", externalName="a.b"), []),
        (service(type="ExternalName"), service(clusterIP="10.0.0.9"), []),
        # a secondary IP may be added, and released only with ipFamilyPolicy SingleStack
        (service(clusterIPs=["10.0.0.1"]), service(clusterIPs=["10.0.0.1", "fd00::1"]), []),
        (
            service(clusterIPs=["10.0.0.1", "fd00::1"]),
            service(clusterIPs=["10.0.0.1"], ipFamilyPolicy="SingleStack"),
            [],
        ),
        (
            service(clusterIPs=["10.0.0.1", "fd00::1"], ipFamilyPolicy="PreferDualStack"),
            service(clusterIPs=["10.0.0.1"], ipFamilyPolicy="PreferDualStack"),
            [("KA002", "spec.clusterIPs[0]")],
        ),
    ],
)
def test_service_cluster_ip(
    live: dict[str, Any], result: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert check("v1", "Service", live, result) == expected


def pvc(phase: str = "Bound", capacity: str = "10Gi", **spec: Any) -> dict[str, Any]:
    base = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}}}
    return {
        "spec": {**base, **spec},
        "status": {"phase": phase, "capacity": {"storage": capacity}},
    }


def storage(size: str) -> dict[str, Any]:
    return {"resources": {"requests": {"storage": size}}}


@pytest.mark.parametrize(
    ("live", "result", "expected"),
    [
        (pvc(), pvc(**storage("20Gi")), []),
        (pvc(), pvc(**storage("10240Mi")), []),  # the same amount
        (
            pvc(phase="Pending"),
            pvc(**storage("20Gi")),
            [("KA002", "spec.resources.requests.storage")],
        ),
        (pvc(), pvc(**storage("5Gi")), [("KA002", "spec.resources.requests.storage")]),
        # shrinking back towards a capacity below the request (a failed expansion) is allowed
        (pvc(capacity="10Gi", **storage("40Gi")), pvc(**storage("20Gi")), []),
        (pvc(), pvc(accessModes=["ReadWriteMany"]), [("KA002", "spec.accessModes[0]")]),
        # an unset class may be set; a set one neither changed nor dropped
        (pvc(), pvc(storageClassName="fast"), []),
        (pvc(storageClassName="std"), pvc(), [("KA002", "spec.storageClassName")]),
        # volumeName may be set once; volumeMode comes back as its default
        (pvc(), pvc(volumeName="pv-1"), []),
        (pvc(volumeName="pv-1"), pvc(volumeName="pv-2"), [("KA002", "spec.volumeName")]),
        (pvc(volumeMode="Filesystem"), pvc(), []),
        (pvc(volumeAttributesClassName="gold"), pvc(volumeAttributesClassName="silver"), []),
        (
            pvc(volumeAttributesClassName="gold"),
            pvc(),
            [("KA002", "spec.volumeAttributesClassName")],
        ),
    ],
)
def test_persistent_volume_claim(
    live: dict[str, Any], result: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert check("v1", "PersistentVolumeClaim", live, result) == expected


def job(template_spec: dict[str, Any], **spec: Any) -> dict[str, Any]:
    container = {"name": "m", "image": "m:1", "resources": {"limits": {"cpu": "500m"}}}
    template = {"spec": {"containers": [container], **template_spec}}
    return {"spec": {"template": template, **spec}}


@pytest.mark.parametrize(
    ("live", "result", "expected"),
    [
        (job({}), job({}), []),
        (
            job({}),
            job({"nodeSelector": {"disk": "ssd"}}),
            [("KA002", "spec.template.spec.nodeSelector")],
        ),
        # suspended and never started: scheduling directives may change, the rest not
        (job({}, suspend=True), job({"nodeSelector": {"disk": "ssd"}}, suspend=True), []),
        (
            job({}, suspend=True) | {"status": {"startTime": "2025-05-14T09:30:00Z"}},
            job({"nodeSelector": {"disk": "ssd"}}, suspend=True),
            [("KA002", "spec.template.spec.nodeSelector")],
        ),
        (
            job({}, suspend=True),
            job({"hostname": "x"}, suspend=True),
            [("KA002", "spec.template.spec.hostname")],
        ),
        (
            job({"affinity": {"nodeAffinity": {"a": 1}}}, suspend=True),
            job({}, suspend=True),
            [],
        ),
        # completions: fixed, except an Indexed Job's, in step with parallelism
        (job({}, completions=3), job({}, completions=4), [("KA002", "spec.completions")]),
        (
            job({}, completions=3, parallelism=3, completionMode="Indexed"),
            job({}, completions=4, parallelism=4, completionMode="Indexed"),
            [],
        ),
        (
            job({}, completions=3, parallelism=3, completionMode="Indexed"),
            job({}, completions=4, parallelism=3, completionMode="Indexed"),
            [("KA002", "spec.completions")],
        ),
        (
            job({}, selector={"matchLabels": {"a": "1"}}),
            job({}, selector={}),
            [("KA002", "spec.selector")],
        ),
        (job({}, backoffLimit=6), job({}, backoffLimit=2), []),
    ],
)
def test_job(live: dict[str, Any], result: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert check("batch/v1", "Job", live, result) == expected


def test_job_template_quantities_compare_by_amount() -> None:
    live = job({})
    result = job({})
    result["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["cpu"] = 0.5
    assert check("batch/v1", "Job", live, result) == []


def test_job_template_fields_the_server_defaults_are_not_changes() -> None:
    live = job({"dnsPolicy": "ClusterFirst"})
    assert check("batch/v1", "Job", live, job({})) == []
    # but a dropped list (args, env ...) has no default to come back from
    live = job({})
    live["spec"]["template"]["spec"]["containers"][0]["args"] = ["--fast"]
    assert check("batch/v1", "Job", live, job({})) == [
        ("KA002", "spec.template.spec.containers[0].args")
    ]


def statefulset(**spec: Any) -> dict[str, Any]:
    return {"spec": {"serviceName": "db", "selector": {"matchLabels": {"app": "db"}}, **spec}}


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (statefulset(replicas=5, minReadySeconds=3, ordinals={"start": 1}), []),
        (statefulset(updateStrategy={"type": "OnDelete"}, template={"spec": {}}), []),
        (statefulset(persistentVolumeClaimRetentionPolicy={"whenDeleted": "Delete"}), []),
        (statefulset(revisionHistoryLimit=3), [("KA002", "spec.revisionHistoryLimit")]),
        (statefulset(podManagementPolicy="Parallel"), [("KA002", "spec.podManagementPolicy")]),
        (
            statefulset(serviceName="db2", selector={"matchLabels": {"app": "x"}}),
            [("KA002", "spec.serviceName"), ("KA002", "spec.selector.matchLabels.app")],
        ),
    ],
)
def test_statefulset(result: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    live = statefulset(replicas=3, revisionHistoryLimit=10, podManagementPolicy="OrderedReady")
    assert check("apps/v1", "StatefulSet", live, result) == expected


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ({"matchLabels": {"app": "web"}}, []),
        ({"matchLabels": {"app": "web"}, "matchExpressions": []}, []),
        ({"matchLabels": {}}, [("KA002", "spec.selector.matchLabels")]),
        (
            {"matchLabels": {"app": "web", "tier": "fe"}},
            [("KA002", "spec.selector.matchLabels.tier")],
        ),
        (
            {
                "matchLabels": {"app": "web"},
                "matchExpressions": [{"key": "a", "operator": "Exists"}],
            },
            [("KA002", "spec.selector.matchExpressions")],
        ),
    ],
)
def test_deployment_selector(result: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    live = {"spec": {"selector": {"matchLabels": {"app": "web"}}}}
    assert check("apps/v1", "Deployment", live, {"spec": {"selector": result}}) == expected


@pytest.mark.parametrize(
    ("live", "result", "expected"),
    [
        ({"data": {"a": "1"}}, {"data": {"a": "2"}}, []),
        ({"data": {"a": "1"}, "immutable": False}, {"data": {"a": "2"}}, []),
        ({"data": {"a": "1"}, "immutable": True}, {"data": {"a": "1"}, "immutable": True}, []),
        (
            {"data": {"a": "1"}, "immutable": True},
            {"data": {"a": "1"}, "immutable": False},
            [("KA003", "immutable")],
        ),
        (
            {"data": {"a": "1"}, "immutable": True},
            {"data": {"a": "1", "b": "2"}, "immutable": True},
            [("KA003", "data.b")],
        ),
        (
            {"binaryData": {"a": "AA=="}, "immutable": True},
            {"immutable": True},
            [("KA003", "binaryData.a")],
        ),
    ],
)
def test_configmap(
    live: dict[str, Any], result: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert check("v1", "ConfigMap", live, result) == expected


@pytest.mark.parametrize(
    ("live", "result", "expected"),
    [
        ({"type": "Opaque"}, {}, []),  # a missing type is Opaque
        ({"type": "kubernetes.io/tls"}, {}, [("KA002", "type")]),
        # stringData is written over data before validation
        (
            {"data": {"t": "czNjcjN0"}, "immutable": True},
            {"data": {"t": "czNjcjN0"}, "stringData": {"t": "s3cr3t"}, "immutable": True},
            [],
        ),
        (
            {"data": {"t": "czNjcjN0"}, "immutable": True},
            {"data": {"t": "czNjcjN0\n"}, "immutable": True},
            [],
        ),
        (
            {"data": {"t": "czNjcjN0"}, "immutable": True},
            {"data": {"t": "czNjcjN1"}, "immutable": True},
            [("KA003", "data.t")],
        ),
    ],
)
def test_secret(
    live: dict[str, Any], result: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert check("v1", "Secret", live, result) == expected


def test_position_follows_the_merge_key(tmp_path: Path) -> None:
    """A change in the result's first container points at that container in the manifest,
    wherever the manifest lists it."""
    manifest = tmp_path / "job.yaml"
    manifest.write_text(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: b\n          image: b:1\n"
        "        - name: a\n          image: a:2\n",
        encoding="utf-8",
    )
    [sourced] = read_objects([str(manifest)])
    result = {"spec": {"template": {"spec": {"containers": [
        {"name": "a", "image": "a:2"}, {"name": "b", "image": "b:1"}
    ]}}}}  # fmt: skip
    rejection = Rejection(
        "KA002", "m", "s", (("spec", "template", "spec", "containers", 0, "image"),)
    )
    root = root_type(SCHEMAS, "batch/v1", "Job")
    finding = to_finding(sourced, rejection, result, root)
    assert (finding.line, finding.column) == (12, 11)
    # a field the manifest does not have: its nearest ancestor there
    rejection = Rejection("KA002", "m", "s", (("spec", "completions"),))
    finding = to_finding(sourced, rejection, result, root)
    assert (finding.line, finding.column) == (5, 1)


# --- the real kubectl: it checks none of this and sends the request -----------------------


@pytest.fixture(scope="module")
def kubectl(tmp_path_factory: pytest.TempPathFactory) -> Kubectl:
    return kubectl_or_skip(tmp_path_factory)


def run_kubectl(kubectl: Kubectl, name: str, *args: str) -> tuple[int, str, list[Any]]:
    stub = StubServer()
    try:
        cluster = stub.add(name, {})
        kubeconfig = kubectl.kubeconfig(f"http://127.0.0.1:{stub.port}/s/{name}", name)
        cache = ["--cache-dir", str(kubectl.home / "cache" / name)]
        done = kubectl.run(kubeconfig, "apply", "--validate=false", *cache, *args)
        return done.returncode, done.stderr, cluster.requests
    finally:
        stub.stop()


def test_kubectl_sends_annotations_over_the_limit(kubectl: Kubectl, tmp_path: Path) -> None:
    manifest = tmp_path / "big.yaml"
    manifest.write_text(big_configmap(AT_LIMIT + 1), encoding="utf-8")
    code, stderr, requests = run_kubectl(kubectl, "big", "-f", str(manifest))
    assert code == 0, stderr
    [request] = requests
    assert request.method == "POST"
    annotations = request.body["metadata"]["annotations"]
    sent = sum(len(k.encode()) + len(v.encode()) for k, v in annotations.items())
    assert sent == 262145
    _, [entry] = as_json(manifest)
    assert "add up to 262145 bytes" in entry["findings"][0]["message"]


def test_kubectl_refuses_another_namespace(kubectl: Kubectl) -> None:
    _, manifest = scenario("29-configmap-data")
    code, stderr, requests = run_kubectl(kubectl, "ns", "-n", "staging", "-f", str(manifest))
    assert code != 0
    assert requests == []
    _, [entry] = as_json("-n", "staging", manifest)
    said = entry["error"].removeprefix("kubectl would refuse it before sending anything: ")
    assert f"error: {said}" in stderr
