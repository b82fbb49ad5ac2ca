"""``kubectl apply --server-side``, previewed offline from ``metadata.managedFields``.

The API server merges an applied configuration into the live object and keeps, per
field manager, the set of fields it owns. This module does the same computation on the
live object that ``kubectl get -o yaml`` prints, following the code that really runs:

* sigs.k8s.io/structured-merge-diff (``merge/update.go``, ``Updater.Apply``): merge the
  configuration into the live object (``typed/merge.go``); take the configuration's
  field set as the applier's new set (``typed/tofieldset.go``); prune what the applier
  owned before and no longer sets, unless another manager owns it too; then compare the
  live object with the result (``typed/compare.go``): a field that changes and that
  another manager owns is a conflict, which fails the apply unless forced, and a forced
  conflict moves the field to the applier;
* k8s.io/apimachinery ``pkg/util/managedfields/internal``: managers are identified by
  name, operation, subresource and (for ``Update``) API version; ``apiVersion``,
  ``kind``, ``metadata.name`` ... are never owned (``stripmeta.go``); an object without
  managedFields first gets every field owned by ``before-first-apply``
  (``skipnonapplied.go``); for the manager ``kubectl``, conflicts on fields that still
  hold their client-side last-applied value are forgiven (``lastappliedmanager.go``) and
  the last-applied annotation is rewritten (``lastappliedupdater.go``);
* kubectl (``apply.go``, ``csaupgrade``): after the apply, kubectl hands the
  last-applied annotation to the manager ``kubectl-last-applied`` and moves the fields of
  the client-side apply managers to the server-side manager, then applies again.

Lists follow ``x-kubernetes-list-type`` (``atomic`` lists are one value, ``set`` lists
merge by value, ``map`` lists by ``x-kubernetes-list-map-keys``), maps and structs
``x-kubernetes-map-type`` (``granular`` unless ``atomic``), from the bundled schemas.
Kinds without a schema get the server's deduced type: every list atomic, maps granular.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

from kubelint.apply import field_paths as fp
from kubelint.apply.field_paths import FieldSet, Path, Trie
from kubelint.apply.simulate import (
    DEFAULT_NAMESPACE,
    LAST_APPLIED,
    ApplyInputError,
    ObjectKey,
    SourcedObject,
    describe_object,
    identify,
    index_live,
)
from kubelint.apply.values import JSON, copy, go_json
from kubelint.schema_store import KubernetesSchemas

DEFAULT_MANAGER: Final = "kubectl"
BEFORE_FIRST_APPLY: Final = "before-first-apply"
LAST_APPLIED_MANAGER: Final = "kubectl-last-applied"

Operation = Literal["create", "apply", "unchanged", "conflict", "error"]


class _Missing:
    """An absent value (a JSON null is present)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()


class PreviewError(Exception):
    """An apply the API server would refuse before merging, or that cannot be previewed."""


# ---------------------------------------------------------------------------------------
# Types, as the API server converts OpenAPI to structured-merge-diff schemas
# (k8s.io/kube-openapi pkg/schemaconv)

Shape = Literal["scalar", "struct", "map", "list", "deduced"]
ListKind = Literal["atomic", "set", "map"]

#: List keys the API server fills in from the schema default when an item omits them.
_KEY_DEFAULTS: Final[dict[tuple[str, str], JSON]] = {
    ("io.k8s.api.core.v1.ContainerPort", "protocol"): "TCP",
    ("io.k8s.api.core.v1.ServicePort", "protocol"): "TCP",
}


class SmdType:
    """One node of the schema, resolved through ``$ref``, in structured-merge-diff terms."""

    __slots__ = (
        "_children",
        "_element",
        "_fields",
        "_schemas",
        "atomic",
        "keys",
        "list_kind",
        "name",
        "scalar",
        "shape",
    )

    def __init__(
        self,
        shape: Shape,
        *,
        schemas: KubernetesSchemas | None = None,
        fields: dict[str, Any] | None = None,
        element: Any = None,
        atomic: bool = False,
        list_kind: ListKind = "atomic",
        keys: tuple[str, ...] = (),
        name: str = "",
        scalar: str = "untyped",
    ) -> None:
        self.shape: Shape = shape
        self._schemas = schemas
        self._fields = fields
        self._element = element
        self.atomic = atomic
        self.list_kind: ListKind = list_kind
        self.keys = keys
        self.name = name
        self.scalar = scalar
        self._children: dict[str, tuple[SmdType, bool]] = {}

    @classmethod
    def of(cls, schemas: KubernetesSchemas, node: Any, name: str = "") -> SmdType:
        """The type of a schema node."""
        node, name = _resolve(schemas, node, name)
        atomic = node.get("x-kubernetes-map-type") == "atomic"
        types = _types(node)
        properties = node.get("properties")
        extra = node.get("additionalProperties")
        if isinstance(properties, dict):
            element = extra if isinstance(extra, dict) else None
            return cls(
                "struct", schemas=schemas, fields=properties, element=element, atomic=atomic,
                name=name,
            )  # fmt: skip
        if isinstance(extra, dict):
            return cls("map", schemas=schemas, element=extra, atomic=atomic, name=name)
        if "array" in types or isinstance(node.get("items"), dict):
            kind, keys = _list_kind(node)
            return cls(
                "list", schemas=schemas, element=node.get("items") or {}, list_kind=kind,
                keys=keys, name=name, atomic=kind == "atomic",
            )  # fmt: skip
        if node.get("x-kubernetes-int-or-string") or "oneOf" in node or "anyOf" in node:
            return SCALAR
        scalar = next((s for t, s in _SCALARS.items() if t in types), None)
        if scalar is not None:
            return cls("scalar", scalar=scalar, name=name)
        return DEDUCED

    def field(self, key: str) -> tuple[SmdType, bool]:
        """The type of field or map key ``key``, and whether it is a declared field."""
        found = self._children.get(key)
        if found is not None:
            return found
        if self.shape == "struct" and self._fields is not None and key in self._fields:
            found = (self._child(self._fields[key], key), True)
        elif self.shape in ("struct", "map") and self._element is not None:
            found = (self._child(self._element, key), False)
        else:
            found = (DEDUCED, False)
        self._children[key] = found
        return found

    def declares(self, key: str) -> bool:
        """Is ``key`` a named field of this struct?"""
        return self.shape == "struct" and self._fields is not None and key in self._fields

    @property
    def open(self) -> bool:
        """Does this struct or map take keys it does not declare?"""
        return self.shape == "deduced" or self._element is not None

    def element(self) -> SmdType:
        """The item type of a list."""
        found = self._children.get("")
        if found is None:
            found = (self._child(self._element, "items"), False)
            self._children[""] = found
        return found[0]

    def _child(self, node: Any, name: str) -> SmdType:
        if isinstance(node, SmdType):
            return node
        if self._schemas is None or not isinstance(node, dict):
            return DEDUCED
        return SmdType.of(self._schemas, node, name)

    def __repr__(self) -> str:
        return f"SmdType({self.shape}, {self.name or '-'})"


