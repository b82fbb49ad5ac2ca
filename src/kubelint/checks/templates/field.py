"""Template ``field``: a condition on one field of an object, its pod spec, or each container.

Parameters: ``target`` (object | pod-spec | container), ``path`` (dotted, relative to the
target), and one condition: ``present``, ``absent``, ``forbid`` (values), ``allow``
(values) or ``pattern`` (RE2 syntax, as Kubernetes reads patterns; matched in linear
time, so no value can make it hang). ``pod-fallback`` names a pod-spec path whose value also
satisfies a container condition (securityContext set for the whole pod). ``message`` may
use ``{container}``, ``{value}`` and ``{path}``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from kubelint.checks.api import ObjectCheck, RuleContext, Violation
from kubelint.checks.templates.base import Template
from kubelint.load import shapes
from kubelint.load.objects import KubeObject, value_at
from kubelint.load.paths import AT_KEY, AT_PARENT, AT_VALUE, Path
from kubelint.schema.go_regex import GoRegex, PatternError

_ABSENT = object()


@dataclass(frozen=True)
class FieldParams:
    """Parameters of the ``field`` template (kebab-case keys in rule files)."""

    __pydantic_config__ = {"extra": "forbid"}  # noqa: RUF012 - read by pydantic, never mutated

    path: str
    message: str
    target: Literal["object", "pod-spec", "container"] = "object"
    present: bool | None = None
    absent: bool | None = None
    forbid: list[Any] | None = None
    allow: list[Any] | None = None
    pattern: str | None = None
    pod_fallback: str | None = None
    init_containers: bool = True
    suggestion: str | None = None

    def __post_init__(self) -> None:
        chosen = [
            n
            for n in ("present", "absent", "forbid", "allow", "pattern")
            if getattr(self, n) is not None
        ]
        if len(chosen) != 1:
            raise ValueError("give exactly one of: present, absent, forbid, allow, pattern")
        if self.pattern is not None:
            try:
                GoRegex(self.pattern)
            except PatternError as exc:
                raise ValueError(f"pattern: {exc}") from exc
        try:
            self.message.format(container="", value="", path="")
        except (KeyError, IndexError, ValueError, AttributeError) as exc:
            raise ValueError(
                f"message: {exc!r}; it may use only {{container}}, {{value}} and {{path}}"
            ) from exc


def _split(path: str) -> Path:
    return tuple(int(p) if p.isdigit() else p for p in path.split(".") if p)


def _lookup(node: Any, path: Path) -> Any:
    return value_at(node, path, _ABSENT)


def _same(value: Any, wanted: Any) -> bool:
    """Equality as in JSON: ``true`` is not ``1``, and ``1`` is ``1.0``."""
    if isinstance(value, bool) or isinstance(wanted, bool):
        return value is wanted
    return bool(value == wanted)


def build(params: FieldParams) -> ObjectCheck:
    """The check for these parameters."""
    path = _split(params.path)
    fallback = _split(params.pod_fallback) if params.pod_fallback else None
    pattern = GoRegex(params.pattern) if params.pattern else None

    def failing(value: Any) -> bool:
        if params.present:
            return value is _ABSENT or value is None
        if params.absent:
            return value is not _ABSENT and value is not None
        if value is _ABSENT or value is None:
            return False
        if params.forbid is not None:
            return any(_same(value, wanted) for wanted in params.forbid)
        if params.allow is not None:
            return not any(_same(value, wanted) for wanted in params.allow)
        return pattern is not None and not (isinstance(value, str) and pattern.search(value))

    def violation(base: Path, value: Any, container: str) -> Violation:
        where = (*base, *path)
        at = (
            AT_PARENT
            if value is _ABSENT or value is None
            else (AT_KEY if params.absent else AT_VALUE)
        )
        if at == AT_PARENT:
            # point at the deepest part of the path that exists
            where = base if not base else (*base, "")
        text = params.message.format(
            container=container, value=str(value) if value is not _ABSENT else "", path=params.path
        )
        return Violation(where, text, params.suggestion, at)

    def check(obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
        if params.target == "object":
            value = _lookup(obj.body, path)
            if failing(value):
                yield violation((), value, "")
            return
        spec_path = obj.pod_spec_path
        spec = obj.pod_spec()
        if spec_path is None or spec is None:
            return
        if params.target == "pod-spec":
            value = _lookup(spec, path)
            if failing(value):
                yield violation(spec_path, value, "")
            return
        pod_value = _lookup(spec, fallback) if fallback is not None else _ABSENT
        for base, container in obj.containers(init=params.init_containers):
            value = _lookup(container, path)
            if (value is _ABSENT or value is None) and pod_value is not _ABSENT:
                value = pod_value
            if failing(value):
                yield violation(base, value, shapes.name(container))

    return check


TEMPLATE = Template(
    "field",
    "A condition on one field of an object, its pod spec or each container.",
    FieldParams,
    build,
)
