"""Text made safe for output, whatever bytes the input held.

Undecodable bytes reach messages as lone surrogates (a ``!!binary`` value, a file name
read with ``surrogateescape``); no UTF-8 stream can carry those, so every format shows
them as escapes: ``\\xff`` for a byte, ``\\udXXX`` for any other lone surrogate. Text
meant for a terminal or a workflow command also escapes control characters (C0 but
tab, DEL, C1), line and paragraph separators, and the bidirectional controls that can
make a line read other than it is. Those outputs are read line by line, so a newline
in a key, a value or a file name shows as ``\\n``.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    named = _NAMED.get(match.group(0))
    if named is not None:
        return named
    code = ord(match.group(0))
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def unicode_safe(text: str) -> str:
    """``text`` with lone surrogates escaped: encodable as UTF-8."""
    return _SURROGATE.sub(_escape, text)


def printable(text: str, *, newlines: bool = False) -> str:
    """``text`` safe for a terminal: control characters and lone surrogates escaped
    (with ``newlines``, ``\\n`` is kept: for a format that escapes it itself)."""
    if newlines:
        return "\n".join(_UNPRINTABLE.sub(_escape, part) for part in text.split("\n"))
    return _UNPRINTABLE.sub(_escape, text)


def json_safe(encoded: str) -> str:
    """JSON text (written with ``ensure_ascii=False``) without lone surrogates.

    They can only stand inside JSON strings, where the escape's backslash must itself be
    escaped: the string then reads ``\\xff``.
    """
    return _SURROGATE.sub(lambda m: "\\" + _escape(m), encoded)
