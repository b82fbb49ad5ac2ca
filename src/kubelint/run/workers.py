"""Worker processes that check files in parallel, kept for the whole run.

A run checks its files in up to two passes (see :func:`kubelint.run.passes.run`), and the
second needs the CRDs the first found. ``multiprocessing.Pool`` would fork a new pool for
it from a main process that by then holds every result of the first pass: each new
worker would count that memory again. These workers are forked once, while the main
process is still small; they get the CRDs as a message between the passes.

A worker that dies (killed, out of memory) costs nothing but time: its files are
checked in the main process instead.
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import os
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

from kubelint.schema.crds import CrdRegistry

#: What a worker checks: a source and its bytes (None: read from disk), by position.
Item = tuple[int, Any, bytes | None]
#: Check one source in a context: :func:`kubelint.run.passes.check_task`.
CheckFn = Callable[[Any, Any, bytes | None], Any]
#: Make a context from the run's options and a CRD registry: :class:`kubelint.run.context.Context`.
ContextFn = Callable[[Any, CrdRegistry], Any]

_MAX_CHUNK_FILES = 32
_IN_FLIGHT = 2  # chunks sent ahead to each worker, so that none waits for the main process


def _serve(connection: Connection, make_context: ContextFn, check: CheckFn, options: Any) -> None:
    """A worker's loop: ``("crds", registry)`` sets the CRDs, ``("check", items)`` checks
    files and answers with their results, ``None`` stops."""
    context = make_context(options, CrdRegistry())
    while True:
        try:
            message = connection.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if message is None:
            return
        verb, payload = message
        if verb == "crds":
            context.use_crds(payload)
            continue
        connection.send([(index, check(source, context, data)) for index, source, data in payload])


class WorkerPool:
    """``jobs`` worker processes, each with its own context built from ``options``."""

    def __init__(self, jobs: int, options: Any, make_context: ContextFn, check: CheckFn) -> None:
        mp: Any = multiprocessing.get_context(
            "fork" if sys.platform.startswith("linux") else "spawn"
        )
        self._options = options
        self._make_context = make_context
        self._check = check
        self._local: Any = None  # the main process's own context, made when a worker dies
        self._crds = CrdRegistry()
        self._workers: list[tuple[Any, Connection]] = []
        for _ in range(jobs):
            mine, theirs = mp.Pipe()
            process = mp.Process(
                target=_serve, args=(theirs, make_context, check, options), daemon=True
            )
            process.start()
            theirs.close()
            self._workers.append((process, mine))

    def use_crds(self, crds: CrdRegistry) -> None:
        """Check the next files with these CRDs."""
        self._crds = crds
        if self._local is not None:
            self._local.use_crds(crds)
        for _, connection in list(self._workers):
            try:
                connection.send(("crds", crds))
            except OSError:
                self._drop(connection)

    def check(self, items: list[tuple[Any, bytes | None]], sizes: list[int]) -> list[Any]:
        """The results of checking ``items`` (in their order); ``sizes`` weigh them."""
        results: list[Any] = [None] * len(items)
        pending = collections.deque(_chunks(items, sizes, max(1, len(self._workers))))
        in_flight: dict[Connection, list[list[Item]]] = {c: [] for _, c in self._workers}
        while pending or any(in_flight.values()):
            for connection, sent in list(in_flight.items()):
                while pending and len(sent) < _IN_FLIGHT:
                    chunk = pending.popleft()
                    try:
                        connection.send(("check", chunk))
                    except OSError:
                        pending.appendleft(chunk)
                        pending.extend(self._drop(connection, in_flight.pop(connection)))
                        break
                    sent.append(chunk)
            if not in_flight:  # every worker is gone: finish here
                for chunk in pending:
                    self._check_here(chunk, results)
                break
            busy = [c for c, sent in in_flight.items() if sent]
            for ready in wait(busy):
                assert isinstance(ready, Connection)  # only connections are waited on
                connection = ready
                try:
                    answer = connection.recv()
                except (EOFError, OSError):
                    pending.extend(self._drop(connection, in_flight.pop(connection)))
                    continue
                in_flight[connection].pop(0)
                for index, result in answer:
                    results[index] = result
        return results

    def close(self) -> None:
        """Stop the workers."""
        for process, connection in self._workers:
            with contextlib.suppress(OSError):
                connection.send(None)
            connection.close()
            process.join(timeout=5)
            if process.is_alive():  # pragma: no cover - a stuck worker
                process.kill()
        self._workers.clear()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _drop(
        self, connection: Connection, unanswered: list[list[Item]] | None = None
    ) -> list[list[Item]]:
        """Forget a dead worker; returns the chunks it did not answer."""
        for process, mine in list(self._workers):
            if mine is connection:
                self._workers.remove((process, mine))
                connection.close()
                process.join(timeout=1)
        return unanswered or []

    def _check_here(self, chunk: list[Item], results: list[Any]) -> None:
        if self._local is None:
            self._local = self._make_context(self._options, self._crds)
        for index, source, data in chunk:
            results[index] = self._check(source, self._local, data)


def _chunks(
    items: list[tuple[Any, bytes | None]], sizes: list[int], workers: int
) -> list[list[Item]]:
    """Biggest files first, in chunks of about equal weight: a big file alone, small ones
    by the dozen. Balanced to the end of the run, without a message per tiny file."""
    order = sorted(range(len(items)), key=lambda i: -sizes[i])
    target = max(1, sum(sizes) // (workers * 32))
    chunks: list[list[Item]] = []
    chunk: list[Item] = []
    weight = 0
    for index in order:
        source, data = items[index]
        chunk.append((index, source, data))
        weight += sizes[index]
        if weight >= target or len(chunk) >= _MAX_CHUNK_FILES:
            chunks.append(chunk)
            chunk, weight = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def cpu_count() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1
