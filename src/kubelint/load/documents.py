"""YAML documents with positions, read the way kubectl reads them.

The events come from libyaml (through PyYAML's C binding, the fastest parser available
to Python); the values are built here, without PyYAML's constructor, so that every
mapping and sequence remembers where its keys and items were written, duplicate keys
are reported rather than silently resolved, aliases cannot blow up, and scalars get
kubectl's YAML 1.1 meaning (see :mod:`kubelint.load.scalars`).

When libyaml is not available the pure-Python parser of ruamel.yaml produces the same
events (slower, and stricter about tabs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

from kubelint.load.lines import line_of, line_starts, position, split_lines, utf8_position
from kubelint.load.scalars import MERGE_KEY, TagError, json_key, resolve_plain, resolve_tagged
from kubelint.rules.core import DUPLICATE_KEY, YAML_SYNTAX
from kubelint.rules.rule import Rule


class EventBackend(NamedTuple):
    """A YAML event source: a parser factory, its event classes and its error classes."""

    name: str
    make_parser: Callable[[str], Any]  # returns an object with get_event()
    scalar: type
    alias: type
    mapping_start: type
    mapping_end: type
    sequence_start: type
    sequence_end: type
    document_end: type
    stream_end: type
    error: type[Exception]
    marked_error: type[Exception]
    reader_error: type[Exception]


def _backend(
    name: str, make_parser: Callable[[str], Any], events: Any, error: Any, reader: Any
) -> EventBackend:
    """A backend from a parser factory and the ``events``, ``error`` and ``reader``
    modules of its library (PyYAML and ruamel.yaml name their classes alike)."""
    return EventBackend(
        name,
        make_parser,
        events.ScalarEvent,
        events.AliasEvent,
        events.MappingStartEvent,
        events.MappingEndEvent,
        events.SequenceStartEvent,
        events.SequenceEndEvent,
        events.DocumentEndEvent,
        events.StreamEndEvent,
        error.YAMLError,
        error.MarkedYAMLError,
        reader.ReaderError,
    )


def libyaml_backend() -> EventBackend | None:
    """libyaml through PyYAML's C extension, when the installed wheel has it."""
    try:
        from yaml import _yaml, error, events, reader
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        return None
    return _backend("libyaml", _yaml.CParser, events, error, reader)


class _GeneratorParser:
    """Gives an event generator the ``get_event()`` interface of libyaml's parser."""

    def __init__(self, events: Iterator[Any]) -> None:
        self.get_event = events.__next__


def ruamel_backend() -> EventBackend:
    """ruamel.yaml's pure-Python parser: the fallback (slower, stricter about tabs)."""
    from ruamel.yaml import YAML, error, events, reader

    def make(text: str) -> _GeneratorParser:
        return _GeneratorParser(iter(YAML(typ="safe", pure=True).parse(text)))

    return _backend("ruamel", make, events, error, reader)


BACKEND: Final[EventBackend] = libyaml_backend() or ruamel_backend()
"""The event source in use: libyaml when available."""


MAX_DEPTH: Final = 500
"""Deeper nesting is rejected: no manifest needs it, and walkers must stay bounded."""

MAX_EXPANDED_NODES: Final = 1_000_000
"""Aliases may not expand a document beyond this many nodes (billion-laughs guard)."""

#: 0-based (line, column) pairs; converted to 1-based only when reported.
Mark = tuple[int, int]

#: A mark as a document keeps it: one int, ``line << 32 | column`` (read it with
#: :func:`mark_of`). A pair of ints costs three objects, a parser mark as much; a
#: document holds two marks per key.
PackedMark = int

_COLUMN_BITS: Final = 32
_COLUMN_MASK: Final = (1 << _COLUMN_BITS) - 1


class YamlMap(dict[str, Any]):
    """A mapping that remembers, per key, where the key and its value were written.

    ``marks[key]`` is ``(key_mark, value_mark)``, packed marks (read them with
    :func:`mark_of`).
    """

    __slots__ = ("marks",)
    marks: dict[str, tuple[PackedMark, PackedMark]]


class YamlSeq(list[Any]):
    """A sequence that remembers where each item was written (``marks[i]``, packed)."""

    __slots__ = ("marks",)
    marks: list[PackedMark]


def pack_mark(line: int, column: int) -> PackedMark:
    """A 0-based (line, column) as a document keeps it."""
    return line << _COLUMN_BITS | column


def mark_of(raw: Any) -> Mark:
    """A packed mark, a parser mark or a ready pair as a 0-based (line, column) pair."""
    if type(raw) is int:
        return (raw >> _COLUMN_BITS, raw & _COLUMN_MASK)
    if isinstance(raw, tuple):
        return raw
    return (raw.line, raw.column)


