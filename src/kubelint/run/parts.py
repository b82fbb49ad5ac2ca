"""Big files cut into parts of whole documents, to be checked apart and merged again.

A file of many documents is cut at document markers (``---`` at the start of a line) into
parts of about :data:`PART_BYTES`. Each part is read, parsed and checked on its own, by any
worker, with the line numbers of the file: a big file then costs memory by the part rather
than by the file, and uses every core. The findings are those of the file checked whole:
YAML itself ends a document at such a marker, and a file is cut only when nothing in it
reaches across documents (directives, templates) and its lines break only at ``\\n`` or
``\\r\\n`` (so that counting newlines gives the parser's line numbers).
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from kubelint.load.sources import SourceFile

PART_BYTES: Final = 1_000_000
"""The size a part of a big file is cut at (at the next document marker after it)."""

SPLIT_BYTES: Final = 2 * PART_BYTES
"""Files smaller than this are checked whole."""

_MARKER: Final = re.compile(rb"^---(?=[ \t\r\n]|\Z)", re.MULTILINE)
_DIRECTIVE: Final = re.compile(rb"^%", re.MULTILINE)
#: U+0085, U+2028, U+2029 in UTF-8: line breaks to YAML, not to a newline count
_RARE_BREAKS: Final = (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")


class FilePart(NamedTuple):
    """Bytes ``start:end`` of a file, beginning at 0-based line ``first_line`` of it."""

    source: SourceFile
    start: int
    end: int
    first_line: int


def documents(data: bytes) -> int:
    """How many documents ``data`` holds at most: one more than its ``---`` lines."""
    return 1 + sum(1 for _ in _MARKER.finditer(data))


def cuttable(data: bytes) -> bool:
    """Whether parts of ``data`` read alone give the documents the whole file gives."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: offsets are not lines
        return False
    if b"{{" in data or _DIRECTIVE.search(data) is not None:  # templates, %YAML / %TAG
        return False
    if any(rare in data for rare in _RARE_BREAKS):
        return False
    return data.count(b"\r") == data.count(b"\r\n")


def cut(source: SourceFile, data: bytes) -> list[FilePart]:
    """The parts of a file, in order; one part (the whole file) when it is not cut."""
    part_bytes = PART_BYTES
    if len(data) < SPLIT_BYTES or not cuttable(data):
        return [FilePart(source, 0, len(data), 0)]
    bounds = [0]
    position = part_bytes
    while position < len(data):
        marker = _MARKER.search(data, position)
        if marker is None:
            break
        bounds.append(marker.start())
        position = marker.start() + part_bytes
    parts: list[FilePart] = []
    line = 0
    for start, end in zip(bounds, [*bounds[1:], len(data)], strict=True):
        line += data.count(b"\n", parts[-1].start if parts else 0, start)
        parts.append(FilePart(source, start, end, line))
    return parts
