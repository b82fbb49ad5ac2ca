"""Applying safe fixes: exact token edits, chosen so that none makes the file worse.

A fix names the token it replaces and where (line, column, old text), counted as the
YAML parser counts lines and columns. Edits are applied only where that exact token is
found, so every byte outside the edited tokens is kept: comments, key order, quoting,
indentation, line breaks, the BOM. No edit adds or removes a line, so the fixed text
has the original's lines and findings compare line by line.

Which fixes are applied:

1. Fixes that cannot go together are left out, all of them: edits of the same text, and
   keys renamed to a name their mapping already has or that another fix also gives it
   (no fix may create a duplicate key; which of two misspellings was meant is a guess).
2. The fixed text is checked again. A finding of any rule is *new* when its line has
   more findings of that rule than the original had, less those the fixes resolve (so a
   fix that leaves its own finding in place counts too). No new finding: all are applied.
3. Otherwise the fixes outside the documents with new findings are checked on their own,
   and those inside are added back one at a time, each kept only when it adds nothing.
   A fix left out is reported with the finding it would have added.
"""

from __future__ import annotations

import bisect
import difflib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from kubelint.checks.api import Fix, TextEdit
from kubelint.load.documents import LoadedFile, Mark, YamlMap, YamlSeq, load_text, mark_of
from kubelint.load.files import read_file
from kubelint.load.lines import LINE_BREAK, split_lines, split_lines_keepends
from kubelint.load.tokens import node_at
from kubelint.report.model import Finding

MAX_SINGLE_TRIES: Final = 16
"""Fixes of a document with new findings tried one by one; further ones are left out."""

_BOM: Final = b"\xef\xbb\xbf"

Recheck = Callable[[str], list[Finding]]


class Candidate(NamedTuple):
    """A safe fix and the finding it resolves (rule, 1-based line)."""

    fix: Fix
    rule: str
    line: int


@dataclass(slots=True)
class FileFix:
    """The outcome of fixing one file."""

    path: str
    original: str
    fixed: str
    applied: list[Fix] = field(default_factory=list)
    skipped: list[tuple[Fix, str]] = field(default_factory=list)  # left out, and why
    refused: str | None = None  # why nothing was written
    raw: bytes = b""  # the file's bytes as they were read

    @property
    def changed(self) -> bool:
        """Whether the file's text would change."""
        return self.refused is None and self.fixed != self.original

    def encoded(self) -> bytes:
        """The fixed file's bytes (with the BOM the file had)."""
        return (_BOM if self.raw.startswith(_BOM) else b"") + self.fixed.encode("utf-8")

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
        if not _in_place(lines, edit):
            continue
        end = edit.column + len(edit.old)
        spans = taken.setdefault(edit.line, [])
        if any(start < end and edit.column < stop for start, stop in spans):
            continue
        spans.append((edit.column, end))
        applied.append(edit)
    for edit in sorted(applied, key=lambda e: (e.line, -e.column)):
        line = lines[edit.line]
        lines[edit.line] = line[: edit.column] + edit.new + line[edit.column + len(edit.old) :]
    return "".join(lines), applied


def _in_place(lines: list[str], edit: TextEdit) -> bool:
    """Whether the edit's old text is where it says, and neither text holds a line break."""
    if not 0 <= edit.line < len(lines) or LINE_BREAK.search(edit.old + edit.new):
        return False
    return lines[edit.line][edit.column : edit.column + len(edit.old)] == edit.old


def plan(path: str, location: str, findings: list[Finding], recheck: Recheck) -> FileFix:
    """Work out the safe fixes of one file and verify the result with ``recheck``."""
    candidates = _candidates(findings)
    if not candidates:
        return FileFix(path, "", "")
    try:
        raw = read_file(location)
    except OSError as exc:
        return FileFix(path, "", "", refused=f"cannot read: {exc.strerror or exc}")
    try:
        original = raw.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError:
        return FileFix(path, "", "", refused="not UTF-8 text: left as it is")
    result = FileFix(path, original, original, raw=raw)
    loaded = load_text(original)
    candidates = _compatible(original, loaded, candidates, result.skipped)
    if candidates:
        _choose(result, loaded, candidates, recheck)
    return result


def _candidates(findings: Iterable[Finding]) -> list[Candidate]:
    """The safe fixes of the findings, each once."""
    seen: set[tuple[TextEdit, ...]] = set()
    out: list[Candidate] = []
    for finding in findings:
        fix = finding.fix
        if isinstance(fix, Fix) and fix.safety == "safe" and fix.edits and fix.edits not in seen:
            seen.add(fix.edits)
            out.append(Candidate(fix, finding.rule, finding.line))
    return out


