"""The report model: the finding, one immutable record of one problem at one place, and
the outcome of a run that every output format renders."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that ``max()`` gives the worst."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        """The lower-case name used in output and configuration."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Read ``error`` / ``warning`` / ``info`` (any case)."""
        return cls[text.strip().upper()]


class ObjectRef(NamedTuple):
    """Which Kubernetes object a finding is about."""

    api_version: str
    kind: str
    namespace: str | None
    name: str | None

    def __str__(self) -> str:
        where = f"{self.namespace}/{self.name}" if self.namespace else (self.name or "<unnamed>")
        return f"{self.api_version} {self.kind} {where}"


class Finding(NamedTuple):
    """A problem found in a file.

    ``line`` and ``column`` are 1-based and point at the offending key or value;
    ``end_line``/``end_column`` close the span (exclusive), when known.
    ``field`` is the object path (``spec.template.spec.containers[0].image``).
    """

    path: str
    line: int
    column: int
    rule: str
    name: str
    severity: Severity
    message: str
    suggestion: str | None = None
    end_line: int | None = None
    end_column: int | None = None
    field: str | None = None
    object_ref: ObjectRef | None = None
    fix: Any = None  # a kubelint.checks.api.Fix, when the rule knows the remedy

    def to_json(self) -> dict[str, object]:
        """The finding as the ``--output json`` record."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.label,
            "message": self.message,
            "suggestion": self.suggestion,
            "field": self.field,
            "object": str(self.object_ref) if self.object_ref else None,
            "fix": _fix_json(self.fix),
        }


@dataclass(slots=True)
class RunResult:
    """The outcome of a run: its findings in order, what it checked, and what it hid."""

    findings: list[Finding]
    files: int
    documents: int
    objects: int
    skipped: Counter[str]
    suppressed: list[Finding] = field(default_factory=list)


def _fix_json(fix: Any) -> dict[str, object] | None:
    if fix is None:
        return None
    return {
        "title": fix.title,
        "safety": fix.safety,
        "edits": [
            {"line": e.line + 1, "column": e.column + 1, "old": e.old, "new": e.new}
            for e in fix.edits
        ],
    }
