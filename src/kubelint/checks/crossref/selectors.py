"""Label selectors: a Service's plain map and a ``LabelSelector``, parsed into
requirements, and whether the pods an object makes could meet them.
"""

from __future__ import annotations

import sys
from typing import Any, Final, NamedTuple

from kubelint.checks.crossref.pods import Pods, label_text
from kubelint.load.paths import Path

#: One requirement of a selector: key, operator (``In``, ``NotIn``, ``Exists``,
#: ``DoesNotExist``; a plain label is ``In`` with one value) and values.
Requirement = tuple[str, str, tuple[str, ...]]

_OPERATORS: Final = frozenset({"In", "NotIn", "Exists", "DoesNotExist"})


class Selector(NamedTuple):
    """A parsed selector, with where each requirement is written (mark keys ``req<i>``)."""

    requirements: tuple[Requirement, ...]

    @property
    def empty(self) -> bool:
        """An empty selector: every pod (or, for a Service, none is selected by it)."""
        return not self.requirements

    def matches(self, pods: Pods) -> bool:
        """Whether pods made this way could carry labels this selector selects."""
        return all(satisfies(pods, r) for r in self.requirements)

    def unmet(self, pods: Pods) -> list[int]:
        """The indexes of the requirements these pods do not meet."""
        return [i for i, r in enumerate(self.requirements) if not satisfies(pods, r)]

    def text(self) -> str:
        """The selector as ``kubectl get -l`` would take it."""
        return ",".join(requirement_text(r) for r in self.requirements)


def requirement_text(requirement: Requirement) -> str:
    """One requirement as ``key=value``, ``key in (a,b)``, ``key``, ``!key``."""
    key, operator, values = requirement
    if operator == "In" and len(values) == 1:
        return f"{key}={values[0]}"
    if operator == "In":
        return f"{key} in ({','.join(values)})"
    if operator == "NotIn":
        return f"{key} notin ({','.join(values)})"
    if operator == "Exists":
        return key
    return f"!{key}"


def satisfies(pods: Pods, requirement: Requirement) -> bool:
    """Whether pods made this way could meet one requirement."""
    key, operator, values = requirement
    possible = pods.values(key)
    if operator == "DoesNotExist":
        return possible == ()
    if operator == "Exists":
        return possible != ()
    if operator == "NotIn":
        return possible is None or not possible or not set(possible) <= set(values)
    return possible is None or bool(set(possible) & set(values))


def map_selector(value: Any, path: Path) -> tuple[Selector, dict[str, Path]] | None:
    """A Service's ``selector`` (a plain map), or None when it cannot be read."""
    if not isinstance(value, dict):
        return None
    requirements: list[Requirement] = []
    marks: dict[str, Path] = {}
    for key, raw in value.items():
        text = label_text(raw)
        if not isinstance(key, str) or text is None:
            return None
        marks[f"req{len(requirements)}"] = (*path, key)
        requirements.append((sys.intern(key), "In", (sys.intern(text),)))
    return Selector(tuple(requirements)), marks


def label_selector(value: Any, path: Path) -> tuple[Selector, dict[str, Path]] | None:
    """A ``LabelSelector`` (matchLabels and matchExpressions), or None when unreadable."""
    if not isinstance(value, dict):
        return None
    plain = value.get("matchLabels")
    parsed = map_selector(plain, (*path, "matchLabels")) if plain is not None else None
    if plain is not None and parsed is None:
        return None
    requirements = list(parsed[0].requirements) if parsed else []
    marks = dict(parsed[1]) if parsed else {}
    expressions = value.get("matchExpressions")
    if expressions is not None and not isinstance(expressions, list):
        return None
    for index, expression in enumerate(expressions or []):
        if not isinstance(expression, dict):
            return None
        key, operator, raw_values = (
            expression.get("key"),
            expression.get("operator"),
            expression.get("values") or [],
        )
        if (
            not isinstance(key, str)
            or not isinstance(operator, str)
            or operator not in _OPERATORS
            or not isinstance(raw_values, list)
        ):
            return None
        values = tuple(label_text(v) or "" for v in raw_values)
        marks[f"req{len(requirements)}"] = (*path, "matchExpressions", index, "key")
        requirements.append((key, str(operator), values))
    return Selector(tuple(requirements)), marks
