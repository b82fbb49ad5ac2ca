"""Manifest files read as ``kubectl apply -f`` reads them.

kubectl cuts a file into documents with k8s.io/apimachinery's ``YAMLReader`` (util/yaml
``decoder.go``): only a line that starts with ``---`` ends a document, and one with more
than a comment after the dashes (``--- foo``) stops the file with ``invalid Yaml document
separator``. Each piece goes whole to sigs.k8s.io/yaml, whose go-yaml decoder reads its
first document only: after a ``...`` end marker, the rest of the piece is never read.
The YAML becomes JSON with Go's ``json.Marshal``, which refuses NaN and infinities; a
failure stops the file there (cli-runtime ``StreamVisitor.Visit``: ``error parsing
FILE: ...``), while the documents before it are still applied. A key written twice in
one mapping keeps its last value, without a word. A document whose metadata does not
decode into ``ObjectMeta`` fails alone (see :mod:`kubelint.apply.object_meta`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from kubelint.apply.object_meta import decode_error, go_quote
from kubelint.apply.simulate import SourcedObject, list_items
from kubelint.apply.values import GoJSONError, from_yaml, unsupported_value
from kubelint.loader import Document, LoadProblem, load_text
from kubelint.positions import locate
from kubelint.yaml_lines import line_of, line_starts

_LINE: Final = re.compile(r"[^\n]*\n|[^\n]+\Z")


class ReadError(Exception):
    """A file that does not parse as YAML at all (kubelint cannot tell what it holds)."""


@dataclass(slots=True)
class ReadFile:
    """The objects kubectl reads from one file, and the error that stops it, if any."""

    objects: list[SourcedObject] = field(default_factory=list)
    #: kubectl's error for the file (``display:line:column: ...``); what follows is unread
    stopped: str | None = None


def pieces(text: str) -> tuple[list[tuple[str, int]], tuple[int, str] | None]:
    """The pieces ``YAMLReader`` cuts ``text`` into, each with its first line (0-based, as
    the YAML parser counts lines), and the invalid separator line that stops it (its line
    and what follows the dashes).

    kubectl cuts at ``\n`` only, but positions are reported in YAML lines, which also
    break at ``\r``, U+0085, U+2028 and U+2029. The piece an invalid separator interrupts
    is lost, as in kubectl; a separator line that opens a piece stays in it (YAML reads
    it as a document start).
    """
    starts = line_starts(text)
    found: list[tuple[str, int]] = []
    buffer: list[str] = []
    first = 0
    for match in _LINE.finditer(text):
        line = match.group()
        if line.startswith("---"):
            rest = line[3:].strip()
            if rest and not rest.startswith("#"):
                return found, (line_of(starts, match.start()), rest)
            if buffer:
                found.append(("".join(buffer), first))
                buffer = []
                continue
        if not buffer:
            first = line_of(starts, match.start())
        buffer.append(line)
    if buffer:
        found.append(("".join(buffer), first))
    return found, None


def _first_document(piece: str, first_line: int) -> Document | LoadProblem | None:
    """What go-yaml reads of a piece: its first document, or the syntax error before it."""
    loaded = load_text("\n" * first_line + piece)
    entries: list[tuple[tuple[int, int], Document | LoadProblem]] = [
        (d.start_mark, d) for d in loaded.documents
    ]
    entries.extend((p.mark, p) for p in loaded.problems)
    if not entries:
        return None
    return min(entries, key=lambda entry: entry[0])[1]


def _unsupported_path(value: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...]:
    """The path of the first value ``json.Marshal`` refuses (keys in sorted order)."""
    if isinstance(value, dict):
        for key in sorted(value):
            if unsupported_value(value[key]) is not None:
                return _unsupported_path(value[key], (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if unsupported_value(item) is not None:
                return _unsupported_path(item, (*path, index))
    return path


def read_file(display: str, text: str) -> ReadFile:
    """Every object kubectl reads from ``text`` (``List`` kinds expanded), in order.

    Raises :class:`ReadError` for a YAML syntax error in a document kubectl reads.
    """
    read = ReadFile()
    found_pieces, bad_separator = pieces(text)
    for piece, where in found_pieces:
        found = _first_document(piece, where)
        if isinstance(found, LoadProblem):
            raise ReadError(f"{display}:{found.mark[0] + 1}:{found.mark[1] + 1}: {found.message}")
        if found is None or found.value is None:
            continue
        syntax = [p for p in found.problems if p.kind != "duplicate-key"]
        if syntax:
            first = syntax[0]
            raise ReadError(f"{display}:{first.mark[0] + 1}:{first.mark[1] + 1}: {first.message}")
        root = found.value
        try:
            value = from_yaml(root)
        except GoJSONError as exc:
            line, column = locate(root, _unsupported_path(root), "value", found.start_mark)
            read.stopped = (
                f"{display}:{line + 1}:{column + 1}: error parsing {display}: error "
                f"converting YAML to JSON: {exc}"
            )
            return read
        undecodable = decode_error(root)
        if undecodable is not None:
            undecodable = f"unable to decode {go_quote(display)}: {undecodable}"
        duplicates = [
            f"{display}:{p.mark[0] + 1}:{p.mark[1] + 1}: {p.message}"
            for p in found.problems
            if p.kind == "duplicate-key"
        ]
        for item, path in list_items(value):
            node: Any = root
            for step in path:
                node = node[step]
            start = locate(root, path, "value", found.start_mark) if path else None
            read.objects.append(
                SourcedObject(
                    item,
                    f"{display}:{found.start_line + 1}",
                    display,
                    node,
                    start or found.start_mark,
                    duplicates,
                    undecodable,
                )
            )
    if bad_separator is not None:
        line, rest = bad_separator
        read.stopped = (
            f"{display}:{line + 1}:1: error parsing {display}: invalid Yaml document "
            f"separator: {rest}"
        )
    return read
