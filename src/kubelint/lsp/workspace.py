"""The workspace: settings from ``.kubelint.yaml``, the index of a folder, cross-file findings.

A :class:`Project` is what one ``kubelint check FOLDER`` run sees: the folder's files (as
:func:`kubelint.load.sources.collect` finds them), the configuration found for the folder, and
the run's :class:`~kubelint.run.context.Context` built from it once. Open buffers replace their
file's text. Each file's own findings come from :func:`kubelint.run.files.check_source`, as in the
CLI; findings across objects (references, selectors, duplicate objects) are recomputed from the
facts of every file whenever one changes, so an edit in one file can fix a finding in another.

Files outside every workspace folder are "loose": they get a project of their own per
configuration, which never indexes a folder, so a loose file is checked exactly as
``kubelint check FILE`` checks it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kubelint.config import config_file as config
from kubelint.config import options as run_options
from kubelint.load import sources
from kubelint.report.model import Finding
from kubelint.run.context import CheckOptions, Context
from kubelint.run.cross_objects import across_objects
from kubelint.run.files import check_source
from kubelint.run.results import FileResult
from kubelint.schema.crds import CrdRegistry

#: How often (seconds) a project looks again for a changed configuration file.
CONFIG_POLL = 1.0

Stamp = tuple[int, int]  # (mtime_ns, size) of a file


def _stamp(path: Path | str | None) -> Stamp | None:
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except (OSError, ValueError):  # ValueError: a NUL in the path (from an odd URI)
        return None
    return (stat.st_mtime_ns, stat.st_size)


@dataclass(frozen=True, slots=True)
class Settings:
    """What a check run needs from the configuration found for a folder."""

    start: Path  # where the configuration was looked for
    base: Path  # relative paths (displays, rules, crds) are relative to this folder
    config_path: Path | None
    config_stamp: Stamp | None
    options: CheckOptions
    crd_paths: tuple[str, ...] = ()
    error: str | None = None  # why the configuration could not be used (defaults apply)

    def is_stale(self) -> bool:
        """Whether the configuration file changed, appeared or disappeared since loading."""
        found = config.find_config(self.start)
        return found != self.config_path or _stamp(found) != self.config_stamp


def load_settings(start: Path) -> Settings:
    """The check options for files under ``start``, as ``kubelint check`` builds them.

    A configuration that cannot be used is reported in ``error``; the defaults apply then,
    so the editor keeps showing findings while the user fixes the file.
    """
    found = config.find_config(start)
    stamp = _stamp(found)
    base = found.parent if found else (start if start.is_dir() else start.parent)
    errors: list[str] = []
    try:
        conf = config.load(found) if found else config.Config()
    except config.ConfigError as exc:
        errors.append(str(exc))
        conf = config.Config()
    options, problems = run_options.check_options(conf, base, run_options.Overrides(jobs=1))
    errors.extend(
        f"kubernetes-version {p.message}" if p.setting == "kubernetes-version" else p.message
        for p in problems
    )
    where = str(found) if found else "configuration"
    error = "; ".join(e if e.startswith(str(found)) else f"{where}: {e}" for e in errors) or None
    return Settings(
        start,
        base,
        found,
        stamp,
        options,
        tuple(str(base / c) for c in conf.crds),
        error,
    )


def _config_crds(settings: Settings) -> CrdRegistry:
    """The CRDs the configuration names (``crds:``), as ``run.passes.run`` reads them."""
    crds = CrdRegistry()
    if not settings.crd_paths:
        return crds
    try:
        files = sources.collect(list(settings.crd_paths), sources.Streams(allowed=False))
    except sources.UsageError:
        return crds
    context = Context(settings.options)
    for source in files:
        crds.merge(check_source(source, context).crds)
    return crds


class Project:
    """The files of one check run, their latest results and the findings across them.

    Thread-safe: the analysis of open buffers and the indexing of the folder run on
    different threads; checks share one engine context under a lock.
    """

    def __init__(self, root: Path, settings: Settings, *, folder: bool) -> None:
        self.root = root
        self.settings = settings
        self.folder = folder  # index the whole folder (a workspace folder), or loose files only
        self._config_crds = _config_crds(settings)
        crds = CrdRegistry()
        crds.merge(self._config_crds)
        self.context = Context(settings.options, crds)
        self._check_lock = threading.Lock()  # the context is used by one check at a time
        self._lock = threading.RLock()  # guards the dictionaries below
        self._sources: dict[str, sources.SourceFile] = {}  # indexed files, in collect order
        self._results: dict[str, FileResult] = {}  # location -> latest result
        self._stamps: dict[str, Stamp | None] = {}  # location -> stamp of the checked file
        self._open: dict[str, str] = {}  # location -> buffer text
        self._cross: dict[str, list[Finding]] = {}  # location -> findings across objects
        self._checked_config = time.monotonic()
        self._stopped = threading.Event()
        self.indexed = False

    def stop(self) -> None:
        """Abandon indexing (the session ends, or the project is replaced)."""
        self._stopped.set()

    # -- configuration -----------------------------------------------------------------
    def config_changed(self) -> bool:
        """Whether the configuration changed on disk (looked at most once a second)."""
        now = time.monotonic()
        if now - self._checked_config < CONFIG_POLL:
            return False
        self._checked_config = now
        return self.settings.is_stale()

    # -- files -------------------------------------------------------------------------
    def display(self, location: str) -> str:
        """How findings name a file: relative to the configuration's folder when inside it."""
        indexed = self._sources.get(location)
        if indexed is not None:
            return indexed.display
        return self._display_for(location)

    def _source(self, location: str) -> sources.SourceFile:
        indexed = self._sources.get(location)
        return (
            indexed if indexed is not None else sources.SourceFile(self.display(location), location)
        )

    def _check(self, source: sources.SourceFile, text: str | None) -> FileResult:
        # a lone surrogate (a JSON escape of the client's) is no character: "?" keeps columns
        data = text.encode("utf-8", "replace") if text is not None else None
        with self._check_lock:
            return check_source(source, self.context, data)

    def contains(self, location: str) -> bool:
        """Whether the file is part of this project's run."""
        with self._lock:
            return location in self._results or location in self._sources

    def locations(self) -> list[str]:
        """Every file of the run (indexed and open)."""
        with self._lock:
            return list(self._results)

    def text_of(self, location: str) -> str | None:
        """The open buffer's text, or None when the file is not open."""
        with self._lock:
            return self._open.get(location)

    # -- updates -----------------------------------------------------------------------
    def update_buffer(self, location: str, text: str) -> set[str]:
        """Check an open buffer; returns the files whose findings may have changed."""
        result = self._check(self._source(location), text)
        with self._lock:
            self._open[location] = text
            self._results[location] = result
            return {location} | self._recompute_cross()

    def close_buffer(self, location: str) -> set[str]:
        """The buffer was closed: the file counts as on disk again (if it is indexed)."""
        with self._lock:
            self._open.pop(location, None)
            indexed = self._sources.get(location)
        if indexed is not None:
            result = self._check(indexed, None)
            with self._lock:
                self._results[location] = result
                self._stamps[location] = _stamp(location)
        else:
            with self._lock:
                self._results.pop(location, None)
        with self._lock:
            return {location} | self._recompute_cross()

    def refresh(self) -> set[str]:
        """Index the folder: check new and changed files, drop deleted ones.

        Open buffers keep their text. Returns the files whose findings may have changed.
        """
        if not self.folder:
            return set()
        try:
            found = sources.collect([str(self.root)], sources.Streams(allowed=False))
        except sources.UsageError:
            found = []
        collected = {
            os.path.abspath(s.location): sources.SourceFile(
                self._display_for(s.location), os.path.abspath(s.location), s.partial
            )
            for s in found
            if s.skip is None  # a FIFO or a socket: never opened
        }
        changed: set[str] = set()
        fresh: dict[str, FileResult] = {}
        stamps: dict[str, Stamp | None] = {}
        for location, source in collected.items():
            if self._stopped.is_set():
                return set()
            with self._lock:
                buffer = self._open.get(location)
                old = self._results.get(location)
                old_stamp = self._stamps.get(location)
            if buffer is not None and old is not None:
                fresh[location] = old
                continue
            stamp = _stamp(location)
            if old is not None and stamp is not None and stamp == old_stamp:
                fresh[location] = old
                stamps[location] = stamp
                continue
            fresh[location] = self._check(source, buffer)
            stamps[location] = stamp
            changed.add(location)
        self._rebuild_context_with_crds(collected, fresh, changed)
        with self._lock:
            gone = set(self._sources) - set(collected) - set(self._open)
            for location in gone:
                self._results.pop(location, None)
                self._stamps.pop(location, None)
            changed |= gone
            self._sources = collected
            for location, result in fresh.items():
                if location not in self._open or location not in self._results:
                    self._results[location] = result
            self._stamps.update(stamps)
            self.indexed = True
            return changed | self._recompute_cross()

    def _display_for(self, location: str) -> str:
        base = os.path.abspath(self.settings.base)
        if location == base or not location.startswith(base + os.sep):
            return location
        return Path(os.path.relpath(location, base)).as_posix()

    def _rebuild_context_with_crds(
        self,
        collected: Mapping[str, sources.SourceFile],
        fresh: dict[str, FileResult],
        changed: set[str],
    ) -> None:
        """CRDs found in the folder validate custom resources anywhere in it (as ``run``)."""
        crds = CrdRegistry()
        crds.merge(self._config_crds)
        for result in fresh.values():
            crds.merge(result.crds)
        if crds.versions == self.context.crds.versions:
            return
        self.context = Context(self.settings.options, crds)
        groups = {crd.group for crd in crds.versions.values()}
        for location, result in fresh.items():
            if result.crd_groups & groups:
                with self._lock:
                    buffer = self._open.get(location)
                fresh[location] = self._check(collected[location], buffer)
                changed.add(location)

    def _recompute_cross(self) -> set[str]:
        """Findings across objects for the whole run; returns the files whose set changed."""
        order = {location: index for index, location in enumerate(self._sources)}
        ordered = sorted(self._results.items(), key=lambda item: order.get(item[0], len(order)))
        by_display = {result.path: location for location, result in ordered}
        kept, _suppressed = across_objects([result for _, result in ordered], self.settings.options)
        cross: dict[str, list[Finding]] = {}
        for finding in kept:
            location = by_display.get(finding.path)
            if location is not None:
                cross.setdefault(location, []).append(finding)
        changed = {
            location
            for location in set(cross) | set(self._cross)
            if cross.get(location, []) != self._cross.get(location, [])
        }
        self._cross = cross
        return changed

    # -- results -----------------------------------------------------------------------
    def findings(self, location: str) -> list[Finding]:
        """A file's findings: its own and those across objects, in position order."""
        with self._lock:
            result = self._results.get(location)
            own = list(result.findings) if result is not None else []
            cross = self._cross.get(location, [])
        return sorted([*own, *cross], key=lambda f: (f.line, f.column, f.rule))


