"""Positions between the editor's count and YAML's, and the open documents' changes.

The protocol breaks lines at ``\\n``, ``\\r\\n`` and ``\\r`` and counts UTF-16 units; YAML
also breaks at U+0085, U+2028 and U+2029 and counts code points. Each conversion is checked
against a plain reference computed here from the text itself.
"""

from __future__ import annotations

import re

import pytest
from lsprotocol import types as lsp
from pygls.workspace import PositionCodec

from kubelint.load import lines as yaml_lines
from kubelint.lsp.documents import Document
from kubelint.lsp.text import Text

TEXTS = {
    "lf": "apiVersion: v1\nkind: Pod\n",
    "crlf": "a: 1\r\nb: 2\r\n",
    "cr": "a: 1\rb: 2\r",
    "nel": "a: 1 # x\x85b: 2\n",
    "line separator": 'a: "x\u2028y"\nb: 1 # c\u2028d: 2\n',
    "paragraph separator": "a: 1\u2029\u2029b: 2",
    "emoji": 'name: "😀x" # 😀😀\nkind: Jøb\n',
    "form feed": "a: 1\x0cb\n",  # a break for str.splitlines, for neither YAML nor LSP
    "everything": "😀: 1\r\n\u2028x: \x85\r😀\n\r\n",
    "empty": "",
}

_LSP_BREAK = re.compile("\r\n|\r|\n")


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def reference_position(text: str, offset: int) -> lsp.Position:
    """The client position of a character offset, from the text before it."""
    before = text[:offset]
    line = len(_LSP_BREAK.findall(before))
    start = max((m.end() for m in _LSP_BREAK.finditer(before)), default=0)
    return lsp.Position(line, utf16(before[start:]))


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_yaml_positions_as_the_client_counts_them(text: str) -> None:
    positions = Text(text)
    lines = yaml_lines.split_lines(text)
    starts = yaml_lines.line_starts(text)
    assert positions.lines == lines
    for line, content in enumerate(lines):
        for column in range(len(content) + 3):
            offset = starts[line] + min(column, len(content))
            assert positions.position(line, column) == reference_position(text, offset)
    end = reference_position(text, len(text))
    assert positions.position(len(lines), 0) == end  # past the last line: the end
    assert positions.position(10**9, 10**9) == end


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_client_positions_as_yaml_counts_them(text: str) -> None:
    positions = Text(text)
    client_lines = _LSP_BREAK.split(text)
    assert positions.line_count == len(client_lines)
    for line, content in enumerate(client_lines):
        boundaries = [utf16(content[:n]) for n in range(len(content) + 1)]
        for character in range(utf16(content) + 3):
            yaml_line, column = positions.column(lsp.Position(line, character))
            # and back: the same position; the end of the line if it was past it; after the
            # character whose surrogate pair it split
            expected = next((u for u in boundaries if u >= character), boundaries[-1])
            assert positions.position(yaml_line, column) == lsp.Position(line, expected)
        assert positions.inside(lsp.Position(line, 10**6))
    assert not positions.inside(lsp.Position(len(client_lines), 0))
    assert positions.column(lsp.Position(len(client_lines) + 5, 0)) == yaml_lines.position(
        text, len(text)
    )


def test_a_key_after_a_line_separator_is_on_the_clients_line() -> None:
    text = Text("a: 1 # note\u2028\nkind: Jon\n")  # YAML: 3 lines before "kind", LSP: 1
    assert text.lines[2] == "kind: Jon"
    assert text.range(2, 6, 2, 9) == lsp.Range(lsp.Position(1, 6), lsp.Position(1, 9))
    assert text.column(lsp.Position(1, 7)) == (2, 7)


@pytest.mark.parametrize(
    ("encoding", "character"),
    [
        (lsp.PositionEncodingKind.Utf16, 10),
        (lsp.PositionEncodingKind.Utf8, 12),
        (lsp.PositionEncodingKind.Utf32, 9),
    ],
)
def test_negotiated_encodings(encoding: lsp.PositionEncodingKind, character: int) -> None:
    text = Text('name: "😀x"\n', PositionCodec(encoding))
    assert text.position(0, 9) == lsp.Position(0, character)
    assert text.column(lsp.Position(0, character)) == (0, 9)


# -- documents ----------------------------------------------------------------------------


def change(document: Document, start: tuple[int, int], end: tuple[int, int], new: str) -> Document:
    document.apply_change(
        lsp.TextDocumentContentChangePartial(
            range=lsp.Range(lsp.Position(*start), lsp.Position(*end)), text=new
        )
    )
    return document


def document(text: str) -> Document:
    return Document("file:///x.yaml", text, 1, PositionCodec())


@pytest.mark.parametrize(
    ("text", "start", "end", "new", "expected"),
    [
        # lines are the protocol's: U+2028, U+0085 and form feeds break no line
        ("a: 1\u2028b: 2\nc: 3\n", (1, 0), (1, 1), "C", "a: 1\u2028b: 2\nC: 3\n"),
        ("a\x85b\x0cc\nd\n", (1, 0), (1, 1), "D", "a\x85b\x0cc\nD\n"),
        ("a\r\nb\rc\n", (2, 0), (2, 1), "C", "a\r\nb\rC\n"),
        # columns are UTF-16 units
        ("x: 😀y\n", (0, 5), (0, 6), "Y", "x: 😀Y\n"),
        # past the end of a line: its end (before the line break)
        ("ab\r\ncd\n", (0, 1), (0, 99), "X", "aX\r\ncd\n"),
        # past the end of the document: its end
        ("ab\n", (7, 3), (9, 0), "c: 1\n", "ab\nc: 1\n"),
        ("ab", (0, 1), (5, 5), "", "a"),
        # a range the wrong way round
        ("abcdef", (0, 4), (0, 1), "-", "a-ef"),
        ("", (3, 3), (3, 3), "x", "x"),
    ],
)
def test_changes_anywhere(
    text: str, start: tuple[int, int], end: tuple[int, int], new: str, expected: str
) -> None:
    assert change(document(text), start, end, new).source == expected


def test_whole_changes_and_the_cached_text() -> None:
    edited = document("a: 1\n")
    first = edited.text()
    assert edited.text() is first
    edited.apply_change(lsp.TextDocumentContentChangeWholeDocument(text="b: 2\n"))
    assert edited.source == "b: 2\n"
    assert edited.text().text == "b: 2\n"
    assert edited.lines == ("b: 2\n",)
