"""KL063: a HorizontalPodAutoscaler must scale an object of the run."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from kubelint.checks.api import CrossViolation, Fact, RuleContext, cross_objects_check
from kubelint.checks.crossref.facts import fields_of
from kubelint.checks.crossref.names import typo_of
from kubelint.checks.crossref.near import Near, scope_of
from kubelint.checks.crossref.scale_targets import ScaleTarget, scale_target
from kubelint.load.objects import KIND_GROUPS, KubeObject
from kubelint.load.paths import Path
from kubelint.report.model import Severity
from kubelint.schema.store import is_cluster_scoped


class Present(NamedTuple):
    """An object of the run (its identity is the fact's)."""


_PRESENT = Present()


def collect(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[tuple[Any, dict[str, Path], dict[str, str]]]:
    """HPA targets, and the objects an HPA could scale (their kind and name are the fact's)."""
    target = scale_target(obj)
    if target is not None:
        yield target[0], target[1], fields_of(target[1])
    elif obj.name and obj.namespace is not None and _scalable(obj):
        yield _PRESENT, {}, {}


def _scalable(obj: KubeObject) -> bool:
    """Workload controllers, and custom resources (which may have a scale subresource)."""
    return obj.kind in KIND_GROUPS["Controller"] or is_cluster_scoped(obj.group, obj.kind) is None


def _names(
    known: dict[tuple[str | None, ...], list[str]],
    key: tuple[str | None, ...],
    facts: Iterable[Fact],
) -> list[str]:
    """``Kind name`` of ``facts``, sorted, without repeats; remembered under ``key``."""
    if key not in known:
        known[key] = sorted({f"{f.kind} {f.name}" for f in facts})
    return known[key]


def _unique(names: Iterable[str]) -> Iterator[str]:
    """``names`` (sorted) without repeats."""
    last = None
    for name in names:
        if name != last:
            yield name
        last = name


@cross_objects_check("references.hpa-target-missing", collect)
def hpa_target_missing(
    facts: list[Fact], options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[CrossViolation]:
    """HPAs whose target is not in the run."""
    if not any(isinstance(f.data, ScaleTarget) for f in facts):
        return
    named: dict[tuple[str | None, str], Fact] = {}  # the first object of each name
    #: the first object of each name and kind, and the API groups of all of them
    typed: dict[tuple[str | None, str, str], tuple[Fact, set[str]]] = {}
    kinds: dict[tuple[str | None, str], set[str]] = {}
    where: dict[tuple[str, str], set[str | None]] = {}
    workloads: dict[str | None, list[Fact]] = {}
    peers = frozenset(f.path for f in facts if isinstance(f.data, ScaleTarget))
    seen_kinds = {f.kind for f in facts if isinstance(f.data, Present)}
    for fact in facts:
        if isinstance(fact.data, Present) and fact.name:
            workloads.setdefault(fact.namespace, []).append(fact)
            named.setdefault((fact.namespace, fact.name), fact)
            typed.setdefault((fact.namespace, fact.name, fact.kind), (fact, set()))[1].add(
                fact.group
            )
            kinds.setdefault((fact.namespace, fact.kind), set()).add(fact.name)
            where.setdefault((fact.kind, fact.name), set()).add(fact.namespace)
    near: dict[str | None, Near] = {}
    named_in: dict[tuple[str | None, ...], list[str]] = {}  # by file, and by scope
    typos: dict[tuple[str | None, str, str], str | None] = {}
    for fact in facts:
        target = fact.data
        if not isinstance(target, ScaleTarget):
            continue
        same_kind = typed.get((fact.namespace, target.name, target.kind))
        if same_kind is not None and (target.group is None or target.group in same_kind[1]):
            continue
        if same_kind is not None:
            found = same_kind[0]
            yield CrossViolation(
                fact,
                "apiVersion",
                f'scaleTargetRef.apiVersion "{target.api_version}" is in group '
                f'"{target.group}", but {target.kind} {target.name} is in group '
                f'"{found.group or "core"}"',
                f"set apiVersion to {found.object_ref.api_version}",
            )
            continue
        other = named.get((fact.namespace, target.name))
        if other is not None:
            yield CrossViolation(
                fact,
                "kind",
                f"no {target.kind} {target.name} in namespace {fact.namespace} in this run, "
                f"but a {other.kind} of that name is",
                f"set kind to {other.kind}, or point at the {target.kind} to scale",
            )
            continue
        typo = (fact.namespace, target.kind, target.name)
        if typo not in typos:
            typos[typo] = typo_of(target.name, kinds.get((fact.namespace, target.kind), set()))
        meant = typos[typo]
        others = sorted(
            ns or "" for ns in where.get((target.kind, target.name), set()) if ns != fact.namespace
        )
        # objects of a kind without a schema in the run are invisible to rules: only a
        # workload kind, or a kind seen in the run, can be missing from the app
        judged = target.kind in KIND_GROUPS["Controller"] or target.kind in seen_kinds
        own: list[str] = []  # the first 7 workloads of the app, in name order
        if judged:
            if fact.namespace not in near:
                near[fact.namespace] = Near(workloads.get(fact.namespace, []))
            here = near[fact.namespace]
            in_file = _names(named_in, ("file", fact.namespace, fact.path), here.in_file(fact.path))
            scope = ("scope", fact.namespace, scope_of(fact.path))
            around = _names(named_in, scope, here.around(fact.path, peers))
            own = list(itertools.islice(_unique(heapq.merge(in_file, around)), 7))
        if not (ctx.strict_refs or meant or others or own):
            continue  # the cluster may have it
        if meant:
            hint = f'did you mean "{meant}"?'
        elif others:
            hint = (
                f"it is in namespace {', '.join(others)}, but an HPA scales an object of its own "
                "namespace"
            )
        elif own:
            shown = ", ".join(own[:6]) + (", ..." if len(own) > 6 else "")
            hint = f"the workloads of this app in namespace {fact.namespace}: {shown}"
        else:
            hint = f"point scaleTargetRef at a {target.kind} of namespace {fact.namespace}"
        yield CrossViolation(
            fact,
            "name",
            f"{target.kind} {target.name} is not in namespace {fact.namespace} in this run",
            hint,
            severity=Severity.ERROR if ctx.strict_refs else None,
        )
