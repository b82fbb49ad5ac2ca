"""The rule catalogue of a run: core rules, built-in Python rules, data rules, user rules."""

from __future__ import annotations

import functools
import importlib
import os
import pkgutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from kubelint.checks.api import RuleSpec
from kubelint.checks.catalogue import (
    RuleDefinitionError,
    build_spec,
    bundled_rules_dir,
    describe_error,
    read_rule_file,
    rule_paths,
    validate_user_rule,
)
from kubelint.checks.core_catalog import CORE_RULES

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


def _python_rules() -> list[RuleSpec]:
    from kubelint import checks

    found: list[RuleSpec] = []
    for module in _modules(checks.__path__, f"{checks.__name__}."):
        for value in vars(module).values():
            if isinstance(value, RuleSpec):
                found.append(value)
    return found


def _modules(path: Iterable[str], prefix: str) -> Iterator[ModuleType]:
    """Every module below ``path``, in name order, each package followed by its modules."""
    for info in sorted(pkgutil.iter_modules(path, prefix), key=lambda m: m.name):
        module = importlib.import_module(info.name)
        yield module
        if info.ispkg:
            yield from _modules(module.__path__, f"{info.name}.")


def _data_rules(directory: Path, source: str, *, trusted: bool = False) -> list[RuleSpec]:
    try:
        names = sorted(name for name in os.listdir(directory) if name.endswith(".yaml"))
    except OSError as exc:
        raise RuleDefinitionError(f"{directory}: cannot read the folder: {exc.strerror}") from exc
    return [load_data_rule(directory / name, source, trusted=trusted) for name in names]


@functools.cache
def builtin_rules() -> tuple[RuleSpec, ...]:
    """The catalogue shipped with kubelint (core, Python and data rules), ordered by id."""
    specs = [RuleSpec(rule) for rule in CORE_RULES]
    specs.extend(_python_rules())
    for path in rule_paths(bundled_rules_dir()):
        data = read_rule_file(path)
        if "template" in data:
            specs.append(
                build_spec(data, "builtin", checks=lambda name: None, trusted=True, where=str(path))
            )
    _check_unique(specs)
    return tuple(sorted(specs, key=lambda s: s.id))


def catalogue(extra_dirs: Iterable[Path] = ()) -> tuple[RuleSpec, ...]:
    """The built-in rules plus users' rule directories."""
    specs = list(builtin_rules())
    for directory in extra_dirs:
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
