"""The rule catalogue of a run: the rules shipped with kubelint, and users' rule folders.

One lookup for every consumer: ``kubelint rules`` and ``explain``, ``docs/rules.md``, the
policy, SARIF. A rule's ``stage`` says which command reports it.
"""

from __future__ import annotations

import functools
import importlib
import os
import pkgutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kubelint.checks.api import CheckFunctions, RuleSpec, registered_checks
from kubelint.checks.catalogue import (
    RuleDefinitionError,
    build_spec,
    bundled_rules_dir,
    describe_error,
    read_rule_file,
    validate_user_rule,
)
from kubelint.rules import index

__all__ = ["RuleDefinitionError", "builtin_rules", "bundled_rules_dir", "catalogue", "find"]


def load_data_rule(path: Path, source: str, *, trusted: bool = False) -> RuleSpec:
    """Read one data rule file; users' files (not ``trusted``) are validated strictly."""
    data: Any = read_rule_file(path)
    if not trusted:
        try:
            data = validate_user_rule(data)
        except Exception as exc:  # pydantic's ValidationError
            raise RuleDefinitionError(f"{path}: {describe_error(exc)}") from exc
    return build_spec(data, source, checks=lambda name: None, trusted=trusted, where=str(path))


def _import_below(path: Iterable[str], prefix: str) -> None:
    """Import every module below ``path``, in name order (a package before its modules)."""
    for info in sorted(pkgutil.iter_modules(path, prefix), key=lambda m: m.name):
        module = importlib.import_module(info.name)
        if info.ispkg:
            _import_below(module.__path__, f"{info.name}.")


def _data_rules(directory: Path, source: str, *, trusted: bool = False) -> list[RuleSpec]:
    try:
        names = sorted(name for name in os.listdir(directory) if name.endswith(".yaml"))
    except OSError as exc:
        raise RuleDefinitionError(f"{directory}: cannot read the folder: {exc.strerror}") from exc
    return [load_data_rule(directory / name, source, trusted=trusted) for name in names]


def python_checks() -> Mapping[str, CheckFunctions]:
    """Every Python check by the name rule files give it: the check modules below
    ``kubelint.checks`` register theirs when imported."""
    from kubelint import checks

    _import_below(checks.__path__, f"{checks.__name__}.")
    return registered_checks()


@functools.cache
def builtin_rules() -> tuple[RuleSpec, ...]:
    """Every rule shipped with kubelint, ordered by id: those ``kubelint check`` reports
    (core, Python and data rules) and those ``kubelint apply`` reports (stage ``apply``).

    Read from the compiled index of ``rules/``; a rule file that names a Python check
    that does not exist, or a Python check that no rule file names, is an error.
    """
    checks = python_checks()
    named: set[str] = set()

    def check(name: str) -> CheckFunctions | None:
        named.add(name)
        return checks.get(name)

    specs = [
        build_spec(entry, "builtin", checks=check, trusted=True, where=_where(entry))
        for entry in index.read_index()
    ]
    unnamed = sorted(set(checks) - named)
    if unnamed:
        raise RuleDefinitionError(f"no rule file names the Python checks {', '.join(unnamed)}")
    _check_unique(specs)
    return tuple(sorted(specs, key=lambda s: s.id))


def _where(entry: dict[str, Any]) -> str:
    return f"rules/{entry.get('family')}/{entry.get('slug')}.yaml"


def catalogue(extra_dirs: Iterable[Path] = ()) -> tuple[RuleSpec, ...]:
    """The built-in rules plus users' rule directories.

    Read once per process for as long as the folders' rule files stay as they were: the
    options, each worker's context and the cross-object step of a run (and the language
    server on every edit) all ask, and users' files are validated with pydantic.
    """
    directories = tuple(Path(d) for d in extra_dirs)
    return _catalogue(directories, _stamp(directories))


def _stamp(directories: tuple[Path, ...]) -> tuple[tuple[str, int, int], ...]:
    """What identifies the rule files of ``directories`` as they are now (names, mtimes,
    sizes); a folder that cannot be listed leaves the reading to report it."""
    stamp: list[tuple[str, int, int]] = []
    for directory in directories:
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    if entry.name.endswith(".yaml"):
                        info = entry.stat()
                        stamp.append((entry.path, info.st_mtime_ns, info.st_size))
        except OSError:
            stamp.append((str(directory), -1, -1))
    return tuple(sorted(stamp))


@functools.lru_cache(maxsize=8)
def _catalogue(
    directories: tuple[Path, ...], stamp: tuple[tuple[str, int, int], ...]
) -> tuple[RuleSpec, ...]:
    """:func:`catalogue`, read; ``stamp`` is only part of the cache key."""
    specs = list(builtin_rules())
    for directory in directories:
        if not os.path.isdir(directory):
            raise RuleDefinitionError(f"{directory}: not a directory of rules")
        specs.extend(_data_rules(directory, str(directory)))
    _check_unique(specs)
    return tuple(sorted(specs, key=lambda s: s.id))


def _check_unique(specs: list[RuleSpec]) -> None:
    seen: dict[str, str] = {}
    for spec in specs:
        for key in (spec.id, spec.slug):
            if key in seen:
                raise RuleDefinitionError(
                    f"rule {key} is defined twice ({seen[key]} and {spec.source})"
                )
            seen[key] = spec.source


def find(specs: Iterable[RuleSpec], key: str) -> RuleSpec | None:
    """The rule with this id or slug."""
    for spec in specs:
        if key in (spec.id, spec.slug):
            return spec
    return None
