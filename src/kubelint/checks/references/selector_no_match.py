"""KL064 and KL065: a PodDisruptionBudget's selector and a NetworkPolicy's podSelector
must select pods of some workload."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from kubelint.checks.api import CrossViolation, Fact, RuleContext, cross_objects_check
from kubelint.checks.crossref.facts import fields_of
from kubelint.checks.crossref.pod_index import PodIndex, unmatched
from kubelint.checks.crossref.pods import pods_fact
from kubelint.checks.crossref.selectors import Selector, label_selector
from kubelint.load.objects import KubeObject
from kubelint.load.paths import Path


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


@cross_objects_check("references.pdb-selector-no-match", collect_pdb)
def pdb_selector_no_match(
    facts: list[Fact], options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[CrossViolation]:
    """PodDisruptionBudgets that select no pods of the run."""
    yield from _no_match(facts, ctx, "selector")


@cross_objects_check("references.networkpolicy-selector-no-match", collect_network_policy)
def networkpolicy_selector_no_match(
    facts: list[Fact], options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[CrossViolation]:
    """NetworkPolicies that select no pods of the run."""
    yield from _no_match(facts, ctx, "podSelector")