def _compatible(
    text: str, loaded: LoadedFile, candidates: list[Candidate], skipped: list[tuple[Fix, str]]
) -> list[Candidate]:
    """The candidates that can go together; the others go to ``skipped`` with the reason."""
    lines = split_lines_keepends(text)
    reasons: dict[int, str] = {}
    spans: dict[int, list[tuple[int, int, int]]] = {}  # line -> (start, end, candidate)
    for index, candidate in enumerate(candidates):
        for edit in candidate.fix.edits:
            if not _in_place(lines, edit):
                reasons[index] = "the text it replaces is not where the check found it"
            spans.setdefault(edit.line, []).append(
                (edit.column, edit.column + len(edit.old), index)
            )
    for line_spans in spans.values():
        for start, end, index in line_spans:
            for other_start, other_end, other in line_spans:
                if other != index and (
                    (start < other_end and other_start < end) or start == other_start
                ):
                    reasons.setdefault(index, "another fix edits the same text")
    for index, reason in _key_collisions(text, loaded, candidates).items():
        reasons.setdefault(index, reason)
    for index, reason in sorted(reasons.items()):
        skipped.append((candidates[index].fix, reason))
    return [c for index, c in enumerate(candidates) if index not in reasons]


def _key_collisions(text: str, loaded: LoadedFile, candidates: list[Candidate]) -> dict[int, str]:
    """Candidates that would give a mapping a key it already has or that another one gives."""
    edits: dict[Mark, tuple[int, TextEdit]] = {
        (edit.line, edit.column): (index, edit)
        for index, candidate in enumerate(candidates)
        for edit in candidate.fix.edits
    }
    lines = split_lines(text)
    seen: set[Mark] = set()  # key positions already counted (merged keys show up again)
    collisions: dict[int, str] = {}
    for mapping in _mappings(document.value for document in loaded.documents):
        names: dict[str, list[int | None]] = {}  # key after the fixes -> fixes giving it
        for key, (key_mark, _) in mapping.marks.items():
            line, column = mark_of(key_mark)
            if (line, column) in seen:
                continue
            seen.add((line, column))
            scalar = node_at(lines[line], column).scalar if 0 <= line < len(lines) else column
            hit = edits.get((line, scalar))
            if hit is None:
                names.setdefault(key, []).append(None)
            else:
                names.setdefault(_key_name(hit[1].new), []).append(hit[0])
        for name, givers in names.items():
            if len(givers) > 1:
                for index in givers:
                    if index is not None:
                        collisions[index] = f'it would give the mapping a second key "{name}"'
    return collisions


def _mappings(roots: Iterable[object]) -> Iterator[YamlMap]:
    """Every mapping under ``roots``, once each, in document order."""
    stack = list(roots)[::-1]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if not isinstance(node, YamlMap | YamlSeq) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, YamlMap):
            yield node
            stack.extend(list(node.values())[::-1])
        else:
            stack.extend(node[::-1])


def _key_name(text: str) -> str:
    """The key a fix's new text spells (quotes taken off)."""
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            name = json.loads(text)
        except ValueError:
            return text[1:-1]
        return name if isinstance(name, str) else text[1:-1]
    return text


def _choose(
    result: FileFix, loaded: LoadedFile, candidates: list[Candidate], recheck: Recheck
) -> None:
    """Apply the candidates that add no finding; record the others as skipped."""
    original = result.original
    before = Counter((f.rule, f.line) for f in recheck(original))
    fixed, problems = _attempt(original, candidates, before, recheck)
    if problems:
        starts = [document.start_line for document in loaded.documents]
        broken = {_document(starts, f.line - 1) for f in problems}
        suspects = [c for c in candidates if _document(starts, c.fix.edits[0].line) in broken]
        kept = [c for c in candidates if c not in suspects]
        fixed, problems = _attempt(original, kept, before, recheck)
        if problems:
            result.refused = f"not written: the fixes would add {_describe(problems[0])}"
            return
        for tried, candidate in enumerate(suspects):
            if tried >= MAX_SINGLE_TRIES:
                result.skipped.append((candidate.fix, "not tried: too many fixes to try singly"))
                continue
            trial, problems = _attempt(original, [*kept, candidate], before, recheck)
            if problems:
                result.skipped.append((candidate.fix, f"it would add {_describe(problems[0])}"))
            else:
                kept.append(candidate)
                fixed = trial
        candidates = [c for c in candidates if c in kept]
    result.fixed = fixed
    result.applied = [c.fix for c in candidates]


def _attempt(
    original: str, candidates: list[Candidate], before: Counter[tuple[str, int]], recheck: Recheck
) -> tuple[str, list[Finding]]:
    """The text with these fixes, and the new findings it has (see the module doc)."""
    fixed, _ = apply_edits(original, [e for c in candidates for e in c.fix.edits])
    if fixed == original:
        return fixed, []
    resolved = Counter((c.rule, c.line) for c in candidates)
    seen: Counter[tuple[str, int]] = Counter()
    new: list[Finding] = []
    for finding in recheck(fixed):
        key = (finding.rule, finding.line)
        seen[key] += 1
        if seen[key] > before[key] - resolved[key]:
            new.append(finding)
    return fixed, new


def _document(starts: list[int], line: int) -> int:
    """The index of the document a 0-based line belongs to."""
    return max(0, bisect.bisect_right(starts, line) - 1)


def _describe(finding: Finding) -> str:
    return f"{finding.rule} {finding.name} at line {finding.line}: {finding.message}"
