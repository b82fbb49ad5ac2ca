"""What a rule is: its identity, its scope, its options and its check.

Two shapes, as in kube-linter: a *template* is parameterised check logic written once in
Python (``kubelint.checks.templates``), and a rule built from it is data (a YAML file in
``rules/``, or a user's own directory). Rules that need more than a template are Python
modules in ``kubelint.checks``. Either way a rule reports at object paths and the engine
maps them to positions, suppressions, configured severities and fixes.

Cross-object rules split in two: ``collect`` runs next to the object (in a worker) and
returns small picklable facts with positions already resolved; ``check`` runs once over
the facts of the whole run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from kubelint.config.rule_sets import EMPTY, RuleSet
from kubelint.load.documents import PackedMark
from kubelint.load.objects import KubeObject
from kubelint.load.paths import AT_VALUE, Path
from kubelint.report.model import ObjectRef, Severity
from kubelint.rules.rule import Rule

Safety = Literal["safe", "unsafe", "display-only"]


class TextEdit(NamedTuple):
    """Replace ``old`` at a 0-based (line, column) with ``new`` (one line, exact text)."""

    line: int
    column: int
    old: str
    new: str


class Fix(NamedTuple):
    """A remedy: edits to the file, a title in the imperative, and how safe it is."""

    title: str
    edits: tuple[TextEdit, ...]
    safety: Safety = "safe"


class FixSpec(NamedTuple):
    """A fix as a rule states it: replace the key or the value token at ``path``."""

    title: str
    path: Path
    target: Literal["key", "value"]
    new_text: str
    safety: Safety = "safe"


class Violation(NamedTuple):
    """What a rule found, at an object path."""

    path: Path
    message: str
    suggestion: str | None = None
    at: str = AT_VALUE
    fix: FixSpec | None = None


class RuleContext(NamedTuple):
    """Run-wide facts a check may need."""

    kubernetes_version: str
    namespace: str
    strict_refs: bool = False


#: An object check: yields violations for one object.
ObjectCheck = Callable[[KubeObject, Mapping[str, Any], RuleContext], Iterator[Violation]]


class Fact(NamedTuple):
    """Something cross-object rules collected from one object, with positions resolved.

    ``rules`` are the rules that collected it: rules that read the same thing of an
    object (the pods of a workload) share one fact.
    """

    rules: tuple[str, ...]
    path: str
    object_ref: ObjectRef
    group: str
    kind: str
    namespace: str | None
    name: str | None
    data: Any
    marks: Mapping[str, PackedMark] = {}  # by mark key (read with loader.mark_of)
    fields: Mapping[str, str] = {}
    ignored: RuleSet = EMPTY  # what the object's kubelint.io/ignore annotation names


class CrossViolation(NamedTuple):
    """What a cross-object rule found: at a fact's position."""

    fact: Fact
    mark_key: str  # which of the fact's marks to point at
    message: str
    suggestion: str | None = None
    severity: Severity | None = None  # a rule may downgrade one finding (e.g. maybe a typo)


CollectFn = Callable[
    [KubeObject, Mapping[str, Any], RuleContext],
    Iterator[tuple[Any, dict[str, Path], dict[str, str]]],
]
CrossCheck = Callable[[list[Fact], Mapping[str, Any], RuleContext], Iterator[CrossViolation]]


#: The types an option may have, as rule files name them.
OptionType = Literal["bool", "int", "string", "string-list"]


class OptionSpec(NamedTuple):
    """An option of a rule, as its rule file declares it: name, type, default, doc."""

    name: str
    type: OptionType
    default: Any
    doc: str = ""


class CheckFunctions(NamedTuple):
    """What a Python check registers under its name: an object check, or a collector and a
    run-wide check."""

    check: ObjectCheck | None = None
    collect: CollectFn | None = None
    cross_check: CrossCheck | None = None


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A catalogue rule: a :class:`Rule` plus scope, option defaults and the check."""

    rule: Rule
    kinds: frozenset[str] = frozenset()
    options: Mapping[str, Any] = field(default_factory=dict)
    check: ObjectCheck | None = None
    collect: CollectFn | None = None
    cross_check: CrossCheck | None = None
    source: str = "builtin"
    enabled_by_default: bool = True
    whole_object: bool = False  # reports what is absent: not run on partial objects (patches)
    #: (group, kind) of custom resources the rule reads even when the run has no CRD for
    #: them (it checks no schema, only fields the rule knows)
    custom_kinds: frozenset[tuple[str, str]] = frozenset()
    #: ``check`` for the rules ``kubelint check`` runs; otherwise the stage of the pipeline
    #: that reports the rule itself (``load``, ``schema``, ``run``, ``apply``)
    stage: str = "check"
    #: the options as the rule file declares them (types and docs; ``options`` holds the
    #: defaults)
    option_specs: tuple[OptionSpec, ...] = ()
    #: the name of the Python check that implements the rule, if one does
    check_name: str | None = None

    @property
    def checked(self) -> bool:
        """Whether ``kubelint check`` reports the rule (every stage but ``apply``): the
        others are what ``kubelint apply`` reports, which check configuration cannot name."""
        return self.stage != "apply"

    @property
    def id(self) -> str:
        """The rule id (``KL0xx``)."""
        return self.rule.id

    @property
    def slug(self) -> str:
        """The rule slug."""
        return self.rule.slug


#: What each option type takes, in words (for messages and docs).
OPTION_TYPE_WORDS: Mapping[str, str] = {
    "bool": "true or false",
    "int": "a whole number",
    "string": "a string",
    "string-list": "a list of strings",
}


def option_problem(option_type: OptionType, value: Any) -> str | None:
    """What is wrong with ``value`` for an option of ``option_type`` (None: fine)."""
    if option_type == "bool":
        fits = isinstance(value, bool)
    elif option_type == "int":
        fits = isinstance(value, int) and not isinstance(value, bool)
    elif option_type == "string":
        fits = isinstance(value, str)
    else:
        fits = isinstance(value, list) and all(isinstance(item, str) for item in value)
    return None if fits else f"expected {OPTION_TYPE_WORDS[option_type]}, got {_shown(value)}"


def _shown(value: Any) -> str:
    import json

    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


#: Every Python check, by the name rule files give it (``<family>.<slug>``); filled as the
#: check modules are imported (:func:`kubelint.checks.registry.python_checks`).
_CHECKS: dict[str, CheckFunctions] = {}


def _register(name: str, functions: CheckFunctions) -> None:
    if name in _CHECKS and _CHECKS[name] != functions:
        raise ValueError(f"two Python checks are named {name!r}")
    _CHECKS[name] = functions


def registered_checks() -> Mapping[str, CheckFunctions]:
    """The Python checks registered so far, by name."""
    return _CHECKS


def object_check(name: str) -> Callable[[ObjectCheck], ObjectCheck]:
    """Decorator: register a check of one object under ``name``, the name its rule file
    gives in ``check:`` (the rule's identity, scope, options and doc are in that file)."""

    def wrap(check: ObjectCheck) -> ObjectCheck:
        _register(name, CheckFunctions(check=check))
        return check

    return wrap


def cross_objects_check(name: str, collect: CollectFn) -> Callable[[CrossCheck], CrossCheck]:
    """Decorator: register a run-wide check and the collector that feeds it (one call per
    object, in a worker) under ``name``, the name its rule file gives in ``check:``."""

    def wrap(check: CrossCheck) -> CrossCheck:
        _register(name, CheckFunctions(collect=collect, cross_check=check))
        return check

    return wrap
