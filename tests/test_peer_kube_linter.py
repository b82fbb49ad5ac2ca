"""kube-linter's end-to-end expectations, replayed against the kubelint rules that mean the same.

The peer suite (``../shared/peer-suites/kube-linter``) lists, per upstream test, the reports
kube-linter must print for one fixture file. For every check with a kubelint equivalent
(``MAPPING``) the fixture is linted once with the mapped rules, and each object of the
fixture (kind + name) becomes one test: kubelint fires on it exactly when kube-linter does.

Where kubelint deliberately differs, ``DEVIATIONS`` records kubelint's own answer and why;
those cases assert kubelint's behaviour. Where kubelint is wrong, ``KNOWN_WRONG`` turns the
case into a strict xfail. Checks without an equivalent are listed in ``UNMAPPED``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import SHARED_MISSING, find_shared_dir
from kubelint.checks import registry
from kubelint.config.policy import Policy
from kubelint.load import sources
from kubelint.run import passes
from kubelint.run.context import CheckOptions
from kubelint.schema.store import latest_version

SHARED = find_shared_dir()
SUITE = SHARED / "peer-suites" / "kube-linter" if SHARED else None

#: kube-linter check (upstream test name) -> (kubelint rules, strict_refs).
#: Each mapping was checked against ``pkg/builtinchecks/yamls/<check>.yaml``.
MAPPING: dict[str, tuple[tuple[str, ...], bool]] = {
    "latest-tag": (("KL034",), False),
    "unset-cpu-requirements": (("KL030", "KL032"), False),
    "unset-memory-requirements": (("KL031", "KL033"), False),
    "no-liveness-probe": (("KL036",), False),
    "no-readiness-probe": (("KL037",), False),
    "liveness-port": (("KL038",), False),
    "readiness-port": (("KL038",), False),
    "startup-port": (("KL038",), False),
    "privileged-container": (("KL039",), False),
    "privilege-escalation-container": (("KL040",), False),
    "run-as-non-root": (("KL041",), False),
    "no-read-only-root-fs": (("KL042",), False),
    "host-network": (("KL044",), False),
    "host-pid": (("KL045",), False),
    "host-ipc": (("KL046",), False),
    "sensitive-host-mounts": (("KL047",), False),
    "duplicate-env-var": (("KL049",), False),
    "mismatching-selector": (("KL056",), False),
    # The dangling-* and env-value-from checks treat the linted files as the whole world,
    # which is kubelint's --strict-refs mode.
    "dangling-service": (("KL060",), True),
    "dangling-ingress": (("KL062",), True),
    "dangling-horizontalpodautoscaler": (("KL063",), True),
    "dangling-networkpolicy": (("KL065",), True),
    "env-value-from": (("KL066", "KL067"), True),
    "pdb-min-available": (("KL068",), True),
    "pdb-max-unavailable": (("KL068",), True),
}

#: kube-linter checks with no kubelint rule of the same meaning.
UNMAPPED: dict[str, str] = {
    "template-cel": "CEL custom checks: kubelint has no expression-language rules",
    "template-kubeconform": "kubeconform run as a check: schema validation is kubelint's core "
    "(KL005-KL017), not a selectable rule with the same object set",
    "schema-validation": "same as template-kubeconform",
    "template-forbidden-annotation": "user-configured annotation check: no kubelint rule",
    "access-to-create-pods": "RBAC analysis: no kubelint rule",
    "access-to-secrets": "RBAC analysis: no kubelint rule",
    "cluster-admin-role-binding": "RBAC analysis: no kubelint rule",
    "wildcard-in-rules": "RBAC analysis: no kubelint rule",
    "dangling-networkpolicypeer-podselector": "KL065 looks at spec.podSelector only, not at "
    "the podSelector of ingress/egress peers",
    "dangling-servicemonitor": "ServiceMonitor is a Prometheus Operator CRD: no kubelint rule",
    "default-service-account": "no kubelint rule about the default service account",
    "deprecated-service-account-field": "no kubelint rule about spec.serviceAccount",
    "non-existent-service-account": "no kubelint rule resolves service account names",
    "dnsconfig-options": "no kubelint rule about dnsConfig",
    "docker-sock": "KL047 flags every hostPath; kube-linter flags only the docker socket",
    "writable-host-mount": "KL047 flags every hostPath, read-only or not",
    "drop-net-raw-capability": "KL043 has an allow-list (NET_BIND_SERVICE), not a NET_RAW rule; "
    "kube-linter also asks for an explicit drop",
    "env-var-secret": "no kubelint rule about secret-looking variable names",
    "read-secret-from-env-var": "no kubelint rule against secretKeyRef in env",
    "exposed-services": "no kubelint rule about Service types",
    "hpa-minimum-three-replicas": "no kubelint replica-count policy",
    "minimum-three-replicas": "no kubelint replica-count policy",
    "no-anti-affinity": "no kubelint affinity rule",
    "no-node-affinity": "no kubelint affinity rule",
    "job-ttl-seconds-after-finished": "no kubelint rule about ttlSecondsAfterFinished",
    "no-extensions-v1beta": "KL007/KL073 judge API versions by Kubernetes version, not by group",
    "no-rolling-update-strategy": "no kubelint rule about rollout strategies",
    "non-isolated-pod": "no kubelint rule requiring a NetworkPolicy per pod",
    "pdb-unhealthy-pod-eviction-policy": "no kubelint rule about unhealthyPodEvictionPolicy",
    "priority-class-name": "no kubelint rule about priority classes",
    "privileged-ports": "no kubelint rule about ports below 1024",
    "ssh-port": "no kubelint rule about port 22",
    "required-annotation-email": "user-configured required annotation: no kubelint rule",
    "required-label-owner": "user-configured required label: no kubelint rule",
    "restart-policy": "kube-linter wants Always/OnFailure on every pod; KL053 only rejects "
    "Always in Jobs, the opposite concern",
    "scc-deny-privileged-container": "OpenShift SecurityContextConstraints: no kubelint rule",
    "invalid-target-ports": "syntax of port names and targetPort values (range, length, "
    "one letter): kubelint's schema validation (KL017) covers that; KL061 asks whether a "
    "targetPort exists on the selected containers, a different question",
    "statefulset-volumeclaimtemplate-annotation": "user-configured annotation check on "
    "volumeClaimTemplates: no kubelint rule",
    "sorted-keys": "key order is style, not a kubelint rule",
    "unsafe-proc-mount": "no kubelint rule about procMount",
    "unsafe-sysctls": "no kubelint rule about sysctls",
    "use-namespace": "no kubelint rule requiring a namespace",
    "flag-ignore-paths": "CLI behaviour, not a check",
    "flag-read-from-stdin": "CLI behaviour, not a check",
    "flag-kustomize-support": "CLI behaviour, not a check",
    "flag-multi-format-output": "CLI behaviour, not a check",
}

#: Names of objects the fixtures mean as negative cases.
QUIET_PREFIXES = ("dont-fire", "should-pass")

#: Per-object expectations the generic derivation (below) gets wrong, read off the fixture.
#: (test, kind, name) -> kube-linter fires.
PEER_OVERRIDES: dict[tuple[str, str, str], bool] = {
    # The only report names a missing target; this HPA targets Deployment dont-fire, present.
    ("dangling-horizontalpodautoscaler", "HorizontalPodAutoscaler", "RELEASE-NAME-mychart"): False,
    # The only report is "MaxUnavailable is set to 0": budget foo; baz allows 1.
    ("pdb-max-unavailable", "PodDisruptionBudget", "baz"): False,
}

_OPENSHIFT = (
    "apps.openshift.io/v1 DeploymentConfig is an OpenShift API (deprecated since OpenShift "
    "4.14), not a Kubernetes kind; kubelint's container and pod rules cover the built-in "
    "pod-bearing kinds, so it stays quiet where kube-linter (which models OpenShift) fires"
)

#: (test, kind, name) -> (kubelint fires, reason): kubelint differs on purpose, and is right.
DEVIATIONS: dict[tuple[str, str, str], tuple[bool, str]] = {
    **{
        (test, "DeploymentConfig", name): (False, _OPENSHIFT)
        for test, name in (
            ("latest-tag", "app"),
            ("unset-cpu-requirements", "app2"),
            ("unset-memory-requirements", "app2"),
            ("no-liveness-probe", "app2"),
            ("no-readiness-probe", "app2"),
            ("privileged-container", "app2"),
            ("privilege-escalation-container", "app2"),
            ("run-as-non-root", "app2"),
            ("no-read-only-root-fs", "app2"),
            ("host-network", "app"),
            ("host-pid", "app"),
            ("host-ipc", "app"),
            ("sensitive-host-mounts", "app2"),
            ("mismatching-selector", "app2"),
        )
    },
    **{
        ("run-as-non-root", kind, "group-zero"): (
            False,
            "runAsUser: 1001 with runAsGroup: 0: the process does not run as root. KL041 is "
            "about the user; a root primary group is normal (OpenShift runs arbitrary UIDs "
            "with GID 0) and kube-linter folds it into the same check",
        )
        for kind in ("Deployment", "DeploymentConfig")
    },
    ("dangling-service", "Service", "dont-fire"): (
        True,
        "the Deployment it should select has a template with labels but no spec (and no "
        "spec.selector): the API server rejects it and it makes no pods, so kubelint "
        "reports the Service's selector as matching nothing",
    ),
    ("pdb-min-available", "PodDisruptionBudget", "baz"): (
        False,
        "Deployment foo, matched by kube-linter through its spec.selector, has no pod "
        "template: it makes no pods (the API server rejects it), so kubelint, which counts "
        "the pods of templates, has nothing the budget could block",
    ),
    ("pdb-min-available", "PodDisruptionBudget", "baz2"): (
        False,
        "Deployment foo2's pod template has labels but no spec (no containers): the API "
        "server rejects it and it makes no pods, so, as for baz, the budget has nothing to "
        "block. With a pod spec KL068 fires: the HPA app2 scales foo2 down to its "
        "minReplicas 1, and minAvailable 1 then blocks every eviction (the rule's fixture "
        "holds that case)",
    ),
    ("pdb-min-available", "PodDisruptionBudget", "baz3"): (
        False,
        "Deployment foo3's pod template has labels but no spec, as foo2's: no pods, nothing "
        "to block. With a pod spec KL068 fires: the KEDA ScaledObject app3 scales foo3 down "
        "to its minReplicaCount 1 (the rule's fixture holds that case)",
    ),
}

#: (test, kind, name) -> reason: kubelint is wrong here (strict xfail).
KNOWN_WRONG: dict[tuple[str, str, str], str] = {}


def _load_expectations() -> list[dict[str, Any]]:
    if SUITE is None:
        return []
    data = json.loads((SUITE / "expected-findings.json").read_text(encoding="utf-8"))
    return [e for e in data if e["test"] in MAPPING]


def _objects(path: Path) -> list[tuple[str, str]]:
    """(kind, name) of every document; unnamed objects get ``<unnamed>``."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for doc in yaml.safe_load_all(handle):
            if isinstance(doc, dict) and doc.get("kind"):
                name = (doc.get("metadata") or {}).get("name") or "<unnamed>"
                out.append((str(doc["kind"]), str(name)))
    return out


