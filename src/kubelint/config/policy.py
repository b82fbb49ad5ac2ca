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
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from kubelint.checks.api import RuleSpec
from kubelint.config.rule_sets import EMPTY, RuleSet
from kubelint.load.lines import split_lines
from kubelint.report.model import Finding, Severity
from kubelint.schema.suggest import closest

IGNORE_ANNOTATION = "kubelint.io/ignore"
_COMMENT = re.compile(
    r"#\s*kubelint:\s*(disable-next-line|disable-file|disable)\s*=\s*([A-Za-z0-9_,\- ]+)"
)


class SelectionError(ValueError):
    """A select/ignore/severity entry that names no rule."""


def _specificity(entries: AbstractSet[str], spec: RuleSpec) -> int:
    """How specifically the most specific of ``entries`` names the rule: -1 not at all,
    1000 by id or slug, else the length of the id prefix (looked up, not scanned: a
    configuration may list many entries)."""
    if spec.id in entries or spec.slug in entries:
        return 1000
    for end in range(len(spec.id), 0, -1):
        prefix = spec.id[:end]
        if prefix in entries and prefix.upper() == prefix:
            return end
    return -1


def _level(severities: dict[str, str], spec: RuleSpec) -> str | None:
    """The level the most specific entry of ``severities`` gives the rule (of the id and
    the slug, both most specific, the greater level string, as before)."""
    exact = [severities[name] for name in (spec.id, spec.slug) if name in severities]
    if exact:
        return max(exact)
    for end in range(len(spec.id), 0, -1):
        prefix = spec.id[:end]
        if prefix in severities and prefix.upper() == prefix:
            return severities[prefix]
    return None


def _unknown(entries: Iterable[str], catalogue: list[RuleSpec]) -> str | None:
    """The first entry that names no rule of the catalogue, if any."""
    known = {name for spec in catalogue for name in (spec.id, spec.slug)}
    prefixes = {spec.id[:end] for spec in catalogue for end in range(1, len(spec.id) + 1)}
    for entry in entries:
        prefix = entry.upper() == entry and entry in prefixes
        if entry != "all" and entry not in known and not prefix:
            return entry
    return None


def _names_any(entry: str, specs: Iterable[RuleSpec]) -> bool:
    """Whether ``entry`` names one of ``specs`` by id, id prefix or slug."""
    return any(
        entry in (s.id, s.slug) or (entry.isupper() and s.id.startswith(entry)) for s in specs
    )


@dataclass(frozen=True, slots=True)
class Policy:
    """The decisions of a run, computed once from the configuration."""

    enabled: frozenset[str]
    severities: dict[str, Severity] = field(default_factory=dict)
    per_file: tuple[tuple[str, RuleSet], ...] = ()
    #: per path, the ignores of the per-file patterns it matches (patterns are matched
    #: once per file, not once per finding)
    _paths: dict[str, tuple[RuleSet, ...]] = field(default_factory=dict, compare=False, repr=False)

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
        every_rule = list(specs)
        catalogue = [spec for spec in every_rule if spec.checked]
        every = [*select, *ignore, *severities, *(e for v in per_file.values() for e in v)]
        entry = _unknown(every, catalogue)
        if entry is not None and _names_any(entry, (s for s in every_rule if not s.checked)):
            raise SelectionError(
                f'"{entry}" names an apply rejection: kubelint apply always reports '
                "it and kubelint check never does, so check configuration cannot "
                "select or ignore it"
            )
        if entry is not None:
            names = [s.id for s in catalogue] + [s.slug for s in catalogue]
            guess = closest(entry, names)
            hint = f'; did you mean "{guess}"?' if guess else ""
            raise SelectionError(f'"{entry}" names no rule{hint}')
        selected, ignored = frozenset(select), frozenset(ignore)
        enabled: set[str] = set()
        for spec in catalogue:
            chosen = (
                _specificity(selected, spec) if select else (0 if spec.enabled_by_default else -1)
            )
            if chosen >= 0 and chosen > _specificity(ignored, spec):
                enabled.add(spec.id)
        levels: dict[str, Severity] = {}
        for spec in catalogue:
            level = _level(severities, spec)
            if level is not None:
                levels[spec.id] = Severity.parse(level)
        ignores = tuple((p, RuleSet.of(v)) for p, v in per_file.items())
        return cls(frozenset(enabled), levels, ignores)

    def apply(self, finding: Finding) -> Finding | None:
        """The finding as configured (severity), or None when its rule is off for this path."""
        if finding.rule not in self.enabled:
            return None
        if self.per_file:
            path = finding.path
            ignores = self._paths.get(path)
            if ignores is None:
                ignores = tuple(r for p, r in self.per_file if _path_matches(path, p))
                self._paths[path] = ignores
            if any(rules.matches(finding.rule, finding.name) for rules in ignores):
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
    _line_sets: dict[int, RuleSet] = field(default_factory=dict, compare=False, repr=False)
    _file_set: RuleSet = field(default=EMPTY, compare=False, repr=False)

    def __post_init__(self) -> None:
        # looked up per finding: sets, whatever the number of entries
        object.__setattr__(self, "_file_set", RuleSet.of(self.file))
        sets = {line: RuleSet.of(entries) for line, entries in self.lines.items()}
        object.__setattr__(self, "_line_sets", sets)

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
        if self._file_set.matches(finding.rule, finding.name):
            return True
        on_line = self._line_sets.get(finding.line)
        return on_line is not None and on_line.matches(finding.rule, finding.name)


_NONE = Suppressions({}, ())


def object_ignores(annotations: object) -> RuleSet:
    """The rules an object's ``kubelint.io/ignore`` annotation switches off."""
    if not isinstance(annotations, dict):
        return EMPTY
    value = annotations.get(IGNORE_ANNOTATION)
    if not isinstance(value, str):
        return EMPTY
    return RuleSet.of(value.split(","))
