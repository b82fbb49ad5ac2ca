"""``--output github``: GitHub Actions workflow commands, shown as annotations on the diff.

One line per finding::

    ::error file=k8s/web.yaml,line=12,col=3,endLine=12,endColumn=11,title=KL008 unknown-field::...

``error``, ``warning`` or ``notice`` after the severity. Values are escaped as the Actions
toolkit escapes them: in the message ``%``, ``\\r`` and ``\\n``; in properties also ``:`` and
``,``; control characters and undecodable bytes are shown as escapes, as in the human
format. The suggestion follows the message on a second line. A last plain line gives the
counts (GitHub shows only the first annotations of each kind per step; the log has all).
"""

from __future__ import annotations

import os
from typing import TextIO

from kubelint.report.formats import RenderOptions
from kubelint.report.formats.json_format import summary
from kubelint.report.formats.text import printable
from kubelint.report.model import Finding, RunResult, Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """A workflow command's message, escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value, escaped."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    """The workflow command of one finding."""
    properties: list[tuple[str, object]] = []
    if finding.path != "-":
        path = finding.path.replace(os.sep, "/") if os.sep != "/" else finding.path
        properties += [("file", path), ("line", finding.line), ("col", finding.column)]
        if finding.end_line is not None and finding.end_column is not None:
            properties += [("endLine", finding.end_line), ("endColumn", finding.end_column)]
    properties.append(("title", f"{finding.rule} {finding.name}"))
    text = printable(finding.message, newlines=True)  # escape_data gives them as %0A
    if finding.suggestion:
        text = f"{text}\n{printable(finding.suggestion, newlines=True)}"
    joined = ",".join(
        f"{name}={escape_property(printable(str(value)))}" for name, value in properties
    )
    return f"::{COMMANDS[finding.severity]} {joined}::{escape_data(text)}"


def render(result: RunResult, stream: TextIO, options: RenderOptions) -> None:
    """Write one workflow command per finding, then the counts."""
    for finding in result.findings:
        stream.write(command(finding) + "\n")
    counts = summary(result)
    stream.write(
        f"kubelint: {counts['errors']} error(s), {counts['warnings']} warning(s), "
        f"{counts['infos']} info in {result.files} file(s), {result.objects} object(s)\n"
    )
