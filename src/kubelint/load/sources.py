"""Which files a run reads: arguments, directory walks, .gitignore, kustomize patches.

A path that cannot be used (missing, unreadable, a name too long, a device or a socket)
is a usage error naming it. Standard input (``-``, ``/dev/stdin``) and a pipe given as a
path (``<(helm template ...)``, a FIFO) are read once, here, into the source's ``data``:
a run reads a file more than once, and a pipe gives its bytes only once. A walk follows
directory symlinks but enters each directory once (a symlink loop ends there); a folder
it cannot read becomes a source whose ``problem`` the run reports, and an entry that is
not a regular file (a FIFO, a socket) one that is skipped, with its reason in ``skip``.
"""

from __future__ import annotations

import functools
import os
import stat
import sys
from typing import BinaryIO, NamedTuple

from kubelint.load.files import file_kind, read_file
from kubelint.load.gitignore import GitIgnore

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
STDIN = "-"


class SourceFile(NamedTuple):
    """A file to check: the path as shown to the user, and where to read it."""

    display: str
    location: str  # a filesystem path, or "-" for standard input
    partial: bool = False  # a kustomize patch: a fragment of an object
    problem: str | None = None  # why a folder met in a walk could not be read
    data: bytes | None = None  # the content, read when the run began: stdin, a pipe
    skip: str | None = None  # why an entry met in a walk is not read (not a regular file)


class UsageError(Exception):
    """A command-line input that cannot be used (exit code 2)."""


