"""Which files are near one another: the files of one app (its directory, those below it
and its sibling directories), as opposed to the other apps of a run, and the facts
of a run by the directory of their file.
"""

from __future__ import annotations

import bisect
import functools
import posixpath
from collections.abc import Iterable, Iterator

from kubelint.checks.api import Fact


@functools.lru_cache(maxsize=4096)
def _directory(path: str) -> str:
    return posixpath.dirname(posixpath.normpath(path.replace("\\", "/")))


def scope_of(path: str) -> str:
    """The directory whose files, and those below it, are near file ``path``: the parent of
    its directory, so its own directory, those below it and its sibling directories."""
    return posixpath.dirname(_directory(path))


class Near:
    """Facts by the directory of their file: the facts of one file, and those of the files
    near it, found at the cost of the answer rather than of a scan of the run (a run of
    many apps has many files near none of them), and once for all files of a directory.

    An object of file ``other`` belongs with one of file ``path`` when it is in the same
    file, or near it (in a file below :func:`scope_of` ``path``: its directory, below it, or
    a sibling directory: the files of one app, as opposed to the other apps of a run) in a
    file without objects like the one of ``path`` (``peers``: the files holding such
    objects; a file with its own Deployment and Service is another app). These facts are
    ``in_file(path)`` and ``around(path, peers)`` (which may hold some of the former again).
    """

    __slots__ = ("_around", "_by_directory", "_by_file", "_directories")

    def __init__(self, facts: Iterable[Fact]) -> None:
        self._by_directory: dict[str, list[Fact]] = {}
        self._by_file: dict[str, list[Fact]] = {}
        for fact in facts:
            self._by_directory.setdefault(_directory(fact.path), []).append(fact)
            self._by_file.setdefault(fact.path, []).append(fact)
        self._directories = sorted(self._by_directory)
        self._around: dict[tuple[str, frozenset[str]], tuple[Fact, ...]] = {}

    def in_file(self, path: str) -> list[Fact]:
        """The facts of file ``path``."""
        return self._by_file.get(path, [])

    def around(self, path: str, peers: frozenset[str]) -> tuple[Fact, ...]:
        """The facts of the files near ``path`` (below :func:`scope_of` it), but not of
        ``peers``; the same for every file of a directory."""
        scope = scope_of(path)
        found = self._around.get((scope, peers))
        if found is None:
            found = tuple(f for f in self._in_scope(scope) if f.path not in peers)
            self._around[(scope, peers)] = found
        return found

    def _in_scope(self, scope: str) -> Iterator[Fact]:
        if scope in ("", ".", "/"):
            for facts in self._by_directory.values():
                yield from facts
            return
        yield from self._by_directory.get(scope, ())
        below = scope.rstrip("/") + "/"
        directories = self._directories
        # the directories below the scope sort together, right where ``below`` would go
        for index in range(bisect.bisect_left(directories, below), len(directories)):
            directory = directories[index]
            if not directory.startswith(below):
                break
            yield from self._by_directory[directory]
