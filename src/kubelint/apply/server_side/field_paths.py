"""Field paths of server-side apply, and the FieldsV1 trees of ``metadata.managedFields``.

A path is a tuple of path elements, each written as FieldsV1 writes it
(sigs.k8s.io/structured-merge-diff, ``fieldpath/serialize-pe.go``):

* ``f:<name>``: a field of a struct or a key of a map;
* ``k:<json>``: the item of an associative list with these key fields (JSON object,
  keys sorted, as ``{"containerPort":80,"protocol":"TCP"}``);
* ``v:<json>``: the item of a set (a list of scalars) with this value;
* ``i:<n>``: the item at a position.

A field set is a plain set of paths: its *members*. In the FieldsV1 tree (``f:spec:
{f:replicas: {}}``) an empty object marks a member and a ``.`` key marks a node that is
a member and has members below it (``fieldpath/serialize.go``). Set operations are
Python's; :func:`recursive_difference` adds the one a plain set lacks, and
:class:`Trie` walks a set level by level as the typed operations need.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from kubelint.apply.values import JSON, go_json, go_text

FIELD: Final = "f:"
KEY: Final = "k:"
VALUE: Final = "v:"
INDEX: Final = "i:"
SELF: Final = "."

PathElement = str
Path = tuple[PathElement, ...]
FieldSet = frozenset[Path]

EMPTY: Final[FieldSet] = frozenset()


class FieldsError(ValueError):
    """A FieldsV1 tree that structured-merge-diff cannot read."""


def field_element(name: str) -> PathElement:
    """``f:name``."""
    return FIELD + name


def key_element(fields: Mapping[str, JSON]) -> PathElement:
    """``k:{...}`` with the key fields sorted by name, as FieldsV1 writes them."""
    return KEY + go_json(dict(fields))


def value_element(value: JSON) -> PathElement:
    """``v:<json>``."""
    return VALUE + go_json(value)


def index_element(position: int) -> PathElement:
    """``i:<n>``."""
    return INDEX + str(position)


def field_name(element: PathElement) -> str | None:
    """The name of an ``f:`` element, else None."""
    return element[2:] if element.startswith(FIELD) else None


def canonical(element: str) -> PathElement | None:
    """An element as this module writes it; None for a kind FieldsV1 does not know.

    structured-merge-diff skips element kinds it does not know (a later version may) and
    fails on a known kind whose content does not parse.
    """
    if len(element) < 2 or element[1] != ":":
        raise FieldsError(f"path element {element!r}: missing colon")
    kind, body = element[:2], element[2:]
    if kind == FIELD:
        return element
    if kind == INDEX:
        try:
            return index_element(int(body))
        except ValueError as exc:
            raise FieldsError(f"path element {element!r}: not an index") from exc
    if kind not in (KEY, VALUE):
        return None
    try:
        parsed = json.loads(body)
    except ValueError as exc:
        raise FieldsError(f"path element {element!r}: {exc}") from exc
    if kind == KEY:
        if not isinstance(parsed, dict):
            raise FieldsError(f"path element {element!r}: the key is not a JSON object")
        return key_element(parsed)
    return value_element(parsed)


def from_fields_v1(tree: JSON) -> FieldSet:
    """The members of a FieldsV1 tree (``fieldsV1`` of a managedFields entry)."""
    if not isinstance(tree, dict):
        raise FieldsError("fieldsV1 is not a JSON object")
    out: set[Path] = set()
    _read(tree, (), out)
    return frozenset(out)


def _read(tree: dict[str, Any], prefix: Path, out: set[Path]) -> None:
    for raw, child in tree.items():
        if raw == SELF:
            continue
        element = canonical(raw)
        if element is None:
            continue
        if not isinstance(child, dict):
            raise FieldsError(f"{render((*prefix, element))}: not a JSON object")
        path = (*prefix, element)
        if not child or SELF in child:
            out.add(path)
        _read(child, path, out)


def to_fields_v1(paths: Iterable[Path]) -> dict[str, JSON]:
    """The FieldsV1 tree of a field set, ordered as structured-merge-diff writes it."""
    root = Trie.of(paths)
    return _write(root, include_self=False)


def _write(node: Trie, include_self: bool) -> dict[str, JSON]:
    out: dict[str, JSON] = {}
    if include_self:
        out[SELF] = {}
    for element in sorted(node.members | node.children.keys(), key=element_order):
        child = node.children.get(element)
        if child is None:
            out[element] = {}
        else:
            out[element] = _write(child, include_self=element in node.members)
    return out


@dataclass(slots=True)
class Trie:
    """A field set as a tree: the members at this level and the sets below each element."""

    members: set[PathElement] = field(default_factory=set)
    children: dict[PathElement, Trie] = field(default_factory=dict)

    @classmethod
    def of(cls, paths: Iterable[Path]) -> Trie:
        """The tree of ``paths`` (the empty path, "the whole object", is never a member)."""
        root = cls()
        for path in paths:
            if not path:
                continue
            node = root
            for element in path[:-1]:
                node = node.children.setdefault(element, cls())
            node.members.add(path[-1])
        return root

    def has(self, element: PathElement) -> bool:
        """Is ``element`` (one level) a member?"""
        return element in self.members

    def below(self, element: PathElement) -> Trie | None:
        """The set under ``element``, prefix removed (None when empty)."""
        return self.children.get(element)


def recursive_difference(paths: Iterable[Path], removed: Iterable[Path]) -> set[Path]:
    """``paths`` without the members of ``removed`` and everything below them."""
    gone = set(removed)
    return {p for p in paths if not any(p[:n] in gone for n in range(1, len(p) + 1))}


def has_ancestor(path: Path, paths: set[Path] | frozenset[Path]) -> bool:
    """Is a proper prefix of ``path`` a member of ``paths``?"""
    return any(path[:n] in paths for n in range(1, len(path)))


def top_most(paths: Iterable[Path]) -> list[Path]:
    """The paths that have no ancestor among the others, in FieldsV1 order."""
    present = set(paths)
    return sorted((p for p in present if not has_ancestor(p, present)), key=path_order)


# ---------------------------------------------------------------------------------------
# Order (fieldpath/element.go: fields, then keys, then values, then indexes)

_KINDS: Final = {FIELD: 0, KEY: 1, VALUE: 2, INDEX: 3}


def element_order(element: PathElement) -> tuple[Any, ...]:
    """A sort key putting elements in structured-merge-diff's order."""
    kind, body = element[:2], element[2:]
    rank = _KINDS.get(kind, 4)
    if kind == FIELD:
        return (rank, body)
    if kind == INDEX:
        return (rank, int(body))
    if kind == KEY:
        parsed = json.loads(body)
        return (rank, tuple((name, _value_order(parsed[name])) for name in sorted(parsed)))
    return (rank, _value_order(json.loads(body)))


