"""The catalogue's rules on one object: the findings of object rules, and the facts that
cross-object rules collect from it (checked across the run by :mod:`kubelint.run.cross_objects`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kubelint.checks.api import Fact
from kubelint.config.rule_sets import RuleSet
from kubelint.load.documents import PackedMark, pack_mark
from kubelint.load.objects import KubeObject
from kubelint.report.model import Finding, ObjectRef
from kubelint.rules.core import INTERNAL_ERROR
from kubelint.run.context import Context
from kubelint.run.findings import FindingBuilder

#: Shared by the facts without marks or fields (most): one object, pickled once per message.
_NO_MARKS: Mapping[str, PackedMark] = {}
_NO_FIELDS: Mapping[str, str] = {}


def run_rules(
    ctx: Context,
    build: FindingBuilder,
    kube: KubeObject,
    ref: ObjectRef,
    *,
    partial: bool,
    ignored: RuleSet,
    facts: list[Fact],
) -> list[Finding]:
    """The findings of the enabled object rules on ``kube``; the facts collectors gather
    from it are added to ``facts`` (``ignored``: what its ignore annotation names)."""
    found: list[Finding] = []
    kind = kube.kind
    for spec, options in ctx.object_checks:
        if (spec.kinds and kind not in spec.kinds) or (partial and spec.whole_object):
            continue
        assert spec.check is not None
        try:
            for violation in spec.check(kube, options, ctx.rule_context):
                found.append(build.violation(spec, kube, violation, ref))
        except Exception as exc:  # a rule bug must not cost the run
            found.append(_failed(build, kube, spec.id, exc))
    first = len(facts)  # this object's facts are facts[first:]
    for spec, options in ctx.collectors:
        if partial or (spec.kinds and kind not in spec.kinds):
            continue
        assert spec.collect is not None
        shared_up_to = first  # facts shared with this rule must keep its order
        try:
            for data, paths, texts in spec.collect(kube, options, ctx.rule_context):
                marks: Mapping[str, PackedMark] = {
                    k: pack_mark(*kube.mark(path)) for k, path in paths.items()
                } or _NO_MARKS
                fields = ctx.shared_fields(texts) if texts else _NO_FIELDS
                index = _same_fact(facts, shared_up_to, data, marks, fields)
                if index is not None:  # collected by an earlier rule: one fact for both
                    known = facts[index]
                    facts[index] = known._replace(rules=ctx.rule_ids(*known.rules, spec.id))
                    shared_up_to = index + 1
                    continue
                facts.append(
                    Fact(
                        ctx.rule_ids(spec.id),
                        kube.path,
                        ref,
                        kube.group,
                        kube.kind,
                        kube.namespace,
                        kube.name,
                        data,
                        marks,
                        fields,
                        ignored,
                    )
                )
                shared_up_to = len(facts)
        except Exception as exc:
            found.append(_failed(build, kube, spec.id, exc))
    return found


def _failed(build: FindingBuilder, kube: KubeObject, rule_id: str, exc: Exception) -> Finding:
    return build.at(INTERNAL_ERROR, kube.start, f"rule {rule_id} failed on this object: {exc!r}")


def _same_fact(
    facts: list[Fact],
    start: int,
    data: Any,
    marks: Mapping[str, PackedMark],
    fields: Mapping[str, str],
) -> int | None:
    """The index, from ``start`` on, of a fact holding this very ``data`` at the same marks.

    Rules that read the same thing of an object (the pods of a workload) share one fact.
    """
    for index in range(start, len(facts)):
        fact = facts[index]
        if fact.data is data and fact.marks == marks and fact.fields == fields:
            return index
    return None
