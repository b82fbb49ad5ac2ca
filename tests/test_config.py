"""Configuration files, selection, severities and suppressions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kubelint.config.config_file import ConfigError, find_config, parse

MANIFEST = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  lables: {}
dat: {}
"""


def run(cwd: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    result = subprocess.run(
        [sys.executable, "-m", "kubelint", "check", "-o", "json", *args],
        capture_output=True, text=True, cwd=cwd, timeout=120, check=False,
    )  # fmt: skip
    payload = json.loads(result.stdout) if result.stdout.startswith("{") else {}
    return result.returncode, payload, result.stderr


def test_unknown_key_names_the_nearest_one() -> None:
    with pytest.raises(ConfigError, match='unknown key "fail_on"; did you mean "fail-on"'):
        parse({"fail_on": "warning"}, "x.yaml")
    with pytest.raises(ConfigError, match="fail-on"):
        parse({"fail-on": "sometimes"}, "x.yaml")


def test_config_is_found_upward(tmp_path: Path) -> None:
    (tmp_path / ".kubelint.yaml").write_text("fail-on: warning\n", encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / ".kubelint.yaml"


def test_pyproject_section(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.kubelint]\nignore = ["KL008"]\n', encoding="utf-8"
    )
    (tmp_path / "cm.yaml").write_text(MANIFEST, encoding="utf-8")
    code, payload, _ = run(tmp_path, "cm.yaml")
    assert code == 0
    assert payload["findings"] == []


def test_select_ignore_severity_and_fail_on(tmp_path: Path) -> None:
    (tmp_path / "cm.yaml").write_text(MANIFEST, encoding="utf-8")
    (tmp_path / ".kubelint.yaml").write_text(
        "severity:\n  unknown-field: warning\nfail-on: warning\n", encoding="utf-8"
    )
    code, payload, _ = run(tmp_path, "cm.yaml")
    assert code == 1
    assert {f["severity"] for f in payload["findings"]} == {"warning"}
    code, payload, _ = run(tmp_path, "cm.yaml", "--fail-on", "error")
    assert code == 0
    code, payload, _ = run(tmp_path, "cm.yaml", "--select", "KL00", "--ignore", "KL008")
    assert payload["findings"] == []


def test_bad_configuration_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "cm.yaml").write_text(MANIFEST, encoding="utf-8")
    (tmp_path / ".kubelint.yaml").write_text("selct: [KL008]\n", encoding="utf-8")
    code, _, stderr = run(tmp_path, "cm.yaml")
    assert code == 2
    assert 'did you mean "select"' in stderr
    (tmp_path / ".kubelint.yaml").write_text("ignore: [unknown-feild]\n", encoding="utf-8")
    code, _, stderr = run(tmp_path, "cm.yaml")
    assert code == 2
    assert 'did you mean "unknown-field"' in stderr


def test_inline_and_annotation_suppressions(tmp_path: Path) -> None:
    (tmp_path / "cm.yaml").write_text(
        """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  lables: {}  # kubelint: disable=KL008
# kubelint: disable-next-line=unknown-field
dat: {}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  annotations:
    kubelint.io/ignore: "unknown-field"
dat: {}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
dat: {}
""",
        encoding="utf-8",
    )
    code, payload, _ = run(tmp_path, "cm.yaml", "--show-suppressed")
    assert code == 1
    assert [(f["line"], f["rule"]) for f in payload["findings"]] == [(21, "KL008")]
    assert sorted(f["line"] for f in payload["suppressed"]) == [5, 7, 15]
    assert payload["summary"]["suppressed"] == 3


def test_disable_file_and_per_file_ignores(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "# kubelint: disable-file=KL008\n" + MANIFEST, encoding="utf-8"
    )
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "b.yaml").write_text(
        MANIFEST.replace("name: c", "name: d"), encoding="utf-8"
    )
    (tmp_path / ".kubelint.yaml").write_text(
        "per-file-ignores:\n  'legacy/*': [unknown-field]\n", encoding="utf-8"
    )
    code, payload, _ = run(tmp_path, ".")
    assert code == 0, payload
    assert payload["findings"] == []


def test_custom_rules_directory(tmp_path: Path) -> None:
    rules = tmp_path / "team-rules"
    rules.mkdir()
    (rules / "owner.yaml").write_text(
        """\
id: KL900
slug: owner-label-required
severity: error
summary: Every object names its owning team.
template: field
params:
  path: metadata.labels.owner
  present: true
  message: "no owner label"
  suggestion: "add metadata.labels.owner"
doc:
  what: Reports objects without an owner label.
  why: Somebody must be paged.
  example: "metadata:\\n  name: x"
  use-instead: "metadata:\\n  name: x\\n  labels:\\n    owner: team-a"
""",
        encoding="utf-8",
    )
    (tmp_path / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n", encoding="utf-8"
    )
    code, payload, _ = run(tmp_path, "cm.yaml", "--rules", str(rules))
    assert code == 1
    assert [f["rule"] for f in payload["findings"]] == ["KL900"]
    (tmp_path / ".kubelint.yaml").write_text("rules: [team-rules]\n", encoding="utf-8")
    code, payload, _ = run(tmp_path, "cm.yaml")
    assert [f["name"] for f in payload["findings"]] == ["owner-label-required"]


