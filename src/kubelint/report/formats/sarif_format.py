"""``--output sarif``: a SARIF 2.1.0 log, as GitHub code scanning and other CI tools read it.

One run. ``tool.driver.rules`` holds the whole built-in catalogue (so that ``ruleIndex``
is stable from run to run), followed by any other rule that produced a finding (custom
rule directories). Relative paths are URIs relative to ``%SRCROOT%``, the directory
kubelint ran in; absolute paths become ``file:`` URIs. Columns count Unicode code points,
as kubelint's columns do, and end columns are exclusive, as in SARIF. Findings suppressed
inline (comments, the ``kubelint.io/ignore`` annotation) are included with an
``inSource`` suppression, so that viewers show them as suppressed rather than losing them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath
from typing import Any, TextIO
from urllib.parse import quote_from_bytes

from kubelint import __version__
from kubelint.report.formats import RenderOptions
from kubelint.report.formats.text import json_safe
from kubelint.report.model import Finding, RunResult, Severity

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_location(path: str) -> dict[str, str]:
    """A file as a SARIF artifactLocation: a relative URI under %SRCROOT%, or a file: URI."""
    posix = path.replace(os.sep, "/") if os.sep != "/" else path
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    encoded = os.fsencode(str(PurePosixPath(posix)))  # undecodable bytes as they were
    return {"uri": quote_from_bytes(encoded, safe="/"), "uriBaseId": SRCROOT}


def _rule_descriptor(spec: Any) -> dict[str, Any]:
    from kubelint.report.rule_docs import render_rule

    rule = spec.rule
    doc = rule.doc
    text = (
        f"{doc.what}\n\nWhy is this bad? {doc.why}\n\nExample:\n{doc.example}\n\n"
        f"Use instead:\n{doc.use_instead}"
    )
    configuration: dict[str, Any] = {"level": LEVELS[rule.severity]}
    if not spec.enabled_by_default:
        configuration["enabled"] = False
    return {
        "id": rule.id,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": doc.what},
        "help": {"text": text, "markdown": render_rule(spec)},
        "defaultConfiguration": configuration,
    }


def _region(finding: Finding) -> dict[str, int]:
    region = {"startLine": max(1, finding.line), "startColumn": max(1, finding.column)}
    if finding.end_line is not None and finding.end_column is not None:
        end_line = max(finding.end_line, region["startLine"])
        end_column = finding.end_column
        if end_line == region["startLine"]:
            end_column = max(end_column, region["startColumn"])
        region["endLine"] = end_line
        region["endColumn"] = max(1, end_column)
    return region


def _fix(finding: Finding, location: dict[str, str]) -> dict[str, Any] | None:
    fix = finding.fix
    if fix is None or not fix.edits:
        return None
    replacements = [
        {
            "deletedRegion": {
                "startLine": edit.line + 1,
                "startColumn": edit.column + 1,
                "endLine": edit.line + 1,
                "endColumn": edit.column + 1 + len(edit.old),
            },
            "insertedContent": {"text": edit.new},
        }
        for edit in fix.edits
    ]
    return {
        "description": {"text": fix.title},
        "artifactChanges": [{"artifactLocation": location, "replacements": replacements}],
        "properties": {"safety": fix.safety},
    }


def _result(finding: Finding, index: int, suppressed: bool) -> dict[str, Any]:
    text = finding.message
    if finding.suggestion:
        text = f"{text}\nSuggestion: {finding.suggestion}"
    location = artifact_location(finding.path)
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [
            {"physicalLocation": {"artifactLocation": location, "region": _region(finding)}}
        ],
    }
    properties: dict[str, str] = {}
    if finding.object_ref is not None:
        properties["object"] = str(finding.object_ref)
    if finding.field:
        properties["field"] = finding.field
    if properties:
        result["properties"] = properties
    fix = _fix(finding, location)
    if fix is not None:
        result["fixes"] = [fix]
    if suppressed:
        result["suppressions"] = [{"kind": "inSource"}]
    return result


def sarif_log(result: RunResult) -> dict[str, Any]:
    """The run as a SARIF 2.1.0 log (a JSON-ready dict)."""
    from kubelint.checks.registry import builtin_rules

    rules = [_rule_descriptor(spec) for spec in builtin_rules() if spec.checked]
    index = {descriptor["id"]: i for i, descriptor in enumerate(rules)}
    every = [(f, False) for f in result.findings] + [(f, True) for f in result.suppressed]
    for finding, _ in every:
        if finding.rule not in index:  # a rule from a user's rule directory
            index[finding.rule] = len(rules)
            rules.append({"id": finding.rule, "name": finding.name})
    results = [_result(f, index[f.rule], suppressed) for f, suppressed in every]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "kubelint", "version": __version__, "rules": rules}},
        "invocations": [{"executionSuccessful": True}],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if any(not Path(f.path).is_absolute() for f, _ in every):
        root = Path.cwd().as_uri().rstrip("/") + "/"
        run["originalUriBaseIds"] = {SRCROOT: {"uri": root}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: RunResult, stream: TextIO, options: RenderOptions) -> None:
    """Write the run as a SARIF log."""
    stream.write(json_safe(json.dumps(sarif_log(result), ensure_ascii=False, indent=1)) + "\n")