def _peer_fires(entry: dict[str, Any], kind: str, name: str) -> bool:
    """Whether kube-linter reports this object, from the expected report texts.

    A ``Kind Name: ...`` text names the object. A ``Kind: ...`` text names only the kind:
    every object of that kind fires unless its name marks it as a negative case.
    """
    key = (entry["test"], kind, name)
    if key in PEER_OVERRIDES:
        return PEER_OVERRIDES[key]
    for report in entry["expected_reports"]:
        head = report["text"].split(":", 1)[0]
        parts = head.split(" ", 1)
        if parts[0] != kind:
            continue
        if len(parts) == 2:
            if parts[1] == name:
                return True
            continue
        if not name.startswith(QUIET_PREFIXES):
            return True
    return False


def _cases() -> list[Any]:
    cases = []
    for entry in _load_expectations():
        path = SUITE / entry["input"] if SUITE else None
        if path is None or not path.is_file():
            continue
        seen: Counter[tuple[str, str]] = Counter()
        for kind, name in _objects(path):
            seen[(kind, name)] += 1
            if seen[(kind, name)] > 1:
                continue  # same identity twice in a fixture: one case covers both
            key = (entry["test"], kind, name)
            marks = []
            if key in KNOWN_WRONG:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[key]))
            cases.append(
                pytest.param(entry, kind, name, id=f"{entry['test']}:{kind}/{name}", marks=marks)
            )
    return cases