def test_a_config_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    from kubelint.config.config_file import load

    (tmp_path / ".kubelint.yaml").write_bytes(b"ignore: [\xff]\n")
    with pytest.raises(ConfigError, match=r"\.kubelint\.yaml:1:10: .*not UTF-8.*0xff"):
        load(tmp_path / ".kubelint.yaml")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_bytes("[tool]\n".encode("utf-16"))
    found = find_config(tmp_path / "sub")  # it may configure kubelint: loading says why not
    assert found == tmp_path / "sub" / "pyproject.toml"
    with pytest.raises(ConfigError, match=r"pyproject\.toml: not UTF-8 .* must be UTF-8"):
        load(found)


def test_pyproject_shapes_that_are_not_kubelint_s(tmp_path: Path) -> None:
    from kubelint.config.config_file import load

    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('tool = "kubelint"\n', encoding="utf-8")
    assert find_config(tmp_path) is None  # `tool` is not a table: no [tool.kubelint]
    pyproject.write_text("[tool.kubelint\nselect = 1\n", encoding="utf-8")
    assert find_config(tmp_path) == pyproject  # broken, and it names kubelint
    with pytest.raises(ConfigError, match=r"pyproject\.toml: "):
        load(pyproject)


def test_finding_a_configuration_never_fails() -> None:
    here = find_config(Path("."))  # both paths below name no folder: the search starts here
    assert find_config(Path("a" * 5000)) == here
    assert find_config(Path("x\0y")) == here


def _options_problems(options: dict[str, Any]) -> list[str]:
    from kubelint.config.options import check_options

    _, problems = check_options(parse({"options": options}, "x.yaml"), Path.cwd())
    assert all(p.setting == "options" for p in problems)
    return [p.message for p in problems]


def test_rule_options_are_checked_with_the_configuration() -> None:
    assert _options_problems({"capabilities-added": {"allowed": 5}}) == [
        "options.capabilities-added.allowed: expected a list of strings, got 5"
    ]
    assert _options_problems(
        {
            "KL034": {"mutable-tags": ["latest", 1.1]},
            "configmap-too-large": {"max-bytes": "1k"},
            "probe-port-unknown": {"check-numbers": "yes"},
            "capabilities-added": {"alowed": []},
            "capabilities-addded": {},
            "KL046": {"x": 1},
        }
    ) == [
        'options.KL034.mutable-tags: expected a list of strings, got ["latest", 1.1]',
        'options.configmap-too-large.max-bytes: expected a whole number, got "1k"',
        'options.probe-port-unknown.check-numbers: expected true or false, got "yes"',
        'options.capabilities-added: rule KL043 has no option "alowed"; did you mean "allowed"?',
        'options: "capabilities-addded" names no rule; did you mean "capabilities-added"?',
        'options.KL046: rule KL046 has no option "x" (its options: none)',
    ]


def test_valid_rule_options_are_kept() -> None:
    from kubelint.config.options import check_options

    config = parse({"options": {"KL072": {"max-bytes": 10}, "KL043": {"allowed": []}}}, "x")
    built, problems = check_options(config, Path.cwd())
    assert problems == []
    assert built.rule_options == {"KL072": {"max-bytes": 10}, "KL043": {"allowed": []}}


def test_a_user_rule_with_an_unusable_message_or_pattern_is_refused(tmp_path: Path) -> None:
    from kubelint.checks.registry import RuleDefinitionError, catalogue

    rule = (
        "id: KL901\nslug: x-y\nseverity: error\nsummary: s\ntemplate: field\n"
        "params: {{path: metadata.name, {condition}, message: {message}}}\n"
        "doc: {{what: w, why: w, example: e, use-instead: u}}\n"
    )
    for condition, message, problem in [
        ("present: true", "'{nope}'", "message"),
        ("present: true", "'{value.x}'", "message"),
        ("pattern: '[z-a'", "m", "pattern"),
    ]:
        (tmp_path / "r.yaml").write_text(
            rule.format(condition=condition, message=message), encoding="utf-8"
        )
        with pytest.raises(RuleDefinitionError, match=problem):
            catalogue([tmp_path])
    (tmp_path / "r.yaml").unlink()
    (tmp_path / "gone.yaml").symlink_to("nowhere")
    with pytest.raises(RuleDefinitionError, match=r"gone\.yaml: No such file"):
        catalogue([tmp_path])
