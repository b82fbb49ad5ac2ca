"""KL068: a PodDisruptionBudget that allows no eviction at all."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from kubelint.checks.api import CrossViolation, Fact, RuleContext, cross_objects_check
from kubelint.checks.crossref.facts import describe
from kubelint.checks.crossref.pod_index import PodIndex
from kubelint.checks.crossref.pods import Pods, pods_of
from kubelint.checks.crossref.scale_targets import ScaleTarget, scale_target
from kubelint.checks.crossref.selectors import Selector, label_selector
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.load.paths import Path, format_path
from kubelint.schema.store import group_of

#: KEDA's ScaledObject: it scales a workload as an HPA does (KEDA makes one for it).
SCALED_OBJECT = ("keda.sh", "ScaledObject")


class Budget(NamedTuple):
    """A PodDisruptionBudget's selector and limits."""

    selector: Selector | None  # None: unreadable
    min_available: int | str | None
    max_unavailable: int | str | None


class Scaler(NamedTuple):
    """An autoscaler's target, and the fewest pods it runs the target with."""

    target: ScaleTarget
    fewest: int  # the fewest pods while the target runs any
    field: str  # where the floor is set: minReplicas, minReplicaCount
    written: int | None  # the floor as written; None: not set
    default: int  # the floor when not set


def _int_or_percent(value: Any) -> int | str | None:
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            return text if shapes.digits(text[:-1]) is not None else None
        return shapes.digits(text)
    return shapes.integer(value)


def _scaled(value: int | str, total: int) -> int:
    """An int-or-percent against ``total``, rounded up as the disruption controller does."""
    if isinstance(value, int):
        return value
    return math.ceil(int(value[:-1]) * total / 100)


def _count(value: Any) -> int | None:
    """A replica count as written (None: not a whole number)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _keda_target(obj: KubeObject) -> ScaleTarget | None:
    """A ScaledObject's ``scaleTargetRef``: kind Deployment and apps/v1 when not set."""
    ref = obj.get(("spec", "scaleTargetRef"))
    if not isinstance(ref, dict):
        return None
    name, kind, version = ref.get("name"), ref.get("kind"), ref.get("apiVersion")
    if not isinstance(name, str) or not name:
        return None
    kind = kind if isinstance(kind, str) and kind else "Deployment"
    version = version if isinstance(version, str) and version else "apps/v1"
    return ScaleTarget(version, group_of(version), kind, name)


def _scaler(obj: KubeObject) -> Scaler | None:
    """An HPA (floor ``minReplicas``, 1 when not set) or a KEDA ScaledObject (floor
    ``minReplicaCount``, 0 when not set), with the fewest pods it runs its target with."""
    if (obj.group, obj.kind) == SCALED_OBJECT:
        target, field, default = _keda_target(obj), "minReplicaCount", 0
    else:
        found = scale_target(obj)
        target, field, default = (found[0] if found else None), "minReplicas", 1
    if target is None:
        return None
    raw = obj.get(("spec", field))
    written = _count(raw)
    if raw is not None and written is None:
        return None  # unreadable: no floor to judge by
    # at 0 (KEDA's default; the HPAScaleToZero feature gate) the target has no pod while
    # idle, when no eviction is needed, and at least 1 while active
    fewest = max(written if written is not None else default, 1)
    return Scaler(target, fewest, field, written, default)