#: Paths that name this process's standard input: read as ``-``.
STDIN_PATHS = frozenset({"/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})

#: (shown, path, resolved path, problem, skip) of a walked entry
_Walked = tuple[str, str, str, str | None, str | None]


def shown_path(path: str) -> str:
    """A path for a message: very long ones are cut."""
    return path if len(path) <= 200 else f"{path[:80]}...({len(path)} characters)"


def _stat(argument: str) -> os.stat_result:
    """``os.stat`` of a command-line path; failures are usage errors naming it."""
    try:
        return os.stat(argument)
    except FileNotFoundError as exc:
        raise UsageError(f"{shown_path(argument)}: no such file or directory") from exc
    except OSError as exc:
        raise UsageError(f"{shown_path(argument)}: {exc.strerror or exc}") from exc
    except ValueError as exc:  # an embedded NUL
        raise UsageError(f"{shown_path(argument)}: {exc}") from exc


def _not_regular(argument: str, mode: int) -> UsageError:
    return UsageError(f"{shown_path(argument)}: not a regular file ({file_kind(mode)})")


class Streams:
    """Standard input and pipes, each read once for the whole run.

    A run reads a file more than once (a scan for CRDs, the check, ``--fix``, excerpts),
    and a pipe gives its bytes only once: they are read here, up to ``limit + 1`` bytes
    (enough for the engine to tell a source over the limit). Share one between the
    ``collect`` calls of a run, so that ``-`` given twice reads the same bytes. A
    language server, whose standard input is the protocol, makes one that refuses
    (``allowed=False``): standard input and pipes are then usage errors.
    """

    def __init__(
        self, limit: int | None = None, stdin: BinaryIO | None = None, *, allowed: bool = True
    ) -> None:
        self.limit = limit
        self.allowed = allowed
        self._stdin = stdin
        self._stdin_data: bytes | None = None

    def standard_input(self, argument: str) -> bytes:
        """The bytes of standard input (read on first use)."""
        if not self.allowed:
            raise UsageError(f"{shown_path(argument)}: standard input cannot be read here")
        if self._stdin_data is None:
            stream = self._stdin or getattr(sys.stdin, "buffer", None)
            if stream is None:
                raise UsageError(f"{shown_path(argument)}: standard input is closed")
            try:
                self._stdin_data = self._read(stream)
            except (OSError, ValueError) as exc:
                raise UsageError(f"{shown_path(argument)}: cannot read it: {exc}") from exc
        return self._stdin_data

    def pipe(self, argument: str, mode: int) -> bytes:
        """The bytes of a named or anonymous pipe given as a path, read to its end."""
        if not self.allowed:
            raise _not_regular(argument, mode)
        try:
            with open(argument, "rb") as handle:
                return self._read(handle)
        except OSError as exc:
            raise UsageError(f"{shown_path(argument)}: {exc.strerror or exc}") from exc

    def _read(self, stream: BinaryIO) -> bytes:
        if self.limit is None:
            return stream.read()
        chunks: list[bytes] = []
        wanted = self.limit + 1
        while wanted > 0:
            chunk = stream.read(min(wanted, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)


def _walk(
    directory: str, display: str, ignore: GitIgnore, here: str, visited: set[tuple[int, int]]
) -> list[_Walked]:
    """The manifest files below ``directory`` (resolved as ``here``), in name order."""
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        problem = f"cannot read the folder: {exc.strerror or exc}"
        return [(display, directory, here, problem, None)]
    found: list[_Walked] = []
    for entry in entries:
        if entry.name == ".git":
            continue
        shown = f"{display.rstrip('/')}/{entry.name}" if display else entry.name
        try:
            real = (
                os.path.realpath(entry.path)
                if entry.is_symlink()
                else os.path.join(here, entry.name)
            )
            is_dir = entry.is_dir()
            identity = (entry.stat().st_dev, entry.stat().st_ino) if is_dir else None
        except OSError:
            # a dangling or looping symlink, or a name the system refuses: a manifest name
            # is kept, so that reading it reports why; anything else is not ours
            if entry.name.endswith(MANIFEST_SUFFIXES):
                found.append((shown, entry.path, os.path.join(here, entry.name), None, None))
            continue
        if ignore.ignores(real, is_dir):
            continue
        if identity is not None:
            if identity in visited:
                continue  # entered already (a symlink loop, or a second link to it)
            visited.add(identity)
            found.extend(_walk(entry.path, shown, ignore.child(real), real, visited))
        elif entry.name.endswith(MANIFEST_SUFFIXES):
            kind = _special(entry)
            skip = f"not a regular file ({kind})" if kind else None
            found.append((shown, entry.path, real, None, skip))
    return found


def _special(entry: os.DirEntry[str]) -> str | None:
    """What a walked entry is when it is not a regular file (never opened: a FIFO
    without a writer would block the run)."""
    try:
        if entry.is_file():
            return None
        mode = entry.stat().st_mode
    except OSError:
        return None  # let reading it say what is wrong
    return None if stat.S_ISREG(mode) else file_kind(mode)


@functools.cache
def _kustomize_patches(directory: str) -> frozenset[str]:
    """Absolute paths of the files a directory's kustomization lists as patches."""
    from kubelint.load.documents import decode, load_text

    for name in KUSTOMIZATION_NAMES:
        candidate = os.path.join(directory, name)
        try:
            data = read_file(candidate)
        except (OSError, ValueError):
            continue
        text, problem = decode(data)
        if text is None or problem is not None:
            return frozenset()
        patches: set[str] = set()
        for document in load_text(text).documents:
            value = document.value
            if not isinstance(value, dict):
                continue
            entries: list[object] = []
            for key in ("patchesStrategicMerge", "patches", "patchesJson6902"):
                listed = value.get(key)
                if isinstance(listed, list):
                    entries.extend(listed)
            for entry in entries:
                target = entry.get("path") if isinstance(entry, dict) else entry
                if isinstance(target, str) and "\n" not in target and "\0" not in target:
                    patches.add(os.path.realpath(os.path.join(directory, target)))
        return frozenset(patches)
    return frozenset()


def collect(paths: list[str], streams: Streams | None = None) -> list[SourceFile]:
    """The files to check for the command-line ``paths``, in a deterministic order.

    Standard input and pipes are read through ``streams`` (by default, a new
    :class:`Streams` without a limit). Raises :class:`UsageError` for a path that cannot
    be checked.
    """
    streams = streams if streams is not None else Streams()
    files: list[SourceFile] = []
    seen: set[str] = set()
    for argument in paths:
        if argument == STDIN or argument in STDIN_PATHS:
            if STDIN not in seen:  # given twice, it is still one input
                seen.add(STDIN)
                files.append(SourceFile(argument, STDIN, data=streams.standard_input(argument)))
            continue
        status = _stat(argument)
        if stat.S_ISDIR(status.st_mode):
            root = os.path.realpath(argument)
            visited = {(status.st_dev, status.st_ino)}
            shown = argument.rstrip("/") or "/"
            walked = _walk(argument, shown, GitIgnore(root), root, visited)
        elif stat.S_ISREG(status.st_mode):
            walked = [(argument, argument, os.path.realpath(argument), None, None)]
        elif stat.S_ISFIFO(status.st_mode):
            key = f"{status.st_dev}:{status.st_ino}"
            if key not in seen:  # a pipe gives its bytes once
                seen.add(key)
                data = streams.pipe(argument, status.st_mode)
                files.append(SourceFile(argument, argument, data=data))
            continue
        else:
            raise _not_regular(argument, status.st_mode)
        for shown, where, key, problem, skip in walked:
            if key in seen:
                continue
            seen.add(key)
            if skip is not None:
                files.append(SourceFile(shown, where, skip=skip))
                continue
            partial = problem is None and key in _kustomize_patches(os.path.dirname(key))
            files.append(SourceFile(shown, where, partial, problem))
    return files
