"""The protocol's framing, read forgivingly: one bad frame costs that frame, never the session.

A message is a header part and a JSON body: header fields ``Name: value`` each ended by
``\\r\\n``, an empty line, then ``Content-Length`` bytes of body. pygls' reader accepts
exactly ``Content-Length: N\\r\\n`` and, after any other spelling, glues every later body
to the next header and never answers again. This reader decides instead:

* Header names are case-insensitive (``content-length``), the space after the colon is
  optional (``Content-Length:12``) and a line may end in ``\\n`` alone; other fields
  (``Content-Type``) are skipped. A body that starts right after the fields, without the
  empty line, is read too.
* The body is the ``Content-Length`` bytes after the header part when they are JSON. When
  they are not, the length is wrong, and the body is the first JSON value after the header
  part, before the next ``Content-Length`` header; what follows that value up to the next
  header is skipped. A body that has arrived whole before the length says is read at once,
  so a length too large does not leave a request waiting for the next message; a body cut
  short waits for its rest, the next header or the end of the input.
  (``Content-Length: N`` followed by a line break cannot occur inside valid JSON: a JSON
  string holds no raw line break.)
* Whatever cannot be read is reported and skipped up to the next ``Content-Length``
  header: a framed body that is not JSON comes out as :class:`Unreadable` (the server
  answers it with a parse error); bytes outside any frame are only logged.

The reader is fed bytes and yields messages, so it is tested without a process.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

log = logging.getLogger(__name__)

_LENGTH: Final = re.compile(rb"content-length[ \t]*:[ \t]*(\d{1,15})[ \t]*\r?\n", re.IGNORECASE)
_FIELD: Final = re.compile(rb"[!-9;-~]+[ \t]*:[^\r\n]*\r?\n")
_END_OF_HEADER: Final = re.compile(rb"[ \t]*\r?\n")
_SPACE: Final = re.compile(rb"[ \t\r\n]*")

#: A header part longer than this is no header part.
MAX_HEADER = 64 * 1024
#: Bytes kept when no header is in sight: a header may be arriving in pieces.
_TAIL = 256
#: A body whose length is wrong is looked for in at most this many bytes beyond the length.
_SLACK = 1 << 20


@dataclass(frozen=True, slots=True)
class Message:
    """A framed body that is JSON: the decoded value (not necessarily a valid message)."""

    value: Any


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A framed body that is not JSON."""

    reason: str


#: What may be left of a token cut short by the end of the bytes (``{"a": tr``, ``[1.``).
_CUT_TOKEN: Final = re.compile(
    r"t(?:r(?:u)?)?|f(?:a(?:l(?:s)?)?)?|n(?:u(?:l)?)?|-?[0-9]*(?:\.[0-9]*)?(?:[eE][+-]?[0-9]*)?"
    r"|\\u[0-9a-fA-F]{0,3}"
)


_DECODER: Final = json.JSONDecoder()


@dataclass(frozen=True, slots=True)
class _Parsed:
    value: Any = None
    size: int = -1  # bytes up to the end of the value; -1: there is no value
    cut: bool = False  # no value, but the bytes may be the start of one


def _first_value(data: bytes | bytearray) -> _Parsed:
    """The JSON value at the start of ``data``, whatever follows it."""
    text = bytes(data).decode("utf-8", "surrogateescape")  # one character per bad byte
    begin = len(text) - len(text.lstrip(" \t\r\n"))
    try:
        value, stop = _DECODER.raw_decode(text, begin)
    except json.JSONDecodeError as exc:  # cut short, or wrong before the end?
        unfinished = exc.msg.startswith("Unterminated string")
        tail = text[exc.pos :].rstrip()
        return _Parsed(cut=unfinished or _CUT_TOKEN.fullmatch(tail) is not None)
    except (ValueError, RecursionError):  # nested too deep, a number too long
        return _Parsed()
    return _Parsed(value, len(text[:stop].encode("utf-8", "surrogateescape")))


