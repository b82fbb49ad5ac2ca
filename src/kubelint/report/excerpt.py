"""The source line of a finding with a caret under its column, as the human outputs show it."""

from __future__ import annotations

from collections.abc import Sequence

from kubelint.report.formats.text import printable
from kubelint.report.model import Finding


def excerpt(lines: Sequence[str] | None, finding: Finding, *, span: bool = True) -> list[str]:
    """Two output lines: the finding's source line behind a gutter, and a caret under its
    column (as wide as the finding's span on that line with ``span``, else one ``^``).
    None when the file's lines are unknown or the line is not in them."""
    if not lines or not 1 <= finding.line <= len(lines):
        return []
    source = printable(lines[finding.line - 1].rstrip("\r\n").expandtabs(1))
    width = 1
    if span and finding.end_line == finding.line and finding.end_column:
        width = max(1, finding.end_column - finding.column)
    gutter = f"{finding.line:>5} | "
    caret = " " * (len(gutter) - 2) + "| " + " " * (finding.column - 1) + "^" * width
    return [gutter + source, caret]
