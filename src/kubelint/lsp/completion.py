"""What can be typed at the cursor: keys the mapping does not have yet, enum values,
booleans, and apiVersion and kind values."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lsprotocol import types as lsp

from kubelint.lsp.cursor import parse_line, path_at, siblings_at, type_meta
from kubelint.lsp.hover import Schema, describe, field_schema, object_schema, schema_at, type_label
from kubelint.lsp.text import Text
from kubelint.schema.store import KubernetesSchemas

_VALUE_CONTEXT = re.compile(
    r"^(?P<indent> *)(?:- +)?(?P<key>[^\s#:][^:#]*?):(?P<space>[ \t]*)(?P<partial>\S*)$"
)
_KEY_CONTEXT = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<partial>(?:[\w.][\w.\-/]*)?)$")
_SCALARS = frozenset({"string", "integer", "number", "boolean"})


def _is_scalar(schemas: KubernetesSchemas, node: Schema) -> bool:
    label = type_label(schemas, node)
    return all(part in _SCALARS or part == "any" for part in label.split(" or "))


def _key_items(
    schemas: KubernetesSchemas, node: Schema, present: set[str], edit_range: lsp.Range
) -> list[lsp.CompletionItem]:
    properties = node.get("properties")
    if not isinstance(properties, dict):
        return []
    required = set(node.get("required") or ())
    items: list[lsp.CompletionItem] = []
    for key, raw in sorted(properties.items()):
        if key in present or not isinstance(raw, dict):
            continue
        field = field_schema(schemas, raw)
        insert = f"{key}: " if _is_scalar(schemas, field) else f"{key}:"
        items.append(
            lsp.CompletionItem(
                label=key,
                kind=lsp.CompletionItemKind.Field,
                detail=type_label(schemas, field) + (" (required)" if key in required else ""),
                documentation=lsp.MarkupContent(
                    kind=lsp.MarkupKind.Markdown, value=describe(schemas, key, field)
                ),
                sort_text=("0" if key in required else "1") + key,
                filter_text=key,
                text_edit=lsp.TextEdit(edit_range, insert),
            )
        )
    return items


def _value_items(
    values: Iterable[str],
    kind: lsp.CompletionItemKind,
    edit_range: lsp.Range,
    prefix: str,
    preferred: Iterable[str] = (),
) -> list[lsp.CompletionItem]:
    first = set(preferred)
    return [
        lsp.CompletionItem(
            label=value,
            kind=kind,
            sort_text=("0" if value in first else "1") + value,
            filter_text=value,
            text_edit=lsp.TextEdit(edit_range, prefix + value),
        )
        for value in dict.fromkeys(values)
    ]


_UNKNOWN_KIND: Schema = {
    "properties": {
        "apiVersion": {"type": "string", "description": "The API group/version of the object."},
        "kind": {"type": "string", "description": "The kind of object."},
        "metadata": {"$ref": "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
    },
    "required": ["apiVersion", "kind", "metadata"],
}


def completions(
    text: Text, position: lsp.Position, schemas: KubernetesSchemas
) -> lsp.CompletionList | None:
    """Keys valid at the cursor (not yet present), enum values, apiVersion and kind values."""
    if not text.inside(position):
        return None
    line, column = text.column(position)
    before = text.line(line)[:column]
    value = _VALUE_CONTEXT.match(before)
    if value is not None:
        items = _value_completions(text, line, column, value, schemas)
    else:
        keyed = _KEY_CONTEXT.match(before)
        if keyed is None:
            return None
        items = _key_completions(text, line, column - len(keyed.group("partial")), column, schemas)
    return None if items is None else lsp.CompletionList(is_incomplete=False, items=items)


def _value_completions(
    text: Text, line: int, column: int, value: re.Match[str], schemas: KubernetesSchemas
) -> list[lsp.CompletionItem] | None:
    """Values after ``key: ``: apiVersion and kind at the top level, enums, booleans."""
    api_version, kind = type_meta(text.lines, line)
    key = value.group("key").strip().strip("\"'")
    partial = value.group("partial")
    edit_range = text.range(line, column - len(partial), line, column)
    prefix = "" if value.group("space") else " "
    entry = parse_line(text.line(line))
    key_column = entry.key_column if entry is not None else len(value.group("indent"))
    parent = path_at(text.lines, line, key_column)
    if not parent and key == "apiVersion":
        serving = schemas.api_versions_with_kind(kind) if kind else []
        return _value_items(
            sorted(schemas.kinds), lsp.CompletionItemKind.Module, edit_range, prefix, serving
        )
    if not parent and key == "kind":
        if api_version and api_version in schemas.kinds:
            kinds = sorted(schemas.kinds[api_version])
        else:
            kinds = sorted({k for ks in schemas.kinds.values() for k in ks})
        return _value_items(kinds, lsp.CompletionItemKind.Class, edit_range, prefix)
    root = object_schema(schemas, api_version, kind) if api_version and kind else None
    node = schema_at(schemas, root, (*parent, key)) if root is not None else None
    if node is None:
        return None
    enum = node.get("enum")
    if isinstance(enum, list) and enum:
        values = [str(v) for v in enum if v is not None]
    elif "boolean" in type_label(schemas, node).split(" or "):
        values = ["true", "false"]
    else:
        return None
    return _value_items(values, lsp.CompletionItemKind.EnumMember, edit_range, prefix)


def _key_completions(
    text: Text, line: int, key_column: int, column: int, schemas: KubernetesSchemas
) -> list[lsp.CompletionItem] | None:
    """Keys of the mapping at the cursor that it does not have yet."""
    api_version, kind = type_meta(text.lines, line)
    parent = path_at(text.lines, line, key_column)
    root = object_schema(schemas, api_version, kind) if api_version and kind else None
    if root is not None:
        node = schema_at(schemas, root, parent)
    elif not parent:
        node = _UNKNOWN_KIND  # no known kind yet: the keys every object has
    else:
        return None
    if node is None:
        return None
    present = siblings_at(text.lines, line, key_column)
    return _key_items(schemas, node, present, text.range(line, key_column, line, column))