class Projects:
    """The projects of a session: one per workspace folder, one per configuration otherwise."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._folders: list[Path] = []
        self._projects: dict[Path, Project] = {}

    def set_folders(self, folders: Iterable[Path]) -> None:
        """The workspace folders (the editor's roots), deepest first when nested."""
        with self._lock:
            self._folders = sorted(
                {Path(os.path.abspath(f)) for f in folders},
                key=lambda p: len(p.parts),
                reverse=True,
            )

    def folders(self) -> list[Path]:
        """The workspace folders."""
        with self._lock:
            return list(self._folders)

    def _root_of(self, location: str) -> tuple[Path, bool]:
        path = Path(location)
        for folder in self._folders:
            if path.is_relative_to(folder):
                return folder, True
        found = config.find_config(path.parent)
        return (found.parent if found else path.parent), False

    def project_for(self, location: str) -> tuple[Project, bool]:
        """The project a file belongs to, and whether it was (re)built just now."""
        with self._lock:
            root, folder = self._root_of(location)
            project = self._projects.get(root)
            if project is not None and not project.config_changed():
                return project, False
            if project is not None:
                project.stop()
            self._projects[root] = project = Project(root, load_settings(root), folder=folder)
            return project, True

    def folder_project(self, folder: Path) -> Project:
        """The project of a workspace folder (built on first use)."""
        with self._lock:
            root = Path(os.path.abspath(folder))
            project = self._projects.get(root)
            if project is None:
                project = Project(root, load_settings(root), folder=True)
                self._projects[root] = project
            return project

    def reset(self) -> None:
        """Forget every project (the configuration changed): they are rebuilt on use."""
        with self._lock:
            for project in self._projects.values():
                project.stop()
            self._projects.clear()
