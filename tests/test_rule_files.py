"""The rule files of ``rules/``: every rule is one file, and it says what the code says."""

from __future__ import annotations

from kubelint.apply.refusals.rules import RULES as REFUSALS
from kubelint.checks import registry
from kubelint.checks.api import CheckFunctions, RuleSpec
from kubelint.checks.catalogue import build_spec, bundled_rules_dir, read_rule_file, rule_paths
from kubelint.checks.core_catalog import CORE_RULES


def _python_specs() -> dict[str, RuleSpec]:
    return {spec.id: spec for spec in registry._python_rules()}


def _from_files() -> dict[str, RuleSpec]:
    python = _python_specs()
    by_name = {
        f"{(s.check or s.cross_check).__module__.split('.')[2]}.{s.slug}": s  # type: ignore[union-attr]
        for s in python.values()
    }

    def checks(name: str) -> CheckFunctions | None:
        spec = by_name.get(name)
        return None if spec is None else CheckFunctions(spec.check, spec.collect, spec.cross_check)

    specs = {}
    for path in rule_paths(bundled_rules_dir()):
        spec = build_spec(
            read_rule_file(path), "builtin", checks=checks, trusted=True, where=str(path)
        )
        assert path.stem == spec.slug, path
        assert spec.id not in specs, spec.id
        specs[spec.id] = spec
    return specs


def test_every_rule_has_one_file_that_matches_the_code() -> None:
    files = _from_files()
    python = _python_specs()
    data = {s.id: s for s in registry.builtin_rules() if s.id not in python}
    expected = {r.id for r in (*CORE_RULES, *REFUSALS)} | set(python) | set(data)
    assert set(files) == expected
    for rule in (*CORE_RULES, *REFUSALS):
        assert files[rule.id].rule == rule
        assert files[rule.id].stage in {"load", "schema", "run", "apply"}
    for spec in [
        *python.values(),
        *(s for s in data.values() if s.id not in {r.id for r in CORE_RULES}),
    ]:
        got = files[spec.id]
        assert got.rule == spec.rule, spec.id
        assert got.kinds == spec.kinds, spec.id
        assert dict(got.options) == dict(spec.options), spec.id
        assert got.enabled_by_default == spec.enabled_by_default, spec.id
        assert got.whole_object == spec.whole_object, spec.id
        assert got.custom_kinds == spec.custom_kinds, spec.id
        assert (got.check, got.collect, got.cross_check) == (
            spec.check,
            spec.collect,
            spec.cross_check,
        ) or spec.id in data
