"""Manifest files that kubectl reads as a stream of JSON values.

apimachinery's ``YAMLOrJSONDecoder`` (util/yaml ``decoder.go``) peeks at the first 4096
bytes of a file: when the first of them that is not white space (``unicode.IsSpace``) is
``{``, it reads the file with Go's ``json.Decoder``, one value after another
(``{...}{...}`` or one per line). When a value fails to decode, then:

* after two values or more, the file stops with Go's error (``invalid character 'x'
  looking for beginning of value``, ``unexpected EOF``);
* otherwise (the first or the second value) it goes back to where that value began,
  skips white space up to and including the first line break, and reads the rest as
  YAML, for good. Should that first YAML document fail too, the file stops with the JSON
  error and the byte offset it was found at (``json: offset 65: invalid character '}'
  looking for beginning of value``).

A JSON value is decoded as JSON, not as YAML: no YAML 1.1 booleans, a key written twice
keeps its last value, a lone UTF-16 surrogate escape becomes U+FFFD.
"""

from __future__ import annotations

import re
from typing import Final

from kubelint.apply.read.object_meta import go_quote
from kubelint.apply.values import JSON, from_json_text, round_trip

PEEK: Final = 4096
"""How far ``GuessJSONStream`` looks for the ``{`` (kubectl's buffer size)."""

_WHITE: Final = " \t\n\r"
_SURROGATE: Final = re.compile(r"[\ud800-\udfff]")
_LITERALS: Final = {"t": "true", "f": "false", "n": "null"}
_ESCAPES: Final = frozenset('"\\/bfnrt')
_HEX: Final = frozenset("0123456789abcdefABCDEF")


def is_json_stream(text: str) -> bool:
    """Whether kubectl reads ``text`` as JSON (``GuessJSONStream``)."""
    head = text.encode("utf-8")[:PEEK].decode("utf-8", "ignore")
    return head.lstrip(_unicode_space()).startswith("{")


def _unicode_space() -> str:
    """The characters Go's ``unicode.IsSpace`` takes for white space."""
    return _UNICODE_SPACE


