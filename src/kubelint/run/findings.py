"""The one builder of findings, and the one place where policy decides which are kept.

Whatever found a problem (the YAML loader, the schema validator, an object rule, a
cross-object rule, the run itself about a whole file), it becomes a :class:`Finding`
here: the rule's id, slug and default severity, 1-based positions, the span of the token
and a rule's fix as exact text edits. Then :func:`decide` applies the run's policy
(selection, severities, per-path ignores) and the suppressions (an object's ignore
annotation, the file's inline comments), for the findings of a file and for those
across objects alike.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import overload

from kubelint.checks.api import CrossViolation, FixSpec, RuleSpec, TextEdit, Violation
from kubelint.checks.api import Fix as RuleFix
from kubelint.config.policy import Policy, Suppressions
from kubelint.load.documents import LoadedFile, LoadProblem, Mark, mark_of
from kubelint.load.lines import split_lines
from kubelint.load.objects import KubeObject
from kubelint.load.paths import Path, format_path, locate
from kubelint.load.tokens import NodeText, node_at
from kubelint.report.model import Finding, ObjectRef, Severity
from kubelint.rules.core import (
    INVALID_ENUM_VALUE,
    INVALID_TYPE,
    UNKNOWN_FIELD,
    YAML_IMPLICIT_TYPE,
)
from kubelint.rules.index import rule
from kubelint.rules.rule import Rule
from kubelint.run.results import FileResult
from kubelint.schema.compile import Issue


def whole_file(
    path: str, info: Rule, message: str, mark: Mark = (0, 0), suggestion: str | None = None
) -> Finding:
    """A finding about a file as a whole (unreadable, too large, a template...)."""
    return Finding(
        path, mark[0] + 1, mark[1] + 1, info.id, info.slug, info.severity, message, suggestion
    )


def at_position(
    spec: RuleSpec | Rule,
    path: str,
    mark: Mark,
    message: str,
    suggestion: str | None,
    *,
    severity: Severity | None = None,
    field: str | None = None,
    obj: ObjectRef | None = None,
) -> Finding:
    """A finding of a check across objects, at a position kept from its object."""
    info = spec.rule if isinstance(spec, RuleSpec) else spec
    return Finding(
        path,
        mark[0] + 1,
        mark[1] + 1,
        info.id,
        info.slug,
        severity or info.severity,
        message,
        suggestion,
        field=field,
        object_ref=obj,
    )


def cross_violation(spec: RuleSpec, violation: CrossViolation) -> Finding:
    """What a cross-object rule found, at the position of one of its facts."""
    fact = violation.fact
    return at_position(
        spec,
        fact.path,
        mark_of(fact.marks.get(violation.mark_key, 0)),
        violation.message,
        violation.suggestion,
        severity=violation.severity,
        field=fact.fields.get(violation.mark_key),
        obj=fact.object_ref,
    )


class _LinesFrom(Sequence[str]):
    """The lines of a part of a file, by the file's line numbers: lines before it are empty."""

    __slots__ = ("_first", "_lines")

    def __init__(self, first: int, lines: list[str]) -> None:
        self._first = first
        self._lines = lines

    def __len__(self) -> int:
        return self._first + len(self._lines)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        return self._lines[index - self._first] if index >= self._first else ""


