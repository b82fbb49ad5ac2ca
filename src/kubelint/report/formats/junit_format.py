"""``--output junit``: JUnit XML, for CI systems that show test reports (Jenkins, GitLab, ...).

One ``<testsuite>`` per file with findings, named after the file: CI test views group by
suite, and a file is what one fixes, so all of a file's problems stay together (a suite
per rule would scatter them). Each finding is a ``<testcase>`` (classname: the file;
name: rule, slug and position); warnings and errors carry a ``<failure>``, an internal
error of kubelint an ``<error>``, and info findings pass with their text in
``<system-out>``. A run without findings yields one passing test case, so that CI shows
a green test rather than an empty report. The layout follows the common JUnit XSD
(Jenkins' ``junit-4.xsd``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby
from typing import TextIO

from kubelint import __version__
from kubelint.report.formats import RenderOptions
from kubelint.report.formats.text import unicode_safe
from kubelint.report.model import Finding, RunResult, Severity
from kubelint.rules.core import INTERNAL_ERROR

#: Characters XML 1.0 cannot carry at all (even escaped); shown as \\xNN instead.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Text that XML 1.0 can carry."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group(0)):02x}", unicode_safe(text))


def _detail(finding: Finding) -> str:
    lines = [
        f"{finding.path}:{finding.line}:{finding.column}: {finding.severity.label} "
        f"{finding.rule} {finding.name}: {finding.message}"
    ]
    if finding.suggestion:
        lines.append(f"suggestion: {finding.suggestion}")
    if finding.object_ref is not None:
        lines.append(f"object: {finding.object_ref}")
    if finding.field:
        lines.append(f"field: {finding.field}")
    return "\n".join(lines)


def _testcase(finding: Finding) -> ET.Element:
    case = ET.Element(
        "testcase",
        {
            "name": clean(
                f"{finding.rule} {finding.name} at line {finding.line}, column {finding.column}"
            ),
            "classname": clean(finding.path),
            "time": "0",
        },
    )
    if finding.severity >= Severity.WARNING:
        tag = "error" if finding.rule == INTERNAL_ERROR.id else "failure"
        outcome = ET.SubElement(
            case, tag, {"message": clean(finding.message), "type": finding.severity.label}
        )
        outcome.text = clean(_detail(finding))
    else:
        ET.SubElement(case, "system-out").text = clean(_detail(finding))
    return case


def _suite(path: str, findings: list[Finding]) -> ET.Element:
    failures = sum(
        1 for f in findings if f.severity >= Severity.WARNING and f.rule != INTERNAL_ERROR.id
    )
    errors = sum(1 for f in findings if f.rule == INTERNAL_ERROR.id)
    suite = ET.Element(
        "testsuite",
        {
            "name": clean(path),
            "tests": str(len(findings)),
            "failures": str(failures),
            "errors": str(errors),
            "skipped": "0",
            "time": "0",
        },
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (("path", path), ("kubelint.version", __version__)):
        ET.SubElement(properties, "property", {"name": name, "value": clean(value)})
    suite.extend(_testcase(f) for f in findings)
    return suite


def junit_tree(result: RunResult) -> ET.Element:
    """The run as a ``<testsuites>`` element."""
    suites = [
        _suite(path, list(group)) for path, group in groupby(result.findings, lambda f: f.path)
    ]
    if not suites:
        suite = ET.Element(
            "testsuite",
            {"name": "kubelint", "tests": "1", "failures": "0", "errors": "0", "time": "0"},
        )
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", {"name": "kubelint.version", "value": __version__})
        ET.SubElement(
            suite,
            "testcase",
            {
                "name": f"{result.files} file(s), {result.objects} object(s): no findings",
                "classname": "kubelint",
                "time": "0",
            },
        )
        suites = [suite]
    root = ET.Element(
        "testsuites",
        {
            "name": "kubelint",
            "tests": str(sum(int(s.get("tests", "0")) for s in suites)),
            "failures": str(sum(int(s.get("failures", "0")) for s in suites)),
            "errors": str(sum(int(s.get("errors", "0")) for s in suites)),
            "time": "0",
        },
    )
    root.extend(suites)
    return root


def render(result: RunResult, stream: TextIO, options: RenderOptions) -> None:
    """Write the run as JUnit XML (UTF-8)."""
    root = junit_tree(result)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode") + "\n")
