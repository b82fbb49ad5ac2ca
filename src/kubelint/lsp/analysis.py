"""What the editor shows, as pure functions of a document's text.

Findings become diagnostics and quick fixes; the bundled schema answers hovers and
completions. Nothing here knows about the protocol's transport or the server's state:
every function takes the text (and the findings the engine gave for it) and returns
``lsprotocol`` values, so each one is tested without a client.

Positions: every function here counts lines and columns as the YAML parser and the engine
do (YAML lines, code points) and meets the client's count only through
:class:`~kubelint.lsp.text.Text`, so every range leaving this module is in the client's
units. A position outside the document gets no hover and no completion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from lsprotocol import types as lsp

from kubelint.load.documents import YamlMap, YamlSeq, load_text, mark_of
from kubelint.load.paths import Path
from kubelint.lsp.text import Text
from kubelint.report.model import Finding, Severity
from kubelint.schema.store import KubernetesSchemas

SOURCE = "kubelint"

Schema = dict[str, Any]

_SEVERITY = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFO: lsp.DiagnosticSeverity.Information,
}

#: A block mapping key at the start of a line's content (``key:`` followed by space or end).
_KEY = re.compile(r"""(?P<key>"[^"]*"|'[^']*'|[^\s#'"\[{][^#]*?)\s*:(?:[ \t]|$)""")
#: A document marker line (``---`` or ``...``).
_DOC_MARK = re.compile(r"^(?:---|\.\.\.)(?:[ \t]|$)")


# -- diagnostics --------------------------------------------------------------------------

_TOKEN = re.compile(r"""(?:"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?|[^\s:#,\]\}]+(?::[^\s,\]\}]+)*)""")


def _token_end(line: str, column: int) -> int:
    """Where the token at ``column`` ends (at least one character on)."""
    match = _TOKEN.match(line, column)
    if match is None or match.end() <= column:
        return min(column + 1, max(len(line), column + 1))
    return match.end()


def finding_range(finding: Finding, text: Text) -> lsp.Range:
    """The span of a finding (the token at its position when the engine gives no end)."""
    line = min(max(finding.line - 1, 0), max(len(text.lines) - 1, 0))
    column = max(finding.column - 1, 0)
    if finding.end_line is not None and finding.end_column is not None:
        end_line, end_column = finding.end_line - 1, finding.end_column - 1
        if (end_line, end_column) <= (line, column):
            end_line, end_column = line, column + 1
    else:
        end_line, end_column = line, _token_end(text.line(line), column)
    return text.range(line, column, end_line, end_column)


def diagnostic(finding: Finding, text: Text) -> lsp.Diagnostic:
    """One finding as a diagnostic: the rule id is the code, the suggestion a second line."""
    message = finding.message
    if finding.suggestion:
        message = f"{message}\n{finding.suggestion}"
    return lsp.Diagnostic(
        range=finding_range(finding, text),
        message=message,
        severity=_SEVERITY.get(finding.severity, lsp.DiagnosticSeverity.Warning),
        code=finding.rule,
        source=SOURCE,
        data={"name": finding.name},
    )


def diagnostics(findings: Iterable[Finding], text: Text) -> list[lsp.Diagnostic]:
    """Every finding as a diagnostic."""
    return [diagnostic(finding, text) for finding in findings]


# -- code actions -------------------------------------------------------------------------

_DISABLE = re.compile(r"#\s*kubelint:\s*disable(?![-\w])\s*=\s*([A-Za-z0-9_,\- ]*[A-Za-z0-9_])")
_BLOCK_SCALAR = re.compile(r"""(?:^|[:\-]\s*|\s)[|>][+-]?[1-9]?[+-]?\s*(?:#.*)?$""")


def _fix_applies(fix: Any, text: Text) -> bool:
    """Whether every edit of a fix still finds its old text (the buffer may have moved on)."""
    for edit in fix.edits:
        line = text.line(edit.line)
        if line[edit.column : edit.column + len(edit.old)] != edit.old:
            return False
    return True


def _inside_block_scalar(text: Text, line: int) -> bool:
    """Whether a line is the content of a ``|`` or ``>`` scalar (a comment would be text).

    The lines above with ever smaller indentation are the line's ancestors; a mapping's
    ancestors are keys, so one that opens a block scalar means the line is its text.
    """
    own = text.line(line)
    indent = len(own) - len(own.lstrip(" "))
    for number in range(line - 1, -1, -1):
        above = text.line(number)
        if not above.strip() or _DOC_MARK.match(above):
            if _DOC_MARK.match(above):
                return False
            continue
        above_indent = len(above) - len(above.lstrip(" "))
        if above_indent < indent:
            if _BLOCK_SCALAR.search(above.rstrip()):
                return True
            indent = above_indent
            if indent == 0:
                return False
    return False


def disable_edit(text: Text, line: int, rule: str) -> lsp.TextEdit | None:
    """The edit that switches ``rule`` off on a line: extend its disable comment, or add one."""
    source = text.line(line)
    if _inside_block_scalar(text, line):
        return None
    matches = list(_DISABLE.finditer(source))
    if matches:
        match = matches[-1]
        entries = [e.strip() for e in match.group(1).split(",")]
        if rule in entries:
            return None
        at = match.end(1)
        return lsp.TextEdit(text.range(line, at, line, at), f",{rule}")
    end = len(source)
    return lsp.TextEdit(text.range(line, end, line, end), f"  # kubelint: disable={rule}")


def code_actions(
    uri: str, text: Text, findings: Sequence[Finding], selection: lsp.Range
) -> list[lsp.CodeAction]:
    """Quick fixes for the findings on the selected lines, and "disable RULE for this line"."""
    first, _ = text.column(selection.start)
    last, _ = text.column(selection.end)
    fixes: list[lsp.CodeAction] = []
    disables: list[lsp.CodeAction] = []
    disabled: set[tuple[int, str]] = set()
    for finding in findings:
        line = finding.line - 1
        end_line = (finding.end_line or finding.line) - 1
        if end_line < first or line > last:
            continue
        diag = diagnostic(finding, text)
        fix = finding.fix
        if fix is not None and fix.safety != "display-only" and _fix_applies(fix, text):
            edits = [
                lsp.TextEdit(text.range(e.line, e.column, e.line, e.column + len(e.old)), e.new)
                for e in fix.edits
            ]
            title = fix.title if fix.safety == "safe" else f"{fix.title} (unsafe)"
            fixes.append(
                lsp.CodeAction(
                    title=title,
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    edit=lsp.WorkspaceEdit(changes={uri: edits}),
                    is_preferred=fix.safety == "safe",
                )
            )
        if (line, finding.rule) in disabled:
            continue
        disabled.add((line, finding.rule))
        edit = disable_edit(text, line, finding.rule)
        if edit is not None:
            disables.append(
                lsp.CodeAction(
                    title=f"Disable {finding.rule} for this line",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    edit=lsp.WorkspaceEdit(changes={uri: [edit]}),
                )
            )
    return fixes + disables


# -- the schema ---------------------------------------------------------------------------


def resolve(schemas: KubernetesSchemas, node: Schema) -> Schema:
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
    return resolve(schemas, definition) if definition is not None else None


def schema_at(schemas: KubernetesSchemas, root: Schema, path: Path) -> Schema | None:
    """The schema of the value at ``path`` under ``root`` (list indexes are any int)."""
    node = root
    for step in path:
        if isinstance(step, int):
            items = node.get("items")
            if not isinstance(items, dict):
                return None
            node = resolve(schemas, items)
            continue
        properties = node.get("properties")
        if isinstance(properties, dict) and isinstance(properties.get(step), dict):
            node = resolve(schemas, properties[step])
            continue
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            node = resolve(schemas, extra)
            continue
        return None
    return node


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def type_label(schemas: KubernetesSchemas, node: Schema) -> str:
    """A short human type: ``string``, ``array of Container``, ``map of string to string``."""
    if "oneOf" in node or "anyOf" in node:
        options = node.get("oneOf") or node.get("anyOf") or []
        labels = [type_label(schemas, resolve(schemas, o)) for o in options if isinstance(o, dict)]
        if labels:
            return " or ".join(dict.fromkeys(labels))
    types = node.get("type")
    kinds = [types] if isinstance(types, str) else list(types or [])
    kinds = [k for k in kinds if k != "null"]
    if "array" in kinds:
        items = node.get("items")
        inner = type_label(schemas, resolve(schemas, items)) if isinstance(items, dict) else "any"
        return f"array of {inner}"
    ref = node.get("x-ref")
    if isinstance(ref, str) and (not kinds or kinds == ["object"]):
        special = node.get("x-kubelint-name")
        return _short(special if isinstance(special, str) else ref)
    if kinds == ["object"] or (not kinds and "properties" in node):
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and "properties" not in node:
            return f"map of string to {type_label(schemas, resolve(schemas, extra))}"
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


# -- where the cursor is: the parsed document ---------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyAt:
    """The key under the cursor: its path from the document root, and its span."""

    path: Path
    line: int
    column: int
    end_column: int
    document: Any  # the document's root value


def _walk(node: Any, path: Path) -> Iterator[tuple[Path, Any, Any]]:
    """(path, key mark, value mark) of every mapping entry under ``node``."""
    if isinstance(node, YamlMap):
        for key, value in node.items():
            marks = node.marks.get(key)
            if marks is not None:
                yield (*path, key), marks[0], marks[1]
            yield from _walk(value, (*path, key))
    elif isinstance(node, YamlSeq):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


#: A YAML document longer than this (characters) is not parsed for a hover: its indentation
#: answers, as for a half-typed document, so that the answer never waits seconds.
PARSE_LIMIT = 200_000


def key_at(text: Text, line: int, column: int) -> KeyAt | None:
    """The mapping key at (or whose value is at) the cursor, from the parsed YAML.

    Only the YAML document holding the line is parsed (the text between its ``---``
    markers), and not when it is longer than :data:`PARSE_LIMIT`.
    """
    if not 0 <= line < len(text.lines):
        return None
    start, end = _document_bounds(text.lines, line)
    if start > 0 and _DOC_MARK.match(text.lines[start - 1]):
        start -= 1  # the marker line may hold the document's first node ("--- a: 1")
    size = sum(len(text.lines[number]) + 1 for number in range(start, end + 1))
    if size > PARSE_LIMIT:
        return None
    loaded = load_text("\n".join(text.lines[start : end + 1]))
    best: KeyAt | None = None
    for document in loaded.documents:
        if document.value is None:
            continue
        for path, key_mark, _ in _walk(document.value, ()):
            key_line, key_column = mark_of(key_mark)
            if key_line + start != line or key_column > column:
                continue
            if best is not None and best.column >= key_column:
                continue
            source = text.line(line)
            end_column = _token_end(source, key_column)
            best = KeyAt(path, line, key_column, end_column, document.value)
    return best


def _object_of(root: Any, path: Path) -> tuple[str | None, str | None, Path]:
    """apiVersion and kind of the object holding ``path``; the path inside that object.

    The object is the document, or an item of a ``List`` (``items[i]``); other mappings
    with apiVersion and kind (``scaleTargetRef``, ``ownerReferences``) are references.
    """
    node = root
    depth = 0
    while (
        isinstance(node, dict)
        and len(path) >= depth + 2
        and path[depth] == "items"
        and isinstance(path[depth + 1], int)
        and isinstance(node.get("items"), list)
        and 0 <= int(path[depth + 1]) < len(node["items"])
        and isinstance(node["items"][int(path[depth + 1])], dict)
        and "kind" in node["items"][int(path[depth + 1])]
    ):
        node = node["items"][int(path[depth + 1])]
        depth += 2
    if not isinstance(node, dict):
        return None, None, path
    api_version, kind = node.get("apiVersion"), node.get("kind")
    return (
        api_version if isinstance(api_version, str) else None,
        kind if isinstance(kind, str) else None,
        path[depth:],
    )


# -- where the cursor is: the text alone (half-typed documents) ----------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """One line's structure: indentation, a sequence dash, a key."""

    indent: int  # column of the first character
    dash: int | None  # column of a "- " item marker
    key_column: int  # column of the content after the dash
    key: str | None
    value: str  # the text after "key:" (or the whole content when there is no key)


def parse_line(line: str) -> Entry | None:
    """A line as YAML block structure; None for blank lines and comments."""
    stripped = line.lstrip(" ")
    if not stripped or stripped.startswith("#"):
        return None
    indent = len(line) - len(stripped)
    dash: int | None = None
    column = indent
    content = stripped
    if content == "-" or content.startswith(("- ", "-\t")):
        dash = indent
        rest = content[1:]
        content = rest.lstrip(" \t")
        column = indent + 1 + (len(rest) - len(content))
    match = _KEY.match(content)
    if match is None:
        return Entry(indent, dash, column, None, content)
    key = match.group("key").strip()
    if key[:1] in "\"'" and key[-1:] == key[:1] and len(key) > 1:
        key = key[1:-1]
    value = content[match.end() :].strip()
    return Entry(indent, dash, column, key, "" if value.startswith("#") else value)


def _document_bounds(lines: Sequence[str], line: int) -> tuple[int, int]:
    """First and last line (inclusive) of the YAML document holding ``line``."""
    line = min(max(line, 0), len(lines) - 1)
    start = 0
    for number in range(line - 1, -1, -1):
        if _DOC_MARK.match(lines[number]):
            start = number + 1
            break
    end = len(lines) - 1
    for number in range(line + 1, len(lines)):
        if _DOC_MARK.match(lines[number]):
            end = number - 1
            break
    return start, end


def path_at(lines: Sequence[str], line: int, column: int) -> Path:
    """The path of the mapping a key at (line, column) belongs to, from indentation alone.

    ``column`` is where the key starts. Works on documents that do not parse (the user is
    typing): every line above is read for its indentation, dash and key only.
    """
    if not 0 <= line < len(lines):
        return ()
    start, _ = _document_bounds(lines, line)
    path: list[str | int] = []
    k = column
    in_item = False  # True: we are a sequence item at dash column k; False: a key at k
    own = parse_line(lines[line])
    if own is not None and own.dash is not None and own.key_column <= column:
        path.insert(0, 0)
        in_item, k = True, own.dash
    for number in range(line - 1, start - 1, -1):
        entry = parse_line(lines[number])
        if entry is None:
            continue
        if not in_item:
            if entry.dash is not None and entry.dash < k:
                if entry.key is not None and entry.key_column < k and not entry.value:
                    path.insert(0, entry.key)
                elif entry.key_column != k and entry.key is not None:
                    continue
                path.insert(0, 0)
                in_item, k = True, entry.dash
            elif entry.dash is None and entry.indent < k and entry.key is not None:
                path.insert(0, entry.key)
                k = entry.indent
        else:
            if entry.dash is not None and entry.dash >= k:
                continue
            if entry.dash is None and entry.indent <= k and entry.key is not None:
                path.insert(0, entry.key)
                in_item, k = False, entry.indent
            elif entry.dash is not None and entry.key is not None and entry.key_column <= k:
                path.insert(0, entry.key)
                path.insert(0, 0)
                k = entry.dash
            elif entry.indent < k:
                break
        if k == 0 and not in_item:
            break
    return tuple(path)


def siblings_at(lines: Sequence[str], line: int, column: int) -> set[str]:
    """The keys already present in the mapping that a key at (line, column) would join."""
    if not 0 <= line < len(lines):
        return set()
    start, end = _document_bounds(lines, line)
    found: set[str] = set()
    own = parse_line(lines[line])
    starts_item = own is not None and own.dash is not None and own.key_column == column
    if not starts_item:
        for number in range(line - 1, start - 1, -1):
            entry = parse_line(lines[number])
            if entry is None:
                continue
            if entry.dash is not None and entry.key_column == column:
                if entry.key:
                    found.add(entry.key)
                break
            if entry.dash is not None and entry.dash < column:
                break
            if entry.dash is None and entry.indent < column:
                break
            if entry.dash is None and entry.indent == column and entry.key:
                found.add(entry.key)
    for number in range(line + 1, end + 1):
        entry = parse_line(lines[number])
        if entry is None:
            continue
        if entry.dash is not None and entry.dash < column:
            break
        if entry.dash is None and entry.indent < column:
            break
        if entry.dash is None and entry.indent == column and entry.key:
            found.add(entry.key)
    return found


def _type_meta(lines: Sequence[str], line: int) -> tuple[str | None, str | None]:
    """apiVersion and kind written at the top level of the document holding ``line``."""
    if not lines:
        return None, None
    start, end = _document_bounds(lines, line)
    found: dict[str, str] = {}
    for number in range(start, end + 1):
        if lines[number][:1] in ("", " ", "\t", "#"):
            continue  # not a key at the top level (the quick test: most lines are indented)
        entry = parse_line(lines[number])
        if entry is None or entry.indent != 0 or entry.dash is not None:
            continue
        if entry.key in ("apiVersion", "kind") and entry.value:
            value = entry.value.split(" #", 1)[0].strip().strip("\"'")
            found.setdefault(entry.key, value)
            if len(found) == 2:
                break
    return found.get("apiVersion"), found.get("kind")


# -- hover --------------------------------------------------------------------------------


def hover(text: Text, position: lsp.Position, schemas: KubernetesSchemas) -> lsp.Hover | None:
    """The schema's description, type and allowed values of the key under the cursor."""
    if not text.inside(position):
        return None
    line, column = text.column(position)
    found = key_at(text, line, column)
    if found is not None:
        api_version, kind, path = _object_of(found.document, found.path)
        start, end = found.column, found.end_column
    else:
        entry = parse_line(text.line(line))
        if entry is None or entry.key is None or column < entry.key_column:
            return None
        api_version, kind = _type_meta(text.lines, line)
        path = (*path_at(text.lines, line, entry.key_column), entry.key)
        start = entry.key_column
        end = _token_end(text.line(line), start)
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


# -- completion ---------------------------------------------------------------------------

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
        field = resolve(schemas, raw)
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
    api_version, kind = _type_meta(text.lines, line)
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
    api_version, kind = _type_meta(text.lines, line)
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
