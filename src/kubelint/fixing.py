"""Applying safe fixes: exact token edits, verified, written atomically.

A fix names the token it replaces and where (line, column, old text), counted as the
YAML parser counts lines and columns. Edits are applied to the file's text only where
that exact token is found, so every byte outside the edited tokens is kept: comments,
key order, quoting, indentation, line endings. The
edited text is checked again before it is written, and refused when it would be worse
(more errors, or a YAML error it did not have).
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kubelint.findings import Finding, Severity
from kubelint.rule_api import Fix, TextEdit
from kubelint.yaml_lines import split_lines_keepends


@dataclass(slots=True)
class FileFix:
    """The outcome of fixing one file."""

    path: str
    original: str
    fixed: str
    applied: list[Fix] = field(default_factory=list)
    refused: str | None = None  # why nothing was written

    @property
    def changed(self) -> bool:
        """Whether the file's text would change."""
        return self.refused is None and self.fixed != self.original

    def diff(self) -> str:
        """A unified diff of the change (every line of it ends with a newline)."""
        lines = difflib.unified_diff(
            split_lines_keepends(self.original),
            split_lines_keepends(self.fixed),
            fromfile=f"a/{self.path.lstrip('/')}",
            tofile=f"b/{self.path.lstrip('/')}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def apply_edits(text: str, edits: Iterable[TextEdit]) -> tuple[str, list[TextEdit]]:
    """Apply non-overlapping edits whose old text is where they say; returns the applied ones."""
    lines = split_lines_keepends(text)
    applied: list[TextEdit] = []
    taken: dict[int, list[tuple[int, int]]] = {}
    for edit in sorted(edits, key=lambda e: (e.line, e.column)):  # the first of overlaps wins
        if not 0 <= edit.line < len(lines):
            continue
        line = lines[edit.line]
        end = edit.column + len(edit.old)
        if line[edit.column : end] != edit.old:
            continue
        spans = taken.setdefault(edit.line, [])
        if any(start < end and edit.column < stop for start, stop in spans):
            continue
        spans.append((edit.column, end))
        applied.append(edit)
    for edit in sorted(applied, key=lambda e: (e.line, -e.column)):
        line = lines[edit.line]
        lines[edit.line] = line[: edit.column] + edit.new + line[edit.column + len(edit.old) :]
    return "".join(lines), applied


def _errors(findings: Iterable[Finding]) -> int:
    return sum(1 for f in findings if f.severity >= Severity.ERROR)


def plan(
    path: str,
    location: str,
    findings: list[Finding],
    recheck: Callable[[str], list[Finding]],
) -> FileFix:
    """Work out the safe fixes of one file and verify the result with ``recheck``."""
    try:
        raw = Path(location).read_bytes()
    except OSError as exc:
        return FileFix(path, "", "", refused=f"cannot read: {exc.strerror or exc}")
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        original = raw[3 if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError:
        return FileFix(path, "", "", refused="not UTF-8 text: left as it is")
    fixes = [f.fix for f in findings if isinstance(f.fix, Fix) and f.fix.safety == "safe"]
    if not fixes:
        return FileFix(path, original, original)
    fixed, applied = apply_edits(original, [e for fix in fixes for e in fix.edits])
    used = [fix for fix in fixes if all(e in applied for e in fix.edits)]
    result = FileFix(path, original, fixed, used)
    if fixed == original:
        return result
    before = _errors(findings)
    after = recheck(fixed)
    if any(f.rule == "KL001" for f in after) or _errors(after) > before:
        result.refused = "the fixed file would have more errors than before: not written"
    return result


def write(fix: FileFix, location: str) -> None:
    """Replace the file atomically with the fixed text (same mode, BOM kept)."""
    target = Path(location)
    raw = target.read_bytes()
    prefix = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    mode = target.stat().st_mode
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(prefix + fix.fixed.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
