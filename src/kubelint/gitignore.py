"""``.gitignore`` files read as git reads them: its line rules and its wildmatch patterns.

Matching works on bytes, as git's does (``?`` is one byte of a UTF-8 name). Every line
is usable: a pattern git can never match (an unclosed ``[``, an unknown ``[:class:]``,
a trailing backslash) matches nothing here either, and a reversed range (the ``z-a`` of
``[z-a]``) adds no character to its bracket, as in git's ``wildmatch.c`` and ``dir.c``
(the rules are restated in :func:`translate` and :func:`parse`).
"""

from __future__ import annotations

import functools
import os
import re
from typing import NamedTuple

_SLASH = ord("/")
_BACKSLASH = ord("\\")

#: The character classes wildmatch knows inside brackets (ASCII only, as git's ctype).
_CLASSES: dict[bytes, frozenset[int]] = {
    b"alnum": frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
    b"alpha": frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
    b"blank": frozenset(b" \t"),
    b"cntrl": frozenset([*range(0x20), 0x7F]),
    b"digit": frozenset(b"0123456789"),
    b"graph": frozenset(range(0x21, 0x7F)),
    b"lower": frozenset(b"abcdefghijklmnopqrstuvwxyz"),
    b"print": frozenset(range(0x20, 0x7F)),
    b"punct": frozenset(range(0x21, 0x7F))
    - frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    - frozenset(b"abcdefghijklmnopqrstuvwxyz"),
    b"space": frozenset(b" \t\n\v\f\r"),
    b"upper": frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    b"xdigit": frozenset(b"0123456789ABCDEFabcdef"),
}


class Rule(NamedTuple):
    """One pattern line: what it matches, and how."""

    regex: re.Pattern[bytes] | None  # None: git can never match this pattern
    negate: bool
    dir_only: bool
    basename: bool  # no slash in the pattern: it matches the name at any depth

    def matches(self, relative: bytes, name: bytes) -> bool:
        """Whether the rule matches a path (relative to its file's folder) named ``name``."""
        if self.regex is None:
            return False
        return self.regex.fullmatch(name if self.basename else relative) is not None


def _literal(pattern: bytes, at: int) -> tuple[int, int] | None:
    """The byte at ``at`` (the next one after a backslash) and its index; None past the end."""
    if pattern[at] == _BACKSLASH:
        at += 1
        if at >= len(pattern):
            return None
    return pattern[at], at


def _bracket(pattern: bytes, start: int) -> tuple[frozenset[int], int] | None:
    """The bytes a bracket expression opened before ``start`` matches, and where it ends.

    None when git aborts the match (unclosed bracket, unknown class): the pattern then
    never matches.
    """
    end = len(pattern)
    at = start
    negated = at < end and pattern[at] in b"!^"
    if negated:
        at += 1
    members: set[int] = set()
    previous = 0  # 0: the last member cannot start a range
    first = True
    while first or (at < end and pattern[at] != ord("]")):
        first = False
        if at >= end:
            return None
        char = pattern[at]
        if char == _BACKSLASH:
            escaped = _literal(pattern, at)
            if escaped is None:
                return None
            char, at = escaped
            members.add(char)
        elif char == ord("-") and previous and at + 1 < end and pattern[at + 1] != ord("]"):
            bound = _literal(pattern, at + 1)
            if bound is None:
                return None
            high, at = bound
            members.update(range(previous, high + 1))  # empty when reversed (z-a)
            char = 0
        elif char == ord("[") and at + 1 < end and pattern[at + 1] == ord(":"):
            close = pattern.find(b"]", at + 2)
            if close == -1:
                return None
            if close - (at + 2) - 1 < 0 or pattern[close - 1] != ord(":"):
                members.add(char)  # no ":]": the "[" is an ordinary member
            else:
                known = _CLASSES.get(pattern[at + 2 : close - 1])
                if known is None:
                    return None
                members.update(known)
                char = 0
                at = close
        else:
            members.add(char)
        previous = char
        at += 1
    if at >= end:
        return None
    chosen = frozenset(range(256)) - members if negated else frozenset(members)
    return chosen - {_SLASH}, at + 1


def _char_class(chosen: frozenset[int]) -> bytes:
    if not chosen:
        return b"(?!)"
    return b"[" + b"".join(b"\\x%02x" % byte for byte in sorted(chosen)) + b"]"


def translate(pattern: bytes) -> bytes | None:
    """A regular expression matching what git's wildmatch (with WM_PATHNAME) matches.

    ``\\x`` is the literal x; ``?`` any byte but ``/``; ``*`` any run without ``/``;
    ``**`` between slashes (or at an end) also crosses them, and ``**/`` may match no
    folder. A bracket starts with ``!`` or ``^`` to negate, takes its first member
    literally (so ``[]`` opens a bracket whose first member is ``]``), reads ``a-z`` as
    a range (none when reversed), ``[:alpha:]`` as a class, and never matches ``/``.
    None when git can never match the pattern.
    """
    out: list[bytes] = []
    at, end = 0, len(pattern)
    while at < end:
        char = pattern[at]
        if char == _BACKSLASH:
            if at + 1 >= end:
                return None  # a trailing backslash matches nothing
            out.append(re.escape(pattern[at + 1 : at + 2]))
            at += 2
        elif char == ord("?"):
            out.append(b"[^/]")
            at += 1
        elif char == ord("*"):
            stop = at
            while stop < end and pattern[stop] == ord("*"):
                stop += 1
            rest = pattern[stop:]
            boundary = at == 0 or pattern[at - 1] == _SLASH
            if stop - at >= 2 and boundary and rest.startswith(b"/"):
                out.append(b"(?:.*/)?")
                stop += 1
            elif stop - at >= 2 and boundary and (not rest or rest.startswith(b"\\/")):
                out.append(b".*")
            else:
                out.append(b"[^/]*")
            at = stop
        elif char == ord("["):
            found = _bracket(pattern, at + 1)
            if found is None:
                return None
            chosen, at = found
            out.append(_char_class(chosen))
        else:
            out.append(re.escape(pattern[at : at + 1]))
            at += 1
    return b"".join(out)


_GLOB_SPECIAL = re.compile(rb"[*?\[\\]")


def _pathname(pattern: bytes) -> bytes | None:
    """A pattern with a slash, as git's match_pathname reads it.

    git compares the literal part before the first wildcard on its own and hands only
    the rest to wildmatch, so a ``**`` right after that part counts as the start of a
    folder name: ``foo**/bar`` matches ``foobar`` and ``foo/x/bar``, as with git.
    """
    special = _GLOB_SPECIAL.search(pattern)
    if special is None:
        return re.escape(pattern)
    rest = translate(pattern[special.start() :])
    return None if rest is None else re.escape(pattern[: special.start()]) + rest


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
        body = _pathname(line) if not basename else translate(line)
        regex = re.compile(body, re.DOTALL) if body is not None else None
        rules.append(Rule(regex, negate, dir_only, basename))
    return tuple(rules)


@functools.cache
def read(path: str) -> tuple[Rule, ...]:
    """The rules of the ``.gitignore`` file at ``path`` (none when it cannot be read)."""
    try:
        with open(path, "rb") as handle:
            return parse(handle.read())
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
