"""kube-score's graded expectations, replayed against the kubelint rules that mean the same.

The peer suite (``../shared/peer-suites/kube-score``) says, per upstream Go test, which grade a
check gives the object it applies to in a set of files scored together. For every check with
a kubelint equivalent (``MAPPING``) the files are linted together, once, with the mapped
rules; a CRITICAL or WARNING grade means the rule must fire on that object, OK that it must
stay quiet.

``DEVIATIONS`` records where kubelint differs on purpose (the case asserts kubelint's own
answer), ``KNOWN_WRONG`` where kubelint is wrong (strict xfail). Checks without an
equivalent are listed in ``UNMAPPED``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
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
from kubelint.schema.store import available_versions, latest_version, version_key

SHARED = find_shared_dir()
SUITE = SHARED / "peer-suites" / "kube-score" if SHARED else None
TESTDATA = SUITE / "score" / "testdata" if SUITE else None

POD_KINDS = frozenset(
    {
        "Pod",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "ReplicaSet",
        "ReplicationController",
        "Job",
        "CronJob",
    }
)


@dataclass(frozen=True)
class Mapped:
    rules: tuple[str, ...]
    subjects: frozenset[str]  # kinds the kube-score check grades
    strict_refs: bool = False
    versioned: bool = False  # run at the expectation's KubernetesVersion


#: kube-score check display name -> the kubelint rules of the same meaning.
MAPPING: dict[str, Mapped] = {
    "Pod Probes": Mapped(("KL036", "KL037"), POD_KINDS),
    "Container Resources": Mapped(("KL030", "KL031", "KL032", "KL033"), POD_KINDS),
    "Container Image Tag": Mapped(("KL034",), POD_KINDS),
    "Container Security Context Privileged": Mapped(("KL039",), POD_KINDS),
    "Container Security Context ReadOnlyRootFilesystem": Mapped(("KL042",), POD_KINDS),
    "Environment Variable Key Duplication": Mapped(("KL049",), POD_KINDS),
    "CronJob RestartPolicy": Mapped(("KL053",), frozenset({"CronJob"})),
    "StatefulSet Pod Selector labels match template metadata labels": Mapped(
        ("KL056",), frozenset({"StatefulSet"})
    ),
    # kube-score scores the given files as the whole cluster: kubelint's --strict-refs.
    "Service Targets Pod": Mapped(("KL060",), frozenset({"Service"}), strict_refs=True),
    "NetworkPolicy targets Pod": Mapped(("KL065",), frozenset({"NetworkPolicy"}), True),
    "Ingress targets Service": Mapped(("KL062",), frozenset({"Ingress"}), strict_refs=True),
    "HorizontalPodAutoscaler has target": Mapped(
        ("KL063",), frozenset({"HorizontalPodAutoscaler"}), strict_refs=True
    ),
    "Stable version": Mapped(("KL007", "KL073"), POD_KINDS, versioned=True),
}

#: kube-score checks with no kubelint rule of the same meaning.
UNMAPPED: dict[str, str] = {
    "Pod NetworkPolicy": "kube-score wants every pod covered by a NetworkPolicy; KL065 asks "
    "the reverse (does each policy select some pod)",
    "Container Image Pull Policy": "kube-score demands imagePullPolicy: Always; KL035 only "
    "flags contradictory combinations (IfNotPresent with :latest, Always with a digest)",
    "Container Seccomp Profile": "no kubelint rule about seccomp",
    "Container Memory Requests Equal Limits": "no kubelint rule comparing requests to limits",
    "Container CPU Requests Equal Limits": "no kubelint rule comparing requests to limits",
    "Container Resource Requests Equal Limits": "no kubelint rule comparing requests to limits",
    "Container Ephemeral Storage Request and Limit": "kubelint checks CPU and memory only",
    "Container Ephemeral Storage Request Equals Limit": "kubelint checks CPU and memory only",
    "Container Security Context User Group ID": "kube-score wants UID/GID above 10000; KL041 "
    "only asks for a non-root user",
    "Container Ports Check": "no kubelint rule about port-name length or named-port sanity",
    "Deployment has PodDisruptionBudget": "no kubelint rule requiring a PDB",
    "StatefulSet has PodDisruptionBudget": "no kubelint rule requiring a PDB",
    "PodDisruptionBudget has policy": "no kubelint rule requiring minAvailable/maxUnavailable",
    "Pod Topology Spread Constraints": "no kubelint rule about topology spread",
    "Deployment has host PodAntiAffinity": "no kubelint affinity rule",
    "StatefulSet has host PodAntiAffinity": "no kubelint affinity rule",
    "StatefulSet has ServiceName": "no kubelint rule about serviceName / headless Services",
    "Deployment Replicas": "no kubelint replica-count policy",
    "HorizontalPodAutoscaler Replicas": "no kubelint replica-count policy",
    "Deployment targeted by HPA does not have replicas configured": "no kubelint rule about "
    "replicas under an HPA",
    "Deployment Strategy": "no kubelint rule about rollout strategies",
    "CronJob has deadline": "no kubelint rule about startingDeadlineSeconds",
    "Pod Probes Identical": "no kubelint rule comparing probes",
    "Service Type": "no kubelint rule about Service types",
}

_REQUESTS_DEFAULT = (
    "the container sets CPU and memory limits but no requests: the API server defaults "
    "each missing request to its limit, so the scheduler has requests and KL030/KL031 stay "
    "quiet; kube-score grades the literal manifest"
)
_PROBES_EVERYWHERE = (
    "KL036/KL037 judge every long-running container, whether or not a Service selects its "
    "pod: a hung container without a liveness probe is never restarted, and a rollout "
    "without readiness probes counts pods ready before they serve; kube-score asks for "
    "probes only on pods behind a Service in their namespace"
)
_OLDEST_SCHEMA = (
    "kubelint bundles Kubernetes 1.25 and later, so the check runs at 1.25 where this "
    "beta API is removed and KL007 fires; kube-score judged an older cluster where no "
    "stable version of the API existed yet"
)

#: (go_test, files) -> (kubelint fires, reason): kubelint differs on purpose, and is right.
DEVIATIONS: dict[tuple[str, str], tuple[bool, str]] = {
    ("TestPodContainerResourceLimits", "pod-test-resources-only-limits.yaml"): (
        False,
        _REQUESTS_DEFAULT,
    ),
    ("TestDeploymentResources", "deployment-test-resources.yaml"): (False, _REQUESTS_DEFAULT),
    ("TestStatefulSetResources", "statefulset-test-resources.yaml"): (False, _REQUESTS_DEFAULT),
    (
        "TestProbesTargetedByServiceDifferentNamespace",
        "pod-probes-targeted-by-service-different-namespace.yaml",
    ): (True, _PROBES_EVERYWHERE),
    ("TestProbesTargetedByServiceNotTargeted", "pod-probes-not-targeted-by-service.yaml"): (
        True,
        _PROBES_EVERYWHERE,
    ),
    (
        "TestProbesTargetedByServiceNotTargetedMultiLabels",
        "pod-probes-not-targeted-by-service-multi-labels.yaml",
    ): (True, _PROBES_EVERYWHERE),
    ("TestProbesMultipleContainers", "pod-probes-on-different-containers.yaml"): (
        True,
        "container foobar2 has no probe at all; kube-score is satisfied by its sibling's "
        "probes, but liveness restarts and readiness gating are per container, so KL036/KL037 "
        "report foobar2",
    ),
    ("TestStatefulSetAppsv1beta1Kubernetes1dot4", "statefulset-appsv1beta1.yaml"): (
        True,
        _OLDEST_SCHEMA,
    ),
    ("TestCronJobBatchv1beta1", "cronjob-batchv1beta1.yaml"): (True, _OLDEST_SCHEMA),
    ("TestCronJobHasRestartPolicyInvalid", "cronjob-batchv1-restartpolicy-invalid.yaml"): (
        False,
        "the template says `RestartPolicy: Once`; kubelint reads keys as the API server's "
        "case-insensitive JSON decoding does, so restartPolicy is set (to Once, not Always): "
        "KL008 reports the key's spelling and KL011 the value, KL053 has nothing to add",
    ),
    ("TestIngressNoPanicIssue363", "ingress_issue363.yaml"): (
        False,
        "the networking.k8s.io/v1 backend uses the old serviceName/servicePort fields, which "
        "KL008 reports; KL062 resolves them as the author meant, and Service app-service "
        "with port http exists in the run",
    ),
}

#: (go_test, files) -> reason: kubelint is wrong here (strict xfail).
KNOWN_WRONG: dict[tuple[str, str], str] = {}


def _key(entry: dict[str, Any]) -> tuple[str, str]:
    return entry["go_test"], "+".join(entry["files"])


def _peer_fires(entry: dict[str, Any]) -> bool:
    grade = str(entry["expected_grade"]).split(" ", 1)[0]
    return grade in ("CRITICAL", "WARNING")


def _graded(entry: dict[str, Any]) -> bool:
    """Entries that say fire or quiet (not skip assertions, not grade 0)."""
    if entry.get("check") not in MAPPING or "expected_grade" not in entry:
        return False
    return str(entry["expected_grade"]).split(" ", 1)[0] in ("CRITICAL", "WARNING", "OK")


def _load() -> list[dict[str, Any]]:
    if SUITE is None:
        return []
    data = json.loads((SUITE / "expected-grades.json").read_text(encoding="utf-8"))
    return [e for e in data["file_expectations"] if _graded(e)]


def _rules(entry: dict[str, Any]) -> tuple[str, ...]:
    rules = MAPPING[entry["check"]].rules
    config = entry.get("run_config") or {}
    if config.get("IgnoreContainerCpuLimitRequirement"):
        rules = tuple(r for r in rules if r != "KL032")
    if config.get("IgnoreContainerMemoryLimitRequirement"):
        rules = tuple(r for r in rules if r != "KL033")
    return rules


def _version(entry: dict[str, Any]) -> str:
    """The Kubernetes version to check at.

    kubelint bundles schemas from 1.25 on; an older version asked for by kube-score (its
    helper defaults to 1.18) becomes the oldest bundled one. Only ``Stable version``
    depends on it; the other rules run at the newest.
    """
    if not MAPPING[entry["check"]].versioned:
        return latest_version()
    wanted = str((entry.get("run_config") or {}).get("KubernetesVersion") or "1.18")
    oldest = available_versions()[0]
    return max(wanted, oldest, key=version_key)


def _subjects(entry: dict[str, Any]) -> set[tuple[str, str]]:
    """(kind, name) of the objects in the files that the check grades."""
    assert TESTDATA is not None
    kinds = MAPPING[entry["check"]].subjects
    out = set()
    for name in entry["files"]:
        with (TESTDATA / name).open(encoding="utf-8") as handle:
            for doc in yaml.safe_load_all(handle):
                if isinstance(doc, dict) and doc.get("kind") in kinds:
                    obj_name = (doc.get("metadata") or {}).get("name") or "<unnamed>"
                    out.add((str(doc["kind"]), str(obj_name)))
    return out


_CACHE: dict[tuple[tuple[str, ...], tuple[str, ...], bool, str], set[tuple[str, str]]] = {}


def _fired(entry: dict[str, Any]) -> set[tuple[str, str]]:
    """(kind, name) of the objects any mapped rule fires on; one run per distinct input."""
    assert TESTDATA is not None
    rules = _rules(entry)
    mapped = MAPPING[entry["check"]]
    key = (tuple(entry["files"]), rules, mapped.strict_refs, _version(entry))
    if key not in _CACHE:
        policy = Policy.build(registry.builtin_rules(), list(rules), [], {}, {})
        options = CheckOptions(key[3], policy=policy, jobs=1, strict_refs=mapped.strict_refs)
        paths = [str(TESTDATA / name) for name in entry["files"]]
        result = passes.run(sources.collect(paths), options)
        _CACHE[key] = {
            (f.object_ref.kind, f.object_ref.name or "<unnamed>")
            for f in result.findings
            if f.rule in rules and f.object_ref is not None
        }
    return _CACHE[key]


def _cases() -> list[Any]:
    cases = []
    for entry in _load():
        key = _key(entry)
        marks = []
        if key in KNOWN_WRONG:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[key]))
        ident = f"{entry['check']}:{entry['go_test']}:{key[1]}"
        cases.append(pytest.param(entry, id=ident, marks=marks))
    return cases


CASES = _cases() or [
    pytest.param(None, id="no-peer-suite", marks=pytest.mark.skip(reason=SHARED_MISSING))
]
RESULTS: list[tuple[str, str]] = []  # (rule ids, outcome) for the summary


@pytest.mark.parametrize("entry", CASES)
def test_object_fires_as_kube_score_grades(shared_dir: Path, entry: dict[str, Any]) -> None:
    subjects = _subjects(entry)
    assert subjects, f"no object of kinds {sorted(MAPPING[entry['check']].subjects)}"
    fired = bool(subjects & _fired(entry))
    key = _key(entry)
    label = "+".join(MAPPING[entry["check"]].rules)
    if key in DEVIATIONS:
        want, reason = DEVIATIONS[key]
        RESULTS.append((label, "deviation"))
        assert fired == want, f"kubelint's documented behaviour changed ({reason})"
        return
    expected = _peer_fires(entry)
    outcome = "wrong" if key in KNOWN_WRONG else ("agree" if fired == expected else "differ")
    RESULTS.append((label, outcome))
    assert fired == expected, (
        f"{entry['check']} grades {entry['expected_grade']} on {sorted(subjects)}; kubelint "
        f"({'+'.join(_rules(entry))}, k8s {_version(entry)}) {'fires' if fired else 'is quiet'}"
    )


def test_every_peer_check_is_mapped_or_listed(shared_dir: Path) -> None:
    data = json.loads((SUITE / "expected-grades.json").read_text(encoding="utf-8"))
    checks = {e["check"] for e in data["file_expectations"]}
    unaccounted = checks - set(MAPPING) - set(UNMAPPED)
    assert not unaccounted, f"peer checks neither mapped nor listed as unmapped: {unaccounted}"


def test_bookkeeping_names_real_cases() -> None:
    if SHARED is None:
        pytest.skip(SHARED_MISSING)
    keys = {_key(e) for e in _load()}
    stale = (set(DEVIATIONS) | set(KNOWN_WRONG)) - keys
    assert not stale, f"entries for cases that do not exist: {stale}"
    assert not set(DEVIATIONS) & set(KNOWN_WRONG)


def test_zz_agreement_table() -> None:
    """Prints per-rule agreement (run with ``-s``); always passes."""
    table: dict[str, Counter[str]] = {}
    for rules, outcome in RESULTS:
        table.setdefault(rules, Counter())[outcome] += 1
    print("\nkube-score agreement: rule | agree | deviation | kubelint wrong | unexplained")
    for rules in sorted(table):
        c = table[rules]
        print(f"  {rules:<24} {c['agree']:>4} {c['deviation']:>4} {c['wrong']:>4} {c['differ']:>4}")
