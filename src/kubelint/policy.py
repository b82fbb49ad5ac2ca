"""Which findings a run keeps: selected rules, configured severities, suppressions.

Every rule gets this from the engine, never from its own code (as yamllint does):
``select``/``ignore`` by id, slug or id prefix (the longer match wins), per-rule
severity, per-path ignores, inline ``# kubelint: disable...`` comments and the
``kubelint.io/ignore`` annotation on an object.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from kubelint.findings import Finding, Severity
from kubelint.rule_api import RuleSpec
from kubelint.suggest import closest
from kubelint.yaml_lines import split_lines

IGNORE_ANNOTATION = "kubelint.io/ignore"
_COMMENT = re.compile(
    r"#\s*kubelint:\s*(disable-next-line|disable-file|disable)\s*=\s*([A-Za-z0-9_,\- ]+)"
)


class SelectionError(ValueError):
    """A select/ignore/severity entry that names no rule."""


def _match(entry: str, spec: RuleSpec) -> int:
    """How specifically ``entry`` names the rule: -1 not at all, else the match length."""
    if entry in (spec.id, spec.slug):
        return 1000
    if entry.upper() == entry and spec.id.startswith(entry):
        return len(entry)
    return -1


def matches(entry: str, rule_id: str, slug: str) -> bool:
    """Whether a suppression entry (id, slug, id prefix or ``all``) names this rule."""
    entry = entry.strip()
    return entry in ("all", rule_id, slug) or (
        entry.upper() == entry and bool(entry) and rule_id.startswith(entry)
    )


def _names_apply_rejection(entry: str) -> bool:
    """Whether ``entry`` names a rejection of ``kubelint apply`` (KA001 ...) by code, code
    prefix or slug."""
    from kubelint.apply.rejections import RULES

    return any(
        entry in (r.id, r.slug) or (entry.isupper() and r.id.startswith(entry)) for r in RULES
    )


@dataclass(frozen=True, slots=True)
class Policy:
    """The decisions of a run, computed once from the configuration."""

    enabled: frozenset[str]
    severities: dict[str, Severity] = field(default_factory=dict)
    per_file: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def build(
        cls,
        specs: Iterable[RuleSpec],
        select: list[str],
        ignore: list[str],
        severities: dict[str, str],
        per_file: dict[str, list[str]],
    ) -> Policy:
        """Resolve the configuration against the catalogue; unknown names are errors."""
        catalogue = list(specs)
        for entry in [*select, *ignore, *severities, *(e for v in per_file.values() for e in v)]:
            if entry != "all" and not any(_match(entry, s) >= 0 for s in catalogue):
                if _names_apply_rejection(entry):
                    raise SelectionError(
                        f'"{entry}" names an apply rejection: kubelint apply always reports '
                        "it and kubelint check never does, so check configuration cannot "
                        "select or ignore it"
                    )
                names = [s.id for s in catalogue] + [s.slug for s in catalogue]
                guess = closest(entry, names)
                hint = f'; did you mean "{guess}"?' if guess else ""
                raise SelectionError(f'"{entry}" names no rule{hint}')
        enabled: set[str] = set()
        for spec in catalogue:
            chosen = (
                max((_match(e, spec) for e in select), default=-1)
                if select
                else (0 if spec.enabled_by_default else -1)
            )
            dropped = max((_match(e, spec) for e in ignore), default=-1)
            if chosen >= 0 and chosen > dropped:
                enabled.add(spec.id)
        levels: dict[str, Severity] = {}
        for spec in catalogue:
            best = max(
                ((_match(e, spec), level) for e, level in severities.items()), default=(-1, "")
            )
            if best[0] >= 0:
                levels[spec.id] = Severity.parse(best[1])
        return cls(frozenset(enabled), levels, tuple((p, tuple(v)) for p, v in per_file.items()))

    def apply(self, finding: Finding) -> Finding | None:
        """The finding as configured (severity), or None when its rule is off for this path."""
        if finding.rule not in self.enabled:
            return None
        for pattern, entries in self.per_file:
            if _path_matches(finding.path, pattern) and any(
                matches(e, finding.rule, finding.name) for e in entries
            ):
                return None
        level = self.severities.get(finding.rule)
        return (
            finding._replace(severity=level)
            if level is not None and level != finding.severity
            else finding
        )


def _path_matches(path: str, pattern: str) -> bool:
    normalised = path.replace("\\", "/").removeprefix("./")
    return fnmatch.fnmatch(normalised, pattern) or fnmatch.fnmatch(normalised, f"*/{pattern}")


@dataclass(frozen=True, slots=True)
class Suppressions:
    """Inline suppressions of one file: 1-based line -> entries, and file-wide entries."""

    lines: dict[int, tuple[str, ...]]
    file: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Suppressions:
        """Read ``# kubelint: disable=...`` comments."""
        if "kubelint:" not in text:
            return _NONE
        lines: dict[int, list[str]] = {}
        file: list[str] = []
        for number, line in enumerate(split_lines(text), 1):
            for match in _COMMENT.finditer(line):
                entries = [e.strip() for e in match.group(2).split(",") if e.strip()]
                kind = match.group(1)
                if kind == "disable-file":
                    file.extend(entries)
                else:
                    target = number + 1 if kind == "disable-next-line" else number
                    lines.setdefault(target, []).extend(entries)
        return cls({k: tuple(v) for k, v in lines.items()}, tuple(file))

    def suppresses(self, finding: Finding) -> bool:
        """Whether an inline comment switches this finding off."""
        entries = (*self.file, *self.lines.get(finding.line, ()))
        return any(matches(e, finding.rule, finding.name) for e in entries)


_NONE = Suppressions({}, ())


def object_ignores(annotations: object) -> tuple[str, ...]:
    """The rules an object's ``kubelint.io/ignore`` annotation switches off."""
    if not isinstance(annotations, dict):
        return ()
    value = annotations.get(IGNORE_ANNOTATION)
    if not isinstance(value, str):
        return ()
    return tuple(e.strip() for e in value.split(",") if e.strip())