_SCALARS: Final = {"string": "string", "integer": "numeric", "number": "numeric", "boolean": "bool"}


def _resolve(schemas: KubernetesSchemas, node: Any, name: str) -> tuple[dict[str, Any], str]:
    resolved: dict[str, Any] = node if isinstance(node, dict) else {}
    seen: set[str] = set()
    while isinstance(resolved.get("$ref"), str) and resolved["$ref"] not in seen:
        ref = resolved["$ref"]
        seen.add(ref)
        target = schemas.definition(ref)
        if target is None:
            return {}, name
        resolved, name = target, ref
    return resolved, name


def _types(node: dict[str, Any]) -> set[str]:
    raw = node.get("type")
    if isinstance(raw, str):
        return {raw}
    return {t for t in raw if isinstance(t, str)} if isinstance(raw, list) else set()


def _list_kind(node: dict[str, Any]) -> tuple[ListKind, tuple[str, ...]]:
    """x-kubernetes-list-type, or (when absent) what the patch strategy implies."""
    kind = node.get("x-kubernetes-list-type")
    if kind == "map":
        keys = node.get("x-kubernetes-list-map-keys")
        return "map", tuple(k for k in keys if isinstance(k, str)) if isinstance(keys, list) else ()
    if kind == "set":
        return "set", ()
    if kind is None and node.get("x-kubernetes-patch-strategy") == "merge":
        key = node.get("x-kubernetes-patch-merge-key")
        return ("map", (key,)) if isinstance(key, str) else ("set", ())
    return "atomic", ()


SCALAR: Final = SmdType("scalar")
DEDUCED: Final = SmdType("deduced")
_DEDUCED_MAP: Final = SmdType("map", element=DEDUCED)
_DEDUCED_LIST: Final = SmdType("list", element=DEDUCED, atomic=True)


def _atom(t: SmdType, value: Any) -> SmdType:
    """The concrete type for ``value``: a deduced type takes the shape of the value."""
    if t.shape != "deduced":
        return t
    if isinstance(value, list):
        return _DEDUCED_LIST
    if isinstance(value, dict) or value is None or value is MISSING:
        return _DEDUCED_MAP
    return SCALAR


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list):
        return "list"
    return "scalar"


def _same_shape(t: SmdType, value: Any) -> bool:
    """Does ``value`` (present, not null) have the shape of ``t``?"""
    wanted = {"struct": "map", "map": "map", "list": "list", "scalar": "scalar"}.get(t.shape)
    return wanted is None or wanted == _kind_of(value)


def root_type(schemas: KubernetesSchemas, api_version: str, kind: str) -> SmdType | None:
    """The type of a built-in kind (None: no schema; the server deduces one)."""
    name = schemas.kind_definition(api_version, kind)
    return SmdType.of(schemas, {"$ref": name}, name) if name else None


def deduced_root(schemas: KubernetesSchemas) -> SmdType:
    """A custom resource without its CRD: ObjectMeta for metadata, the rest deduced."""
    meta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    fields: dict[str, Any] = {"apiVersion": SCALAR, "kind": SCALAR}
    if schemas.definition(meta) is not None:
        fields["metadata"] = SmdType.of(schemas, {"$ref": meta}, meta)
    return SmdType("struct", fields=fields, element=DEDUCED, name="(deduced)")


# ---------------------------------------------------------------------------------------
# Values: equality as value.Equals, list items as path elements


