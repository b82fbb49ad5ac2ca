"""Lines and columns counted as libyaml counts them, whatever line breaks the text holds."""

from __future__ import annotations

import pytest
import yaml

from kubelint.load.lines import (
    LINE_BREAK,
    line_of,
    line_starts,
    position,
    split_lines,
    split_lines_keepends,
    utf8_position,
)

BREAKS = ["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("brk", BREAKS, ids=[repr(b) for b in BREAKS])
def test_lines_agree_with_the_parser_marks(brk: str) -> None:
    text = f'a: "x{brk}y"\nb: 1 # c{brk}d: 2\ne: é😀\nf: 3{brk}'
    node = yaml.compose(text, Loader=yaml.CSafeLoader)
    lines = split_lines(text)
    for key, _ in node.value:
        mark = key.start_mark
        assert lines[mark.line][mark.column :].startswith(key.value + ":")
        assert position(text, mark.index) == (mark.line, mark.column)
        assert line_starts(text)[mark.line] + mark.column == mark.index


@pytest.mark.parametrize(
    "text", ["", "a", "a\n", "a\r\nb", "a\rb\r", "\u2028", "a\x0cb\n", "x\n\ny", "a\x1cb"]
)
def test_keepends_gives_the_text_back(text: str) -> None:
    kept = split_lines_keepends(text)
    assert "".join(kept) == text
    ends_open = not kept or LINE_BREAK.search(kept[-1]) is not None
    stripped = [LINE_BREAK.sub("", line) for line in kept]
    assert stripped + ([""] if ends_open else []) == split_lines(text)
    assert len(split_lines(text)) == len(line_starts(text))


def test_byte_offsets_become_parser_positions() -> None:
    text = 'a: "é😀\u2028b"\nc: 1\r\nd'
    data = text.encode("utf-8")
    for offset in range(len(text) + 1):
        assert utf8_position(data, len(text[:offset].encode("utf-8"))) == position(text, offset)


def test_line_of_an_offset() -> None:
    text = "a\r\nb\rc\u2028d"
    starts = line_starts(text)
    assert [line_of(starts, i) for i in range(len(text))] == [0, 0, 0, 1, 1, 2, 2, 3]
