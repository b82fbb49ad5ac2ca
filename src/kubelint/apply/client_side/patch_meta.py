"""Strategic-merge patch metadata (merge keys and strategies) from the bundled schemas.

kubectl looks this metadata up in its compiled Go types (the ``patchStrategy`` and
``patchMergeKey`` struct tags) when the server offers no OpenAPI document. The bundled
schemas carry the same tags as ``x-kubernetes-patch-strategy`` and
``x-kubernetes-patch-merge-key``, so a schema node stands in for a Go type here, with
the same three shapes that matter to the patch code: a struct (named fields), a map
(any key, one element type) and a slice (one element type). Everything else is a
scalar, and looking a field up in it fails as it does in Go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from kubelint.apply.client_side import kubectl_scheme
from kubelint.schema.store import KubernetesSchemas

Shape = Literal["struct", "map", "slice", "scalar"]


class PatchMetaError(Exception):
    """A field the Go types do not have, or of another shape: kubectl stops with this."""


@dataclass(frozen=True, slots=True)
class PatchMeta:
    """A field's patch strategies (``merge``, ``replace``, ``retainKeys``) and merge key."""

    strategies: tuple[str, ...] = ()
    merge_key: str = ""


NO_META: Final = PatchMeta()


class SchemaType:
    """One type of the schema, resolved through ``$ref``; it answers lookups as Go does."""

    __slots__ = ("_node", "_overlay", "_schemas", "name", "shape")

    def __init__(
        self,
        schemas: KubernetesSchemas,
        node: dict[str, Any],
        name: str,
        overlay: dict[str, Any] | None = None,
    ) -> None:
        self._schemas = schemas
        #: where an older Go type differs: properties to add, patch tags to replace
        self._overlay = overlay or {}
        resolved = schemas.resolve(node)
        self._node = resolved.schema
        self.name = (resolved.missing or resolved.name or name).rsplit(".", 1)[-1]
        self.shape: Shape = _shape_of(resolved.schema)

    def lookup_struct(self, key: str) -> tuple[SchemaType, PatchMeta]:
        """The type and patch metadata of field ``key`` (Go: LookupPatchMetadataForStruct)."""
        if self.shape == "map":
            return self._child(self._node["additionalProperties"], key), NO_META
        if self.shape != "struct":
            raise PatchMetaError(
                "merging an object in json but data type is not map or struct, instead is: "
                + ("slice" if self.shape == "slice" else "scalar")
            )
        base = self._node.get("properties", {}).get(key)
        extra = self._overlay.get("properties", {}).get(key)
        node = base if isinstance(base, dict) else extra
        if not isinstance(node, dict):
            raise PatchMetaError(
                f'unable to find api field in struct {self.name} for the json field "{key}"'
            )
        tags = {**node, **(extra if isinstance(extra, dict) and node is base else {})}
        raw = tags.get("x-kubernetes-patch-strategy")
        strategies = tuple(s for s in raw.split(",") if s) if isinstance(raw, str) else ()
        merge_key = tags.get("x-kubernetes-patch-merge-key")
        overlay = extra if isinstance(extra, dict) and node is base else None
        return self._child(node, key, overlay), PatchMeta(
            strategies, merge_key if isinstance(merge_key, str) else ""
        )

    def lookup_slice(self, key: str) -> tuple[SchemaType, PatchMeta]:
        """The element type and metadata of list field ``key`` (Go: ...ForSlice)."""
        field, meta = self.lookup_struct(key)
        if field.shape != "slice":
            raise PatchMetaError(f"expected slice or array type, but got: {self._go_kind()}")
        element = field.element()
        if element.shape == "slice":
            raise PatchMetaError("unexpected slice of slice")
        return element, meta

    def element(self) -> SchemaType:
        """The item type of a slice."""
        items = self._node.get("items")
        return self._child(items if isinstance(items, dict) else {}, "items")

    def _child(self, node: Any, name: str, overlay: dict[str, Any] | None = None) -> SchemaType:
        return SchemaType(self._schemas, node if isinstance(node, dict) else {}, name, overlay)

    def _go_kind(self) -> str:
        return {"struct": "struct", "map": "map", "slice": "slice"}.get(self.shape, "string")


def _types(node: dict[str, Any]) -> set[str]:
    raw = node.get("type")
    if isinstance(raw, str):
        return {raw}
    if isinstance(raw, list):
        return {t for t in raw if isinstance(t, str)}
    return set()


def _shape_of(node: dict[str, Any]) -> Shape:
    if isinstance(node.get("properties"), dict):
        return "struct"
    if isinstance(node.get("additionalProperties"), dict):
        return "map"
    types = _types(node)
    if "array" in types or isinstance(node.get("items"), dict):
        return "slice"
    if "object" in types:
        # an object with neither properties nor an element type is a Go struct whose
        # fields are not JSON fields (RawExtension, FieldsV1): every lookup fails
        return "struct"
    return "scalar"


def extract_retain_keys(strategies: tuple[str, ...]) -> tuple[bool, str]:
    """Split strategies into (retainKeys?, the other strategy) as kubectl does."""
    if not strategies:
        return False, ""
    if len(strategies) == 1:
        if strategies[0] == "retainKeys":
            return True, ""
        return False, strategies[0]
    if len(strategies) == 2:
        if strategies[0] == "retainKeys":
            return True, strategies[1]
        if strategies[1] == "retainKeys":
            return True, strategies[0]
    raise PatchMetaError(f"unexpected patch strategy: {list(strategies)}")


def root_type(schemas: KubernetesSchemas, api_version: str, kind: str) -> SchemaType | None:
    """The Go type kubectl patches ``kind`` with strategically, or None: a kind outside
    kubectl's scheme gets a JSON merge patch (see :mod:`kubelint.apply.client_side.kubectl_scheme`).

    A compiled-in kind the bundled schemas do not serve (``extensions/v1beta1``) is
    looked up in a served version with the same patch tags, with its differences.
    """
    if not kubectl_scheme.compiled_in(api_version, kind):
        return None
    name = schemas.kind_definition(api_version, kind)
    overlay = None
    if name is None:
        served = kubectl_scheme.stand_in(api_version, kind)
        name = schemas.kind_definition(served, kind) if served is not None else None
        overlay = kubectl_scheme.overrides(api_version, kind)
    if name is None:
        return None
    return SchemaType(schemas, {"$ref": name}, name, overlay)
