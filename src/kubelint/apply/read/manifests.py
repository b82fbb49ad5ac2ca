"""Manifest files read as ``kubectl apply -f`` reads them.

kubectl cuts a file into documents with k8s.io/apimachinery's ``YAMLReader`` (util/yaml
``decoder.go``): only a line that starts with ``---`` ends a document, and one with more
than a comment after the dashes (``--- foo``) stops the file with ``invalid Yaml document
separator``. Each piece goes whole to sigs.k8s.io/yaml, whose go-yaml decoder reads its
first document only: after a ``...`` end marker, the rest of the piece is never read.
The YAML becomes JSON with Go's ``json.Marshal``, which refuses NaN and infinities; a
failure stops the file there (cli-runtime ``StreamVisitor.Visit``: ``error parsing
FILE: ...``), while the documents before it are still applied; so does a document that
is not YAML. A key written twice in
one mapping keeps its last value, without a word. A document whose metadata does not
decode into ``ObjectMeta`` fails alone (see :mod:`kubelint.apply.read.object_meta`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from kubelint.apply.model import SourcedObject
from kubelint.apply.read import json_stream
from kubelint.apply.read.go_yaml_keys import (
    float_key_names,
    invalid_key_error,
    may_have_uint64_key,
    rename_keys,
    slash_escape,
)
from kubelint.apply.read.lists import list_items, nested_list_error
from kubelint.apply.read.object_meta import decode_error, go_quote
from kubelint.apply.values import GoJSONError, from_yaml, json_type, unsupported_value
from kubelint.load.documents import Document, LoadProblem, load_text
from kubelint.load.lines import line_of, line_starts, position
from kubelint.load.paths import Path, locate
from kubelint.rules.core import DUPLICATE_KEY

_LINE: Final = re.compile(r"[^\n]*\n|[^\n]+\Z")


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


def _unsupported_path(value: Any, path: Path = ()) -> Path:
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


def _stop(display: str, mark: tuple[int, int], error: str) -> str:
    """kubectl's message for the error that stops a file, after kubelint's position."""
    return (
        f"{display}:{mark[0] + 1}:{mark[1] + 1}: error parsing {display}: error converting "
        f"YAML to JSON: {error}"
    )


#: the loader's messages for YAML it builds no value from, and go-yaml's for the same
_GO_YAML_MESSAGES: Final = (
    (re.compile(r"the alias \*(\S+) has no anchor"), "unknown anchor '{0}' referenced"),
    (re.compile(r"the alias \*(\S+) refers to a node"), "anchor '{0}' value contains itself"),
    (re.compile(r"a merge key"), "map merge requires map or sequence of maps as the value"),
)


def go_yaml_error(piece: str, problem: LoadProblem) -> str:
    """go-yaml's error (v2, ``parser.fail``) for a piece of YAML kubelint's loader refused.

    go-yaml numbers the line within the piece from 0 for a parser error and from 1 for a
    scanner error (``problem_mark``, else ``context_mark`` without the 1), and gives the
    problem without its context.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for _ in yaml.parse(piece, Loader=loader):
            pass
    except yaml.MarkedYAMLError as exc:
        line = 0
        if exc.problem_mark is not None and exc.problem_mark.line:
            line = exc.problem_mark.line + isinstance(exc, yaml.scanner.ScannerError)
        elif exc.context_mark is not None:
            line = exc.context_mark.line
        where = f"line {line}: " if line else ""
        return f"yaml: {where}{exc.problem or 'unknown problem parsing YAML content'}"
    except yaml.reader.ReaderError:
        # go-yaml's reader says no more than this (``yaml_parser_set_reader_error``)
        return "yaml: control characters are not allowed"
    except yaml.YAMLError as exc:
        return f"yaml: {exc}"
    if problem.message.startswith("a mapping key must be"):
        refused = invalid_key_error(piece)
        if refused is not None:
            return refused[0]
    for pattern, message in _GO_YAML_MESSAGES:
        found = pattern.match(problem.message)
        if found is not None:
            return "yaml: " + message.format(*found.groups())
    tagged = _TAG_ERROR.match(problem.message)
    if tagged is not None:
        text, tag = tagged.groups()
        return f"yaml: cannot decode {_resolved_tag(text)} `{text}` as a {tag}"
    return f"yaml: {problem.message}"


