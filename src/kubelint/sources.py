"""Which files a run reads: arguments, directory walks, .gitignore, kustomize patches.

A path that cannot be used (missing, unreadable, a name too long, a pipe or a device) is
a usage error naming it. A walk follows directory symlinks but enters each directory
once (a symlink loop ends there), and a folder it cannot read becomes a source whose
``problem`` the run reports. ``/dev/stdin`` is read as ``-``.
"""

from __future__ import annotations

import functools
import os
import stat
from typing import NamedTuple

from kubelint.gitignore import GitIgnore

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
STDIN = "-"


class SourceFile(NamedTuple):
    """A file to check: the path as shown to the user, and where to read it."""

    display: str
    location: str  # a filesystem path, or "-" for standard input
    partial: bool = False  # a kustomize patch: a fragment of an object
    problem: str | None = None  # why a folder met in a walk could not be read


class UsageError(Exception):
    """A command-line input that cannot be used (exit code 2)."""


#: Paths that name this process's standard input: read as ``-``.
STDIN_PATHS = frozenset({"/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})

_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)

#: (shown, path, resolved path, problem) of a walked entry
_Walked = tuple[str, str, str, str | None]


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
    what = next((name for test, name in _KINDS if test(mode)), "not a file")
    hint = "; feed a pipe to standard input instead: kubelint check - < PIPE"
    tail = hint if stat.S_ISFIFO(mode) else ""
    return UsageError(f"{shown_path(argument)}: not a regular file ({what}){tail}")


def _walk(
    directory: str, display: str, ignore: GitIgnore, here: str, visited: set[tuple[int, int]]
) -> list[_Walked]:
    """The manifest files below ``directory`` (resolved as ``here``), in name order."""
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        return [(display, directory, here, f"cannot read the folder: {exc.strerror or exc}")]
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
                found.append((shown, entry.path, os.path.join(here, entry.name), None))
            continue
        if ignore.ignores(real, is_dir):
            continue
        if identity is not None:
            if identity in visited:
                continue  # entered already (a symlink loop, or a second link to it)
            visited.add(identity)
            found.extend(_walk(entry.path, shown, ignore.child(real), real, visited))
        elif entry.name.endswith(MANIFEST_SUFFIXES) and _is_file(entry):
            found.append((shown, entry.path, real, None))
    return found


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return True  # let reading it say what is wrong


@functools.cache
def _kustomize_patches(directory: str) -> frozenset[str]:
    """Absolute paths of the files a directory's kustomization lists as patches."""
    from kubelint.loader import decode, load_text

    for name in KUSTOMIZATION_NAMES:
        candidate = os.path.join(directory, name)
        try:
            with open(candidate, "rb") as handle:
                data = handle.read()
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


def collect(paths: list[str]) -> list[SourceFile]:
    """The files to check for the command-line ``paths``, in a deterministic order.

    Raises :class:`UsageError` for a path that cannot be checked.
    """
    files: list[SourceFile] = []
    seen: set[str] = set()
    for argument in paths:
        if argument == STDIN or argument in STDIN_PATHS:
            files.append(SourceFile(argument, STDIN))
            continue
        status = _stat(argument)
        if stat.S_ISDIR(status.st_mode):
            root = os.path.realpath(argument)
            visited = {(status.st_dev, status.st_ino)}
            shown = argument.rstrip("/") or "/"
            walked = _walk(argument, shown, GitIgnore(root), root, visited)
        elif stat.S_ISREG(status.st_mode):
            walked = [(argument, argument, os.path.realpath(argument), None)]
        else:
            raise _not_regular(argument, status.st_mode)
        for shown, where, key, problem in walked:
            if key in seen:
                continue
            seen.add(key)
            partial = problem is None and key in _kustomize_patches(os.path.dirname(key))
            files.append(SourceFile(shown, where, partial, problem))
    return files
