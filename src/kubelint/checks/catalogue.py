"""Rule files: one YAML document per rule, in family folders of ``rules/``, read into specs.

Every rule of kubelint is a file of the same shape (``docs/rule-files.md``): its
identity, severity, summary, scope, what implements it and its documentation. What
implements it is one of

- ``template`` + ``params``: a data rule, built from a template (users' rules too);
- ``check``: the name under which a Python check registers (``kubelint.checks``);
- ``stage``: a stage of the pipeline that reports it itself (``load``, ``schema``, ``run``
  for the core rules; ``apply`` for what ``kubelint apply`` reports as refused).

Users' files are validated strictly (pydantic, template and nothing else); the bundled
ones are trusted and read from a compiled index (:mod:`kubelint.rules.index`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from kubelint.checks.api import CheckFunctions, OptionSpec, RuleSpec
from kubelint.load.files import read_file
from kubelint.load.objects import expand_kinds
from kubelint.rules.index import rule_of

#: The stages of the pipeline that report rules of their own (no check, no template).
STAGES: Final = ("load", "schema", "run", "apply")

#: The stage of rules that ``kubelint check`` runs (a check or a template).
CHECK_STAGE: Final = "check"


class RuleDefinitionError(Exception):
    """A rule file (``rules/**.yaml`` or a user's) that cannot be used."""


def bundled_rules_dir() -> Path:
    """Where the rule files shipped with kubelint live (family folders)."""
    here = Path(__file__).resolve().parent.parent  # the kubelint package
    for candidate in (here / "_data" / "rules", here.parent.parent / "rules"):
        if candidate.is_dir():
            return candidate
    return here / "_data" / "rules"


def rule_paths(root: Path) -> Iterator[Path]:
    """The rule files below ``root``: its family folders in name order, files in name order."""
    for family in sorted(entry for entry in os.listdir(root) if (root / entry).is_dir()):
        for name in sorted(os.listdir(root / family)):
            if name.endswith(".yaml"):
                yield root / family / name


def read_rule_file(path: Path) -> Any:
    """The one YAML document of a rule file, as plain data."""
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
    return loaded.documents[0].value


def compile_index(root: Path) -> str:
    """The index of the rule files below ``root`` (:mod:`kubelint.rules.index`), as JSON
    text: one entry per file, in family and file order, each with its ``family``."""
    entries = [{"family": path.parent.name, **read_rule_file(path)} for path in rule_paths(root)]
    return json.dumps(entries, indent=1, ensure_ascii=False) + "\n"


def validate_user_rule(data: Any) -> dict[str, Any]:
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


def build_spec(
    data: Mapping[str, Any],
    source: str,
    *,
    checks: Callable[[str], CheckFunctions | None],
    trusted: bool,
    where: str,
) -> RuleSpec:
    """The rule a (parsed) rule file describes; ``checks`` finds a Python check by name."""
    try:
        return _build(data, source, checks, trusted)
    except RuleDefinitionError as exc:
        raise RuleDefinitionError(f"{where}: {exc}") from exc
    except Exception as exc:  # pydantic's ValidationError, or a malformed trusted file
        raise RuleDefinitionError(f"{where}: {describe_error(exc)}") from exc


def _build(
    data: Mapping[str, Any],
    source: str,
    checks: Callable[[str], CheckFunctions | None],
    trusted: bool,
) -> RuleSpec:
    rule = rule_of(data)
    scope = data.get("scope") or {}
    options = {
        name: OptionSpec(name, option["type"], option["default"], option.get("doc", ""))
        for name, option in (data.get("options") or {}).items()
    }
    common: dict[str, Any] = {
        "kinds": expand_kinds(scope.get("kinds") or []),
        "options": {name: option.default for name, option in options.items()},
        "option_specs": tuple(options.values()),
        "source": source,
        "enabled_by_default": data.get("enabled", True),
        "custom_kinds": frozenset((c["group"], c["kind"]) for c in scope.get("custom-kinds") or ()),
    }
    whole_object = bool(scope.get("whole-object", False))
    if "template" in data:
        from kubelint.checks.templates import all_templates

        template = all_templates().get(data["template"])
        if template is None:
            known = ", ".join(sorted(all_templates()))
            raise RuleDefinitionError(f"unknown template {data['template']!r} (known: {known})")
        params = template.parse(data.get("params"), trusted=trusted)
        whole_object = whole_object or getattr(params, "present", None) is True
        return RuleSpec(rule, check=template.build(params), whole_object=whole_object, **common)
    if "check" in data:
        found = checks(data["check"])
        if found is None:
            raise RuleDefinitionError(f"no Python check is named {data['check']!r}")
        return RuleSpec(
            rule,
            check=found.check,
            collect=found.collect,
            cross_check=found.cross_check,
            whole_object=whole_object,
            check_name=data["check"],
            **common,
        )
    stage = data.get("stage")
    if stage not in STAGES:
        raise RuleDefinitionError(
            f"a rule names a template, a check, or a stage ({', '.join(STAGES)})"
        )
    return RuleSpec(rule, stage=stage, **common)


def describe_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    return str(exc)