def smd_equal(a: Any, b: Any) -> bool:
    """structured-merge-diff's value equality: 1 and 1.0 are equal, true and 1 are not."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return not (isinstance(a, float) and math.isnan(a)) and float(a) == float(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(smd_equal(v, b[k]) for k, v in a.items())
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(smd_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict | list) or isinstance(b, dict | list):
        return False
    return type(a) is type(b) and bool(a == b)


def item_element(t: SmdType, item: Any, position: int) -> str:
    """The path element of a list item (typed/helpers.go listItemToPathElement)."""
    if t.list_kind == "map" and t.keys:
        if not isinstance(item, dict):
            kind = "a null" if item is None else "non-map"
            raise PreviewError(f"associative list with keys may not have {kind} elements")
        element_name = t.element().name
        fields: dict[str, JSON] = {}
        for key in t.keys:
            if key in item:
                fields[key] = item[key]
            elif (element_name, key) in _KEY_DEFAULTS:
                fields[key] = _KEY_DEFAULTS[(element_name, key)]
            else:
                raise PreviewError(
                    "associative list with keys has an element that omits key field "
                    f'"{key}" (and doesn\'t have default value)'
                )
        return fp.key_element(fields)
    if t.list_kind in ("map", "set"):
        if isinstance(item, dict | list):
            raise PreviewError(
                "associative list without keys has an element that's a "
                + ("map" if isinstance(item, dict) else "list")
                + " type"
            )
        return fp.value_element(item)
    return fp.index_element(position)


def _index_items(t: SmdType, items: list[Any], path: Path) -> tuple[list[str], dict[str, Any]]:
    order: list[str] = []
    found: dict[str, Any] = {}
    for position, item in enumerate(items):
        try:
            element = item_element(t, item, position)
        except PreviewError as exc:
            raise PreviewError(f"{fp.render(path)}: element {position}: {exc}") from exc
        if element in found:
            raise PreviewError(
                f"{fp.render(path)}: duplicate entries for key {fp.render_element(element)}"
            )
        found[element] = item
        order.append(element)
    return order, found


# ---------------------------------------------------------------------------------------
# The typed operations: validation, field set, merge, compare, removal


def validate(value: Any, t: SmdType, path: Path = ()) -> None:
    """What the server checks when it converts an applied configuration to its schema."""
    if value is None:
        return
    atom = _atom(t, value)
    if not _same_shape(atom, value):
        expected = {"struct": "map", "map": "map", "list": "list"}.get(atom.shape, atom.scalar)
        raise PreviewError(f"{fp.render(path)}: expected {expected}, got {_kind_of(value)}")
    if atom.shape == "scalar":
        _validate_scalar(value, atom, path)
    elif isinstance(value, list):
        if atom.atomic and atom.list_kind == "atomic":
            for position, item in enumerate(value):
                validate(item, atom.element(), (*path, fp.index_element(position)))
            return
        order, items = _index_items(atom, value, path)
        for element in order:
            validate(items[element], atom.element(), (*path, element))
    elif isinstance(value, dict):
        for key, child in value.items():
            child_type, declared = atom.field(key)
            here = (*path, fp.field_element(key))
            if atom.shape == "struct" and not declared and not atom.open:
                raise PreviewError(f"{fp.render(here)}: field not declared in schema")
            validate(child, child_type, here)


def _validate_scalar(value: Any, t: SmdType, path: Path) -> None:
    ok = {
        "numeric": isinstance(value, int | float) and not isinstance(value, bool),
        "string": isinstance(value, str),
        "bool": isinstance(value, bool),
    }.get(t.scalar, True)
    if not ok:
        raise PreviewError(f"{fp.render(path)}: expected {t.scalar}, got {json.dumps(value)}")


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
    atom = _atom(t, value)
    if atom.shape == "scalar":
        out.add(path)
    elif atom.shape == "list":
        if atom.atomic:
            out.add(path)
        elif isinstance(value, list):
            order, items = _index_items(atom, value, path)
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


def merge(live: Any, config: Any, t: SmdType, path: Path = ()) -> Any:
    """``config`` merged onto ``live`` (typed/merge.go with the rule "keep the config")."""
    if live is MISSING and config is MISSING:
        return MISSING
    atom = _atom(t, config if config is not MISSING else live)
    if atom.shape == "scalar":
        return _leaf(live, config)
    if atom.shape == "list":
        return _merge_list(live, config, atom, path)
    return _merge_map(live, config, atom, path)


def _leaf(live: Any, config: Any) -> Any:
    return copy(config) if config is not MISSING else copy(live)


def _empty(value: Any) -> bool:
    return value is MISSING or value is None or value == [] or value == {}


def _merge_list(live: Any, config: Any, t: SmdType, path: Path) -> Any:
    # a value of another shape reads as nothing (typed/merge.go derefList)
    lhs = live if isinstance(live, list) else []
    rhs = config if isinstance(config, list) else []
    if t.atomic or (not lhs and not rhs):
        return _leaf(live, config)
    rhs_order, rhs_items = _index_items(t, rhs, path)
    lhs_order, lhs_items = _index_items(t, lhs, path)
    shared = [e for e in rhs_order if e in lhs_items]
    out: list[Any] = []

    def take(element: str) -> None:
        merged = merge(
            lhs_items.get(element, MISSING), rhs_items.get(element, MISSING), t.element(),
            (*path, element),
        )  # fmt: skip
        if merged is not MISSING:
            out.append(merged)

    # the order of typed/merge.go visitListItems: live items stay where they are, config
    # items keep the config's order, shared items are placed in the config's order
    next_shared = shared.pop(0) if shared else None
    li = ri = 0
    while li < len(lhs_order) or ri < len(rhs_order):
        progress = (li, ri)
        if li < len(lhs_order) and ri < len(rhs_order):
            element = lhs_order[li]
            if element == rhs_order[ri]:
                take(element)
                li, ri = li + 1, ri + 1
                next_shared = shared.pop(0) if shared else None
                continue
            if element in rhs_items and next_shared is not None and next_shared != element:
                li += 1
                continue
        if li < len(lhs_order) and lhs_order[li] not in rhs_items:
            take(lhs_order[li])
            li += 1
            continue
        if ri < len(rhs_order):
            element = rhs_order[ri]
            take(element)
            ri += 1
            if next_shared is not None and next_shared == element:
                next_shared = shared.pop(0) if shared else None
        if (li, ri) == progress:
            li += 1  # a live item already merged from the config side
    return out if out else MISSING


def _merge_map(live: Any, config: Any, t: SmdType, path: Path) -> Any:
    lhs = live if isinstance(live, dict) else {}
    rhs = config if isinstance(config, dict) else {}
    if t.atomic or (not lhs and not rhs):
        return _leaf(live, config)
    out: dict[str, Any] = {}
    for key in [*lhs, *(k for k in rhs if k not in lhs)]:
        merged = merge(
            lhs.get(key, MISSING), rhs.get(key, MISSING), t.field(key)[0],
            (*path, fp.field_element(key)),
        )  # fmt: skip
        if merged is not MISSING:
            out[key] = merged
    return out if out else MISSING


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
    atom_lhs, atom_rhs = _atom(t, lhs), _atom(t, rhs)
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
        left_order, left_items = _index_items(t, left or [], path)
        right_order, right_items = _index_items(t, right or [], path)
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


def remove_items(value: Any, paths: Iterable[Path], t: SmdType) -> Any:
    """``value`` without the members of ``paths`` and what they hold (typed/remove.go).

    As there, a list or map left empty (or an atomic one the paths reach into) becomes
    null in its parent.
    """
    return _remove(value, Trie.of(paths), t)


def _remove(value: Any, node: Trie, t: SmdType) -> Any:
    atom = _atom(t, value)
    if atom.shape == "scalar":
        return value
    if atom.shape == "list":
        if not isinstance(value, list) or not value or atom.atomic:
            return None
        items: list[Any] = []
        for position, item in enumerate(value):
            try:
                element = item_element(atom, item, position)
            except PreviewError:
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
        atom = _atom(t, value)
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
    except PreviewError:
        return False


# ---------------------------------------------------------------------------------------
# Managers and the merge of structured-merge-diff's Updater


@dataclass(frozen=True, slots=True, order=True)
class ManagerId:
    """How the server tells managers apart (managedfields BuildManagerIdentifier)."""

    manager: str
    operation: Literal["Apply", "Update"]
    api_version: str = ""  # only for Update: an applier is one manager at every version
    subresource: str = ""

    def describe(self) -> str:
        """As the server names a manager in a conflict message."""
        text = json.dumps(self.manager)
        if self.subresource:
            text += f" with subresource {json.dumps(self.subresource)}"
        if self.operation == "Update":
            text += f" using {self.api_version}"
        return text


@dataclass(frozen=True, slots=True)
class Owned:
    """A manager's fields, the API version they are written at, and when it last wrote."""

    fields: FieldSet
    api_version: str
    time: str | None = None
    #: the entry is written by the previewed request (its time would be now)
    stamped: bool = False