_TAG_ERROR: Final = re.compile(r"cannot decode `(.*)` as a (!!\w+)\Z", re.DOTALL)


def _resolved_tag(text: str) -> str:
    """The tag go-yaml resolves a plain scalar to (``!!str``, ``!!int`` ...)."""
    from kubelint.load.scalars import resolve_plain

    value = resolve_plain(text) if text else None
    if value is None:
        return "!!null"
    if isinstance(value, bool):
        return "!!bool"
    return {int: "!!int", float: "!!float"}.get(type(value), "!!str")


def _list_error(value: Any) -> str | None:
    """kubectl's error decoding a document with ``items`` (a list, for its decoder) whose
    ``items`` is no list, or holds an item that is no object (``decodeToList``)."""
    items = value.get("items") if isinstance(value, dict) else None
    if items is None:
        return None
    if not isinstance(items, list):
        return (
            f"json: cannot unmarshal {json_type(items)} into Go struct field decodeList.items "
            "of type []json.RawMessage"
        )
    for item in items:
        if item is not None and not isinstance(item, dict):
            return (
                f"json: cannot unmarshal {json_type(item)} into Go value of type "
                "map[string]interface {}"
            )
    return None


def read_file(display: str, text: str) -> ReadFile:
    """Every object kubectl reads from ``text`` (``List`` kinds expanded), in order.

    A document that is not YAML stops the file there, as it stops kubectl (``error
    parsing FILE: error converting YAML to JSON: yaml: line N: ...``): the objects
    before it are read. A file that starts with ``{`` is a stream of JSON values (see
    :mod:`kubelint.apply.read.json_stream`), read as YAML from where it fails early.
    """
    read = ReadFile()
    start, json_error = 0, None
    if json_stream.is_json_stream(text):
        fallback = _read_json(display, text, read)
        if fallback is None:
            return read
        start, json_error = fallback
    _read_yaml(display, text, start, read, json_error)
    return read


def _read_json(display: str, text: str, read: ReadFile) -> tuple[int, str] | None:
    """Read the JSON values of ``text`` into ``read``; returns where the YAML decoder takes
    over and the error to report should its first document fail too (None: done)."""
    starts = line_starts(text)
    index, count = 0, 0
    while True:
        began = index
        while index < len(text) and text[index] in " \t\n\r":
            index += 1
        if index >= len(text):
            return None
        try:
            end = json_stream.scan_value(text, index)
        except (json_stream.JSONSyntaxError, EOFError) as exc:
            if isinstance(exc, json_stream.JSONSyntaxError):
                at = exc.index
                message = exc.message
                early = f"json: offset {json_stream.byte_offset(text, at)}: {message}"
            else:
                at = len(text)
                message = early = str(exc)
            if count > 1:
                mark = position(text, at)
                read.stopped = (
                    f"{display}:{mark[0] + 1}:{mark[1] + 1}: error parsing {display}: {message}"
                )
                return None
            return json_stream.yaml_start(text, began), _located(display, text, at, early)
        count += 1
        try:
            raw, value = json_stream.decode(text, index, end)
        except GoJSONError as exc:
            # the stream reads on; decoding this value into an object fails alone
            mark = (line_of(starts, index), index - starts[line_of(starts, index)])
            error = f"unable to decode {go_quote(display)}: {exc}"
            read.objects.append(
                SourcedObject({}, f"{display}:{mark[0] + 1}", display, None, mark, [], error)
            )
            index = end
            continue
        if raw is None:  # kubectl skips a null value, as an empty YAML document
            index = end
            continue
        mark = (line_of(starts, index), index - starts[line_of(starts, index)])
        node = _json_node(text[index:end], mark)
        _add_objects(read, display, raw, value, node, mark, [])
        index = end


def _located(display: str, text: str, index: int, error: str) -> str:
    mark = position(text, index)
    return f"{display}:{mark[0] + 1}:{mark[1] + 1}: error parsing {display}: {error}"


