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

from kubelint.schema_store import KubernetesSchemas, group_of

Shape = Literal["struct", "map", "slice", "scalar"]

#: API groups that kubectl's scheme does not know: it applies them with a JSON merge
#: patch, as it does for custom resources.
MERGE_PATCH_GROUPS: Final = frozenset({"apiextensions.k8s.io", "apiregistration.k8s.io"})


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

    __slots__ = ("_node", "_schemas", "name", "shape")

    def __init__(self, schemas: KubernetesSchemas, node: dict[str, Any], name: str) -> None:
        self._schemas = schemas
        resolved = node
        seen: set[str] = set()
        while isinstance(resolved.get("$ref"), str):
            ref = resolved["$ref"]
            if ref in seen:
                break
            seen.add(ref)
            name = ref
            target = schemas.definition(ref)
            if target is None:
                break
            resolved = target
        self._node = resolved
        self.name = name.rsplit(".", 1)[-1]
        self.shape: Shape = _shape_of(resolved)

    def lookup_struct(self, key: str) -> tuple[SchemaType, PatchMeta]:
        """The type and patch metadata of field ``key`` (Go: LookupPatchMetadataForStruct)."""
        if self.shape == "map":
            return self._child(self._node["additionalProperties"], key), NO_META
        if self.shape != "struct":
            raise PatchMetaError(
                "merging an object in json but data type is not map or struct, instead is: "
                + ("slice" if self.shape == "slice" else "scalar")
            )
        node = self._node.get("properties", {}).get(key)
        if not isinstance(node, dict):
            raise PatchMetaError(
                f'unable to find api field in struct {self.name} for the json field "{key}"'
            )
        raw = node.get("x-kubernetes-patch-strategy")
        strategies = tuple(s for s in raw.split(",") if s) if isinstance(raw, str) else ()
        merge_key = node.get("x-kubernetes-patch-merge-key")
        return self._child(node, key), PatchMeta(
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

    def _child(self, node: Any, name: str) -> SchemaType:
        return SchemaType(self._schemas, node if isinstance(node, dict) else {}, name)

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
    """The schema type of a kind kubectl patches strategically, or None (JSON merge patch)."""
    if group_of(api_version) in MERGE_PATCH_GROUPS:
        return None
    name = schemas.kind_definition(api_version, kind)
    if name is None:
        return None
    return SchemaType(schemas, {"$ref": name}, name)
