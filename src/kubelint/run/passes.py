"""The check run: files in, findings out.

A run reads every file, validates every object against the bundled schemas (or the
CRDs found in the run), and then checks across objects (duplicates). Files that define
CRDs are checked first so that custom resources anywhere in the run can use them. On
large runs the files are spread over worker processes; results are merged in file
order, so the output never depends on scheduling.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from kubelint.config.policy import Policy, Suppressions
from kubelint.load.sources import SourceFile
from kubelint.report.model import Finding, RunResult
from kubelint.run import findings as build
from kubelint.run import parts as file_parts
from kubelint.run.context import CheckOptions, Context, run_policy
from kubelint.run.cross_objects import across_objects
from kubelint.run.files import check_part, check_source, content, merge_parts, over_limits
from kubelint.run.parts import FilePart
from kubelint.run.results import FileResult, PartResult
from kubelint.schema import store as schema_store
from kubelint.schema.crds import CrdRegistry

if TYPE_CHECKING:
    from kubelint.run.workers import WorkerPool


def run(
    sources: list[SourceFile], options: CheckOptions, crd_sources: Iterable[SourceFile] = ()
) -> RunResult:
    """Check ``sources``; ``crd_sources`` only contribute CRDs (their findings are dropped).

    Custom resources are checked against the CRDs of the whole run. The first pass checks
    the files that define CRDs and those that hold no custom resources; the second, with
    every CRD known, the files that may hold custom resources (their apiVersions tell),
    and any file of the first pass that turned out to hold some. Both use every core on
    a large run.
    """
    runner = BatchRunner(options, _jobs_for(sources, options))
    try:
        ordered = _check_in_passes(runner, sources, options, list(crd_sources))
    finally:
        runner.close()
    findings = [f for r in ordered for f in r.findings]
    suppressed = [f for r in ordered for f in r.suppressed]
    kept, dropped = across_objects(ordered, options)
    findings.extend(kept)
    suppressed.extend(dropped)
    skipped: Counter[str] = Counter()
    for result in ordered:
        skipped.update(result.skipped)

    documents = sum(r.documents for r in ordered)
    objects = sum(len(r.objects) for r in ordered)
    del ordered  # what only the cross-object step needed: facts, objects
    _sort(findings, sources)
    _sort(suppressed, sources)
    return RunResult(findings, len(sources), documents, objects, skipped, suppressed)


class BatchRunner:
    """Checks batches of files: in worker processes on large runs, else in this one."""

    def __init__(self, options: CheckOptions, jobs: int) -> None:
        self._options = options
        self._crds = CrdRegistry()
        self._pool: WorkerPool | None = None
        if jobs > 1:
            from kubelint.run.workers import WorkerPool  # multiprocessing: only for large runs

            self._pool = WorkerPool(jobs, options, Context, check_task)
        self._context: Context | None = None
        self._policy: Policy | None = None

    def use_crds(self, crds: CrdRegistry) -> None:
        """Check the next batches with these CRDs."""
        self._crds = crds
        if self._pool is not None:
            self._pool.use_crds(crds)
        if self._context is not None:
            self._context.use_crds(crds)

    def check(self, sources: list[SourceFile]) -> list[FileResult]:
        """The results of ``sources``, in order.

        A file over the limits of the run gets a finding instead of a check; a big file
        is checked in parts (see :mod:`kubelint.run.parts`), spread over the workers.
        """
        tasks: list[tuple[SourceFile | FilePart, bytes | None]] = []
        sizes: list[int] = []
        plans: list[FileResult | range] = []  # per source: its result, or its tasks
        for source in sources:
            data = source.data
            size = _size(source)
            first = len(tasks)
            # bytes read when the run began travel with the task, once, not in its source
            bare = source._replace(data=None) if data is not None else source
            refused = over_limits(source, size, None, self._options)
            if refused is None and size >= file_parts.SPLIT_BYTES:
                whole = data if data is not None else _read_or_none(source)
                if whole is not None:
                    refused = over_limits(source, size, whole, self._options)
                    parts = file_parts.cut(bare, whole) if refused is None else []
                    if len(parts) > 1:
                        for part in parts:
                            piece = whole[part.start : part.end] if data is not None else None
                            tasks.append((part, piece))
                            sizes.append(part.end - part.start)
                del whole
            if refused is not None:
                plans.append(self._decided(refused))
                continue
            if len(tasks) == first:
                tasks.append((bare, data))
                sizes.append(size)
            plans.append(range(first, len(tasks)))
        done = self._run(tasks, sizes)
        results: list[FileResult] = []
        for source, plan in zip(sources, plans, strict=True):
            if isinstance(plan, FileResult):
                results.append(plan)
                continue
            outcomes = done[plan.start : plan.stop]
            if not isinstance(outcomes[0], PartResult):
                results.append(outcomes[0])
                continue
            merged = merge_parts(outcomes)
            if merged is None:  # not a manifest after all, or not text: check it whole
                (merged,) = self._run([(source._replace(data=None), source.data)], [0])
            results.append(merged)
        return results

    def _run(
        self, tasks: list[tuple[SourceFile | FilePart, bytes | None]], sizes: list[int]
    ) -> list[Any]:
        """The outcomes of checking whole files and parts of files, in order."""
        if self._pool is not None and len(tasks) > 1:
            outcomes: list[Any] = self._pool.check(tasks, sizes)
            return outcomes
        if self._context is None:
            self._context = Context(self._options, self._crds)
        return [check_task(task, self._context, data) for task, data in tasks]

    def _decided(self, result: FileResult) -> FileResult:
        """``result``, a file not checked, with the run's policy applied."""
        if self._policy is None:
            self._policy = run_policy(self._options)
        build.decide_file(result, self._policy, Suppressions({}, ()))
        return result

    def close(self) -> None:
        """Stop the workers, if any."""
        if self._pool is not None:
            self._pool.close()


