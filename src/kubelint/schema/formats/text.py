"""How the API server measures a value, and how messages name what is wrong with one:
shared by every syntax of this package.
"""

from __future__ import annotations

import re
from typing import Final

EMPTY: Final = "must not be empty"


def utf8_size(value: str) -> int:
    """Length as the API server measures it: bytes of UTF-8 (an undecodable byte, a lone
    surrogate here, counts three: Go's JSON sends it as U+FFFD)."""
    return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))


def too_long(limit: int, size: int) -> str:
    """The problem of a value of ``size`` bytes where ``limit`` is the most."""
    return f"must be no more than {limit} characters (it has {size})"


def found_note(value: str, allowed: re.Pattern[str]) -> str:
    """Name the first few characters of ``value`` that ``allowed`` (one character) rejects."""
    bad: list[str] = []
    for char in value:
        if not allowed.fullmatch(char) and char not in bad:
            bad.append(char)
            if len(bad) == 3:
                break
    if not bad:
        return ""
    return " (found " + ", ".join(_show(char) for char in bad) + ")"


def saturating_int(digits: str) -> int:
    """``int()`` of a string of ASCII digits with an optional sign, saturating huge values.

    Python refuses to convert strings of more than a few thousand digits; every limit checked
    here is far below 10^30, so a longer number is simply "too large".
    """
    body = digits.lstrip("+-").lstrip("0")
    if len(body) > 30:
        return -(10**30) if digits.startswith("-") else 10**30
    return int(digits)


def quoted(text: str) -> str:
    """Quote a value inside a message, shortening a long one."""
    return f"'{text}'" if len(text) <= 60 else f"'{text[:57]}...'"


def _show(char: str) -> str:
    if char.isprintable() and char not in " '":
        return f"'{char}'"
    if char == "'":
        return '"\'"'
    if char == " ":
        return "a space"
    return repr(char) if char.isascii() else f"U+{ord(char):04X}"


#: A run of whitespace (no value of these syntaxes holds any).
SPACE_RE: Final = re.compile(r"\s+")