class LoadProblem(NamedTuple):
    """Something wrong with the YAML itself, at a 0-based mark."""

    rule: Rule  # YAML_SYNTAX or DUPLICATE_KEY
    message: str
    mark: Mark
    suggestion: str | None = None


@dataclass(slots=True)
class Document:
    """One YAML document of a file: its value, where it starts and ends, its problems."""

    index: int
    start_line: int  # 0-based, first line of the document's content
    end_line: int  # 0-based, last line
    value: Any
    start_mark: Mark = (0, 0)
    problems: list[LoadProblem] = field(default_factory=list)


@dataclass(slots=True)
class LoadedFile:
    """Everything read from one file: documents, file-level problems, its text.

    ``text`` is the whole file, or for a part of a big file the part, which begins at
    line ``first_line`` of the file (marks are the file's).
    """

    text: str
    documents: list[Document]
    problems: list[LoadProblem]
    first_line: int = 0

    @property
    def lines(self) -> list[str]:
        """The file's lines as the parser counts them, for source excerpts."""
        return split_lines(self.text)


class _BuildError(Exception):
    def __init__(self, message: str, mark: Mark, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.suggestion = suggestion


_DOC_SEPARATOR = re.compile(
    r"(?:^|(?<=[\r\x85\u2028\u2029]))(?:---|\.\.\.)(?=[ \t\r\n\x85\u2028\u2029]|\Z)", re.MULTILINE
)
"""A document marker at the start of a line (after any YAML line break)."""


def decode(data: bytes) -> tuple[str | None, LoadProblem | None]:
    """Bytes to text as kubectl accepts them (UTF-8, or UTF-16/32 with a BOM)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, LoadProblem(
                YAML_SYNTAX, "the file starts with a UTF-16 mark but is not UTF-16", (0, 0)
            )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, LoadProblem(
            YAML_SYNTAX,
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            utf8_position(data, exc.start),
            "save the file as UTF-8; binary files are not manifests",
        )
    if "\x00" in text:
        return None, LoadProblem(
            YAML_SYNTAX,
            "the file contains NUL bytes: it is binary, not YAML",
            position(text, text.index("\x00")),
        )
    return text, None


def load_text(text: str, backend: EventBackend | None = None, first_line: int = 0) -> LoadedFile:
    """Read every document of ``text``; a syntax error costs only its own document.

    ``first_line`` is the line of a file where ``text`` begins (a part of a big file):
    every mark counts from the file's first line.
    """
    try:
        documents = list(_iter_documents(text, first_line, 0, backend))
        return LoadedFile(text, documents, [], first_line)
    except _ParseFailure:
        pass
    documents = []
    problems: list[LoadProblem] = []
    for chunk_text, chunk_line, index in _split_documents(text):
        try:
            for doc in _iter_documents(chunk_text, first_line + chunk_line, index, backend):
                doc.index = len(documents)
                documents.append(doc)
        except _ParseFailure as failure:
            problems.append(failure.problem)
    return LoadedFile(text, documents, problems, first_line)


class _ParseFailure(Exception):
    def __init__(self, problem: LoadProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _split_documents(text: str) -> Iterator[tuple[str, int, int]]:
    """Cut the text at document markers so that one broken document spares the others;
    yields each chunk with the line it begins at and its index."""
    starts = [0] + [m.start() for m in _DOC_SEPARATOR.finditer(text)]
    lines = line_starts(text)
    index = 0
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[begin:end]
        if not chunk.strip():
            continue
        yield chunk, line_of(lines, begin), index
        index += 1


def _syntax_problem(
    exc: Exception, text: str, backend: EventBackend, line_offset: int = 0
) -> LoadProblem:
    """The problem of a parse error in ``text``, which begins at line ``line_offset``."""
    problem_mark = getattr(exc, "problem_mark", None)
    if isinstance(exc, backend.marked_error) and problem_mark is not None:
        mark = _within(text, (problem_mark.line, problem_mark.column))
        problem = getattr(exc, "problem", None) or "invalid YAML"
        context = getattr(exc, "context", None)
        message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
        hint = _syntax_hint(problem, text, mark[0])
        return LoadProblem(YAML_SYNTAX, message, (mark[0] + line_offset, mark[1]), hint)
    if isinstance(exc, backend.reader_error):
        offset = getattr(exc, "position", 0) or 0
        mark = (  # libyaml counts bytes of the UTF-8 text, the pure-Python reader characters
            utf8_position(text.encode("utf-8", "surrogatepass"), offset)
            if backend.name == "libyaml"
            else position(text, offset)
        )
        reason = getattr(exc, "reason", str(exc))
        return LoadProblem(
            YAML_SYNTAX, f"unreadable character: {reason}", (mark[0] + line_offset, mark[1])
        )
    return LoadProblem(YAML_SYNTAX, f"YAML syntax error: {exc}", (0, 0))


def _within(text: str, mark: Mark) -> Mark:
    """``mark`` moved inside ``text``: libyaml ends a text without a final line break
    with one of its own, and reports an error there, on a line the file does not have."""
    line, column = mark
    if line > 0 and column == 0 and not text.endswith(tuple(_LINE_ENDINGS)):
        lines = split_lines(text)
        if line >= len(lines):
            return len(lines) - 1, len(lines[-1])
    return mark


_LINE_ENDINGS: Final = ("\n", "\r", "\x85", "\u2028", "\u2029")


def _syntax_hint(problem: str, text: str, line: int) -> str | None:
    lines = split_lines(text)
    source = lines[line] if 0 <= line < len(lines) else ""
    if "\t" in source and ("cannot start any token" in problem or "tab" in problem):
        return "YAML does not allow tabs for indentation: indent with spaces"
    if "{{" in text and ("{" in source or "found unexpected" in problem):
        return "this looks like a template ({{ }}): render it first, e.g. with `helm template`"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted"
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return "check the indentation of this line against the lines above it"
    return None


def _iter_documents(
    text: str, line_offset: int, first_index: int, backend: EventBackend | None = None
) -> Iterator[Document]:
    """Yield the documents of ``text``, which begins at line ``line_offset`` of its file;
    raise _ParseFailure on the first syntax error."""
    backend = backend or BACKEND
    index = first_index
    parser: Any = None
    try:
        parser = backend.make_parser(text)
        get_event = parser.get_event
        get_event()  # StreamStart
        stream_end = backend.stream_end
        while True:
            event = get_event()
            if type(event) is stream_end:
                return
            start = event.start_mark
            line = start.line + line_offset
            document = Document(index, line, line, None, (line, start.column))
            _Builder(get_event, document, backend, line_offset).build()
            index += 1
            yield document
    except backend.error as exc:
        raise _ParseFailure(_syntax_problem(exc, text, backend, line_offset)) from exc
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()


class _Builder:
    """Builds one document's value from parser events, with marks and guards.

    Marks become (line, column) pairs as they are read, ``line_offset`` added to lines.
    """

    __slots__ = (
        "anchors",
        "backend",
        "document",
        "expanded",
        "get_event",
        "line_offset",
        "open_anchors",
    )

    def __init__(
        self, get_event: Any, document: Document, backend: EventBackend, line_offset: int = 0
    ) -> None:
        self.get_event = get_event
        self.backend = backend
        self.document = document
        self.line_offset = line_offset
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.expanded = 0

    def build(self) -> None:
        document = self.document
        try:
            document.value = self._build_root()
        except _BuildError as exc:
            document.value = None
            document.problems.append(
                LoadProblem(YAML_SYNTAX, exc.message, exc.mark, exc.suggestion)
            )
            self._skip_to_document_end()

    def _skip_to_document_end(self) -> None:
        get_event = self.get_event
        document_end: Any = self.backend.document_end
        while True:
            event: Any = get_event()
            if type(event) is document_end:
                self.document.end_line = event.end_mark.line + self.line_offset
                return

    def _build_root(self) -> Any:
        get_event = self.get_event
        document = self.document
        problems = document.problems
        anchors = self.anchors
        # Each frame: [container, pending_key, key_mark, anchor, weight, merged_keys|None, marks,
        #              start_mark]
        stack: list[list[Any]] = []
        root: Any = None
        offset = self.line_offset
        backend = self.backend
        scalar_event, alias_event = backend.scalar, backend.alias
        map_start, seq_start = backend.mapping_start, backend.sequence_start
        map_end, seq_end = backend.mapping_end, backend.sequence_end
        document_end = backend.document_end
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event:
                raw = event.start_mark
                mark: PackedMark = (raw.line + offset) << _COLUMN_BITS | raw.column
                text = event.value
                tag = event.tag
                if tag is not None and tag != "!":
                    try:
                        value: Any = resolve_tagged(tag, text)
                    except TagError as exc:
                        raise _BuildError(str(exc), mark_of(mark)) from exc
                elif event.style:
                    value = text
                else:
                    value = resolve_plain(text) if text else None
                weight = 1
                self.expanded += 1
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
            elif kind is map_start or kind is seq_start:
                raw = event.start_mark
                start = (raw.line + offset) << _COLUMN_BITS | raw.column
                if len(stack) >= MAX_DEPTH:
                    raise _BuildError(f"nesting deeper than {MAX_DEPTH} levels", mark_of(start))
                marks: Any
                if kind is map_start:
                    container: Any = YamlMap()
                    marks = container.marks = {}
                else:
                    container = YamlSeq()
                    marks = container.marks = []
                anchor = event.anchor
                if anchor is not None:
                    self.open_anchors.add(anchor)
                stack.append([container, _NO_KEY, start, anchor, 1, None, marks, start])
                self.expanded += 1
                continue
            elif kind is map_end or kind is seq_end:
                frame = stack.pop()
                value, mark, anchor, weight = frame[0], frame[7], frame[3], frame[4]
                if anchor is not None:
                    self.open_anchors.discard(anchor)
                    anchors[anchor] = (value, weight)
            elif kind is alias_event:
                raw = event.start_mark
                mark = (raw.line + offset) << _COLUMN_BITS | raw.column
                name = event.anchor
                if name in self.open_anchors:
                    raise _BuildError(
                        f"the alias *{name} refers to a node that contains it", mark_of(mark)
                    )
                found = anchors.get(name)
                if found is None:
                    raise _BuildError(
                        f"the alias *{name} has no anchor &{name} before it", mark_of(mark)
                    )
                value, weight = found
                self.expanded += weight
                if self.expanded > MAX_EXPANDED_NODES:
                    raise _BuildError(
                        f"aliases expand this document beyond {MAX_EXPANDED_NODES:,} nodes "
                        "(an alias bomb); kubectl rejects it as excessive aliasing",
                        mark_of(mark),
                    )
            elif kind is document_end:
                raw = event.end_mark
                end = (raw.line + offset, raw.column)
                document.end_line = (
                    end[0] - 1 if end[1] == 0 and end[0] > document.start_line else end[0]
                )
                return root
            else:  # pragma: no cover - a stream cannot end inside a document
                continue

            # attach ``value`` (written at ``mark``, expanding to ``weight`` nodes) to its parent
            if not stack:
                root = value
                document.start_mark = mark_of(mark)
                continue
            parent = stack[-1]
            parent[4] += weight
            container = parent[0]
            key = parent[1]
            if key is _NO_KEY:
                if type(container) is YamlSeq:
                    container.append(value)
                    parent[6].append(mark)
                    continue
                if kind is not scalar_event:
                    raise _BuildError(
                        "a mapping key must be a string, number or boolean, not a collection",
                        mark_of(mark),
                    )
                if value == MERGE_KEY and not event.style and event.tag is None:
                    parent[1] = _MERGE
                else:
                    text_key = value if type(value) is str else json_key(value)
                    if text_key is None:
                        raise _BuildError(
                            "a mapping key must be a string, number or boolean", mark_of(mark)
                        )
                    parent[1] = text_key
                parent[2] = mark
                continue
            parent[1] = _NO_KEY
            if key is _MERGE:
                merged = parent[5]
                if merged is None:
                    merged = parent[5] = set()
                merged.update(_merge_into(container, value, mark))
                continue
            marks = parent[6]
            if key in marks:
                merged = parent[5]
                if merged is not None and key in merged:
                    merged.discard(key)
                else:
                    problems.append(
                        LoadProblem(
                            DUPLICATE_KEY,
                            f'duplicate key "{key}" '
                            f"(first set at line {mark_of(marks[key][0])[0] + 1}); "
                            "kubectl keeps this last value and drops the first without a word",
                            mark_of(parent[2]),
                            "remove one of the two, or merge their contents",
                        )
                    )
            container[key] = value
            marks[key] = (parent[2], mark)


_NO_KEY: Final = object()
_MERGE: Final = object()


def _merge_into(target: YamlMap, source: Any, mark: PackedMark) -> set[str]:
    """Apply a ``<<`` merge key the way kubectl's decoder does (in order, later wins)."""
    sources = [source] if isinstance(source, YamlMap) else source
    if not isinstance(sources, list) or not all(isinstance(s, YamlMap) for s in sources):
        raise _BuildError("a merge key (<<) needs a mapping or a list of mappings", mark_of(mark))
    keys: set[str] = set()
    for item in reversed(sources):
        for key, value in item.items():
            target[key] = value
            target.marks[key] = item.marks.get(key, (mark, mark))
            keys.add(key)
    return keys