Managers = dict[ManagerId, Owned]


class Conflicts(Exception):
    """Fields another manager owns and the apply changes (merge.Conflicts)."""

    def __init__(self, conflicts: dict[ManagerId, FieldSet]) -> None:
        super().__init__(f"{sum(len(c) for c in conflicts.values())} conflicts")
        self.conflicts = conflicts


def decode_managed_fields(entries: Any) -> Managers:
    """metadata.managedFields as the server reads them (DecodeManagedFields)."""
    if entries is None:
        return {}
    if not isinstance(entries, list):
        raise PreviewError("failed to decode managed fields: metadata.managedFields is not a list")
    managers: Managers = {}
    for index, entry in enumerate(entries):
        where = f"failed to decode managed fields: entry {index}"
        if not isinstance(entry, dict):
            raise PreviewError(f"{where}: not a mapping")
        operation = entry.get("operation")
        if operation not in ("Apply", "Update"):
            raise PreviewError(f"{where}: operation must be `Apply` or `Update`")
        api_version = entry.get("apiVersion")
        if not isinstance(api_version, str) or not api_version:
            raise PreviewError(f"{where}: apiVersion must not be empty")
        if entry.get("fieldsType") != "FieldsV1":
            raise PreviewError(f"{where}: invalid fieldsType {entry.get('fieldsType')!r}")
        try:
            fields = fp.from_fields_v1(entry.get("fieldsV1") or {})
        except fp.FieldsError as exc:
            raise PreviewError(f"{where}: {exc}") from exc
        identity = ManagerId(
            str(entry.get("manager") or ""),
            operation,
            api_version if operation == "Update" else "",
            str(entry.get("subresource") or ""),
        )
        time = entry.get("time")
        managers[identity] = Owned(fields, api_version, str(time) if time else None)
    return managers


def encode_managed_fields(managers: Managers) -> list[dict[str, JSON]]:
    """metadata.managedFields as the server writes them, in its order."""
    entries: list[dict[str, JSON]] = []
    for identity, owned in sorted(managers.items(), key=_entry_order):
        entry: dict[str, JSON] = {
            "apiVersion": owned.api_version,
            "fieldsType": "FieldsV1",
            "fieldsV1": fp.to_fields_v1(owned.fields),
            "manager": identity.manager,
            "operation": identity.operation,
        }
        if identity.subresource:
            entry["subresource"] = identity.subresource
        if owned.time is not None and not owned.stamped:
            entry["time"] = owned.time
        entries.append(entry)
    return entries


def _entry_order(item: tuple[ManagerId, Owned]) -> tuple[Any, ...]:
    identity, owned = item
    when = (1, "") if owned.stamped else (0, owned.time or "")
    return (identity.operation, when, identity.manager, owned.api_version, identity.subresource)


#: Fields nobody owns (stripmeta.go); only these exact paths, not what is below them.
_NEVER_OWNED: Final[FieldSet] = frozenset(
    {
        (fp.field_element("apiVersion"),),
        (fp.field_element("kind"),),
        (fp.field_element("metadata"),),
        *(
            (fp.field_element("metadata"), fp.field_element(name))
            for name in (
                "name",
                "namespace",
                "creationTimestamp",
                "selfLink",
                "uid",
                "clusterName",
                "generation",
                "managedFields",
                "resourceVersion",
            )
        ),
    }
)

STATUS: Final[FieldSet] = frozenset({(fp.field_element("status"),)})


@dataclass(slots=True)
class Kind:
    """The type of one object kind and the fields its main resource resets (status)."""

    root: SmdType
    ignored: FieldSet
    deduced: bool


def _update_managers(
    live: Any,
    new: Any,
    kind: Kind,
    managers: Managers,
    workflow: ManagerId,
    force: bool,
) -> tuple[Managers, Comparison]:
    """merge/update.go ``update``: conflicts, and other managers losing what changed."""
    changes = compare(live, new, kind.root).exclude(kind.ignored)
    touched = changes.modified | changes.added
    conflicts = {
        identity: frozenset(owned.fields & touched)
        for identity, owned in managers.items()
        if identity != workflow and owned.fields & touched
    }
    if conflicts and not force:
        raise Conflicts(conflicts)
    out: Managers = {}
    for identity, owned in managers.items():
        fields = owned.fields
        if identity != workflow:
            fields = fields - conflicts.get(identity, fp.EMPTY) - changes.removed
        if fields:
            out[identity] = owned if fields == owned.fields else replace(owned, fields=fields)
    return out, changes


def smd_update(
    live: Any, new: Any, kind: Kind, managers: Managers, manager: ManagerId, api_version: str
) -> Managers:
    """merge/update.go ``Update``: a non-apply write by ``manager``."""
    managers, changes = _update_managers(live, new, kind, managers, manager, force=True)
    before = managers.get(manager)
    fields = (before.fields if before else fp.EMPTY) | changes.modified | changes.added
    fields = frozenset(fp.recursive_difference(fields - changes.removed, kind.ignored))
    if fields:
        managers[manager] = Owned(fields, api_version, stamped=True)
    else:
        managers.pop(manager, None)
    return managers


def smd_apply(
    live: Any,
    config: Any,
    kind: Kind,
    managers: Managers,
    applier: ManagerId,
    api_version: str,
    force: bool,
) -> tuple[Any, Managers]:
    """merge/update.go ``Apply``: the merged object (None: unchanged) and the managers."""
    merged = merge(live, config, kind.root)
    last = managers.get(applier)
    managers = dict(managers)
    applied = frozenset(fp.recursive_difference(field_set(config, kind.root), kind.ignored))
    managers[applier] = Owned(applied, api_version, last.time if last else None)
    merged = _prune(merged, managers, last, kind.root)
    managers, _ = _update_managers(live, merged, kind, managers, applier, force)
    return (None if smd_equal(live, merged) else merged), managers


