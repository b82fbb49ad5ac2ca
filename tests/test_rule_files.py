"""The rule files of ``rules/``: every rule is one file, and it says what the code says."""

from __future__ import annotations

import os
from pathlib import Path

from kubelint.checks import registry
from kubelint.checks.catalogue import build_spec, bundled_rules_dir, read_rule_file, rule_paths
from kubelint.rules.index import rule


def test_every_rule_file_is_named_after_its_rule_and_builds() -> None:
    specs = {spec.id: spec for spec in registry.builtin_rules()}
    paths = list(rule_paths(bundled_rules_dir()))
    assert len(paths) == len(specs)
    for path in paths:
        data = read_rule_file(path)
        assert path.stem == data["slug"], path
        spec = specs[data["id"]]
        assert spec.slug == data["slug"]
        implemented = [key for key in ("template", "check", "stage") if key in data]
        assert len(implemented) == 1, f"{path}: names {implemented}"
        if "check" in data:
            assert data["check"] == f"{path.parent.name}.{path.stem}", path
            assert (spec.check or spec.cross_check) is not None


def test_rules_are_named_by_slug_or_id_and_a_misspelt_one_fails() -> None:
    import pytest

    assert rule("duplicate-key").id == "KL002"
    assert rule("KA002").slug == "immutable-field"
    with pytest.raises(KeyError, match="duplicate-keys"):
        rule("duplicate-keys")


def test_the_compiled_index_is_current() -> None:
    from kubelint.checks.catalogue import compile_index
    from kubelint.rules.index import INDEX_PATH

    assert INDEX_PATH.read_text(encoding="utf-8") == compile_index(bundled_rules_dir()), (
        "src/kubelint/rules/catalogue.json is stale: run python scripts/generate_docs.py"
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

    from kubelint.checks.catalogue import RuleDefinitionError
    from kubelint.rules import index

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


def test_every_option_is_typed_documented_and_its_default_fits() -> None:
    from kubelint.checks.api import OPTION_TYPE_WORDS, option_problem

    for spec in registry.builtin_rules():
        assert set(spec.options) == {o.name for o in spec.option_specs}, spec.id
        for option in spec.option_specs:
            assert option.type in OPTION_TYPE_WORDS, (spec.id, option.name)
            assert option.doc.strip(), f"{spec.id}: option {option.name} has no doc"
            assert option_problem(option.type, option.default) is None, (spec.id, option.name)


def test_the_pipeline_names_every_rule_it_reports_itself() -> None:
    from kubelint.rules import core as core_rules

    named = {
        value.id for value in vars(core_rules).values() if isinstance(value, type(rule("KL001")))
    }
    stages = {s.id for s in registry.builtin_rules() if s.stage in ("load", "schema", "run")}
    assert named == stages


def test_users_rule_folders_are_read_once_until_they_change(tmp_path: Path) -> None:
    text = (bundled_rules_dir() / "security" / "host-ipc.yaml").read_text(encoding="utf-8")
    rule = tmp_path / "team.yaml"
    rule.write_text(text.replace("KL046", "KL900").replace("host-ipc", "team-ipc"), "utf-8")
    first = registry.catalogue([tmp_path])
    assert registry.catalogue([tmp_path]) is first  # the same files: not read again
    assert [s.rule.summary for s in first if s.id == "KL900"] == [
        "A pod uses the node's IPC namespace (hostIPC)."
    ]
    rule.write_text(
        rule.read_text(encoding="utf-8").replace("summary: A pod", "summary: Our pod"), "utf-8"
    )
    os.utime(rule, ns=(1, 1))  # a changed file is seen even within one clock tick
    again = registry.catalogue([tmp_path])
    assert [s.rule.summary for s in again if s.id == "KL900"] == [
        "Our pod uses the node's IPC namespace (hostIPC)."
    ]