def check_task(
    task: SourceFile | FilePart, ctx: Context, data: bytes | None
) -> FileResult | PartResult:
    """Check a whole file, or a part of a big one (what a worker is given)."""
    if isinstance(task, FilePart):
        return check_part(task, ctx, data)
    return check_source(task, ctx, data)


def _check_in_passes(
    runner: BatchRunner,
    sources: list[SourceFile],
    options: CheckOptions,
    crd_sources: list[SourceFile],
) -> list[FileResult]:
    """The two passes of :func:`run`."""
    registry = CrdRegistry()
    if crd_sources:
        for result in runner.check(crd_sources):
            registry.merge(result.crds)
        runner.use_crds(registry)
    builtin = schema_store.schemas_for(options.kubernetes_version).groups
    scans = [_scan(s, builtin) for s in sources]
    if any(defines for defines, _ in scans):
        first = [i for i, (defines, custom) in enumerate(scans) if defines or not custom]
    else:  # no CRD in the run: one pass
        first = list(range(len(sources)))
    results: list[FileResult | None] = [None] * len(sources)
    checked = runner.check([sources[i] for i in first])
    for index, result in zip(first, checked, strict=True):
        results[index] = result
    defined = CrdRegistry()
    for done in results:
        if done is not None:
            defined.merge(done.crds)
    groups = {crd.group for crd in defined.versions.values()}
    second = [i for i, r in enumerate(results) if r is None or (groups and r.crd_groups & groups)]
    if second:
        if groups:
            registry.merge(defined)
            runner.use_crds(registry)
        redone = runner.check([sources[i] for i in second])
        for index, result in zip(second, redone, strict=True):
            results[index] = result
    return [r for r in results if r is not None]


_CRD_MARKER = re.compile(rb"^kind:\s*[\"']?CustomResourceDefinition\b", re.MULTILINE)
_API_VERSION = re.compile(rb"apiVersion[\"']?\s*:\s*[\"']?([^\s\"',#}/]+)/")


def _scan(source: SourceFile, builtin: AbstractSet[str]) -> tuple[bool, bool]:
    """Whether a file defines CRDs, and whether it may hold custom resources (an
    apiVersion of a group with a dot that no bundled schema serves), from its bytes."""
    if source.skip is not None or source.problem is not None:
        return False, False
    try:
        data = content(source)
    except OSError:
        return False, False
    defines = _CRD_MARKER.search(data) is not None
    custom = any(
        b"." in group and group.decode("utf-8", "replace") not in builtin
        for group in set(_API_VERSION.findall(data))
    )
    return defines, custom


def _jobs_for(sources: list[SourceFile], options: CheckOptions) -> int:
    if options.jobs is not None:
        return max(1, options.jobs)
    sizes = [_size(s) for s in sources]
    # a big file is cut in parts for the workers; many small files are spread over them
    big = max(sizes, default=0) >= file_parts.SPLIT_BYTES
    if sum(sizes) < 2_000_000 or (len(sources) < 16 and not big):
        return 1
    from kubelint.run.workers import cpu_count

    return max(1, min(cpu_count(), 8))


def _size(source: SourceFile) -> int:
    if source.data is not None:
        return len(source.data)
    if source.skip is not None or source.problem is not None:
        return 0
    try:
        return os.path.getsize(source.location)
    except OSError:
        return 0


def _read_or_none(source: SourceFile) -> bytes | None:
    try:
        return content(source)
    except OSError:
        return None  # checked whole, which reports why it cannot be read


def _sort(findings: list[Finding], sources: list[SourceFile]) -> None:
    """Sort by file (in run order), line, column and rule, in place.

    Two stable sorts with flat keys: a tuple key per finding would cost a run of half a
    million findings some 50 MB more at its peak.
    """
    findings.sort(key=attrgetter("rule"))
    findings.sort(key=lambda f: _order(sources, f.path) << 64 | f.line << 32 | f.column)


def _order(sources: list[SourceFile], path: str) -> int:
    positions = _order_cache.get(id(sources))
    if positions is None:
        positions = {s.display: i for i, s in enumerate(sources)}
        _order_cache.clear()
        _order_cache[id(sources)] = positions
    return positions.get(path, len(sources))


_order_cache: dict[int, dict[str, int]] = {}
