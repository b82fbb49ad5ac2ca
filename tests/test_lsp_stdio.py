"""``kubelint lsp`` over a raw pipe: bytes written to its stdin, frames read from its stdout.

What an LSP client library would never send: odd header spellings, wrong lengths, bodies
that are not JSON or not JSON-RPC, messages out of order; and how the session ends
(``shutdown`` and ``exit``, ``exit`` alone, the input closed). Every read has a timeout, so
a server that stops answering fails the test instead of hanging it.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

SERVER = [sys.executable, "-m", "kubelint", "lsp"]
TIMEOUT = 20.0  # seconds; generous for loaded CI machines, never reached when things work

INITIALIZE = {"processId": None, "rootUri": None, "capabilities": {}}


def frame(value: object, header: bytes = b"Content-Length: %d\r\n\r\n", wrong: int = 0) -> bytes:
    body = value if isinstance(value, bytes) else json.dumps(value).encode()
    return header % (len(body) + wrong) + body


def request(msg_id: object, method: str, params: object = None) -> dict[str, Any]:
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": msg_id, "method": method}
    if params is not None:
        message["params"] = params
    return message


def notification(method: str, params: object = None) -> dict[str, Any]:
    message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        message["params"] = params
    return message


class RawServer:
    """The server in a subprocess; what it writes is read (strictly) on a thread."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.received: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_log, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            line = stream.readline()
            while line not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name == "Content-Length":  # the server writes the header by the book
                    length = int(value)
                line = stream.readline()
            if not line or length is None:
                self.received.put(None)
                return
            self.received.put(json.loads(stream.read(length)))

    def _read_log(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line.decode("utf-8", "replace"))

    def send(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def message(self) -> dict[str, Any]:
        """The next message the server sends (a test fails if none comes in time)."""
        try:
            found = self.received.get(timeout=TIMEOUT)
        except queue.Empty:
            raise AssertionError(f"no message within {TIMEOUT} s; log: {self.log}") from None
        assert found is not None, f"the server closed its output; log: {self.log}"
        return found

    def answer(self, msg_id: object) -> dict[str, Any]:
        """The server's response to ``msg_id`` (notifications on the way are skipped)."""
        while True:
            found = self.message()
            if "method" not in found and found.get("id") == msg_id:
                return found

    def ask(self, msg_id: int, method: str, params: object = None) -> dict[str, Any]:
        self.send(frame(request(msg_id, method, params)))
        return self.answer(msg_id)

    def initialize(self) -> None:
        assert "result" in self.ask(1, "initialize", INITIALIZE)
        self.send(frame(notification("initialized", {})))

    def alive(self, msg_id: int) -> None:
        """The server still answers (a hover on a document never opened: null)."""
        hover = {
            "textDocument": {"uri": "file:///nowhere.yaml"},
            "position": {"line": 0, "character": 0},
        }
        assert self.ask(msg_id, "textDocument/hover", hover) == {
            "jsonrpc": "2.0",
            "id": msg_id,
            "result": None,
        }

    def exit_status(self) -> int:
        """The status the process ends with (a test fails if it does not end in time)."""
        try:
            return self.process.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the server did not end; log: {self.log}") from None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def server() -> Iterator[RawServer]:
    started = RawServer()
    yield started
    started.stop()


def error_code(answer: dict[str, Any]) -> int:
    assert "error" in answer, answer
    code: int = answer["error"]["code"]
    return code


# -- framing ------------------------------------------------------------------------------

HEADERS = {
    "lower-case": b"content-length: %d\r\n\r\n",
    "lf-only": b"Content-Length: %d\n\n",
    "no-space": b"Content-Length:%d\r\n\r\n",
    "content-type-first": b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
    b"Content-Length: %d\r\n\r\n",
}


@pytest.mark.parametrize("header", HEADERS.values(), ids=HEADERS.keys())
def test_header_spellings_keep_the_session(server: RawServer, header: bytes) -> None:
    """lsp-framing-desync: after one odd header, pygls never answered again."""
    server.initialize()
    server.send(frame(notification("$/setTrace", {"value": "off"}), header))
    server.send(frame(request(2, "shutdown"), header))  # the odd frame itself is read too
    assert server.answer(2) == {"jsonrpc": "2.0", "id": 2, "result": None}
    assert error_code(server.ask(3, "shutdown")) == -32600  # answered: shut down already


@pytest.mark.parametrize("wrong", [-7, 5, 100_000], ids=["short", "long", "far-too-long"])
def test_a_wrong_content_length(server: RawServer, wrong: int) -> None:
    server.initialize()
    hover = {"textDocument": {"uri": "file:///x.yaml"}, "position": {"line": 0, "character": 0}}
    server.send(frame(request(2, "textDocument/hover", hover), wrong=wrong))
    assert server.answer(2)["result"] is None  # read, and answered, although mis-framed
    server.alive(3)


def test_bodies_that_are_not_json(server: RawServer) -> None:
    server.initialize()
    server.send(b"Content-Length: 12\r\n\r\n{not json!!}")
    answer = server.message()
    assert answer["id"] is None
    assert error_code(answer) == -32700
    server.send(b"stray bytes\r\n\r\n" + frame(b"[1, 2") + b"\x00\xff")
    assert error_code(server.message()) == -32700
    server.alive(2)


def test_a_frame_split_across_writes(server: RawServer) -> None:
    server.initialize()
    data = frame(request(2, "shutdown"))
    for index in range(len(data)):
        server.send(data[index : index + 1])
        time.sleep(0.002)
    assert server.answer(2)["result"] is None


# -- JSON-RPC -----------------------------------------------------------------------------

MALFORMED = {
    "batch": ([request(2, "shutdown")], None, -32600),
    "empty batch": ([], None, -32600),
    "a number": (42, None, -32600),
    "id an object": ({"jsonrpc": "2.0", "id": {"a": 1}, "method": "shutdown"}, None, -32600),
    "id a boolean": ({"jsonrpc": "2.0", "id": True, "method": "shutdown"}, None, -32600),
    "no jsonrpc": ({"id": 2, "method": "shutdown"}, 2, -32600),
    "method a number": ({"jsonrpc": "2.0", "id": 2, "method": 7}, 2, -32600),
    "hover without params": (request(2, "textDocument/hover"), 2, -32602),
    "negative position": (
        request(
            2,
            "textDocument/hover",
            {"textDocument": {"uri": "file:///x"}, "position": {"line": -1, "character": 0}},
        ),
        2,
        -32602,
    ),
    "unknown method": (request(2, "kubelint/nothing", {}), 2, -32601),
}


@pytest.mark.parametrize(("message", "msg_id", "code"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_messages_get_their_error(
    server: RawServer, message: object, msg_id: object, code: int
) -> None:
    """Minor observation 8: an answer by the book, one log line, no traceback."""
    server.initialize()
    server.send(frame(message))
    answer = server.message()
    assert answer["id"] == msg_id
    assert error_code(answer) == code
    server.alive(3)
    assert not [line for line in server.log if "Traceback" in line]


def test_malformed_notifications_are_dropped_quietly(server: RawServer) -> None:
    server.initialize()
    bad_change = {"textDocument": {"uri": 7}, "contentChanges": "x"}
    server.send(frame(notification("textDocument/didChange", bad_change)))
    server.send(frame(notification("textDocument/didOpen")))
    server.send(frame(notification("$/unknownNotification", {})))
    server.alive(2)
    assert not [line for line in server.log if "Traceback" in line]
    assert len([line for line in server.log if "invalid textDocument" in line]) == 2


def test_the_session_order(server: RawServer) -> None:
    """Requests before initialize: -32002; a second initialize, requests after shutdown: -32600."""
    assert error_code(server.ask(1, "textDocument/hover", {})) == -32002
    server.send(frame(notification("initialized", {})))  # dropped: too early
    server.initialize()
    assert error_code(server.ask(2, "initialize", INITIALIZE)) == -32600
    server.alive(3)
    assert server.ask(4, "shutdown") == {"jsonrpc": "2.0", "id": 4, "result": None}
    assert error_code(server.ask(5, "textDocument/hover", {})) == -32600


# -- the end ------------------------------------------------------------------------------


def test_shutdown_then_exit_ends_with_status_0(server: RawServer) -> None:
    server.initialize()
    assert server.ask(2, "shutdown")["result"] is None
    server.send(frame(notification("exit")))
    assert server.exit_status() == 0
    assert not [line for line in server.log if "Traceback" in line]


def test_exit_without_shutdown_ends_with_status_1(server: RawServer) -> None:
    server.initialize()
    server.send(frame(notification("exit")))
    assert server.exit_status() == 1


@pytest.mark.parametrize(("shutdown", "status"), [(True, 0), (False, 1)])
def test_the_end_of_the_input_ends_the_session(
    server: RawServer, shutdown: bool, status: int
) -> None:
    server.initialize()
    if shutdown:
        assert server.ask(2, "shutdown")["result"] is None
    assert server.process.stdin is not None
    server.process.stdin.close()
    assert server.exit_status() == status
    assert not [line for line in server.log if "Traceback" in line]
