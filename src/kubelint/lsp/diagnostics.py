"""Findings as diagnostics, and the quick fixes for them: their own fix, or a comment
that disables their rule on their line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from lsprotocol import types as lsp

from kubelint.lsp.cursor import DOC_MARK, token_end
from kubelint.lsp.text import Text
from kubelint.report.model import Finding, Severity

SOURCE = "kubelint"

_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}


def finding_range(finding: Finding, text: Text) -> lsp.Range:
    """The span of a finding (the token at its position when the engine gives no end)."""
    line = min(max(finding.line - 1, 0), max(len(text.lines) - 1, 0))
    column = max(finding.column - 1, 0)
    if finding.end_line is not None and finding.end_column is not None:
        end_line, end_column = finding.end_line - 1, finding.end_column - 1
        if (end_line, end_column) <= (line, column):
            end_line, end_column = line, column + 1
    else:
        end_line, end_column = line, token_end(text.line(line), column)
    return text.range(line, column, end_line, end_column)


def diagnostic(finding: Finding, text: Text) -> lsp.Diagnostic:
    """One finding as a diagnostic: the rule id is the code, the suggestion a second line."""
    message = finding.message
    if finding.suggestion:
        message = f"{message}\n{finding.suggestion}"
    return lsp.Diagnostic(
        range=finding_range(finding, text),
        message=message,
        severity=_SEVERITY.get(finding.severity, lsp.DiagnosticSeverity.Warning),
        code=finding.rule,
        source=SOURCE,
        data={"name": finding.name},
    )


def diagnostics(findings: Iterable[Finding], text: Text) -> list[lsp.Diagnostic]:
    """Every finding as a diagnostic."""
    return [diagnostic(finding, text) for finding in findings]


# -- code actions -------------------------------------------------------------------------

_DISABLE = re.compile(r"#\s*kubelint:\s*disable(?![-\w])\s*=\s*([A-Za-z0-9_,\- ]*[A-Za-z0-9_])")
_BLOCK_SCALAR = re.compile(r"""(?:^|[:\-]\s*|\s)[|>][+-]?[1-9]?[+-]?\s*(?:#.*)?$""")


def _fix_applies(fix: Any, text: Text) -> bool:
    """Whether every edit of a fix still finds its old text (the buffer may have moved on)."""
    for edit in fix.edits:
        line = text.line(edit.line)
        if line[edit.column : edit.column + len(edit.old)] != edit.old:
            return False
    return True


def _inside_block_scalar(text: Text, line: int) -> bool:
    """Whether a line is the content of a ``|`` or ``>`` scalar (a comment would be text).

    The lines above with ever smaller indentation are the line's ancestors; a mapping's
    ancestors are keys, so one that opens a block scalar means the line is its text.
    """
    own = text.line(line)
    indent = len(own) - len(own.lstrip(" "))
    for number in range(line - 1, -1, -1):
        above = text.line(number)
        if not above.strip() or DOC_MARK.match(above):
            if DOC_MARK.match(above):
                return False
            continue
        above_indent = len(above) - len(above.lstrip(" "))
        if above_indent < indent:
            if _BLOCK_SCALAR.search(above.rstrip()):
                return True
            indent = above_indent
            if indent == 0:
                return False
    return False


def disable_edit(text: Text, line: int, rule: str) -> lsp.TextEdit | None:
    """The edit that switches ``rule`` off on a line: extend its disable comment, or add one."""
    source = text.line(line)
    if _inside_block_scalar(text, line):
        return None
    matches = list(_DISABLE.finditer(source))
    if matches:
        match = matches[-1]
        entries = [e.strip() for e in match.group(1).split(",")]
        if rule in entries:
            return None
        at = match.end(1)
        return lsp.TextEdit(text.range(line, at, line, at), f",{rule}")
    end = len(source)
    return lsp.TextEdit(text.range(line, end, line, end), f"  # kubelint: disable={rule}")


def code_actions(
    uri: str, text: Text, findings: Sequence[Finding], selection: lsp.Range
) -> list[lsp.CodeAction]:
    """Quick fixes for the findings on the selected lines, and "disable RULE for this line"."""
    first, _ = text.column(selection.start)
    last, _ = text.column(selection.end)
    fixes: list[lsp.CodeAction] = []
    disables: list[lsp.CodeAction] = []
    disabled: set[tuple[int, str]] = set()
    for finding in findings:
        line = finding.line - 1
        end_line = (finding.end_line or finding.line) - 1
        if end_line < first or line > last:
            continue
        diag = diagnostic(finding, text)
        fix = finding.fix
        if fix is not None and fix.safety != "display-only" and _fix_applies(fix, text):
            edits = [
                lsp.TextEdit(text.range(e.line, e.column, e.line, e.column + len(e.old)), e.new)
                for e in fix.edits
            ]
            title = fix.title if fix.safety == "safe" else f"{fix.title} (unsafe)"
            fixes.append(
                lsp.CodeAction(
                    title=title,
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    edit=lsp.WorkspaceEdit(changes={uri: edits}),
                    is_preferred=fix.safety == "safe",
                )
            )
        if (line, finding.rule) in disabled:
            continue
        disabled.add((line, finding.rule))
        edit = disable_edit(text, line, finding.rule)
        if edit is not None:
            disables.append(
                lsp.CodeAction(
                    title=f"Disable {finding.rule} for this line",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    edit=lsp.WorkspaceEdit(changes={uri: [edit]}),
                )
            )
    return fixes + disables