def _prune(merged: Any, managers: Managers, last: Owned | None, root: SmdType) -> Any:
    """Remove what the applier set last time and no longer sets, unless someone owns it.

    merge/update.go ``prune``, ``addBackOwnedItems`` and ``addBackDanglingItems``.
    """
    if last is None or not last.fields:
        return merged
    last_named = ensure_named_fields(last.fields, root)
    pruned = remove_items(merged, last_named, root)
    owned: set[Path] = set()
    for entry in managers.values():
        owned |= entry.fields
    merged_set = ensure_named_fields(field_set(merged, root), root)
    pruned_set = ensure_named_fields(field_set(pruned, root), root)
    owned_named = ensure_named_fields(owned, root)
    pruned = remove_items(merged, merged_set - (pruned_set | owned_named), root)
    pruned_set = ensure_named_fields(field_set(pruned, root), root)
    return remove_items(merged, (merged_set - pruned_set) & last_named, root)


# ---------------------------------------------------------------------------------------
# The API server's field manager (k8s.io/apimachinery managedfields/internal)


@dataclass(slots=True)
class Applied:
    """One apply request as the server answers it."""

    object: dict[str, JSON]
    managers: Managers
    #: conflicts the server let through because the fields hold their last-applied value
    forgiven: dict[ManagerId, FieldSet] = field(default_factory=dict)


def _strip(managers: Managers, identity: ManagerId) -> Managers:
    owned = managers.get(identity)
    if owned is None:
        return managers
    fields = owned.fields - _NEVER_OWNED
    if fields:
        managers[identity] = replace(owned, fields=fields)
    else:
        del managers[identity]
    return managers


def baseline(live: dict[str, JSON], managers: Managers, kind: Kind) -> Managers:
    """skipnonapplied.go: an object without managedFields first gets every field it has
    owned by ``before-first-apply`` (an Update from an empty object)."""
    if managers:
        return dict(managers)
    api_version = str(live.get("apiVersion"))
    empty = {"apiVersion": live.get("apiVersion"), "kind": live.get("kind")}
    first = ManagerId(BEFORE_FIRST_APPLY, "Update", api_version)
    return _strip(smd_update(empty, live, kind, {}, first, api_version), first)


def _field_manager_apply(
    live: dict[str, JSON],
    config: dict[str, JSON],
    managers: Managers,
    kind: Kind,
    manager: str,
    force: bool,
) -> Applied:
    """The chain below lastAppliedManager: skipNonApplied, buildManagerInfo,
    managedFieldsUpdater, stripMeta and structured-merge-diff."""
    managers = baseline(live, managers, kind)
    applier = ManagerId(manager, "Apply")
    api_version = str(config.get("apiVersion"))
    new, managers = smd_apply(live, config, kind, managers, applier, api_version, force)
    managers = _strip(managers, applier)
    if new is not None and applier in managers:
        managers[applier] = replace(managers[applier], stamped=True)
    result = copy(live) if new is None else new
    if kind.ignored:
        # the main resource keeps the status it has (the strategy's PrepareForUpdate)
        result.pop("status", None)
        if "status" in live:
            result["status"] = copy(live["status"])
    return Applied(result, managers)


def server_apply(
    live: dict[str, JSON],
    config: dict[str, JSON],
    managers: Managers,
    kind: Kind,
    manager: str,
    force: bool,
) -> Applied:
    """One PATCH of type application/apply-patch+yaml (raises :class:`Conflicts`)."""
    try:
        applied = _field_manager_apply(live, config, managers, kind, manager, force)
    except Conflicts as first:
        if manager != DEFAULT_MANAGER:
            raise
        allowed = _allowed_by_last_applied(live, config, kind)
        if allowed is None:
            raise
        remaining = {m: c - allowed for m, c in first.conflicts.items() if c - allowed}
        if remaining:
            raise Conflicts(remaining) from None
        applied = _field_manager_apply(live, config, managers, kind, manager, True)
        applied.forgiven = first.conflicts
    if manager == DEFAULT_MANAGER:
        # lastappliedupdater.go: kubectl's own server-side apply keeps the client-side
        # apply annotation up to date where it exists
        text = _annotations(applied.object).get(LAST_APPLIED)
        if isinstance(text, str) and text:
            updated = _last_applied_text(config)
            applied.object["metadata"]["annotations"][LAST_APPLIED] = updated
    return applied


def _annotations(value: Any) -> dict[str, Any]:
    metadata = value.get("metadata") if isinstance(value, dict) else None
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    return annotations if isinstance(annotations, dict) else {}


