"""The types of structured-merge-diff, read from the bundled schemas, and values as it sees them.

The API server converts each kind's OpenAPI schema into a structured-merge-diff schema
(k8s.io/kube-openapi ``pkg/schemaconv``): lists follow ``x-kubernetes-list-type``
(``atomic`` lists are one value, ``set`` lists merge by value, ``map`` lists by
``x-kubernetes-list-map-keys``), maps and structs ``x-kubernetes-map-type`` (``granular``
unless ``atomic``). Kinds without a schema get the server's deduced type: every list
atomic, maps granular (``typed/deduced.go``).

Besides the types: :data:`MISSING` (an absent value, as opposed to a JSON null), value
equality as ``value.Equals`` has it, list items as path elements, and the check the server
makes when it converts an applied configuration to its type (:func:`validate`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Final, Literal

from kubelint.apply.server_side import field_paths as fp
from kubelint.apply.server_side.field_paths import FieldSet, Path
from kubelint.apply.values import JSON, json_type
from kubelint.schema.store import KubernetesSchemas


class _Missing:
    """An absent value (a JSON null is present)."""

    def __repr__(self) -> str:
        return "MISSING"


#: An absent value, where a JSON null is a value that is present.
MISSING: Final = _Missing()


class InvalidValue(Exception):
    """A value that does not fit its type: the server refuses to convert it."""


# ---------------------------------------------------------------------------------------
# Types, as the API server converts OpenAPI to structured-merge-diff schemas
# (k8s.io/kube-openapi pkg/schemaconv)

#: What a type is: a scalar, a struct (declared fields), a map, a list, or deduced.
Shape = Literal["scalar", "struct", "map", "list", "deduced"]
#: How a list merges: replaced whole, by value, or by its key fields.
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
    resolved = schemas.resolve(node if isinstance(node, dict) else {})
    return ({} if resolved.missing else resolved.schema), resolved.name or name


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


#: A scalar of no particular type (int-or-string, oneOf ...).
SCALAR: Final = SmdType("scalar")
#: The type the server deduces from the value where there is no schema.
DEDUCED: Final = SmdType("deduced")
_DEDUCED_MAP: Final = SmdType("map", element=DEDUCED)
_DEDUCED_LIST: Final = SmdType("list", element=DEDUCED, atomic=True)


def concrete(t: SmdType, value: Any) -> SmdType:
    """The concrete type for ``value``: a deduced type takes the shape of the value."""
    if t.shape != "deduced":
        return t
    if isinstance(value, list):
        return _DEDUCED_LIST
    if isinstance(value, dict) or value is None or value is MISSING:
        return _DEDUCED_MAP
    return SCALAR


def _kind_of(value: Any) -> str:
    return {"object": "map", "array": "list"}.get(json_type(value), "scalar")


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
# Object kinds

#: What the main resource of a kind with a status subresource leaves alone.
STATUS: Final[FieldSet] = frozenset({(fp.field_element("status"),)})


@dataclass(slots=True)
class Kind:
    """The type of one object kind and the fields its main resource resets (status)."""

    root: SmdType
    ignored: FieldSet
    deduced: bool


def kind_of(schemas: KubernetesSchemas, api_version: str, kind: str) -> Kind:
    """The type of a kind; custom resources without schema get the deduced type."""
    root = root_type(schemas, api_version, kind)
    if root is None:
        return Kind(deduced_root(schemas), STATUS, deduced=True)
    return Kind(root, STATUS if root.declares("status") else fp.EMPTY, deduced=False)


# ---------------------------------------------------------------------------------------
# Values: equality as value.Equals, list items as path elements, the conversion check


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
            raise InvalidValue(f"associative list with keys may not have {kind} elements")
        element_name = t.element().name
        fields: dict[str, JSON] = {}
        for key in t.keys:
            if key in item:
                fields[key] = item[key]
            elif (element_name, key) in _KEY_DEFAULTS:
                fields[key] = _KEY_DEFAULTS[(element_name, key)]
            else:
                raise InvalidValue(
                    "associative list with keys has an element that omits key field "
                    f'"{key}" (and doesn\'t have default value)'
                )
        return fp.key_element(fields)
    if t.list_kind in ("map", "set"):
        if isinstance(item, dict | list):
            raise InvalidValue(
                "associative list without keys has an element that's a "
                + ("map" if isinstance(item, dict) else "list")
                + " type"
            )
        return fp.value_element(item)
    return fp.index_element(position)


def index_items(t: SmdType, items: list[Any], path: Path) -> tuple[list[str], dict[str, Any]]:
    """The path elements of ``items`` in order, and the item of each (no duplicates)."""
    order: list[str] = []
    found: dict[str, Any] = {}
    for position, item in enumerate(items):
        try:
            element = item_element(t, item, position)
        except InvalidValue as exc:
            raise InvalidValue(f"{fp.render(path)}: element {position}: {exc}") from exc
        if element in found:
            raise InvalidValue(
                f"{fp.render(path)}: duplicate entries for key {fp.render_element(element)}"
            )
        found[element] = item
        order.append(element)
    return order, found


def validate(value: Any, t: SmdType, path: Path = ()) -> None:
    """What the server checks when it converts an applied configuration to its schema."""
    if value is None:
        return
    atom = concrete(t, value)
    if not _same_shape(atom, value):
        expected = {"struct": "map", "map": "map", "list": "list"}.get(atom.shape, atom.scalar)
        raise InvalidValue(f"{fp.render(path)}: expected {expected}, got {_kind_of(value)}")
    if atom.shape == "scalar":
        _validate_scalar(value, atom, path)
    elif isinstance(value, list):
        if atom.atomic and atom.list_kind == "atomic":
            for position, item in enumerate(value):
                validate(item, atom.element(), (*path, fp.index_element(position)))
            return
        order, items = index_items(atom, value, path)
        for element in order:
            validate(items[element], atom.element(), (*path, element))
    elif isinstance(value, dict):
        for key, child in value.items():
            child_type, declared = atom.field(key)
            here = (*path, fp.field_element(key))
            if atom.shape == "struct" and not declared and not atom.open:
                raise InvalidValue(f"{fp.render(here)}: field not declared in schema")
            validate(child, child_type, here)


def _validate_scalar(value: Any, t: SmdType, path: Path) -> None:
    ok = {
        "numeric": isinstance(value, int | float) and not isinstance(value, bool),
        "string": isinstance(value, str),
        "bool": isinstance(value, bool),
    }.get(t.scalar, True)
    if not ok:
        raise InvalidValue(f"{fp.render(path)}: expected {t.scalar}, got {json.dumps(value)}")
