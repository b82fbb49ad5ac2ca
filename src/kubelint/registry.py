"""The rule catalogue of a run: core rules, built-in Python rules, data rules, user rules."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kubelint.catalog import CORE_RULES, Rule, RuleDoc
from kubelint.findings import Severity
from kubelint.objects import expand_kinds
from kubelint.rule_api import RuleSpec


class RuleDefinitionError(Exception):
    """A data rule (``rules/*.yaml`` or a user's) that cannot be used."""


class _DocModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    what: str
    why: str
    example: str
    use_instead: str = Field(alias="use-instead")


class _ScopeModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kinds: list[str] = Field(default_factory=list)


class DataRuleModel(BaseModel):
    """The format of a rule that is data: identity, scope, template, parameters, docs."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    id: str = Field(pattern=r"^KL[0-9]{3,}$")
    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    severity: str = Field(pattern=r"^(error|warning|info)$")
    summary: str
    scope: _ScopeModel = Field(default_factory=_ScopeModel)
    template: str
    params: dict[str, Any] = Field(default_factory=dict)
    doc: _DocModel
    enabled: bool = True


def bundled_rules_dir() -> Path:
    """Where the data rules shipped with kubelint live."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / "rules", here.parent.parent / "rules"):
        if candidate.is_dir():
            return candidate
    return here / "_data" / "rules"


def load_data_rule(path: Path, source: str) -> RuleSpec:
    """Read one data rule file."""
    from kubelint.loader import decode, load_text
    from kubelint.templates import all_templates

    text, problem = decode(path.read_bytes())
    if text is None:
        raise RuleDefinitionError(f"{path}: {problem.message if problem else 'unreadable'}")
    loaded = load_text(text)
    if loaded.problems or len(loaded.documents) != 1:
        raise RuleDefinitionError(f"{path}: a rule file holds exactly one YAML document")
    try:
        model = DataRuleModel.model_validate(loaded.documents[0].value)
    except ValidationError as exc:
        raise RuleDefinitionError(f"{path}: {_first_error(exc)}") from exc
    template = all_templates().get(model.template)
    if template is None:
        known = ", ".join(sorted(all_templates()))
        raise RuleDefinitionError(f"{path}: unknown template {model.template!r} (known: {known})")
    try:
        params = template.params.model_validate(model.params)
    except ValidationError as exc:
        raise RuleDefinitionError(f"{path}: params: {_first_error(exc)}") from exc
    rule = Rule(
        model.id,
        model.slug,
        Severity.parse(model.severity),
        model.summary,
        RuleDoc(model.doc.what, model.doc.why, model.doc.example, model.doc.use_instead),
    )
    return RuleSpec(
        rule,
        expand_kinds(model.scope.kinds),
        {},
        check=template.build(params),
        source=source,
        enabled_by_default=model.enabled,
    )


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]


def _python_rules() -> list[RuleSpec]:
    from kubelint import checks

    found: list[RuleSpec] = []
    for module_info in sorted(pkgutil.iter_modules(checks.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"kubelint.checks.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, RuleSpec):
                found.append(value)
    return found


def _data_rules(directory: Path, source: str) -> list[RuleSpec]:
    return [load_data_rule(path, source) for path in sorted(directory.glob("*.yaml"))]


@functools.cache
def builtin_rules() -> tuple[RuleSpec, ...]:
    """The catalogue shipped with kubelint (core, Python and data rules), ordered by id."""
    specs = [RuleSpec(rule) for rule in CORE_RULES]
    specs.extend(_python_rules())
    specs.extend(_data_rules(bundled_rules_dir(), "builtin"))
    _check_unique(specs)
    return tuple(sorted(specs, key=lambda s: s.id))


def catalogue(extra_dirs: Iterable[Path] = ()) -> tuple[RuleSpec, ...]:
    """The built-in rules plus users' rule directories."""
    specs = list(builtin_rules())
    for directory in extra_dirs:
        if not directory.is_dir():
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
