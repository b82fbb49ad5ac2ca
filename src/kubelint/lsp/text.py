"""A document's text, and positions converted between the editor's count and YAML's.

The two sides count differently. The Language Server Protocol breaks lines at ``\\n``,
``\\r\\n`` and ``\\r`` only, and counts columns in the units the client negotiated (UTF-16
code units unless told otherwise: an emoji is two). The YAML parser, and so every finding,
also breaks lines at U+0085, U+2028 and U+2029 (:mod:`kubelint.load.lines`) and counts
columns in code points. Every conversion goes through a character offset into the text, in
:meth:`Text.offset` and :meth:`Text.position_at`, so it is written once.

Positions outside the text are clamped, as the reference implementation of the protocol
(``vscode-languageserver-textdocument``) does: a column past the end of its line is the end
of the line, a line past the last line is the end of the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property
from typing import Final

from lsprotocol import types as lsp
from pygls.workspace import PositionCodec

from kubelint.load import lines as yaml_lines

LSP_BREAK: Final = re.compile("\r\n|\r|\n")
"""One line break as the protocol counts them."""

#: Line breaks that YAML counts and the protocol does not.
_YAML_ONLY_BREAKS: Final = ("\x85", "\u2028", "\u2029")
_NEWLINE: Final = re.compile("\n")  # three times as fast as LSP_BREAK, when it is enough


def units(text: str, encoding: str) -> int:
    """The length of ``text`` in a position encoding's code units (``utf-8/16/32``)."""
    if encoding == lsp.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == lsp.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def characters(line: str, count: int, encoding: str) -> int:
    """How many characters of ``line`` the first ``count`` code units cover (at most all).

    A count that ends inside a character (half a surrogate pair) covers that character.
    """
    if encoding == lsp.PositionEncodingKind.Utf32 or line.isascii():
        return min(count, len(line))
    total = 0
    for index, char in enumerate(line):
        if total >= count:
            return index
        total += units(char, encoding)
    return len(line)


class Text:
    """A document's text: its YAML lines, and positions the editor and the engine agree on.

    ``lines`` are the YAML lines (without their breaks), the lines every finding and every
    parser mark count; methods taking ``(line, column)`` take that count (0-based, code
    points). Methods taking or returning an :class:`lsprotocol.types.Position` speak the
    client's count. The line tables are built on first use, so a ``Text`` is cheap to make.
    """

    def __init__(self, text: str, codec: PositionCodec | None = None) -> None:
        self.text = text
        encoding = (codec or PositionCodec()).encoding
        self.encoding: str = encoding or lsp.PositionEncodingKind.Utf16
        #: Whether YAML and the protocol break lines at the same places.
        self.same_lines = not any(brk in text for brk in _YAML_ONLY_BREAKS)

    # -- the two ways of cutting the text into lines ------------------------------------
    @cached_property
    def lines(self) -> list[str]:
        """The YAML lines, without their breaks."""
        return yaml_lines.split_lines(self.text)

    @cached_property
    def _yaml_starts(self) -> list[int]:
        if self.same_lines and "\r" not in self.text:  # most texts: \n breaks only
            return [0, *(match.end() for match in _NEWLINE.finditer(self.text))]
        return yaml_lines.line_starts(self.text)

    @cached_property
    def _lsp_starts(self) -> list[int]:
        if self.same_lines:
            return self._yaml_starts
        return [0, *(match.end() for match in LSP_BREAK.finditer(self.text))]

    @property
    def line_count(self) -> int:
        """How many lines the client sees (a final line break leaves an empty last line)."""
        return len(self._lsp_starts)

    def line(self, number: int) -> str:
        """A YAML line (0-based), without its line break; "" outside the text."""
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def _lsp_line_end(self, number: int) -> int:
        """Where the protocol's line ``number`` ends, before its line break."""
        starts = self._lsp_starts
        if number + 1 >= len(starts):
            return len(self.text)
        end = starts[number + 1]
        return end - 2 if self.text.startswith("\r\n", end - 2) else end - 1

    def _yaml_line_end(self, number: int) -> int:
        return self._yaml_starts[number] + len(self.lines[number])

    # -- offsets: the one conversion ----------------------------------------------------
    def offset(self, position: lsp.Position) -> int:
        """The character offset of a client position (clamped into the text)."""
        starts = self._lsp_starts
        if position.line >= len(starts):
            return len(self.text)
        start = starts[max(position.line, 0)]
        line = self.text[start : self._lsp_line_end(max(position.line, 0))]
        return start + characters(line, max(position.character, 0), self.encoding)

    def position_at(self, offset: int) -> lsp.Position:
        """The client position of a character offset (clamped into the text)."""
        offset = min(max(offset, 0), len(self.text))
        starts = self._lsp_starts
        number = bisect_right(starts, offset) - 1
        offset = min(offset, self._lsp_line_end(number))
        return lsp.Position(number, units(self.text[starts[number] : offset], self.encoding))

    def yaml_offset(self, line: int, column: int) -> int:
        """The character offset of a YAML (line, column) (clamped into the text)."""
        if line >= len(self.lines):
            return len(self.text)
        line = max(line, 0)
        return min(self._yaml_starts[line] + max(column, 0), self._yaml_line_end(line))

    def yaml_position(self, offset: int) -> tuple[int, int]:
        """The YAML (line, column) of a character offset (clamped into the text)."""
        offset = min(max(offset, 0), len(self.text))
        number = bisect_right(self._yaml_starts, offset) - 1
        return number, min(offset, self._yaml_line_end(number)) - self._yaml_starts[number]

    # -- both ways ------------------------------------------------------------------------
    def inside(self, position: lsp.Position) -> bool:
        """Whether a client position is on one of the document's lines."""
        return 0 <= position.line < self.line_count

    def position(self, line: int, column: int) -> lsp.Position:
        """A YAML (line, column) as the client counts it."""
        if self.same_lines and 0 <= line < len(self.lines):
            text = self.lines[line][: max(column, 0)]
            return lsp.Position(line, units(text, self.encoding))
        return self.position_at(self.yaml_offset(line, column))

    def range(self, line: int, column: int, end_line: int, end_column: int) -> lsp.Range:
        """A range between two YAML (line, column) positions, as the client counts it."""
        return lsp.Range(self.position(line, column), self.position(end_line, end_column))

    def column(self, position: lsp.Position) -> tuple[int, int]:
        """A client position as a YAML (line, column), clamped into the text."""
        if self.same_lines and 0 <= position.line < len(self.lines):
            line = self.lines[position.line]
            return position.line, characters(line, position.character, self.encoding)
        return self.yaml_position(self.offset(position))
