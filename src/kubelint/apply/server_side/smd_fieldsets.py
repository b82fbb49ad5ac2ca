"""Field sets of typed values: what a configuration sets, what changes, what is removed.

The typed operations of sigs.k8s.io/structured-merge-diff that speak in field sets
(see :mod:`kubelint.apply.server_side.field_paths`): :func:`field_set` (``typed/tofieldset.go``),
:func:`compare` (``typed/compare.go``), :func:`remove_items` (``typed/remove.go``),
:func:`ensure_named_fields` (``fieldpath/set.go``), and :func:`value_at`, the value a
path names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kubelint.apply.server_side import field_paths as fp
from kubelint.apply.server_side.field_paths import FieldSet, Path, Trie
from kubelint.apply.server_side.smd_types import (
    MISSING,
    InvalidValue,
    SmdType,
    concrete,
    index_items,
    item_element,
    smd_equal,
)


def field_set(value: Any, t: SmdType) -> set[Path]:
    """The fields a configuration sets (typed/tofieldset.go).

    Scalars, atomic lists and maps, list items and map keys are members; struct fields
    are not (only what they hold), nor an empty granular map.
    """
    out: set[Path] = set()
    _field_set(value, t, (), out)
    out.discard(())
    return out


def _field_set(value: Any, t: SmdType, path: Path, out: set[Path]) -> None:
    atom = concrete(t, value)
    if atom.shape == "scalar":
        out.add(path)
    elif atom.shape == "list":
        if atom.atomic:
            out.add(path)
        elif isinstance(value, list):
            order, items = index_items(atom, value, path)
            for element in order:
                _field_set(items[element], atom.element(), (*path, element), out)
                out.add((*path, element))
    elif atom.atomic and atom.shape in ("struct", "map"):
        out.add(path)
    elif isinstance(value, dict):
        for key, child in value.items():
            child_type, declared = atom.field(key)
            here = (*path, fp.field_element(key))
            _field_set(child, child_type, here, out)
            if not declared:
                out.add(here)


@dataclass(slots=True)
class Comparison:
    """Fields removed, modified and added from one object to another (typed/compare.go)."""

    removed: set[Path] = field(default_factory=set)
    modified: set[Path] = field(default_factory=set)
    added: set[Path] = field(default_factory=set)

    def exclude(self, ignored: FieldSet) -> Comparison:
        """Without the ignored fields and what is below them."""
        if not ignored:
            return self
        return Comparison(
            fp.recursive_difference(self.removed, ignored),
            fp.recursive_difference(self.modified, ignored),
            fp.recursive_difference(self.added, ignored),
        )


def compare(lhs: Any, rhs: Any, t: SmdType) -> Comparison:
    """What changes from ``lhs`` to ``rhs``."""
    out = Comparison()
    _compare(lhs, rhs, t, (), out)
    for found in (out.removed, out.modified, out.added):
        found.discard(())
    return out


def _compare(lhs: Any, rhs: Any, t: SmdType, path: Path, out: Comparison) -> None:
    if lhs is MISSING and rhs is MISSING:
        return
    atom_lhs, atom_rhs = concrete(t, lhs), concrete(t, rhs)
    if rhs is MISSING:
        leaf = _compare_as(atom_lhs, lhs, rhs, path, out)
    elif lhs is MISSING or atom_lhs.shape == atom_rhs.shape:
        leaf = _compare_as(atom_rhs, lhs, rhs, path, out)
    else:
        # values of two shapes: each side walked as its own shape against nothing
        _compare_as(atom_lhs, lhs, rhs, path, out)
        leaf = _compare_as(atom_rhs, lhs, rhs, path, out)
    if not leaf:
        if lhs is MISSING:
            out.added.add(path)
        elif rhs is MISSING:
            out.removed.add(path)


def _compare_leaf(lhs: Any, rhs: Any, path: Path, out: Comparison) -> bool:
    if lhs is MISSING:
        out.added.add(path)
    elif rhs is MISSING:
        out.removed.add(path)
    elif not smd_equal(lhs, rhs):
        out.modified.add(path)
    return True


def _compare_as(t: SmdType, lhs: Any, rhs: Any, path: Path, out: Comparison) -> bool:
    """Compare as type ``t``; True when the node was a leaf."""
    if t.shape == "scalar":
        return _compare_leaf(lhs, rhs, path, out)
    if t.shape == "list":
        left = lhs if isinstance(lhs, list) else None
        right = rhs if isinstance(rhs, list) else None
        if t.atomic or (_empty(left) and _empty(right)):
            return _compare_leaf(lhs, rhs, path, out)
        left_order, left_items = index_items(t, left or [], path)
        right_order, right_items = index_items(t, right or [], path)
        for element in right_order:
            _compare(
                left_items.get(element, MISSING), right_items[element], t.element(),
                (*path, element), out,
            )  # fmt: skip
        for element in left_order:
            if element not in right_items:
                _compare(left_items[element], MISSING, t.element(), (*path, element), out)
        return False
    left_map = lhs if isinstance(lhs, dict) else None
    right_map = rhs if isinstance(rhs, dict) else None
    if t.atomic or (_empty(left_map) and _empty(right_map)):
        return _compare_leaf(lhs, rhs, path, out)
    left_map, right_map = left_map or {}, right_map or {}
    for key in [*left_map, *(k for k in right_map if k not in left_map)]:
        _compare(
            left_map.get(key, MISSING), right_map.get(key, MISSING), t.field(key)[0],
            (*path, fp.field_element(key)), out,
        )  # fmt: skip
    return False


def _empty(value: Any) -> bool:
    return value is MISSING or value is None or value == [] or value == {}


def remove_items(value: Any, paths: Iterable[Path], t: SmdType) -> Any:
    """``value`` without the members of ``paths`` and what they hold (typed/remove.go).

    As there, a list or map left empty (or an atomic one the paths reach into) becomes
    null in its parent.
    """
    return _remove(value, Trie.of(paths), t)


def _remove(value: Any, node: Trie, t: SmdType) -> Any:
    atom = concrete(t, value)
    if atom.shape == "scalar":
        return value
    if atom.shape == "list":
        if not isinstance(value, list) or not value or atom.atomic:
            return None
        items: list[Any] = []
        for position, item in enumerate(value):
            try:
                element = item_element(atom, item, position)
            except InvalidValue:
                element = ""
            if node.has(element):
                continue
            below = node.below(element)
            items.append(_remove(item, below, atom.element()) if below else item)
        return items or None
    if not isinstance(value, dict) or not value or atom.atomic:
        return None
    kept: dict[str, Any] = {}
    for key, child in value.items():
        element = fp.field_element(key)
        if node.has(element):
            continue
        below = node.below(element)
        kept[key] = _remove(child, below, atom.field(key)[0]) if below else child
    return kept or None


def ensure_named_fields(paths: Iterable[Path], t: SmdType) -> set[Path]:
    """The paths plus every struct field that holds one of them (fieldpath/set.go
    EnsureNamedFieldsAreMembers): a set owning ``spec.replicas`` also owns ``spec``."""
    out = set(paths)
    _ensure_named(Trie.of(out), t, (), out)
    return out


def _ensure_named(node: Trie, t: SmdType | None, prefix: Path, out: set[Path]) -> None:
    for element, child in node.children.items():
        child_type: SmdType | None = None
        name = fp.field_name(element)
        if t is not None and name is not None and t.shape in ("struct", "map", "deduced"):
            child_type = t.field(name)[0]
            if t.declares(name):
                out.add((*prefix, element))
        elif t is not None and element.startswith(fp.KEY) and t.shape == "list":
            child_type = t.element()
        _ensure_named(child, child_type, (*prefix, element), out)


def value_at(value: Any, path: Path, t: SmdType) -> Any:
    """The value at ``path`` (MISSING when absent)."""
    for element in path:
        atom = concrete(t, value)
        if isinstance(value, dict) and element.startswith(fp.FIELD):
            key = element[2:]
            value, t = value.get(key, MISSING), atom.field(key)[0]
        elif isinstance(value, list):
            value = next(
                (i for n, i in enumerate(value) if _item_matches(atom, i, n, element)), MISSING
            )
            t = atom.element()
        else:
            return MISSING
        if value is MISSING:
            return MISSING
    return value


def _item_matches(t: SmdType, item: Any, position: int, element: str) -> bool:
    try:
        return item_element(t, item, position) == element
    except InvalidValue:
        return False
