"""``.gitignore`` files read as git reads them (``dir.c``): lines, layers, verdicts.

Every line is usable: a pattern git can never match (an unclosed ``[``, an unknown
``[:class:]``, a trailing backslash) matches nothing here either; the patterns
themselves are :mod:`kubelint.load.wildmatch`'s. Matching works on bytes, as git's does.
"""

from __future__ import annotations

import functools
import os
from typing import NamedTuple

from kubelint.load.files import read_file
from kubelint.load.wildmatch import Matcher, compile_pattern

_BACKSLASH = ord("\\")


class Rule(NamedTuple):
    """One pattern line: what it matches, and how."""

    matcher: Matcher | None  # None: git can never match this pattern
    negate: bool
    dir_only: bool
    basename: bool  # no slash in the pattern: it matches the name at any depth

    def matches(self, relative: bytes, name: bytes) -> bool:
        """Whether the rule matches a path (relative to its file's folder) named ``name``."""
        if self.matcher is None:
            return False
        return self.matcher(name if self.basename else relative)


def _trim_trailing_spaces(line: bytes) -> bytes:
    """Drop trailing spaces unless a backslash escapes them (git's trim_trailing_spaces)."""
    last_space = -1
    at = 0
    while at < len(line):
        char = line[at]
        if char == ord(" "):
            if last_space < 0:
                last_space = at
        elif char == _BACKSLASH:
            at += 1
            if at >= len(line):
                return line
            last_space = -1
        else:
            last_space = -1
        at += 1
    return line[:last_space] if last_space >= 0 else line


def parse(data: bytes) -> tuple[Rule, ...]:
    """The rules of a ``.gitignore`` file's bytes.

    As git: a UTF-8 BOM is skipped, lines end at LF (a CR before it is dropped), empty
    lines and ``#`` comments are skipped, unescaped trailing spaces are trimmed, ``!``
    negates, one trailing ``/`` restricts to folders, and a pattern without any other
    slash matches a name at any depth.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    rules: list[Rule] = []
    for raw in data.split(b"\n"):
        line = raw[:-1] if raw.endswith(b"\r") else raw
        if not line or line.startswith(b"#"):
            continue
        line = _trim_trailing_spaces(line)
        negate = line.startswith(b"!")
        if negate:
            line = line[1:]
        dir_only = line.endswith(b"/")
        if dir_only:
            line = line[:-1]
        if not line:
            continue
        basename = b"/" not in line
        if line.startswith(b"/"):
            line = line[1:]
        matcher = compile_pattern(line, pathname=not basename)
        rules.append(Rule(matcher, negate, dir_only, basename))
    return tuple(rules)


@functools.cache
def read(path: str) -> tuple[Rule, ...]:
    """The rules of the ``.gitignore`` file at ``path`` (none when it cannot be read)."""
    try:
        return parse(read_file(path))  # never blocks: a FIFO named .gitignore is no file
    except (OSError, ValueError):
        return ()


class GitIgnore:
    """The .gitignore files that apply below a directory (nested ones included)."""

    def __init__(self, start: str) -> None:
        self._layers: list[tuple[str, tuple[Rule, ...]]] = []
        directory = os.path.realpath(start)
        while True:
            candidate = os.path.join(directory, ".gitignore")
            if os.path.isfile(candidate):
                self._layers.append((directory, read(candidate)))
            parent = os.path.dirname(directory)
            if os.path.exists(os.path.join(directory, ".git")) or parent == directory:
                break
            directory = parent
        self._layers.reverse()

    def child(self, directory: str) -> GitIgnore:
        """The rules for a subdirectory, given resolved (adds its own .gitignore)."""
        ignore_file = os.path.join(directory, ".gitignore")
        if not os.path.isfile(ignore_file):
            return self
        clone = GitIgnore.__new__(GitIgnore)
        clone._layers = [*self._layers, (directory, read(ignore_file))]
        return clone

    def ignores(self, resolved: str, is_dir: bool) -> bool:
        """Whether git would ignore the resolved path ``resolved``."""
        verdict = False
        name = os.fsencode(os.path.basename(resolved))
        for base, rules in self._layers:
            prefix = base.rstrip("/") + "/"
            if not resolved.startswith(prefix):
                continue
            relative = os.fsencode(resolved[len(prefix) :])
            for rule in rules:
                if rule.dir_only and not is_dir:
                    continue
                if rule.matches(relative, name):
                    verdict = not rule.negate
        return verdict
