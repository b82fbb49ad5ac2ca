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
from kubelint.checks.core_catalog import CORE_RULES, Rule, RuleDoc
from kubelint.load.files import read_file
from kubelint.load.objects import expand_kinds
from kubelint.report.model import Severity


class RuleDefinitionError(Exception):
    """A data rule (``rules/*.yaml`` or a user's) that cannot be used."""


def _validate_rule_file(data: Any) -> dict[str, Any]:
    """Check a user's rule file against the format, with pydantic (imported only here)."""
    from pydantic import BaseModel, ConfigDict, Field

    class DocModel(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)
        what: str
        why: str
        example: str
        use_instead: str = Field(alias="use-instead")

    class ScopeModel(BaseModel):
        model_config = ConfigDict(extra="forbid")
        kinds: list[str] = Field(default_factory=list)

    class DataRuleModel(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)
        id: str = Field(pattern=r"^KL[0-9]{3,}$")
        slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
        severity: str = Field(pattern=r"^(error|warning|info)$")
        summary: str
        scope: ScopeModel = Field(default_factory=ScopeModel)
        template: str
        params: dict[str, Any] = Field(default_factory=dict)
        doc: DocModel
        enabled: bool = True

    dumped: dict[str, Any] = DataRuleModel.model_validate(data).model_dump(by_alias=True)
    return dumped


def bundled_rules_dir() -> Path:
    """Where the data rules shipped with kubelint live."""
    here = Path(__file__).resolve().parent.parent  # the kubelint package
    for candidate in (here / "_data" / "rules", here.parent.parent / "rules"):
        if candidate.is_dir():
            return candidate
    return here / "_data" / "rules"


def load_data_rule(path: Path, source: str, *, trusted: bool = False) -> RuleSpec:
    """Read one data rule file; users' files (not ``trusted``) are validated strictly."""
    from kubelint.checks.templates import all_templates
    from kubelint.load.documents import decode, load_text

    try:
        raw = read_file(str(path))
    except OSError as exc:
        raise RuleDefinitionError(f"{path}: {exc.strerror or exc}") from exc
    text, problem = decode(raw)
    if text is None:
        raise RuleDefinitionError(f"{path}: {problem.message if problem else 'unreadable'}")
    loaded = load_text(text)
    if loaded.problems or len(loaded.documents) != 1:
        raise RuleDefinitionError(f"{path}: a rule file holds exactly one YAML document")
    data: Any = loaded.documents[0].value
    try:
        if not trusted:
            data = _validate_rule_file(data)
        template = all_templates().get(data["template"])
        if template is None:
            known = ", ".join(sorted(all_templates()))
            raise RuleDefinitionError(
                f"{path}: unknown template {data['template']!r} (known: {known})"
            )
        params = template.parse(data.get("params"), trusted=trusted)
        check = template.build(params)
        doc = data["doc"]
        rule = Rule(
            data["id"],
            data["slug"],
            Severity.parse(data["severity"]),
            data["summary"],
            RuleDoc(doc["what"], doc["why"], doc["example"], doc["use-instead"]),
        )
    except RuleDefinitionError:
        raise
    except Exception as exc:  # pydantic's ValidationError, or a malformed trusted file
        raise RuleDefinitionError(f"{path}: {_describe_error(exc)}") from exc
    return RuleSpec(
        rule,
        expand_kinds((data.get("scope") or {}).get("kinds") or []),
        {},
        check=check,
        source=source,
        enabled_by_default=data.get("enabled", True),
        whole_object=getattr(params, "present", None) is True,
    )


def _describe_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    return str(exc)


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
    specs.extend(_data_rules(bundled_rules_dir(), "builtin", trusted=True))
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