def path_order(path: Path) -> tuple[tuple[Any, ...], ...]:
    """A sort key for whole paths."""
    return tuple(element_order(e) for e in path)


def _value_order(value: JSON) -> tuple[Any, ...]:
    """value.Compare's order: numbers, strings, booleans, lists, maps, null."""
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, int | float):
        number = float(value)
        return (0, -math.inf if math.isnan(number) else number)
    if isinstance(value, str):
        return (1, value)
    if isinstance(value, list):
        return (3, tuple(_value_order(v) for v in value))
    if isinstance(value, dict):
        return (4, tuple((k, _value_order(value[k])) for k in sorted(value)))
    return (5,)


# ---------------------------------------------------------------------------------------
# Display


def render_element(element: PathElement, first: bool = False) -> str:
    """One element as it reads in a path (see :func:`render`)."""
    kind, body = element[:2], element[2:]
    if kind == FIELD:
        if body and all(c.isalnum() or c in "-_" for c in body):
            return body if first else "." + body
        return f"[{json.dumps(body, ensure_ascii=False)}]"
    if kind == KEY:
        parsed = json.loads(body)
        return "[" + ",".join(f"{k}={go_text(parsed[k])}" for k in sorted(parsed)) + "]"
    if kind == VALUE:
        return f"[={go_text(json.loads(body))}]"
    if kind == INDEX:
        return f"[{body}]"
    return f"[{element}]"


def render(path: Path) -> str:
    """``spec.template.spec.containers[name=web].image``; odd field names as ``["a/b"]``;
    set items as ``finalizers[=example.com/x]``; positions as ``args[0]``."""
    return "".join(render_element(e, first=not i) for i, e in enumerate(path)) or "(object)"