_UNICODE_SPACE: Final = (
    "\t\n\v\f\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)


class JSONSyntaxError(ValueError):
    """Go's ``json.Decoder`` error: its message and the character index it is at."""

    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.message = message
        self.index = index


def _quote_char(char: str) -> str:
    """Go's ``quoteChar`` of the byte at a character (its first UTF-8 byte)."""
    if char == "'":
        return "'\\''"
    if char == '"':
        return "'\"'"
    byte = char.encode("utf-8")[0]
    return "'" + go_quote(chr(byte))[1:-1] + "'"


def _fail(text: str, index: int, context: str) -> JSONSyntaxError:
    return JSONSyntaxError(f"invalid character {_quote_char(text[index])} {context}", index)


class _EOF(Exception):
    """The text ended inside a value (Go's ``unexpected EOF``)."""


def scan_value(text: str, index: int) -> int:
    """The end of the JSON value that starts at ``index`` (after white space), checked as
    Go's scanner checks it. Raises :class:`JSONSyntaxError`, or ``EOFError`` when the
    text ends inside the value."""
    try:
        return _scan(text, index)
    except _EOF:
        raise EOFError("unexpected EOF") from None


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WHITE:
        index += 1
    if index >= len(text):
        raise _EOF
    return index


def _scan(text: str, index: int) -> int:
    # each entry of the stack is "{" or "[": the containers the value is inside
    stack: list[str] = []
    index = _skip(text, index)
    while True:
        # a value starts at index
        char = text[index]
        if char == "{":
            index = _skip(text, index + 1)
            if text[index] == "}":
                index += 1
            else:
                stack.append("{")
                index = _key(text, index, "looking for beginning of object key string")
                continue
        elif char == "[":
            index = _skip(text, index + 1)
            if text[index] == "]":
                index += 1
            else:
                stack.append("[")
                continue
        elif char == '"':
            index = _string(text, index)
        elif char == "-" or "0" <= char <= "9":
            index = _number(text, index)
        elif char in _LITERALS:
            index = _literal(text, index, _LITERALS[char])
        else:
            raise _fail(text, index, "looking for beginning of value")
        # the value ended: close its containers or go on to the next item
        while True:
            if not stack:
                return index
            index = _skip(text, index)
            char = text[index]
            if stack[-1] == "{":
                if char == ",":
                    index = _skip(text, index + 1)
                    index = _key(text, index, "looking for beginning of object key string")
                    break
                if char == "}":
                    stack.pop()
                    index += 1
                    continue
                raise _fail(text, index, "after object key:value pair")
            if char == ",":
                index = _skip(text, index + 1)
                break
            if char == "]":
                stack.pop()
                index += 1
                continue
            raise _fail(text, index, "after array element")


def _key(text: str, index: int, context: str) -> int:
    """An object key and its colon; returns where the value starts."""
    if text[index] != '"':
        raise _fail(text, index, context)
    index = _skip(text, _string(text, index))
    if text[index] != ":":
        raise _fail(text, index, "after object key")
    return _skip(text, index + 1)


def _string(text: str, index: int) -> int:
    index += 1
    while True:
        if index >= len(text):
            raise _EOF
        char = text[index]
        if char == '"':
            return index + 1
        if char == "\\":
            index += 1
            if index >= len(text):
                raise _EOF
            if text[index] == "u":
                for _ in range(4):
                    index += 1
                    if index >= len(text):
                        raise _EOF
                    if text[index] not in _HEX:
                        raise _fail(text, index, "in \\u hexadecimal character escape")
            elif text[index] not in _ESCAPES:
                raise _fail(text, index, "in string escape code")
        elif char < " ":
            raise _fail(text, index, "in string literal")
        index += 1


def _digits(text: str, index: int) -> int:
    while index < len(text) and "0" <= text[index] <= "9":
        index += 1
    return index


def _need_digit(text: str, index: int) -> None:
    if index >= len(text):
        raise _EOF
    if not "0" <= text[index] <= "9":
        raise _fail(text, index, "in numeric literal")


def _number(text: str, index: int) -> int:
    if text[index] == "-":
        index += 1
        _need_digit(text, index)
    index = index + 1 if text[index] == "0" else _digits(text, index)
    if index < len(text) and text[index] == ".":
        index += 1
        _need_digit(text, index)
        index = _digits(text, index)
    if index < len(text) and text[index] in "eE":
        index += 1
        if index < len(text) and text[index] in "+-":
            index += 1
        _need_digit(text, index)
        index = _digits(text, index)
    return index


def _literal(text: str, index: int, word: str) -> int:
    for offset, expected in enumerate(word):
        at = index + offset
        if at >= len(text):
            raise _EOF
        if text[at] != expected:
            raise _fail(text, at, f"in literal {word} (expecting {_quote_char(expected)})")
    return index + len(word)


def decode(text: str, start: int, end: int) -> tuple[JSON, JSON]:
    """The value of ``text[start:end]`` (checked by :func:`scan_value`) as Go decodes it
    (lone surrogate escapes as U+FFFD), and as kubectl holds it once its ``json.Marshal``
    has written it again (``1.0`` is then ``1``)."""
    decoded = _no_surrogates(from_json_text(text[start:end]))
    return decoded, round_trip(decoded)


def _no_surrogates(value: JSON) -> JSON:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_SURROGATE.sub("\ufffd", k): _no_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_surrogates(v) for v in value]
    return value


def byte_offset(text: str, index: int) -> int:
    """Go's ``SyntaxError.Offset`` of an error at character ``index``: the bytes read up
    to and including it."""
    return len(text[:index].encode("utf-8")) + 1


def yaml_start(text: str, index: int) -> int:
    """Where the YAML decoder takes over after a value that failed at ``index`` began:
    white space up to and including the first line break is skipped (``consumeWhitespace``)."""
    space = _unicode_space()
    while index < len(text) and text[index] in space:
        index += 1
        if text[index - 1] == "\n":
            break
    return index
