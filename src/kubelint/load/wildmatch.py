"""git's wildmatch patterns (with WM_PATHNAME), on bytes: what a ``.gitignore`` line matches.

The rules, as git's ``wildmatch.c`` applies them: ``\\x`` is the literal x; ``?`` any
byte but ``/``; ``*`` any run without ``/``; ``**`` between slashes (or at an end) also
crosses them, and ``**/`` may match no folder at all. A bracket opens with ``!`` or ``^``
to negate, takes its first member literally (so ``[]`` opens a bracket whose first
member is ``]``), reads ``a-z`` as a range (which adds nothing when reversed, ``z-a``),
``[:alpha:]`` as a class, and never matches ``/``. A pattern git can never match (an
unclosed bracket, an unknown class, a trailing backslash) compiles to None.

A pattern with at most one run of stars becomes a regular expression. With more, a
regular expression can backtrack for ages (``*a*a*a*a*a*b``), so such patterns are
matched the way git matches them, whose search gives up as soon as the text runs out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

_SLASH = ord("/")
_BACKSLASH = ord("\\")
_ALL = frozenset(range(256))
_GLOB_SPECIAL = re.compile(rb"[*?\[\\]")

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


class Star(NamedTuple):
    """A run of stars: ``*`` (no ``/``), ``**`` that crosses folders, or ``**/``."""

    crosses: bool  # "**" between slashes or at an end: any run, slashes included
    folders: bool  # "**/": or nothing at all, with the "/" token that always follows it


#: One byte among a set, or a run of stars.
Token = frozenset[int] | Star

#: A compiled pattern: does it match these bytes (a path, or a name)?
Matcher = Callable[[bytes], bool]


def _literal(pattern: bytes, at: int) -> tuple[int, int] | None:
    """The byte at ``at`` (the next one after a backslash) and its index; None past the end."""
    if pattern[at] == _BACKSLASH:
        at += 1
        if at >= len(pattern):
            return None
    return pattern[at], at


def _bracket(pattern: bytes, start: int) -> tuple[frozenset[int], int] | None:
    """The bytes a bracket opened before ``start`` matches, and where it ends.

    None when git aborts the match (unclosed bracket, unknown class).
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
    chosen = _ALL - members if negated else frozenset(members)
    return chosen - {_SLASH}, at + 1


def tokens(pattern: bytes) -> list[Token] | None:
    """The tokens of a pattern whose start counts as the start of a folder name."""
    out: list[Token] = []
    at, end = 0, len(pattern)
    while at < end:
        char = pattern[at]
        if char == ord("*"):
            stop = at
            while stop < end and pattern[stop] == ord("*"):
                stop += 1
            rest = pattern[stop:]
            double = stop - at >= 2 and (at == 0 or pattern[at - 1] == _SLASH)
            if double and rest.startswith(b"/"):
                if out[-2:] != [_FOLDERS, _SLASH_ONLY]:  # "**/**/" is "**/"
                    out.extend((_FOLDERS, _SLASH_ONLY))
                stop += 1
            else:
                out.append(
                    Star(crosses=double and (not rest or rest.startswith(b"\\/")), folders=False)
                )
            at = stop
        elif char == ord("?"):
            out.append(_ALL - {_SLASH})
            at += 1
        elif char == ord("["):
            found = _bracket(pattern, at + 1)
            if found is None:
                return None
            chosen, at = found
            out.append(chosen)
        else:
            literal = _literal(pattern, at)
            if literal is None:
                return None  # a trailing backslash matches nothing
            byte, at = literal
            out.append(frozenset((byte,)))
            at += 1
    return out


_FOLDERS = Star(crosses=True, folders=True)
_SLASH_ONLY = frozenset((_SLASH,))


def _regex(parts: list[Token]) -> bytes:
    out: list[bytes] = []
    skip_slash = False
    for token in parts:
        if skip_slash:  # the "/" of "**/" is in its group
            skip_slash = False
            continue
        if isinstance(token, Star):
            out.append(b"(?:.*/)?" if token.folders else b".*" if token.crosses else b"[^/]*")
            skip_slash = token.folders
        elif len(token) == 1:
            out.append(re.escape(bytes(token)))
        elif not token:
            out.append(b"(?!)")
        else:
            out.append(b"[" + b"".join(b"\\x%02x" % byte for byte in sorted(token)) + b"]")
    return b"".join(out)


#: Results of the search, as git names them: the text ran out (no later start can match
#: either), or a "*" met a slash (only an enclosing "**" may go on).
_ABORT_ALL = 2
_ABORT_TO_STARSTAR = 3


def _matches(parts: list[Token], text: bytes) -> bool:
    """Whether ``parts`` match all of ``text``, searched as git's wildmatch searches.

    Each (token, position) is searched once: a pattern of many stars stays polynomial.
    """
    end = len(text)
    seen: dict[tuple[int, int], bool | int] = {}

    def search(at: int, position: int) -> bool | int:
        key = (at, position)
        if key not in seen:
            seen[key] = step(at, position)
        return seen[key]

    def step(at: int, position: int) -> bool | int:
        while at < len(parts):
            token = parts[at]
            if not isinstance(token, Star):
                if position >= end:
                    return _ABORT_ALL
                if text[position] not in token:
                    return False
                at += 1
                position += 1
                continue
            if at + 1 == len(parts):  # a trailing run of stars
                return token.crosses or _SLASH not in text[position:]
            if token.folders and search(at + 2, position) is True:
                return True  # "**/" matching no folder
            while position < end:
                found = search(at + 1, position)
                if found is True or found == _ABORT_ALL:
                    return found
                if not token.crosses:
                    if found == _ABORT_TO_STARSTAR:
                        return found
                    if text[position] == _SLASH:
                        return _ABORT_TO_STARSTAR
                position += 1
            return _ABORT_ALL
        return position == end

    try:
        return search(0, 0) is True
    except RecursionError:  # thousands of star runs in one line: nothing git users write
        return False


def compile_pattern(pattern: bytes, *, pathname: bool) -> Matcher | None:
    """The matcher of a pattern; None when git can never match it.

    ``pathname``: a pattern with a slash. git compares its literal part before the first
    wildcard on its own and hands only the rest to wildmatch, so a ``**`` right after
    that part counts as the start of a folder name (``foo**/bar`` matches ``foobar``).
    """
    prefix = b""
    if pathname:
        special = _GLOB_SPECIAL.search(pattern)
        cut = len(pattern) if special is None else special.start()
        prefix, pattern = pattern[:cut], pattern[cut:]
    rest = tokens(pattern)
    if rest is None:
        return None
    parts: list[Token] = [frozenset((byte,)) for byte in prefix]
    parts.extend(rest)
    if sum(isinstance(token, Star) for token in parts) <= 1:
        fullmatch = re.compile(_regex(parts), re.DOTALL).fullmatch
        return lambda text: fullmatch(text) is not None
    return lambda text: _matches(parts, text)