def _last_applied_text(config: dict[str, JSON]) -> str:
    """lastappliedupdater.go buildLastApplied: the configuration without the annotation,
    as Go's json.Encoder writes it (a trailing newline)."""
    value = copy(config)
    metadata = value.get("metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("annotations"), dict):
        metadata["annotations"].pop(LAST_APPLIED, None)
    return go_json(value) + "\n"


def _allowed_by_last_applied(
    live: dict[str, JSON], config: dict[str, JSON], kind: Kind
) -> frozenset[Path] | None:
    """lastappliedmanager.go: fields of the last-applied annotation the live object still
    has with the same value (None when there is no usable annotation)."""
    text = _annotations(live).get(LAST_APPLIED)
    if not isinstance(text, str) or not text:
        return None
    try:
        last = json.loads(text)
    except ValueError:
        return None
    if not isinstance(last, dict) or last.get("apiVersion") != config.get("apiVersion"):
        return None
    try:
        validate(last, kind.root)
        fields = field_set(last, kind.root)
        changes = compare(last, live, kind.root)
    except PreviewError:
        return None
    return frozenset(fields - changes.modified - changes.added - changes.removed)


# ---------------------------------------------------------------------------------------
# kubectl apply --server-side (apply.go): the apply, then the client-side apply upgrade

LAST_APPLIED_PATH: Final[Path] = (
    fp.field_element("metadata"),
    fp.field_element("annotations"),
    fp.field_element(LAST_APPLIED),
)


def upgrade_client_side_managers(managers: Managers, applier: str) -> Managers:
    """csaupgrade.UpgradeManagedFields for the Update managers that own the last-applied
    annotation (kubectl's migrateToSSAIfNecessary)."""
    entries = sorted(managers.items(), key=_entry_order)
    names = sorted(
        {m.manager for m, o in entries if m.operation == "Update" and LAST_APPLIED_PATH in o.fields}
    )
    for name in names:
        entries = _upgrade_one(entries, name, applier)
    return dict(entries)


def _upgrade_one(
    entries: list[tuple[ManagerId, Owned]], csa: str, applier: str
) -> list[tuple[ManagerId, Owned]]:
    def is_csa(identity: ManagerId) -> bool:
        return (
            identity.manager == csa and identity.operation == "Update" and not identity.subresource
        )

    target = next(
        (
            i
            for i, (m, _) in enumerate(entries)
            if m.manager == applier and m.operation == "Apply" and not m.subresource
        ),
        None,
    )
    if target is None:
        target = next((i for i, (m, _) in enumerate(entries) if is_csa(m)), None)
        if target is None:
            return entries
        _, owned = entries[target]
        entries[target] = (ManagerId(applier, "Apply"), owned)
    identity, owned = entries[target]
    source = next((o for m, o in entries if is_csa(m) and o.api_version == owned.api_version), None)
    if source is not None:
        entries[target] = (identity, replace(owned, fields=owned.fields | source.fields))
    return [(m, o) for m, o in entries if not is_csa(m)]


@dataclass(slots=True)
class Conflict:
    """A field another manager owns that the apply would change."""

    path: Path
    managers: list[ManagerId]
    live: Any
    applied: Any


APPLY_PATCH: Final = "application/apply-patch+yaml"
JSON_PATCH: Final = "application/json-patch+json"


@dataclass(frozen=True, slots=True)
class Request:
    """A PATCH kubectl sends: its content type, field manager and force parameter."""

    content_type: str
    field_manager: str
    force: bool | None = None

    def describe(self) -> str:
        """``PATCH application/apply-patch+yaml (fieldManager=kubectl, force=false)``."""
        force = "" if self.force is None else f", force={str(self.force).lower()}"
        return f"PATCH {self.content_type} (fieldManager={self.field_manager}{force})"


@dataclass(slots=True)
class Change:
    """A field whose value differs between the live object and the result."""

    path: Path
    live: Any
    result: Any
    reason: str = ""


@dataclass(slots=True)
class Owning:
    """A field the applier comes to own, and the other managers that own it too."""

    path: Path
    shared_with: list[ManagerId] = field(default_factory=list)


@dataclass(slots=True)
class Preview:
    """What ``kubectl apply --server-side`` would do to one object."""

    object: str
    operation: Operation
    source: str
    manager: str
    force: bool
    live: dict[str, JSON] | None = None
    result: dict[str, JSON] | None = None
    managed_fields: list[dict[str, JSON]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    forced: list[Conflict] = field(default_factory=list)
    forgiven: list[Conflict] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    newly_owned: list[Owning] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The entry of ``kubelint apply --server-side --output json``."""
        entry: dict[str, Any] = {
            "object": self.object,
            "operation": self.operation,
            "preview": "offline",
            "fieldManager": self.manager,
            "force": self.force,
            "conflicts": [_conflict_json(c) for c in self.conflicts],
            "forced": [_conflict_json(c) for c in self.forced],
            "forgiven": [_conflict_json(c) for c in self.forgiven],
            "changed": [
                {"path": fp.render(c.path), "live": _json(c.live), "result": _json(c.result)}
                for c in self.changed
            ],
            "removed": [
                {"path": fp.render(c.path), "live": _json(c.live), "reason": c.reason}
                for c in self.removed
            ],
            "newlyOwned": [
                {"path": fp.render(o.path), "sharedWith": [m.manager for m in o.shared_with]}
                for o in self.newly_owned
            ],
            "result": self.result,
            "managedFields": self.managed_fields,
            "requests": [
                {"contentType": r.content_type, "fieldManager": r.field_manager, "force": r.force}
                for r in self.requests
            ],
            "notes": list(self.notes),
            "warnings": list(self.warnings),
            "source": self.source,
        }
        if self.error is not None:
            entry["error"] = self.error
        return entry


def _json(value: Any) -> Any:
    return None if value is MISSING else value


def _conflict_json(conflict: Conflict) -> dict[str, Any]:
    return {
        "path": fp.render(conflict.path),
        "managers": [m.manager for m in conflict.managers],
        "owners": [m.describe() for m in conflict.managers],
        "live": _json(conflict.live),
        "applied": _json(conflict.applied),
    }


def applied_configuration(manifest: dict[str, JSON], key: ObjectKey) -> dict[str, JSON]:
    """What kubectl sends: the manifest with ``metadata.namespace`` filled in."""
    config = copy(manifest)
    metadata = config.get("metadata")
    if not isinstance(metadata, dict):
        raise ApplyInputError("metadata must be a mapping")
    if key.namespace is not None and not metadata.get("namespace"):
        metadata["namespace"] = key.namespace
    return config


def kind_of(schemas: KubernetesSchemas, api_version: str, kind: str) -> Kind:
    """The type of a kind; custom resources without schema get the deduced type."""
    root = root_type(schemas, api_version, kind)
    if root is None:
        return Kind(deduced_root(schemas), STATUS, deduced=True)
    return Kind(root, STATUS if root.declares("status") else fp.EMPTY, deduced=False)


def preview(
    manifest: SourcedObject,
    key: ObjectKey,
    live: SourcedObject | None,
    schemas: KubernetesSchemas,
    manager: str = DEFAULT_MANAGER,
    force: bool = False,
) -> Preview:
    """The outcome of ``kubectl apply --server-side`` of ``manifest`` over ``live``."""
    name = describe_object(manifest.value, key)
    out = Preview(name, "apply", manifest.source, manager, force)
    api_version = str(manifest.value.get("apiVersion"))
    kind = kind_of(schemas, api_version, key.kind)
    if kind.deduced:
        out.notes.append(
            f"no schema for {api_version} {key.kind}: every list is taken as atomic (replaced "
            "whole) and every map as granular, as the API server does for a type it deduces; "
            "the CRD's x-kubernetes-list-type and x-kubernetes-map-type would change that, "
            "and status is assumed to be a subresource"
        )
    try:
        config = applied_configuration(manifest.value, key)
        _check_config(config, live.value if live else None, kind)
        if live is None:
            _create(out, config, kind)
        else:
            _apply(out, config, live.value, kind)
    except (ApplyInputError, PreviewError) as exc:
        out.operation = "error"
        out.error = str(exc)
    return out


def _check_config(config: dict[str, JSON], live: dict[str, JSON] | None, kind: Kind) -> None:
    metadata = _metadata(config)
    if metadata.get("managedFields") is not None:
        raise PreviewError(
            "metadata.managedFields must be nil: the API server refuses an applied "
            "configuration that carries managedFields (remove them from the manifest)"
        )
    if live is not None and live.get("apiVersion") != config.get("apiVersion"):
        raise PreviewError(
            f"the live object is at {live.get('apiVersion')} and the manifest at "
            f"{config.get('apiVersion')}: the server converts between them, this preview "
            "cannot; export the live object at the manifest's version"
        )
    for name in ("resourceVersion", "uid"):
        mine = metadata.get(name)
        theirs = _metadata(live).get(name) if live is not None else None
        if mine is not None and live is not None and mine != theirs:
            raise PreviewError(
                f"metadata.{name} is {json.dumps(mine)} in the manifest and "
                f"{json.dumps(theirs)} in the live object: the server refuses the apply (a "
                "resourceVersion is a precondition, a uid cannot change)"
            )
    try:
        validate(config, kind.root)
    except PreviewError as exc:
        raise PreviewError(f"failed to create typed patch object: {exc}") from exc


def _metadata(value: dict[str, JSON]) -> dict[str, JSON]:
    metadata = value.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def _create(out: Preview, config: dict[str, JSON], kind: Kind) -> None:
    out.operation = "create"
    empty: dict[str, JSON] = {"apiVersion": config.get("apiVersion"), "kind": config.get("kind")}
    applied = _field_manager_apply(empty, config, {}, kind, out.manager, out.force)
    out.result = applied.object
    out.managed_fields = encode_managed_fields(applied.managers)
    out.requests.append(_apply_request(out.manager, out.force))
    out.newly_owned = _newly_owned({}, applied.managers, out.manager, kind.root)
    out.notes.append("created: the object does not exist in the live state")


def _apply_request(manager: str, force: bool | None) -> Request:
    return Request(APPLY_PATCH, manager, force)


def _apply(out: Preview, config: dict[str, JSON], live: dict[str, JSON], kind: Kind) -> None:
    out.live = live
    state = _without_managed_fields(live)
    managers = decode_managed_fields(_metadata(live).get("managedFields"))
    if not managers:
        out.warnings.append(
            "the live object has no metadata.managedFields: kubectl get -o yaml leaves them "
            "out unless --show-managed-fields is given (export the object again with it if "
            "it has them); for an object that has none, the server first gives every field "
            f'to "{BEFORE_FIRST_APPLY}", so every field the manifest changes is a conflict'
        )
    versions = sorted({o.api_version for o in managers.values()} - {str(config["apiVersion"])})
    if versions:
        out.notes.append(
            f"managers writing at {', '.join(versions)} are read as if at "
            f"{config['apiVersion']} (the server converts their fields; paths rarely differ)"
        )
    out.requests.append(_apply_request(out.manager, out.force))
    try:
        applied = server_apply(state, config, managers, kind, out.manager, out.force)
    except Conflicts as exc:
        out.operation = "conflict"
        out.conflicts = _conflicts(exc.conflicts, state, config, kind.root)
        out.result = state
        out.managed_fields = encode_managed_fields(managers)
        return
    out.forgiven = _conflicts(applied.forgiven, state, config, kind.root)
    if out.force:
        before = baseline(state, managers, kind)
        out.forced = _forced(before, applied.managers, out.manager, state, config, kind)
    obj, now, migrated = _after_apply(out, config, applied, kind)
    if kind.ignored and isinstance(config.get("status"), dict):
        out.notes.append("status in the manifest is ignored: the main resource keeps its own")
    out.result = obj
    out.managed_fields = encode_managed_fields(now)
    _describe_changes(out, state, obj, migrated, baseline(state, managers, kind), kind)
    out.newly_owned = _newly_owned(managers, now, out.manager, kind.root)
    if smd_equal(state, obj):
        if _same_ownership(managers, now):
            out.operation = "unchanged"
        else:
            out.notes.append("no field changes; only metadata.managedFields does")


def _after_apply(
    out: Preview, config: dict[str, JSON], applied: Applied, kind: Kind
) -> tuple[dict[str, JSON], Managers, FieldSet]:
    """What kubectl does once the apply succeeded (apply.go): keep the last-applied
    annotation under a manager of its own, then move client-side apply fields over.

    Returns the object, its managers, and the fields the applier got from client-side
    apply managers."""
    obj, now = applied.object, applied.managers
    if out.manager == DEFAULT_MANAGER and _annotations(obj).get(LAST_APPLIED) is not None:
        owners = [
            m for m, o in now.items() if m.operation == "Apply" and LAST_APPLIED_PATH in o.fields
        ]
        if not owners:
            out.requests.append(_apply_request(LAST_APPLIED_MANAGER, None))
            keep = _just_the_annotation(obj)
            try:
                step = server_apply(obj, keep, now, kind, LAST_APPLIED_MANAGER, False)
                obj, now = step.object, step.managers
            except Conflicts:
                out.warnings.append(
                    f'kubectl cannot give the last-applied annotation to "{LAST_APPLIED_MANAGER}"'
                    " (conflict); it only warns"
                )
    upgraded = upgrade_client_side_managers(now, out.manager)
    if upgraded == now:
        return obj, now, fp.EMPTY
    applier = ManagerId(out.manager, "Apply")
    had = now[applier].fields if applier in now else fp.EMPTY
    migrated = upgraded[applier].fields - had if applier in upgraded else fp.EMPTY
    moved = sorted({m.manager for m in now if m.operation == "Update" and m not in upgraded})
    out.requests.append(Request(JSON_PATCH, out.manager))
    out.requests.append(_apply_request(out.manager, out.force))
    out.notes.append(
        f"kubectl moves the fields of {', '.join(moved)} (client-side apply) to "
        f'"{out.manager}" and applies again: what client-side apply owned and the manifest '
        "no longer sets is removed then, server defaults included (the server fills those "
        "in again)"
    )
    try:
        again = server_apply(obj, config, upgraded, kind, out.manager, out.force)
    except Conflicts as exc:
        out.warnings.append(
            "kubectl's second apply, after moving the client-side apply fields, conflicts "
            f"with {', '.join(sorted(m.manager for m in exc.conflicts))}; kubectl only warns"
        )
        return obj, upgraded, migrated
    return again.object, again.managers, migrated


def _without_managed_fields(value: dict[str, JSON]) -> dict[str, JSON]:
    out = copy(value)
    metadata = out.get("metadata")
    if isinstance(metadata, dict):
        metadata.pop("managedFields", None)
    return out


def _just_the_annotation(obj: dict[str, JSON]) -> dict[str, JSON]:
    metadata = _metadata(obj)
    keep: dict[str, JSON] = {"name": metadata.get("name")}
    if metadata.get("namespace"):
        keep["namespace"] = metadata["namespace"]
    keep["annotations"] = {LAST_APPLIED: _annotations(obj)[LAST_APPLIED]}
    return {"apiVersion": obj.get("apiVersion"), "kind": obj.get("kind"), "metadata": keep}


def _same_ownership(before: Managers, after: Managers) -> bool:
    return {m: o.fields for m, o in before.items()} == {m: o.fields for m, o in after.items()}


def _conflicts(
    found: dict[ManagerId, FieldSet], live: Any, config: Any, root: SmdType
) -> list[Conflict]:
    by_path: dict[Path, list[ManagerId]] = {}
    for identity, paths in found.items():
        for path in paths:
            by_path.setdefault(path, []).append(identity)
    return [
        Conflict(
            path,
            sorted(by_path[path]),
            value_at(live, path, root),
            value_at(config, path, root),
        )
        for path in sorted(by_path, key=fp.path_order)
    ]


def _forced(
    before: Managers, after: Managers, manager: str, live: Any, config: Any, kind: Kind
) -> list[Conflict]:
    """Fields other managers lost to the applier (a forced or forgiven conflict)."""
    applier = ManagerId(manager, "Apply")
    mine = after.get(applier)
    if mine is None:
        return []
    taken: dict[ManagerId, FieldSet] = {}
    for identity, owned in before.items():
        if identity == applier:
            continue
        remaining = after.get(identity)
        lost = (owned.fields - (remaining.fields if remaining else fp.EMPTY)) & mine.fields
        if lost:
            taken[identity] = frozenset(lost)
    return _conflicts(taken, live, config, kind.root)


def _describe_changes(
    out: Preview,
    live: dict[str, JSON],
    result: dict[str, JSON],
    migrated: FieldSet,
    before: Managers,
    kind: Kind,
) -> None:
    changes = compare(live, result, kind.root)
    for path in sorted(changes.modified, key=fp.path_order):
        out.changed.append(
            Change(path, value_at(live, path, kind.root), value_at(result, path, kind.root))
        )
    for path in fp.top_most(changes.added):
        out.changed.append(Change(path, MISSING, value_at(result, path, kind.root)))
    for path in fp.top_most(changes.removed):
        below = {p for p in migrated if p == path or _below(p, path)}
        reason = (
            "client-side apply owned it, kubectl moved that to the server-side manager, and "
            "the manifest does not set it: the server sets it again if it has a default"
            if below
            else f'applied by "{out.manager}" before, not in the manifest, and no other '
            "manager owns it"
        )
        inside = sorted(
            {
                m.manager
                for m, o in before.items()
                if m.manager != out.manager and any(_below(p, path) for p in o.fields)
            }
        )
        if inside and not below:
            reason += f" ({', '.join(inside)} owned fields inside it only, which go with it)"
        out.removed.append(Change(path, value_at(live, path, kind.root), MISSING, reason))


def _below(path: Path, top: Path) -> bool:
    return len(path) > len(top) and path[: len(top)] == top


def _newly_owned(before: Managers, after: Managers, manager: str, root: SmdType) -> list[Owning]:
    """Fields the applier owns now and did not before; a struct or map that is owned only
    for what it holds (a deduced type's keys) is not listed for itself."""
    applier = ManagerId(manager, "Apply")
    now = after.get(applier)
    if now is None:
        return []
    was = before.get(applier)
    gained = now.fields - (was.fields if was else fp.EMPTY)
    nodes = {p[:n] for p in now.fields for n in range(1, len(p))}
    listed = [p for p in gained if not (p in nodes and p[-1].startswith(fp.FIELD))]
    out: list[Owning] = []
    for path in fp.top_most(listed):
        others = sorted(
            m
            for m, o in after.items()
            if m != applier and any(p == path or _below(p, path) for p in o.fields)
        )
        out.append(Owning(path, others))
    return out


# ---------------------------------------------------------------------------------------
# Every object of a run


def preview_all(
    manifests: list[SourcedObject],
    lives: list[SourcedObject],
    schemas: KubernetesSchemas,
    default_namespace: str = DEFAULT_NAMESPACE,
    manager: str = DEFAULT_MANAGER,
    force: bool = False,
) -> tuple[list[Preview], list[str]]:
    """Preview every manifest object in order (a later one sees an earlier one's result)."""
    state, problems = index_live(lives, default_namespace)
    previews: list[Preview] = []
    for manifest in manifests:
        try:
            key = identify(manifest.value, default_namespace, state)
        except ApplyInputError as exc:
            value = manifest.value if isinstance(manifest.value, dict) else {}
            label = f"{value.get('apiVersion')} {value.get('kind')} ?"
            previews.append(
                Preview(label, "error", manifest.source, manager, force, error=str(exc))
            )
            continue
        found = preview(manifest, key, state.get(key), schemas, manager, force)
        previews.append(found)
        if found.result is not None and found.operation in ("create", "apply", "unchanged"):
            written = copy(found.result)
            written.setdefault("metadata", {})["managedFields"] = found.managed_fields
            state[key] = SourcedObject(written, manifest.source)
    return previews, problems


def dumps(previews: list[Preview]) -> str:
    """The ``--output json`` document."""
    return json.dumps([p.as_json() for p in previews], indent=2, ensure_ascii=False) + "\n"