_CACHE: dict[tuple[str, tuple[str, ...], bool], set[tuple[str, str]]] = {}


def _fired(path: Path, rules: tuple[str, ...], strict: bool) -> set[tuple[str, str]]:
    """(kind, name) of the objects on which any of ``rules`` fires; one run per input."""
    key = (str(path), rules, strict)
    if key not in _CACHE:
        specs = registry.builtin_rules()
        policy = Policy.build(specs, list(rules), [], {}, {})
        options = CheckOptions(latest_version(), policy=policy, jobs=1, strict_refs=strict)
        result = passes.run(sources.collect([str(path)]), options)
        _CACHE[key] = {
            (f.object_ref.kind, f.object_ref.name or "<unnamed>")
            for f in result.findings
            if f.rule in rules and f.object_ref is not None
        }
    return _CACHE[key]


CASES = _cases() or [
    pytest.param(
        None, None, None, id="no-peer-suite", marks=pytest.mark.skip(reason=SHARED_MISSING)
    )
]
RESULTS: list[tuple[str, str, str]] = []  # (rule ids, outcome, case id) for the summary


@pytest.mark.parametrize(("entry", "kind", "name"), CASES)
def test_object_fires_as_kube_linter_expects(
    shared_dir: Path, entry: dict[str, Any], kind: str, name: str
) -> None:
    rules, strict = MAPPING[entry["test"]]
    fired = (kind, name) in _fired(SUITE / entry["input"], rules, strict)
    key = (entry["test"], kind, name)
    rule_label = "+".join(rules)
    if key in DEVIATIONS:
        want, reason = DEVIATIONS[key]
        RESULTS.append((rule_label, "deviation", f"{key}"))
        assert fired == want, f"kubelint's documented behaviour changed ({reason})"
        return
    expected = _peer_fires(entry, kind, name)
    outcome = "wrong" if key in KNOWN_WRONG else ("agree" if fired == expected else "differ")
    RESULTS.append((rule_label, outcome, f"{key}"))
    assert fired == expected, (
        f"{entry['test']}: kube-linter {'fires' if expected else 'is quiet'} on {kind} {name}, "
        f"kubelint ({rule_label}) {'fires' if fired else 'is quiet'}"
    )


