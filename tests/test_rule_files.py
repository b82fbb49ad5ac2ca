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


def test_the_compiled_index_is_current() -> None:
    from kubelint.checks.index import INDEX_PATH, compile_index

    assert INDEX_PATH.read_text(encoding="utf-8") == compile_index(bundled_rules_dir()), (
        "src/kubelint/checks/catalogue.json is stale: run python scripts/generate_catalogue.py"
    )


def test_a_rule_file_naming_a_missing_check_fails_to_load() -> None:
    import pytest

    from kubelint.checks.catalogue import RuleDefinitionError

    data = dict(read_rule_file(bundled_rules_dir() / "pods" / "image-latest-tag.yaml"))
    data["check"] = "pods.image-latest-tga"
    with pytest.raises(
        RuleDefinitionError, match=r"no Python check is named 'pods\.image-latest-tga'"
    ):
        build_spec(data, "builtin", checks=lambda name: None, trusted=True, where="x.yaml")


def test_a_python_check_no_rule_file_names_fails_the_catalogue() -> None:
    import pytest

    from kubelint.checks import index
    from kubelint.checks.catalogue import RuleDefinitionError

    entries = [e for e in index.read_index() if e["slug"] != "image-latest-tag"]
    patch = pytest.MonkeyPatch()
    patch.setattr(index, "read_index", lambda: entries)
    registry.builtin_rules.cache_clear()
    try:
        with pytest.raises(RuleDefinitionError, match=r"pods\.image-latest-tag"):
            registry.builtin_rules()
    finally:
        patch.undo()
        registry.builtin_rules.cache_clear()
