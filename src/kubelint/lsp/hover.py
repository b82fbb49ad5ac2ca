"""What a field is, from the bundled schema: its type, description and allowed values.

The hover text of the key under the cursor; completion shows the same text for each key
it offers.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types as lsp

from kubelint.load.paths import Path
from kubelint.lsp.cursor import key_at, object_of, parse_line, path_at, token_end, type_meta
from kubelint.lsp.text import Text
from kubelint.schema.store import KubernetesSchemas

Schema = dict[str, Any]


def field_schema(schemas: KubernetesSchemas, node: Schema) -> Schema:
    """A field's schema: its ``$ref`` followed, its own keys (description) kept over the
    definition's, and the definition's name as ``x-ref`` (what its type is called)."""
    resolved = schemas.resolve(node)
    ref = resolved.missing or resolved.name
    if ref is None:
        return node
    target = {} if resolved.missing else resolved.schema
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}, "x-ref": ref}


def object_schema(schemas: KubernetesSchemas, api_version: str, kind: str) -> Schema | None:
    """The schema of a builtin kind, or None."""
    name = schemas.kind_definition(api_version, kind)
    definition = schemas.definition(name) if name else None
    return field_schema(schemas, definition) if definition is not None else None


def schema_at(schemas: KubernetesSchemas, root: Schema, path: Path) -> Schema | None:
    """The schema of the value at ``path`` under ``root`` (list indexes are any int)."""
    node = root
    for step in path:
        if isinstance(step, int):
            items = node.get("items")
            if not isinstance(items, dict):
                return None
            node = field_schema(schemas, items)
            continue
        properties = node.get("properties")
        if isinstance(properties, dict) and isinstance(properties.get(step), dict):
            node = field_schema(schemas, properties[step])
            continue
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            node = field_schema(schemas, extra)
            continue
        return None
    return node


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def type_label(schemas: KubernetesSchemas, node: Schema) -> str:
    """A short human type: ``string``, ``array of Container``, ``map of string to string``."""
    if "oneOf" in node or "anyOf" in node:
        options = node.get("oneOf") or node.get("anyOf") or []
        labels = [
            type_label(schemas, field_schema(schemas, o)) for o in options if isinstance(o, dict)
        ]
        if labels:
            return " or ".join(dict.fromkeys(labels))
    types = node.get("type")
    kinds = [types] if isinstance(types, str) else list(types or [])
    kinds = [k for k in kinds if k != "null"]
    if "array" in kinds:
        items = node.get("items")
        inner = (
            type_label(schemas, field_schema(schemas, items)) if isinstance(items, dict) else "any"
        )
        return f"array of {inner}"
    ref = node.get("x-ref")
    if isinstance(ref, str) and (not kinds or kinds == ["object"]):
        special = node.get("x-kubelint-name")
        return _short(special if isinstance(special, str) else ref)
    if kinds == ["object"] or (not kinds and "properties" in node):
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and "properties" not in node:
            return f"map of string to {type_label(schemas, field_schema(schemas, extra))}"
        return "object"
    return " or ".join(kinds) if kinds else "any"


def describe(schemas: KubernetesSchemas, key: str, node: Schema) -> str:
    """The hover text of a field: name and type, its description, its allowed values."""
    parts = [f"**{key}** `{type_label(schemas, node)}`"]
    description = node.get("description")
    if isinstance(description, str) and description:
        parts.append(description)
    enum = node.get("enum")
    if isinstance(enum, list) and enum:
        parts.append("Allowed values: " + ", ".join(f"`{v}`" for v in enum if v is not None))
    return "\n\n".join(parts)


def hover(text: Text, position: lsp.Position, schemas: KubernetesSchemas) -> lsp.Hover | None:
    """The schema's description, type and allowed values of the key under the cursor."""
    if not text.inside(position):
        return None
    line, column = text.column(position)
    found = key_at(text, line, column)
    if found is not None:
        api_version, kind, path = object_of(found.document, found.path)
        start, end = found.column, found.end_column
    else:
        entry = parse_line(text.line(line))
        if entry is None or entry.key is None or column < entry.key_column:
            return None
        api_version, kind = type_meta(text.lines, line)
        path = (*path_at(text.lines, line, entry.key_column), entry.key)
        start = entry.key_column
        end = token_end(text.line(line), start)
    if not path or api_version is None or kind is None:
        return None
    root = object_schema(schemas, api_version, kind)
    if root is None:
        return None
    node = schema_at(schemas, root, path)
    if node is None:
        return None
    key = next((str(step) for step in reversed(path) if isinstance(step, str)), kind)
    return lsp.Hover(
        contents=lsp.MarkupContent(
            kind=lsp.MarkupKind.Markdown, value=describe(schemas, key, node)
        ),
        range=text.range(line, start, line, end),
    )
