"""Typed reads of loaded values: the mapping, list or scalar at a path, or nothing.

The schema check reports every value of the wrong shape. Rules, templates and the CRD
reader take what they need through these helpers, which answer "nothing" (an empty
mapping or list, or None) for any other shape, so that no type in a manifest can make
them fail. A path is a sequence of keys (str) and list indexes (int).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, Final

_EMPTY: Final[Mapping[str, Any]] = MappingProxyType({})


def at(node: Any, *path: str | int) -> Any:
    """The value at ``path`` below ``node``, or None when the path leaves the tree."""
    for step in path:
        if isinstance(step, str):
            if not isinstance(node, dict):
                return None
            node = node.get(step)
        elif isinstance(node, list) and -len(node) <= step < len(node):
            node = node[step]
        else:
            return None
    return node


def mapping(node: Any, *path: str | int) -> Mapping[str, Any]:
    """The mapping at ``path``; an empty one for anything else."""
    found = at(node, *path)
    return found if isinstance(found, dict) else _EMPTY


def items(node: Any, *path: str | int) -> list[Any]:
    """The list at ``path``; an empty one for anything else."""
    found = at(node, *path)
    return found if isinstance(found, list) else []


def mappings(node: Any, *path: str | int) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """(index, item) of the items of the list at ``path`` that are mappings."""
    for index, item in enumerate(items(node, *path)):
        if isinstance(item, dict):
            yield index, item


def string(node: Any, *path: str | int) -> str | None:
    """The string at ``path``, or None."""
    found = at(node, *path)
    return found if isinstance(found, str) else None


def integer(node: Any, *path: str | int) -> int | None:
    """The integer at ``path`` (booleans are not integers), or None."""
    found = at(node, *path)
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def name(node: Any, default: str = "?") -> str:
    """The ``name`` of a mapping (a container, a volume) for a message; ``default``
    when it has no string name."""
    found = string(node, "name")
    return default if found is None else found


def digits(value: Any) -> int | None:
    """The number a string of ASCII digits spells (``"8080"``), or None; more than 18
    digits are no number any field can hold, and are None too."""
    if isinstance(value, str) and 0 < len(value) <= 18 and value.isascii() and value.isdigit():
        return int(value)
    return None


def int_or_string(value: Any) -> int | str | None:
    """An int-or-string value (a port, a target port): digits as text are the number;
    None for any other shape."""
    if isinstance(value, str):
        number = digits(value)
        return value if number is None else number
    return value if isinstance(value, int) and not isinstance(value, bool) else None
