"""KL064 and KL065: a PodDisruptionBudget's selector and a NetworkPolicy's podSelector
must select pods of some workload."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from kubelint.checks.api import CrossViolation, Fact, RuleContext, cross_rule, doc
from kubelint.checks.crossref.facts import fields_of
from kubelint.checks.crossref.pod_index import PodIndex, unmatched
from kubelint.checks.crossref.pods import pods_fact
from kubelint.checks.crossref.selectors import Selector, label_selector
from kubelint.load.objects import KubeObject
from kubelint.load.paths import Path
from kubelint.report.model import Severity


class Selecting(NamedTuple):
    """An object that selects pods by labels."""

    selector: Selector


def _selecting(
    obj: KubeObject, group: str, kind: str, path: Path
) -> Iterator[tuple[Any, dict[str, Path], dict[str, str]]]:
    if obj.kind == kind and obj.group == group:
        parsed = label_selector(obj.get(path), path)
        if parsed is not None and not parsed[0].empty:
            yield Selecting(parsed[0]), parsed[1], fields_of(parsed[1])
        return
    yield from pods_fact(obj)


def _no_match(facts: list[Fact], ctx: RuleContext, what: str) -> Iterator[CrossViolation]:
    if not any(isinstance(f.data, Selecting) for f in facts):
        return
    pods = PodIndex(facts)
    peers = frozenset(f.path for f in facts if isinstance(f.data, Selecting))
    for fact in facts:
        if not isinstance(fact.data, Selecting):
            continue
        found = unmatched(what, fact, fact.data.selector, pods, peers, ctx.strict_refs)
        if found is not None:
            yield CrossViolation(fact, found[2], found[0], found[1])


def collect_pdb(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[tuple[Any, dict[str, Path], dict[str, str]]]:
    """PodDisruptionBudget selectors, and the pods of every workload."""
    yield from _selecting(obj, "policy", "PodDisruptionBudget", ("spec", "selector"))


def collect_network_policy(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[tuple[Any, dict[str, Path], dict[str, str]]]:
    """NetworkPolicy pod selectors, and the pods of every workload."""
    yield from _selecting(obj, "networking.k8s.io", "NetworkPolicy", ("spec", "podSelector"))


_JUDGED = (
    "Workloads are Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicaSets, "
    "ReplicationControllers, Pods and custom resources holding pod templates; labels that "
    "controllers add to their pods count. A run rarely holds the whole cluster, so the rule "
    "judges a selector only when the run holds a workload of its namespace that belongs "
    "with it: near it (in its directory, below it, or in a sibling directory), and in its "
    "file or in a file without a selector of this kind of its own (a file with its own "
    "workload and policy is another app); and only when every label key of the selector "
    "is used by one of these workloads, or is a typo of one (a key none of them "
    "uses means pods made outside the run, e.g. by an operator). It also reports a selector "
    "whose pods are such workloads of another namespace (selectors are namespace-local). "
    "`--strict-refs` "
    "judges every selector. When a workload comes close, the finding names it and the "
    "labels that differ."
)


@cross_rule(
    "KL064",
    "pdb-selector-no-match",
    Severity.WARNING,
    "A PodDisruptionBudget's selector matches the pods of no workload in its namespace.",
    doc(
        what="Reports a PodDisruptionBudget whose `spec.selector` (`matchLabels` and "
        "`matchExpressions`) matches the pod template labels of no workload in its "
        f"namespace. An empty selector (every pod of the namespace) is not reported. {_JUDGED}",
        why="A budget that selects no pods protects nothing: a node drain or a cluster "
        "upgrade evicts all replicas of the workload it was written for at once.",
        example="kind: PodDisruptionBudget\nspec:\n  minAvailable: 1\n  selector:\n"
        "    matchLabels:\n      app: api-server\n---\nkind: Deployment\nspec:\n"
        "  template:\n    metadata:\n      labels:\n        app: api",
        use_instead="  selector:\n    matchLabels:\n      app: api",
    ),
    collect_pdb,
)
def pdb_selector_no_match(
    facts: list[Fact], options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[CrossViolation]:
    """PodDisruptionBudgets that select no pods of the run."""
    yield from _no_match(facts, ctx, "selector")


@cross_rule(
    "KL065",
    "networkpolicy-selector-no-match",
    Severity.WARNING,
    "A NetworkPolicy's podSelector matches the pods of no workload in its namespace.",
    doc(
        what="Reports a NetworkPolicy whose non-empty `spec.podSelector` matches the pod "
        "template labels of no workload in its namespace. An empty podSelector (every pod "
        f"of the namespace) is not reported. {_JUDGED}",
        why="A policy that selects no pods isolates nothing: the pods it was written for "
        "stay open to (or free to reach) every peer, and nothing reports it.",
        example="kind: NetworkPolicy\nspec:\n  podSelector:\n    matchLabels:\n"
        "      role: db\n---\nkind: StatefulSet\nspec:\n  template:\n    metadata:\n"
        "      labels:\n        role: database",
        use_instead="  podSelector:\n    matchLabels:\n      role: database",
    ),
    collect_network_policy,
)
def networkpolicy_selector_no_match(
    facts: list[Fact], options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[CrossViolation]:
    """NetworkPolicies that select no pods of the run."""
    yield from _no_match(facts, ctx, "podSelector")