def test_every_peer_check_is_mapped_or_listed(shared_dir: Path) -> None:
    data = json.loads((SUITE / "expected-findings.json").read_text(encoding="utf-8"))
    tests = {e["test"] for e in data}
    unaccounted = tests - set(MAPPING) - set(UNMAPPED)
    assert not unaccounted, f"peer tests neither mapped nor listed as unmapped: {unaccounted}"


def test_bookkeeping_names_real_cases() -> None:
    if SHARED is None:
        pytest.skip(SHARED_MISSING)
    ids = {(c.values[0]["test"], c.values[1], c.values[2]) for c in CASES}
    stale = (set(DEVIATIONS) | set(KNOWN_WRONG) | set(PEER_OVERRIDES)) - ids
    assert not stale, f"entries for objects no peer case has: {stale}"
    assert not set(DEVIATIONS) & set(KNOWN_WRONG)


def test_zz_agreement_table() -> None:
    """Prints per-rule agreement (run with ``-s``); always passes."""
    table: dict[str, Counter[str]] = {}
    for rules, outcome, _ in RESULTS:
        table.setdefault(rules, Counter())[outcome] += 1
    print("\nkube-linter agreement: rule | agree | deviation | kubelint wrong | unexplained")
    for rules in sorted(table):
        c = table[rules]
        print(f"  {rules:<12} {c['agree']:>5} {c['deviation']:>5} {c['wrong']:>5} {c['differ']:>5}")
