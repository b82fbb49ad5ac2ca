"""Positions between the editor's count and YAML's.

The protocol breaks lines at ``\\n``, ``\\r\\n`` and ``\\r`` and counts UTF-16 units; YAML
also breaks at U+0085, U+2028 and U+2029 and counts code points. Each conversion is checked
against a plain reference computed here from the text itself.
"""

from __future__ import annotations

import re

import pytest
from lsprotocol import types as lsp
from pygls.workspace import PositionCodec

from kubelint import yaml_lines
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