def _json_node(text: str, mark: tuple[int, int]) -> Any:
    """The JSON value read as YAML, for the positions of its keys (None when YAML reads
    it otherwise)."""
    loaded = load_text("\n" * mark[0] + " " * mark[1] + text)
    if loaded.problems or len(loaded.documents) != 1 or loaded.documents[0].problems:
        return None
    return loaded.documents[0].value


def _read_yaml(display: str, text: str, start: int, read: ReadFile, json_error: str | None) -> None:
    """Read the YAML documents of ``text`` from ``start`` into ``read``; ``json_error``
    replaces the error of the first document, if it fails."""
    skipped = line_of(line_starts(text), start)
    found_pieces, bad_separator = pieces(text[start:])
    for number, (piece, where) in enumerate(found_pieces):
        found = _first_document(piece, where + skipped)
        if isinstance(found, Document):
            syntax = [p for p in found.problems if p.rule.id != DUPLICATE_KEY.id]
            found = syntax[0] if syntax else found
        if isinstance(found, LoadProblem):
            read.stopped = _stop(display, found.mark, go_yaml_error(piece, found))
            if number == 0 and json_error is not None:
                read.stopped = json_error
            return
        if found is None or found.value is None:
            continue
        root = found.value
        try:
            value = from_yaml(root)
        except GoJSONError as exc:
            mark = locate(root, _unsupported_path(root), "value", found.start_mark)
            read.stopped = _stop(display, mark, str(exc))
            if number == 0 and json_error is not None:
                read.stopped = json_error
            return
        escape = slash_escape(piece) if "\\/" in piece else None
        if escape is not None:
            # YAML 1.2's \/ escape, which kubelint's loader reads and go-yaml (1.1) refuses
            line, column = escape
            read.stopped = _stop(
                display,
                (line + where + skipped, column),
                f"yaml: line {line + 1}: found unknown escape character",
            )
            if number == 0 and json_error is not None:
                read.stopped = json_error
            return
        names = float_key_names(piece, where + skipped)
        if names:  # the loader writes float keys otherwise than sigs.k8s.io/yaml
            value = rename_keys(value, root, names)
        refused = invalid_key_error(piece) if may_have_uint64_key(piece) else None
        if refused is not None:
            message, (line, column) = refused
            read.stopped = _stop(display, (line + where + skipped, column), message)
            if number == 0 and json_error is not None:
                read.stopped = json_error
            return
        duplicates = [
            f"{display}:{p.mark[0] + 1}:{p.mark[1] + 1}: {p.message}"
            for p in found.problems
            if p.rule.id == DUPLICATE_KEY.id
        ]
        _add_objects(read, display, root, value, root, found.start_mark, duplicates)
    if bad_separator is not None:
        line, rest = bad_separator
        read.stopped = (
            f"{display}:{line + skipped + 1}:1: error parsing {display}: invalid Yaml document "
            f"separator: {rest}"
        )
        if not found_pieces and json_error is not None:
            read.stopped = json_error


def _add_objects(
    read: ReadFile,
    display: str,
    raw: Any,
    value: Any,
    root: Any,
    start_mark: tuple[int, int],
    duplicates: list[str],
) -> None:
    """The objects of one document: ``raw`` as decoded before kubectl's JSON round trip
    (its metadata is checked as Go decodes it), ``value`` after it, ``root`` the loaded
    YAML for positions (None: none), starting at ``start_mark``."""
    undecodable = _list_error(value) or decode_error(raw)
    if undecodable is not None:
        undecodable = f"unable to decode {go_quote(display)}: {undecodable}"
    else:
        undecodable = nested_list_error(value)
    for item, path in list_items(value):
        node: Any = root
        for step in path:
            node = node[step] if node is not None else None
        start = locate(root, path, "value", start_mark) if path else None
        read.objects.append(
            SourcedObject(
                item,
                f"{display}:{start_mark[0] + 1}",
                display,
                node,
                start or start_mark,
                duplicates,
                undecodable,
            )
        )
