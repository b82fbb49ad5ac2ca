"""Checks across the objects of a run: duplicate objects, and the catalogue's cross-object
rules on the facts collected from every object."""

from __future__ import annotations

from kubelint.checks.api import Fact, RuleContext
from kubelint.config.rule_sets import EMPTY, RuleSet
from kubelint.load.documents import mark_of
from kubelint.report.model import Finding
from kubelint.rules.core import DUPLICATE_OBJECT, INTERNAL_ERROR
from kubelint.run import findings as build
from kubelint.run.context import CheckOptions, catalogue, rule_options, run_policy
from kubelint.run.results import FileResult, ObjectIdentity


def across_objects(
    results: list[FileResult], options: CheckOptions
) -> tuple[list[Finding], list[Finding]]:
    """Findings of cross-object rules, after policy and suppressions: (kept, suppressed)."""
    specs = catalogue(options)
    policy = run_policy(options, specs)
    context = RuleContext(options.kubernetes_version, options.namespace, options.strict_refs)
    raw: list[tuple[Finding, RuleSet]] = [(f, EMPTY) for f in duplicate_objects(results)]
    facts_by_rule: dict[str, list[Fact]] = {}
    for result in results:
        for fact in result.facts:
            for rule_id in fact.rules:
                facts_by_rule.setdefault(rule_id, []).append(fact)
    for spec in specs:
        if spec.cross_check is None or spec.id not in policy.enabled:
            continue
        try:
            violations = list(
                spec.cross_check(
                    facts_by_rule.get(spec.id, []), rule_options(spec, options), context
                )
            )
        except Exception as exc:  # a rule bug must not cost the run
            where = results[0].path if results else "-"
            message = f"rule {spec.id} failed across objects: {exc!r}"
            raw.append((build.whole_file(where, INTERNAL_ERROR, message), EMPTY))
            continue
        for violation in violations:
            raw.append((build.cross_violation(spec, violation), violation.fact.ignored))
    by_path = {r.path: r.suppressions for r in results}
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding, ignored in raw:
        decided, hidden = build.decide(
            policy,
            finding,
            ignored.matches(finding.rule, finding.name),
            by_path.get(finding.path),
        )
        if decided is not None:
            (suppressed if hidden else kept).append(decided)
    return kept, suppressed


def duplicate_objects(results: list[FileResult]) -> list[Finding]:
    """A finding on every object defined again (same group, kind, namespace and name)."""
    seen: dict[tuple[str, str, str | None, str], ObjectIdentity] = {}
    findings: list[Finding] = []
    info = DUPLICATE_OBJECT
    for result in results:
        for identity in result.objects:
            if not identity.name:
                continue
            key = (identity.group, identity.kind, identity.namespace, identity.name)
            first = seen.get(key)
            if first is None:
                seen[key] = identity
                continue
            where = f"{first.path}:{mark_of(first.mark)[0] + 1}"
            scope = f"{identity.namespace}/{identity.name}" if identity.namespace else identity.name
            findings.append(
                build.at_position(
                    info,
                    identity.path,
                    mark_of(identity.mark),
                    f"{identity.kind} {scope} is already defined at {where}; "
                    "applying both makes this one overwrite it",
                    "keep one definition, or rename one of them",
                    field="metadata.name",
                    obj=identity.ref,
                )
            )
    return findings