def collect(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[tuple[Any, dict[str, Path], dict[str, str]]]:
    """Budgets, the pods (and replicas) of every workload, and autoscaler targets."""
    if obj.kind == "PodDisruptionBudget" and obj.group == "policy":
        parsed = label_selector(obj.get(("spec", "selector")), ("spec", "selector"))
        paths: dict[str, Path] = {}
        for key in ("minAvailable", "maxUnavailable"):
            if obj.get(("spec", key)) is not None:
                paths[key] = ("spec", key)
        budget = Budget(
            parsed[0] if parsed else None,
            _int_or_percent(obj.get(("spec", "minAvailable"))),
            _int_or_percent(obj.get(("spec", "maxUnavailable"))),
        )
        if budget.min_available is not None or budget.max_unavailable is not None:
            yield budget, paths, {k: format_path(p) for k, p in paths.items()}
        return
    if obj.kind == "HorizontalPodAutoscaler" or (obj.group, obj.kind) == SCALED_OBJECT:
        scaler = _scaler(obj)
        if scaler is not None:
            yield scaler, {}, {}
        return
    for pods in pods_of(obj):
        yield pods, {}, {}


def _count_pods(
    selected: tuple[Fact, ...], scalers: Mapping[tuple[str | None, str, str], Fact]
) -> tuple[int, list[tuple[Fact, Fact]]]:
    """The pods of the selected workloads (-1: not a fixed number), with autoscalers counted
    at their floor, and the (workload, autoscaler) pairs."""
    total = 0
    scaled: list[tuple[Fact, Fact]] = []
    for p in selected:
        assert isinstance(p.data, Pods)
        replicas = p.data.replicas
        scaler = scalers.get((p.namespace, p.kind, p.name or ""))
        if scaler is not None:
            assert isinstance(scaler.data, Scaler)
            replicas = scaler.data.fewest
            scaled.append((p, scaler))
        if replicas is None:
            return -1, scaled
        total += replicas
    return total, scaled


def _to_zero(scaler: Fact) -> bool:
    """Whether the autoscaler takes its target down to no pod while idle."""
    data = scaler.data
    assert isinstance(data, Scaler)
    return (data.default if data.written is None else data.written) == 0


def _floor_text(scaler: Fact, subject: str) -> str:
    """``HorizontalPodAutoscaler app scales it down to its minReplicas 1``."""
    data = scaler.data
    assert isinstance(data, Scaler)
    value = data.default if data.written is None else data.written
    if _to_zero(scaler):
        unset = ", the default" if data.written is None else ""
        floor = f"{data.fewest} pod while active ({data.field} {value}{unset}: none while idle)"
    elif data.written is None:
        floor = f"{data.field} {value} (not set: the default)"
    else:
        floor = f"its {data.field} {value}"
    return f"{describe(scaler)} scales {subject} down to {floor}"


@cross_objects_check("references.pdb-blocks-eviction", collect)
def pdb_blocks_eviction(
    facts: list[Fact], options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[CrossViolation]:
    """Budgets that leave no room for a single eviction."""
    if not any(isinstance(f.data, Budget) for f in facts):
        return
    pods = PodIndex(facts)
    counted: dict[tuple[Any, ...], tuple[int, list[tuple[Fact, Fact]]]] = {}
    scalers: dict[tuple[str | None, str, str], Fact] = {}
    for fact in facts:
        if isinstance(fact.data, Scaler):
            target = fact.data.target
            key = (fact.namespace, target.kind, target.name)
            known = scalers.get(key)
            # two autoscalers fight over one target: it may drop to the lower floor
            if known is None or fact.data.fewest < known.data.fewest:
                scalers[key] = fact
    for fact in facts:
        budget = fact.data
        if not isinstance(budget, Budget):
            continue
        if budget.max_unavailable is not None:
            if budget.max_unavailable in (0, "0%"):
                yield CrossViolation(
                    fact,
                    "maxUnavailable",
                    f"maxUnavailable {budget.max_unavailable} lets no pod be evicted: "
                    "node drains and upgrades wait for ever",
                    "allow at least one: maxUnavailable: 1",
                )
            continue
        if budget.min_available is None or budget.selector is None:
            continue
        selector = budget.selector
        selected = pods.selected(selector, fact.namespace)
        selection = (selector.requirements, fact.namespace)
        if selection not in counted:
            counted[selection] = _count_pods(selected, scalers)
        total, scaled = counted[selection]
        if total <= 0:
            continue
        needed = _scaled(budget.min_available, total)
        if needed < total:
            continue
        who = (
            f"{describe(selected[0])}"
            if len(selected) == 1
            else f"{len(selected)} workloads it selects"
        )
        pods_text = f"{total} pod" + ("s" if total != 1 else "")
        if isinstance(budget.min_available, str):
            exact = int(budget.min_available[:-1]) * total % 100 == 0
            verb = "is" if exact else "rounds up to"
            demand = f"minAvailable {budget.min_available} of {pods_text} {verb} {needed}"
            relation = f"{demand}, all the pods of {who}"
        else:
            verb = "equals" if needed == total else "exceeds"
            relation = f"minAvailable {needed} {verb} the {pods_text} of {who}"
        if not scaled:
            yield CrossViolation(
                fact,
                "minAvailable",
                f"{relation}: no pod may be evicted, so node drains and upgrades wait for ever",
                "use maxUnavailable: 1, or run more replicas than minAvailable",
            )
            continue
        when = " and ".join(
            _floor_text(scaler, "it" if len(selected) == 1 else describe(workload))
            for workload, scaler in scaled
        )
        fields = sorted({s.data.field for _, s in scaled})
        yield CrossViolation(
            fact,
            "minAvailable",
            f"{relation} when {when}: then no pod may be evicted, and node drains and "
            f"upgrades wait until {'it scales' if len(scaled) == 1 else 'they scale'} up"
            + (" (or down to zero)" if any(_to_zero(s) for _, s in scaled) else ""),
            f"use maxUnavailable: 1, or raise {' / '.join(fields)} so that more pods run "
            "than minAvailable demands",
        )