class FindingBuilder:
    """Makes the findings in one loaded file (or part of one): spans and fixes are read
    from its text."""

    def __init__(self, path: str, loaded: LoadedFile) -> None:
        self.path = path
        self.loaded = loaded
        self._lines: Sequence[str] | None = None

    @property
    def lines(self) -> Sequence[str]:
        """The file's lines as the parser counts them (split on first use: most files need
        none); for a part of a file, by the file's line numbers (the lines before the part
        are empty)."""
        if self._lines is None:
            self._lines = split_lines(self.loaded.text)
            if self.loaded.first_line:
                self._lines = _LinesFrom(self.loaded.first_line, self._lines)
        return self._lines

    def at(
        self,
        info: Rule,
        mark: Mark,
        message: str,
        suggestion: str | None = None,
        *,
        field_path: str | None = None,
        obj: ObjectRef | None = None,
        fix: FixSpec | None = None,
        fix_mark: Mark | None = None,
    ) -> Finding:
        """A finding of any rule at ``mark``, spanning the token there."""
        line, column = mark
        number = line + 1
        return Finding(
            path=self.path,
            line=number,
            column=column + 1,
            rule=info.id,
            name=info.slug,
            severity=info.severity,
            message=message,
            suggestion=_shared(suggestion),
            end_line=number,
            end_column=column + 1 + self._token_length(mark),
            field=_shared(field_path),
            object_ref=obj,
            fix=self._text_fix(fix, fix_mark or mark) if fix is not None else None,
        )

    def yaml_problem(self, problem: LoadProblem) -> Finding:
        """What the loader found: a syntax error or a duplicate key."""
        found = problem.rule
        suggestion = problem.suggestion
        line = problem.mark[0]
        if suggestion is None and 0 <= line < len(self.lines) and "{{" in self.lines[line]:
            suggestion = "an unrendered template placeholder ({{ }}): render or substitute it first"
        return self.at(found, problem.mark, problem.message, suggestion)

    def schema_issue(self, issue: Issue, path: Path, mark: Mark, ref: ObjectRef) -> Finding:
        """What validation found at ``path`` (the issue's path within the document).

        A value kubectl reads as another type is quoted in the message as written; a
        misspelt enum value or key gets the fix the validator meant.
        """
        message = issue.message
        suggestion = issue.suggestion
        fix: FixSpec | None = None
        slug = issue.rule
        if slug == YAML_IMPLICIT_TYPE.slug:
            token = self.token(mark)
            if token and token[0] not in "\"'":
                message = f"`{token}` is read by kubectl as {message.split(' as ', 1)[1]}"
                if token[0] == "*":  # an alias: the value to quote is at its anchor
                    suggestion = f"quote the value of its anchor &{token[1:]}"
                else:
                    suggestion = f'quote it: "{token}"'
                    fix = FixSpec(f'Quote the value: "{token}"', path, "value", f'"{token}"')
            else:
                slug = INVALID_TYPE.slug
        elif slug == INVALID_ENUM_VALUE.slug and issue.meant is not None:
            fix = FixSpec(f"Change {self.token(mark)} to {issue.meant}", path, "value", issue.meant)
        elif slug == UNKNOWN_FIELD.slug and issue.meant is not None:
            fix = FixSpec(f"Rename {path[-1]} to {issue.meant}", path, "key", issue.meant)
        return self.at(
            rule(slug), mark, message, suggestion, field_path=format_path(path), obj=ref, fix=fix
        )

    def violation(
        self, spec: RuleSpec, kube: KubeObject, violation: Violation, ref: ObjectRef
    ) -> Finding:
        """What an object rule found, at a path in the object."""
        path = (*kube.prefix, *violation.path)
        mark = locate(kube.root, path, violation.at, kube.start)
        fix = violation.fix
        if fix is not None:
            fix = fix._replace(path=(*kube.prefix, *fix.path))
        fix_mark = locate(kube.root, fix.path, fix.target, kube.start) if fix is not None else None
        return self.at(
            spec.rule,
            mark,
            violation.message,
            violation.suggestion,
            field_path=format_path(path) or None,
            obj=ref,
            fix=fix,
            fix_mark=fix_mark,
        )

    def token(self, mark: Mark) -> str:
        """The source text of the scalar at ``mark`` (past its anchor and tag)."""
        return self._node(mark).text

    def _text_fix(self, fix: FixSpec, mark: Mark) -> RuleFix | None:
        """A fix as exact text edits; None when the token is not where the fix expects it.

        Only the scalar is replaced: an anchor or tag before it stays outside the new
        text. A fix that quotes a plain scalar means it as a string, which a tag would
        override, so it drops the tags (``!!bool yes`` becomes ``"yes"``).
        """
        node = self._node(mark)
        old = node.text
        if not old or not node.closed or old[0] == "*":  # an alias: fix it at its anchor
            return None
        new = fix.new_text
        edits = [TextEdit(mark[0], node.scalar, old, new)]
        if old[0] in "\"'" and new[:1] not in ("'", '"'):
            edits[0] = edits[0]._replace(new=old[0] + new + old[0])  # keep the user's quoting
        elif old[0] not in "\"'" and new[:1] in ("'", '"'):
            line = self.lines[mark[0]]
            edits[:0] = [TextEdit(mark[0], a, line[a:b], "") for a, b in node.tags]
        return RuleFix(fix.title, tuple(edits), fix.safety)

    def _node(self, mark: Mark) -> NodeText:
        line, column = mark
        if not 0 <= line < len(self.lines):
            return NodeText(column, (), column, "", True)
        return node_at(self.lines[line], column)

    def _token_length(self, mark: Mark) -> int:
        """The length of the token at ``mark``, at least one character, but never past
        the end of its line (a syntax error at the end of a line spans nothing)."""
        line, column = mark
        width = len(self.lines[line]) if 0 <= line < len(self.lines) else column
        return max(0, min(max(1, self._node(mark).end - column), width - column))


def _shared(text: str | None) -> str | None:
    """One string for texts that repeat from finding to finding (fields, suggestions)."""
    return None if text is None else sys.intern(text)


# -- what is kept -------------------------------------------------------------------------


def decide(
    policy: Policy,
    finding: Finding,
    ignored_by_object: bool,
    suppressions: Suppressions | None,
) -> tuple[Finding | None, bool]:
    """The finding as the run's policy configures it (None: its rule is off here), and
    whether it is suppressed (by its object's ignore annotation or an inline comment)."""
    decided = policy.apply(finding)
    if decided is None:
        return None, False
    if ignored_by_object:
        return decided, True
    return decided, suppressions is not None and suppressions.suppresses(decided)


def decide_file(result: FileResult, policy: Policy, suppressions: Suppressions) -> None:
    """Apply the run's policy and the file's inline suppressions to ``result``: its
    findings, and those its objects' ignore annotations set aside (``suppressed``)."""
    result.suppressions = suppressions
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for findings, by_object in ((result.suppressed, True), (result.findings, False)):
        for finding in findings:
            decided, hidden = decide(policy, finding, by_object, suppressions)
            if decided is not None:
                (suppressed if hidden else kept).append(decided)
    result.findings = kept
    result.suppressed = suppressed


def suppress(
    findings: Iterable[Finding], suppressions: Suppressions
) -> tuple[list[Finding], list[Finding]]:
    """``findings``, already decided, split by ``suppressions``: (kept, suppressed)."""
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in findings:
        (suppressed if suppressions.suppresses(finding) else kept).append(finding)
    return kept, suppressed
