"""What is at a position of a document: the key under the cursor, its path, its span.

Two readings answer. The parsed YAML gives the key at the cursor and the object it belongs
to (:func:`key_at`); a document the user is still typing may not parse, so its indentation
alone gives the path of the mapping at the cursor and the keys it already has
(:func:`path_at`, :func:`siblings_at`). Lines and columns are YAML's (code points); the
client's count is :class:`~kubelint.lsp.text.Text`'s business.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from kubelint.load.documents import YamlMap, YamlSeq, load_text, mark_of
from kubelint.load.paths import Path
from kubelint.lsp.text import Text

#: A block mapping key at the start of a line's content (``key:`` followed by space or end).
_KEY = re.compile(r"""(?P<key>"[^"]*"|'[^']*'|[^\s#'"\[{][^#]*?)\s*:(?:[ \t]|$)""")
#: A document marker line (``---`` or ``...``).
DOC_MARK = re.compile(r"^(?:---|\.\.\.)(?:[ \t]|$)")

_TOKEN = re.compile(r"""(?:"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?|[^\s:#,\]\}]+(?::[^\s,\]\}]+)*)""")


def token_end(line: str, column: int) -> int:
    """Where the token at ``column`` ends (at least one character on)."""
    match = _TOKEN.match(line, column)
    if match is None or match.end() <= column:
        return min(column + 1, max(len(line), column + 1))
    return match.end()


# -- where the cursor is: the parsed document ---------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyAt:
    """The key under the cursor: its path from the document root, and its span on the
    cursor's line."""

    path: Path
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
    if start > 0 and DOC_MARK.match(text.lines[start - 1]):
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
            end_column = token_end(source, key_column)
            best = KeyAt(path, key_column, end_column, document.value)
    return best


def object_of(root: Any, path: Path) -> tuple[str | None, str | None, Path]:
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
        if DOC_MARK.match(lines[number]):
            start = number + 1
            break
    end = len(lines) - 1
    for number in range(line + 1, len(lines)):
        if DOC_MARK.match(lines[number]):
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
            if _outside(entry, column):
                break
            if entry.dash is None and entry.indent == column and entry.key:
                found.add(entry.key)
    for number in range(line + 1, end + 1):
        entry = parse_line(lines[number])
        if entry is None:
            continue
        if _outside(entry, column):
            break
        if entry.dash is None and entry.indent == column and entry.key:
            found.add(entry.key)
    return found


def _outside(entry: Entry, column: int) -> bool:
    """Whether a line ends the mapping whose keys start at ``column`` (it starts left of it)."""
    return (entry.dash if entry.dash is not None else entry.indent) < column


def type_meta(lines: Sequence[str], line: int) -> tuple[str | None, str | None]:
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
