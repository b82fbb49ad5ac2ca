"""The session over standard input and output: read, dispatch, and end with the right status.

A daemon thread reads whatever bytes arrive and hands them to the event loop, where
:class:`~kubelint.lsp.reader.Reader` cuts them into messages for the protocol. The session
ends at ``exit`` (status 0 after ``shutdown``, 1 without) or when the input ends (the same
rule: the client went away, with or without saying ``shutdown`` first). Nothing waits for
the reading thread or for a check still running: the process ends with the session.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from typing import BinaryIO

from kubelint.lsp.reader import Reader
from kubelint.lsp.server import KubelintServer

log = logging.getLogger(__name__)

#: Bytes asked of standard input at a time (a read returns what is there, up to this).
CHUNK = 1 << 16


class Writer:
    """pygls' writer over a binary stream; a client that has gone costs no traceback."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self.lost = False

    def write(self, data: bytes) -> None:
        """Send bytes now."""
        with self._lock:
            if self.lost:
                return
            try:
                self._stream.write(data)
                self._stream.flush()
            except (OSError, ValueError) as exc:
                self.lost = True
                log.warning("cannot write to the client any more: %s", exc)

    def close(self) -> None:
        """Nothing to do: the stream closes when the process ends, after the last write."""


def _pump(stream: BinaryIO, loop: asyncio.AbstractEventLoop, chunks: asyncio.Queue[bytes]) -> None:
    """Read ``stream`` until it ends, handing each chunk to the loop (b"" at the end)."""
    read = getattr(stream, "read1", stream.read)
    while True:
        try:
            chunk = read(CHUNK)
        except (OSError, ValueError):
            chunk = b""
        try:
            loop.call_soon_threadsafe(chunks.put_nowait, chunk)
        except RuntimeError:  # the loop is closed: the session is over
            return
        if not chunk:
            return


async def _session(server: KubelintServer, stream: BinaryIO, writer: Writer) -> int:
    loop = asyncio.get_running_loop()
    chunks: asyncio.Queue[bytes] = asyncio.Queue()
    threading.Thread(
        target=_pump, args=(stream, loop, chunks), name="kubelint-stdin", daemon=True
    ).start()
    protocol = server.protocol
    reader = Reader()
    try:
        while True:
            chunk = await chunks.get()
            if chunk:
                reader.feed(chunk)
            else:
                reader.close()
            for item in reader.messages():
                protocol.receive(item)
                if protocol.exit_code is not None:
                    return protocol.exit_code
            if not chunk:
                log.info("the input ended without exit")
                return 0 if protocol.shut_down else 1
            if writer.lost:
                return 1
    finally:
        server.stop()


def serve(
    server: KubelintServer, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None
) -> int:
    """Serve one client over stdio until it exits; returns the process's exit status."""
    writer = Writer(stdout or sys.stdout.buffer)
    server.protocol.set_writer(writer)
    try:
        return asyncio.run(_session(server, stdin or sys.stdin.buffer, writer))
    except KeyboardInterrupt:
        return 1
