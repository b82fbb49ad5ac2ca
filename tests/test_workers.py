"""The worker processes: results in order, CRDs between passes, dead workers survived."""

from __future__ import annotations

import os
from typing import Any

from kubelint.run.workers import WorkerPool, _chunks
from kubelint.schema.crds import CrdRegistry, CrdVersion

MAIN = os.getpid()


class FakeContext:
    """Records the CRDs it was given, like the engine's context."""

    def __init__(self, options: Any, crds: CrdRegistry) -> None:
        self.options = options
        self.crds = crds

    def use_crds(self, crds: CrdRegistry) -> None:
        self.crds = crds


def check(source: Any, context: FakeContext, data: bytes | None) -> tuple[Any, int, int, bool]:
    """What a check saw: the source, the options, how many CRDs, and whether in a worker."""
    if source == "die" and os.getpid() != MAIN:
        os._exit(3)  # a worker killed in the middle of a chunk
    return source, context.options, len(context.crds), os.getpid() != MAIN


def registry(count: int) -> CrdRegistry:
    crds = CrdRegistry()
    for index in range(count):
        crds.add(CrdVersion("example.com", f"v{index}", "Widget", True, None, True))
    return crds


def test_results_come_back_in_order_from_the_workers() -> None:
    items: list[tuple[Any, bytes | None]] = [(f"file-{i}", None) for i in range(100)]
    sizes = [i * 37 % 1000 for i in range(100)]
    with WorkerPool(2, "opts", FakeContext, check) as pool:
        results = pool.check(items, sizes)
    assert [r[0] for r in results] == [f"file-{i}" for i in range(100)]
    assert all(r[1] == "opts" and r[3] for r in results)


def test_crds_reach_every_worker_between_passes() -> None:
    items: list[tuple[Any, bytes | None]] = [(f"file-{i}", None) for i in range(40)]
    with WorkerPool(2, None, FakeContext, check) as pool:
        before = pool.check(items, [1] * 40)
        pool.use_crds(registry(3))
        after = pool.check(items, [1] * 40)
    assert {r[2] for r in before} == {0}
    assert {r[2] for r in after} == {3}


def test_the_files_of_a_dead_worker_are_checked_in_the_main_process() -> None:
    items: list[tuple[Any, bytes | None]] = [(f"file-{i}", None) for i in range(30)]
    items[7] = ("die", None)
    with WorkerPool(2, None, FakeContext, check) as pool:
        pool.use_crds(registry(2))
        results = pool.check(items, [1] * 30)
        again = pool.check(items, [1] * 30)  # the other worker dies too: all done here
    for run in (results, again):
        assert [r[0] for r in run] == [item[0] for item in items]
        assert run[7][3] is False  # "die" itself was checked here
        assert {r[2] for r in run} == {2}  # with the CRDs the pool had


def test_chunks_put_big_files_first_and_alone() -> None:
    items: list[tuple[Any, bytes | None]] = [(i, None) for i in range(200)]
    sizes = [100_000 if i in (5, 150) else 100 for i in range(200)]
    chunks = _chunks(items, sizes, 2)
    assert [[index for index, _, _ in chunk] for chunk in chunks[:2]] == [[5], [150]]
    assert sorted(i for chunk in chunks for i, _, _ in chunk) == list(range(200))
    assert max(len(chunk) for chunk in chunks) <= 32