class Reader:
    """Bytes in (as they arrive), messages out."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._closed = False
        self._searched = 0  # where to go on looking for a header inside a pending body
        self._skipped = 0  # bytes outside any frame, not yet reported

    def feed(self, data: bytes) -> None:
        """Add bytes read from the client."""
        self._buffer += data

    def close(self) -> None:
        """The input has ended: what is left is read as it is."""
        self._closed = True

    def messages(self) -> Iterator[Message | Unreadable]:
        """Every message that the bytes fed so far complete."""
        while True:
            item = self._next()
            if item is None:
                if self._closed:
                    self._skip(len(self._buffer))
                    self._report_skipped()
                return
            yield item

    # -- the steps ----------------------------------------------------------------------
    def _skip(self, count: int) -> None:
        """Drop bytes outside any frame; blank lines and stray header fields are no news."""
        dropped = bytes(self._buffer[:count])
        del self._buffer[:count]
        self._searched = 0
        if _FIELD.sub(b"", dropped).strip():
            self._skipped += len(dropped)

    def _report_skipped(self) -> None:
        if self._skipped:
            log.warning("skipped %d bytes that belong to no message", self._skipped)
            self._skipped = 0

    def _next(self) -> Message | Unreadable | None:
        """The next message, or None until more bytes arrive."""
        while True:
            found = _LENGTH.search(self._buffer)
            if found is None:
                self._skip(max(len(self._buffer) - _TAIL, 0))
                return None
            if found.start():  # other fields (Content-Type) first, or bytes of no frame
                self._skip(found.start())
                continue
            self._report_skipped()
            start = self._body_start(found.end())
            if start is None:
                return None
            if start < 0:
                log.warning("a malformed header part: skipped to the next Content-Length")
                self._skip(found.end())
                continue
            return self._body(start, int(found.group(1)))

    def _body_start(self, position: int) -> int | None:
        """Where the body begins after the header fields; None: not all here; -1: broken."""
        buffer = self._buffer
        while True:
            if position > MAX_HEADER:
                return -1
            end = _END_OF_HEADER.match(buffer, position)
            if end is not None:
                return end.end()
            if buffer.startswith((b"{", b"["), position):
                return position  # no empty line: the body follows the fields at once
            field = _FIELD.match(buffer, position)
            if field is not None:
                position = field.end()
                continue
            if b"\n" not in buffer[position:] and not self._closed:
                return None
            return -1

    def _body(self, start: int, length: int) -> Message | Unreadable | None:
        """The body at ``start`` that the header says is ``length`` bytes long."""
        buffer = self._buffer
        end = start + length
        if len(buffer) >= end:
            try:
                value = json.loads(buffer[start:end])
            except (ValueError, RecursionError):
                return self._recover(start, length)
            self._skip_to(end)
            return Message(value)
        # not all here: unless a header inside says the length is wrong
        search_from = max(start, self._searched - 64)
        self._searched = len(buffer)
        if _LENGTH.search(buffer, search_from) is not None or self._closed:
            return self._recover(start, length)
        if buffer.rstrip().endswith(b"}"):  # complete already? (cheap to ask, seldom true)
            parsed = _first_value(buffer[start:])
            if isinstance(parsed.value, dict):
                return self._recovered(start, length, parsed)
        return None

    def _recover(self, start: int, length: int) -> Message | Unreadable | None:
        """The first JSON value after the header part, when the length given is wrong."""
        buffer = self._buffer
        following = _LENGTH.search(buffer, start)
        limit = following.start() if following is not None else len(buffer)
        parsed = _first_value(buffer[start:limit])
        if parsed.size >= 0:
            return self._recovered(start, length, parsed)
        if (
            following is None
            and not self._closed
            and parsed.cut
            and limit - start <= length + _SLACK
        ):
            return None  # the rest of the body may be on its way
        self._skip_to(limit)
        return Unreadable(
            f"the {limit - start}-byte body after Content-Length {length} is not JSON"
        )

    def _recovered(self, start: int, length: int, parsed: _Parsed) -> Message:
        log.warning("Content-Length %d is wrong: the body is %d bytes", length, parsed.size)
        self._skip_to(start + parsed.size)
        return Message(parsed.value)

    def _skip_to(self, position: int) -> None:
        """Consume a frame that ends at ``position``."""
        del self._buffer[:position]
        self._searched = 0
        space = _SPACE.match(self._buffer)
        if space is not None and space.end():
            del self._buffer[: space.end()]
