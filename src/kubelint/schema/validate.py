"""Structural validation of an object against an OpenAPI schema, with one finding per root cause.

Schemas (bundled Kubernetes definitions or a CRD's ``openAPIV3Schema``) are compiled
once into :class:`Node` trees, shared by every document of the same kind. Validation
walks the value and the node together and yields :class:`Issue` records addressed by
object path; the engine turns paths into file positions.

Root causes are kept single: a value of the wrong type is not also searched for
unknown fields, an unknown field is not descended into, and a missing required field
that a misspelt sibling was meant to be is folded into the unknown-field finding.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from typing import Any, Final, NamedTuple

from kubelint.load.paths import AT_KEY, AT_PARENT, AT_VALUE, Path
from kubelint.rules.core import (
    INVALID_ENUM_VALUE,
    INVALID_QUANTITY,
    INVALID_TYPE,
    INVALID_VALUE,
    MISSING_REQUIRED_FIELD,
    UNKNOWN_FIELD,
    YAML_IMPLICIT_TYPE,
)
from kubelint.schema.go_regex import GoRegex, compile_pattern
from kubelint.schema.store import resolve_ref
from kubelint.schema.suggest import closest


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

_INT32: Final = (-(2**31), 2**31 - 1)
_INT64: Final = (-(2**63), 2**63 - 1)


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


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return type(value).__name__


def _matches_type(value: Any, wanted: str) -> bool:
    if wanted == "object":
        return isinstance(value, dict)
    if wanted == "array":
        return isinstance(value, list)
    if wanted == "string":
        return isinstance(value, str)
    if wanted == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if wanted == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if wanted == "number":
        return isinstance(value, int | float)
    return True


_ARTICLE: Final = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
}


def _describe(types: frozenset[str]) -> str:
    return " or ".join(_ARTICLE.get(t, t) for t in sorted(types))


class Validator:
    """Validates values against compiled nodes. ``partial`` skips required-field checks."""

    def __init__(self, *, partial: bool = False) -> None:
        self.partial = partial

    def validate(self, node: Node, value: Any, path: Path = ()) -> list[Issue]:
        """All issues of ``value`` against ``node``."""
        out: list[Issue] = []
        self._check(node, value, path, out)
        return out

    def _check(self, node: Node, value: Any, path: Path, out: list[Issue]) -> None:
        if value is None:
            return  # null is "unset" to the API server's decoder
        special = node.special
        if special is not None:
            self._check_special(node, special, value, path, out)
            return
        types = node.types
        if types is not None and not any(_matches_type(value, t) for t in types):
            out.append(_type_issue(types, value, path))
            return
        if isinstance(value, float) and not math.isfinite(value):
            out.append(Issue(INVALID_VALUE.slug, path, f"{value} is not a number JSON can carry"))
            return
        if node.enum is not None and value not in node.enum:
            out.append(_enum_issue(node, value, path))
        if isinstance(value, dict):
            self._check_object(node, value, path, out)
        elif isinstance(value, list):
            self._check_array(node, value, path, out)
        elif isinstance(value, str):
            self._check_string(node, value, path, out)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self._check_number(node, value, path, out)
        if node.value_check is not None:
            out.extend(_rebase(node.value_check(value), path))
        if (
            node.all_of is None
            and node.any_of is None
            and node.one_of is None
            and node.not_ is None
        ):
            return
        if isinstance(value, dict) and node.raw_properties:
            value = _with_defaults(node, value)
        if node.all_of is not None:
            for branch in node.all_of:
                self._check(branch, value, path, out)
        if node.any_of is not None and not any(
            not self.validate(b, value, path) for b in node.any_of
        ):
            out.append(_combinator_issue("any", node.any_of, self, value, path))
        if node.one_of is not None:
            passing = sum(1 for b in node.one_of if not self.validate(b, value, path))
            if passing != 1:
                out.append(_combinator_issue("one", node.one_of, self, value, path, passing))
        if node.not_ is not None and not self.validate(node.not_, value, path):
            out.append(
                Issue(INVALID_VALUE.slug, path, "this value is of a shape the schema forbids")
            )

    def _check_special(
        self, node: Node, special: str, value: Any, path: Path, out: list[Issue]
    ) -> None:
        if special == "any":
            return
        if special == "int-or-string":
            if isinstance(value, bool) or not isinstance(value, int | str | float):
                out.append(_type_issue(frozenset(("integer", "string")), value, path))
            elif isinstance(value, float) and not value.is_integer():
                out.append(Issue(INVALID_TYPE.slug, path, f"{value} is not an integer or a string"))
        elif special == "quantity":
            from kubelint.schema.formats.quantities import parse_quantity

            if isinstance(value, bool) or not isinstance(value, int | float | str):
                out.append(
                    Issue(
                        INVALID_QUANTITY.slug,
                        path,
                        f"a quantity must be a string or a number, not {_type_name(value)}",
                    )
                )
            else:
                _, problems = parse_quantity(value)
                if problems:
                    hint = _quantity_hint(problems)
                    reason = problems[0].split(": did you mean")[0].split("; did you mean")[0]
                    out.append(
                        Issue(
                            INVALID_QUANTITY.slug,
                            path,
                            f"{value!r} is not a valid quantity: {reason}",
                            hint,
                        )
                    )
        elif special == "date-time" and not isinstance(value, str):
            out.append(_type_issue(frozenset(("string",)), value, path))
        if node.value_check is not None:
            out.extend(_rebase(node.value_check(value), path))

    def _check_object(
        self, node: Node, value: dict[str, Any], path: Path, out: list[Issue]
    ) -> None:
        properties = node.properties
        prop = node.prop
        folded: set[str] = set()
        checks = node.field_checks
        key_check = node.key_check
        for key, item in value.items():
            sub = prop(key) if properties is not None else None
            child_path = (*path, key)
            if key_check is not None:
                out.extend(_rebase(key_check(key), child_path))
            if sub is not None:
                self._check(sub, item, child_path, out)
                if checks is not None and item is not None:
                    check = checks.get(key)
                    if check is not None:
                        out.extend(_rebase(check(item), child_path))
            elif node.additional is not None:
                self._check(node.additional, item, child_path, out)
            elif node.closed and properties is not None:
                candidates = [p for p in node.property_names() if p not in value]
                guess = closest(key, candidates)
                message = f'unknown field "{key}"'
                if guess is not None and guess in node.required and not self.partial:
                    folded.add(guess)
                    message += f' ("{guess}" is required here and missing)'
                meant = prop(guess) if guess is not None else None
                out.append(
                    Issue(
                        UNKNOWN_FIELD.slug,
                        child_path,
                        message,
                        f'did you mean "{guess}"?' if guess else None,
                        AT_KEY,
                        guess if meant is not None else None,
                    )
                )
                if meant is not None:
                    # check the content as the field that was meant: its own mistakes still count
                    self._check(meant, item, child_path, out)
        if not self.partial:
            for name in node.required:
                if value.get(name) is None and name not in folded:
                    out.append(
                        Issue(
                            MISSING_REQUIRED_FIELD.slug,
                            (*path, name),
                            f'missing required field "{name}"',
                            None,
                            AT_PARENT,
                        )
                    )
        count = len(value)
        if node.min_props is not None and count < node.min_props:
            out.append(Issue(INVALID_VALUE.slug, path, f"needs at least {node.min_props} entries"))
        if node.max_props is not None and count > node.max_props:
            out.append(Issue(INVALID_VALUE.slug, path, f"allows at most {node.max_props} entries"))

    def _check_array(self, node: Node, value: list[Any], path: Path, out: list[Issue]) -> None:
        items = node.items
        if items is not None:
            for index, item in enumerate(value):
                self._check(items, item, (*path, index), out)
        count = len(value)
        if node.min_items is not None and count < node.min_items:
            out.append(
                Issue(
                    INVALID_VALUE.slug, path, f"needs at least {node.min_items} items, has {count}"
                )
            )
        if node.max_items is not None and count > node.max_items:
            out.append(
                Issue(
                    INVALID_VALUE.slug, path, f"allows at most {node.max_items} items, has {count}"
                )
            )
        if node.enforce_lists and node.list_type in ("set", "map"):
            seen: dict[Any, int] = {}
            for index, item in enumerate(value):
                if node.list_type == "map":
                    if not isinstance(item, dict):
                        continue
                    # keys are compared after defaulting, as the API server does
                    defaults = items.raw_properties or {} if items is not None else {}
                    identity: Any = tuple(
                        _hashable(item[k] if k in item else _default_of(defaults.get(k)))
                        for k in node.map_keys
                    )
                else:
                    identity = _hashable(item)
                if identity in seen:
                    out.append(
                        Issue(
                            INVALID_VALUE.slug,
                            (*path, index),
                            f"duplicate entry (same as item {seen[identity]})",
                        )
                    )
                else:
                    seen[identity] = index

    def _check_string(self, node: Node, value: str, path: Path, out: list[Issue]) -> None:
        length = len(value)
        if node.min_length is not None and length < node.min_length:
            out.append(
                Issue(
                    INVALID_VALUE.slug, path, f"must be at least {node.min_length} characters long"
                )
            )
        if node.max_length is not None and length > node.max_length:
            out.append(
                Issue(
                    INVALID_VALUE.slug,
                    path,
                    f"must be at most {node.max_length} characters long, is {length}",
                )
            )
        if node.pattern is not None and not node.pattern.search(value):
            out.append(
                Issue(
                    INVALID_VALUE.slug,
                    path,
                    f"{value!r} does not match the pattern {node.pattern.pattern!r}",
                )
            )
        if node.fmt == "byte" and not _is_base64(value):
            out.append(Issue(INVALID_VALUE.slug, path, "must be base64-encoded data"))

    def _check_number(self, node: Node, value: float, path: Path, out: list[Issue]) -> None:
        if node.fmt in ("int32", "int64") and float(value).is_integer():
            low, high = _INT32 if node.fmt == "int32" else _INT64
            if not low <= value <= high:
                out.append(
                    Issue(INVALID_VALUE.slug, path, f"{value} is out of range for {node.fmt}")
                )
        integer_only = node.types is not None and "number" not in node.types
        if integer_only and isinstance(value, float) and not value.is_integer():
            out.append(Issue(INVALID_TYPE.slug, path, f"{value} is not an integer"))
        if node.minimum is not None and (
            value < node.minimum or (node.exclusive_min and value == node.minimum)
        ):
            out.append(
                Issue(
                    INVALID_VALUE.slug,
                    path,
                    f"must be {'greater than' if node.exclusive_min else 'at least'} "
                    f"{node.minimum}",
                )
            )
        if node.maximum is not None and (
            value > node.maximum or (node.exclusive_max and value == node.maximum)
        ):
            out.append(
                Issue(
                    INVALID_VALUE.slug,
                    path,
                    f"must be {'less than' if node.exclusive_max else 'at most'} {node.maximum}",
                )
            )
        if node.multiple_of and value % node.multiple_of:
            out.append(Issue(INVALID_VALUE.slug, path, f"must be a multiple of {node.multiple_of}"))


def _default_of(schema: Any) -> Any:
    return schema.get("default") if isinstance(schema, dict) else None


def _with_defaults(node: Node, value: dict[str, Any]) -> dict[str, Any]:
    """The object as the API server sees it after defaulting (for combinator checks)."""
    raw = node.raw_properties or {}
    missing = {
        key: sub["default"]
        for key, sub in raw.items()
        if key not in value and isinstance(sub, dict) and "default" in sub
    }
    return {**missing, **value} if missing else value


def _rebase(issues: Iterator[Issue], path: Path) -> Iterator[Issue]:
    for issue in issues:
        yield Issue(
            issue.rule, (*path, *issue.path), issue.message, issue.suggestion, issue.at, issue.meant
        )


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


_BASE64: Final = re.compile(r"[A-Za-z0-9+/]*={0,2}\Z")


def _is_base64(value: str) -> bool:
    # Go's base64 decoder (used for []byte fields) skips only \r and \n
    compact = value.replace("\r", "").replace("\n", "")
    return len(compact) % 4 == 0 and bool(_BASE64.match(compact))


def _type_issue(types: frozenset[str], value: Any, path: Path) -> Issue:
    if types == frozenset(("string",)) and isinstance(value, bool | int | float):
        return Issue(
            YAML_IMPLICIT_TYPE.slug,
            path,
            f"YAML reads this unquoted value as {_ARTICLE[_type_name(value)]} "
            f"({_json_text(value)}), "
            "but the field takes a string; the API server rejects it",
            "quote it",
        )
    return Issue(
        INVALID_TYPE.slug,
        path,
        f"expected {_describe(types)}, got {_ARTICLE.get(_type_name(value), _type_name(value))}",
    )


def _json_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _enum_issue(node: Node, value: Any, path: Path) -> Issue:
    allowed = ", ".join(str(v) for v in node.enum or ())
    guess: str | None = None
    same_but_case = False
    if isinstance(value, str) and node.enum_lower:
        guess = node.enum_lower.get(value.lower())
        same_but_case = guess is not None
        guess = guess or closest(value, list(node.enum_lower.values()))
    shown = repr(value) if isinstance(value, str) else _json_text(value)
    return Issue(
        INVALID_ENUM_VALUE.slug,
        path,
        f"{shown} is not one of: {allowed}",
        f'did you mean "{guess}"?' if guess else None,
        AT_VALUE,
        guess if same_but_case else None,
    )


def _combinator_issue(
    kind: str,
    branches: tuple[Node, ...],
    validator: Validator,
    value: Any,
    path: Path,
    passing: int = 0,
) -> Issue:
    if kind == "one" and passing > 1:
        return Issue(
            INVALID_VALUE.slug, path, "matches more than one of the allowed shapes (oneOf)"
        )
    details = [issue.message for b in branches for issue in validator.validate(b, value, path)[:1]]
    hint = f" ({'; '.join(details[:3])})" if details else ""
    return Issue(INVALID_VALUE.slug, path, f"matches none of the allowed shapes{hint}")


def _quantity_hint(problems: list[str]) -> str | None:
    for problem in problems:
        if "did you mean" in problem:
            return problem[problem.index("did you mean") :]
    return None


def walk_paths(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every (path, value) pair below ``value`` (depth-first, pre-order)."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_paths(item, (*path, index))
