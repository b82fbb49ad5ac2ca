"""The server's framing, in process: bytes in, messages out, whatever the client got wrong.

The same cases run over a real pipe in ``test_lsp_stdio.py``; here every way of cutting the
bytes into reads is tried as well.
"""

from __future__ import annotations

import json

import pytest

from kubelint.lsp.reader import Message, Reader, Unreadable

FIRST = {"jsonrpc": "2.0", "id": 1, "method": "shutdown"}
SECOND = {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"x": "é😀"}}


def frame(value: object, header: bytes = b"Content-Length: %d\r\n\r\n", wrong: int = 0) -> bytes:
    """``value`` framed with ``header`` (``%d``: its length in bytes, off by ``wrong``)."""
    body = json.dumps(value, ensure_ascii=False).encode()
    return header % (len(body) + wrong) + body


def read(*chunks: bytes, close: bool = False) -> list[Message | Unreadable]:
    reader = Reader()
    out: list[Message | Unreadable] = []
    for chunk in chunks:
        reader.feed(chunk)
        out.extend(reader.messages())
    if close:
        reader.close()
        out.extend(reader.messages())
    return out


def values(items: list[Message | Unreadable]) -> list[object]:
    return [item.value if isinstance(item, Message) else item for item in items]


def every_split(data: bytes) -> list[list[bytes]]:
    """The data in one read, byte by byte, and cut in two at every place."""
    splits = [[data], [data[i : i + 1] for i in range(len(data))]]
    splits += [[data[:i], data[i:]] for i in range(1, len(data))]
    return splits


HEADERS = {
    "spec": b"Content-Length: %d\r\n\r\n",
    "lower-case": b"content-length: %d\r\n\r\n",
    "upper-case": b"CONTENT-LENGTH: %d\r\n\r\n",
    "no-space": b"Content-Length:%d\r\n\r\n",
    "lf-only": b"Content-Length: %d\n\n",
    "spaces": b"Content-Length:   %d  \r\n\r\n",
    "content-type-after": b"Content-Length: %d\r\nContent-Type: application/vscode-jsonrpc; "
    b"charset=utf-8\r\n\r\n",
    "content-type-first": b"Content-Type: application/vscode-jsonrpc\r\nContent-Length: %d\r\n\r\n",
    "no-empty-line": b"Content-Length: %d\r\n",
}


@pytest.mark.parametrize("header", HEADERS.values(), ids=HEADERS.keys())
def test_header_spellings(header: bytes) -> None:
    data = frame(FIRST, header) + frame(SECOND, header)
    for chunks in every_split(data):
        assert values(read(*chunks)) == [FIRST, SECOND]


@pytest.mark.parametrize("wrong", [-20, -1, 1, 7, 10_000])
def test_a_wrong_length_costs_nothing_when_the_body_is_json(wrong: int) -> None:
    data = frame(FIRST, wrong=wrong) + frame(SECOND)
    for chunks in every_split(data):
        assert values(read(*chunks)) == [FIRST, SECOND]


@pytest.mark.parametrize("wrong", [-5, 3, 10_000])
def test_a_wrong_length_on_the_last_message(wrong: int) -> None:
    """A request is read without waiting for a next message to show where it ends."""
    assert values(read(frame(FIRST, wrong=wrong))) == [FIRST]


def test_a_body_that_is_not_json_is_answered_and_skipped() -> None:
    out = read(b"Content-Length: 5\r\n\r\nhello" + frame(SECOND))
    assert isinstance(out[0], Unreadable)
    assert values(out[1:]) == [SECOND]
    out = read(b"Content-Length: 4\r\n\r\n{]}x" + frame(SECOND))
    assert isinstance(out[0], Unreadable)
    assert values(out[1:]) == [SECOND]


def test_bytes_outside_frames_are_skipped() -> None:
    data = b"garbage\r\n\r\n" + frame(FIRST) + b"\r\n}}{{" + frame(SECOND) + b"\n\n"
    for chunks in every_split(data):
        assert values(read(*chunks, close=True)) == [FIRST, SECOND]


def test_a_broken_header_part_is_skipped() -> None:
    data = b"Content-Length: 10\r\nthis is no header\r\n\r\n0123456789" + frame(SECOND)
    assert values(read(data)) == [SECOND]


def test_an_unfinished_message_waits_then_ends_with_the_input() -> None:
    reader = Reader()
    reader.feed(frame(FIRST)[:-3])
    assert list(reader.messages()) == []
    reader.close()
    (item,) = list(reader.messages())
    assert isinstance(item, Unreadable)


def test_hostile_lengths_and_nesting() -> None:
    deep = b"[" * 100_000
    out = read(b"Content-Length: 999999999999999\r\n\r\n" + deep, close=True)
    assert [type(item) for item in out] == [Unreadable]
    assert values(read(b"Content-Length: 0\r\n\r\n" + frame(FIRST)))[1:] == [FIRST]


def test_a_big_body_in_many_reads() -> None:
    big = {"jsonrpc": "2.0", "method": "x", "params": {"text": "a: {b: c}\n" * 200_000}}
    data = frame(big)
    chunks = [data[i : i + 65536] for i in range(0, len(data), 65536)]
    assert values(read(*chunks)) == [big]
