"""Lines as the YAML parser counts them, so that every position agrees with its marks.

YAML breaks lines at ``\\r\\n``, ``\\r``, U+0085, U+2028 and U+2029 as well as ``\\n``
(``str.splitlines`` also breaks at form feeds and other separators YAML does not count;
``str.split("\\n")`` misses all but one). Columns are code points, as in the parser's
marks.
"""

from __future__ import annotations

import bisect
import re
from typing import Final

LINE_BREAK: Final = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
"""One YAML line break."""

_RARE_BREAKS: Final = ("\r", "\x85", "\u2028", "\u2029")


def _only_newlines(text: str) -> bool:
    return not any(rare in text for rare in _RARE_BREAKS)


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their breaks; a final break leaves an empty last line."""
    if _only_newlines(text):
        return text.split("\n")
    return LINE_BREAK.split(text)


def split_lines_keepends(text: str) -> list[str]:
    """The lines of ``text``, each with its own break; joined, they give ``text`` back."""
    if _only_newlines(text):
        parts = text.split("\n")
        lines = [part + "\n" for part in parts[:-1]]
        if parts[-1]:
            lines.append(parts[-1])
        return lines
    lines = []
    start = 0
    for match in LINE_BREAK.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def line_starts(text: str) -> list[int]:
    """The offset where each line begins (the first is 0)."""
    return [0, *(match.end() for match in LINE_BREAK.finditer(text))]


def line_of(starts: list[int], offset: int) -> int:
    """The 0-based line of a character offset, given the text's :func:`line_starts`."""
    return bisect.bisect_right(starts, offset) - 1


def position(text: str, offset: int) -> tuple[int, int]:
    """The 0-based (line, column) of a character offset, counted as the parser counts."""
    before = text[:offset]
    breaks = list(LINE_BREAK.finditer(before))
    if not breaks:
        return 0, offset
    return len(breaks), offset - breaks[-1].end()


def utf8_position(data: bytes, offset: int) -> tuple[int, int]:
    """The 0-based (line, column) of a byte offset into UTF-8 ``data``.

    libyaml's reader errors and Python's decode errors give byte offsets; marks count
    code points. Bytes before ``offset`` that are not UTF-8 count one column each.
    """
    before = data[:offset].decode("utf-8", errors="replace")
    return position(before, len(before))
