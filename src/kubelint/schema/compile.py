"""OpenAPI schemas compiled into shared trees: what validation walks.

Schemas (bundled Kubernetes definitions or a CRD's ``openAPIV3Schema``) are compiled
once into :class:`Node` trees, shared by every document of the same kind; ``$ref`` is
followed by :func:`~kubelint.schema.store.resolve_ref`. Field hooks (what the API server
checks beyond OpenAPI, :mod:`kubelint.schema.api_server`) are attached to the nodes of
their (definition, property).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final, NamedTuple

from kubelint.load.paths import AT_VALUE, Path
from kubelint.schema.go_regex import GoRegex, compile_pattern
from kubelint.schema.store import resolve_ref


class Issue(NamedTuple):
    """A problem at an object path. ``rule`` is a core rule slug."""

    rule: str
    path: Path
    message: str
    suggestion: str | None = None
    at: str = AT_VALUE
    meant: str | None = None  # for an unknown field: the field it was validated as


#: A field check: gets the value, yields issues whose paths are relative to the field.
FieldCheck = Callable[[Any], Iterator["Issue"]]


class Node:
    """A compiled schema node."""

    __slots__ = (
        "additional",
        "all_of",
        "any_of",
        "closed",
        "compiler",
        "definition",
        "description",
        "enforce_lists",
        "enum",
        "enum_lower",
        "exclusive_max",
        "exclusive_min",
        "field_checks",
        "fmt",
        "items",
        "key_check",
        "list_type",
        "map_keys",
        "max_items",
        "max_length",
        "max_props",
        "maximum",
        "min_items",
        "min_length",
        "min_props",
        "minimum",
        "multiple_of",
        "not_",
        "one_of",
        "pattern",
        "preserve",
        "properties",
        "raw",
        "raw_properties",
        "required",
        "special",
        "types",
        "value_check",
    )

    def __init__(self) -> None:
        self.types: frozenset[str] | None = None
        self.properties: dict[str, Node] | None = None  # compiled on first use
        self.raw_properties: dict[str, Any] | None = None
        self.compiler: Compiler | None = None
        self.required: tuple[str, ...] = ()
        self.additional: Node | None = None
        self.closed = False
        self.items: Node | None = None
        self.enum: tuple[Any, ...] | None = None
        self.enum_lower: dict[str, str] | None = None
        self.fmt: str | None = None
        self.special: str | None = None
        self.one_of: tuple[Node, ...] | None = None
        self.any_of: tuple[Node, ...] | None = None
        self.all_of: tuple[Node, ...] | None = None
        self.not_: Node | None = None
        self.minimum: float | None = None
        self.maximum: float | None = None
        self.exclusive_min = False
        self.exclusive_max = False
        self.multiple_of: float | None = None
        self.min_length: int | None = None
        self.max_length: int | None = None
        self.pattern: GoRegex | None = None
        self.min_items: int | None = None
        self.max_items: int | None = None
        self.min_props: int | None = None
        self.max_props: int | None = None
        self.list_type: str | None = None
        self.map_keys: tuple[str, ...] = ()
        self.enforce_lists = False
        self.preserve = False
        self.definition: str | None = None
        self.description: str | None = None
        self.raw: dict[str, Any] = {}
        self.field_checks: dict[str, FieldCheck] | None = None
        self.key_check: FieldCheck | None = None
        self.value_check: FieldCheck | None = None

    def prop(self, key: str) -> Node | None:
        """The compiled schema of property ``key`` (compiled on first use), or None."""
        properties = self.properties
        if properties is None:
            return None
        sub = properties.get(key)
        if sub is None and self.raw_properties is not None and key in self.raw_properties:
            assert self.compiler is not None
            sub = properties[key] = self.compiler.property_node(self, key)
        return sub

    def property_names(self) -> list[str]:
        """Every property the schema declares."""
        names = set(self.properties or ())
        names.update(self.raw_properties or ())
        return sorted(names)


#: Definitions with a meaning beyond their JSON schema.
SPECIAL_DEFINITIONS: Final = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "int-or-string",
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "quantity",
    "io.k8s.apimachinery.pkg.runtime.RawExtension": "any",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON": "any",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "date-time",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "date-time",
}

#: Properties whose values' format a catalogue rule checks (so it is reported once, there).
FORMATS_OWNED_BY_RULES: Final = frozenset({("io.k8s.api.core.v1.Secret", "data")})  # KL071

#: Hooks: (definition, property) -> check of that property's value; filled by field_checks.
FieldHooks = dict[tuple[str, str], FieldCheck]


class Compiler:
    """Compiles schema dicts into shared :class:`Node` trees.

    ``resolve`` returns the definition dict for a ``$ref`` name (a ``$ref`` is followed by
    :func:`~kubelint.schema.store.resolve_ref`, the keys beside it ignored). ``enforce_lists``
    turns on list-type uniqueness (the API server enforces it for custom resources
    only; builtin kinds have hand-written rules instead).
    """

    def __init__(
        self,
        resolve: Callable[[str], dict[str, Any] | None],
        hooks: FieldHooks | None = None,
        key_hooks: FieldHooks | None = None,
        *,
        enforce_lists: bool = False,
    ) -> None:
        self._resolve = resolve
        self._by_name: dict[str, Node] = {}
        self._hooks = hooks or {}
        self._key_hooks = key_hooks or {}
        self._enforce_lists = enforce_lists

    def definition(self, name: str) -> Node | None:
        """The compiled node of a named definition (compiled once, recursion-safe)."""
        node = self._by_name.get(name)
        if node is not None:
            return node
        schema = self._resolve(name)
        return None if schema is None else self._named(name, schema)

    def _named(self, name: str, schema: dict[str, Any]) -> Node:
        """The node of definition ``name``, compiled once: registered before it is
        filled, so a definition that contains itself (JSONSchemaProps) ends."""
        node = self._by_name.get(name)
        if node is None:
            node = self._by_name[name] = Node()
            self._fill(node, schema, name)
        return node

    def compile(self, schema: dict[str, Any]) -> Node:
        """Compile an anonymous schema (e.g. a CRD version's openAPIV3Schema)."""
        node = Node()
        self._fill(node, schema, None)
        return node

    def property_node(self, parent: Node, key: str) -> Node:
        """Compile one property of ``parent`` (called lazily by :meth:`Node.prop`)."""
        assert parent.raw_properties is not None
        node = self._sub(parent.raw_properties[key])
        if (parent.definition, key) in FORMATS_OWNED_BY_RULES and node.additional is not None:
            node.additional.fmt = None
        if key in ("apiVersion", "kind") and node.enum is not None:
            # which apiVersion/kind an object has decides its schema; the engine checked them
            stripped = Node()
            stripped.types = node.types
            stripped.raw = node.raw
            stripped.description = node.description
            node = stripped
        return node

    def _sub(self, schema: Any, *, branch: bool = False) -> Node:
        if not isinstance(schema, dict):
            node = Node()
            node.preserve = True
            return node
        resolved = resolve_ref(schema, self._resolve)
        if resolved.name is not None:
            return self._named(resolved.name, resolved.schema)
        node = Node()
        self._fill(node, schema, None, branch=branch)
        return node

    def _fill(
        self, node: Node, schema: dict[str, Any], name: str | None, *, branch: bool = False
    ) -> None:
        node.raw = schema
        node.definition = name
        node.description = schema.get("description")
        node.enforce_lists = self._enforce_lists
        if name in SPECIAL_DEFINITIONS:
            node.special = SPECIAL_DEFINITIONS[name]
            return
        if schema.get("x-kubernetes-int-or-string"):
            node.special = "int-or-string"
        types = schema.get("type")
        if isinstance(types, str):
            node.types = frozenset((types,))
        elif isinstance(types, list):
            node.types = frozenset(t for t in types if isinstance(t, str) and t != "null") or None
        node.fmt = schema.get("format") if isinstance(schema.get("format"), str) else None
        node.preserve = bool(schema.get("x-kubernetes-preserve-unknown-fields")) or bool(
            schema.get("x-kubernetes-embedded-resource") and not schema.get("properties")
        )
        properties = schema.get("properties")
        if isinstance(properties, dict):
            node.properties = {}
            node.raw_properties = properties
            node.compiler = self
            # a combinator branch constrains values; which fields exist is its parent's business
            node.closed = (
                not branch and not node.preserve and schema.get("additionalProperties") is not True
            )
            if name is not None:
                checks = {
                    key: check
                    for key in properties
                    if (check := self._hooks.get((name, key))) is not None
                }
                node.field_checks = checks or None
        additional = schema.get("additionalProperties")
        if isinstance(additional, dict):
            node.additional = self._sub(additional)
            node.closed = False
        elif additional is False:
            node.closed = True
        if node.types == frozenset(("object",)) and properties is None and additional is None:
            node.preserve = node.preserve or self._enforce_lists is False
        required = schema.get("required")
        if isinstance(required, list):
            node.required = tuple(r for r in required if isinstance(r, str))
        items = schema.get("items")
        if isinstance(items, dict):
            node.items = self._sub(items)
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            node.enum = tuple(enum)
            node.enum_lower = {str(v).lower(): str(v) for v in enum if isinstance(v, str)}
        for key, attr in (("oneOf", "one_of"), ("anyOf", "any_of"), ("allOf", "all_of")):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                setattr(node, attr, tuple(self._sub(b, branch=True) for b in branches))
        if isinstance(schema.get("not"), dict):
            node.not_ = self._sub(schema["not"], branch=True)
        for key, attr in (
            ("minimum", "minimum"),
            ("maximum", "maximum"),
            ("multipleOf", "multiple_of"),
            ("minLength", "min_length"),
            ("maxLength", "max_length"),
            ("minItems", "min_items"),
            ("maxItems", "max_items"),
            ("minProperties", "min_props"),
            ("maxProperties", "max_props"),
        ):
            value = schema.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                setattr(node, attr, value)
        node.exclusive_min = schema.get("exclusiveMinimum") is True
        node.exclusive_max = schema.get("exclusiveMaximum") is True
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            node.pattern = compile_pattern(pattern)  # None when the API server refuses it
        node.list_type = schema.get("x-kubernetes-list-type")
        keys = schema.get("x-kubernetes-list-map-keys")
        if isinstance(keys, list):
            node.map_keys = tuple(k for k in keys if isinstance(k, str))
        if name is not None:
            node.key_check = self._key_hooks.get((name, "*"))
            node.value_check = self._hooks.get((name, "*"))
