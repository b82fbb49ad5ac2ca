"""``.gitignore`` patterns match what git matches, malformed and pathological ones included."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kubelint.load.gitignore import parse
from kubelint.load.wildmatch import Star, _matches, _regex, tokens

#: (pattern, path, ignored): what git 2.39's ``check-ignore`` answers for a file.
CASES = [
    ("[z-a]", "z", True),  # "z" is a member before "-" makes a range of it...
    ("[z-a]", "y", False),  # ...which matches nothing when reversed
    ("[z-a]", "a", False),
    ("[z-ab]", "b", True),  # the rest of the bracket still does
    ("a[]b", "ab", False),  # "[]" opens a bracket whose first member is "]": never closed
    ("a[]b", "a]b", False),
    ("a[]b]", "a]", True),
    ("a[]b]", "ab", True),
    ("[!]]", "x", True),
    ("[!]]", "]", False),
    ("[^a]*", "b1", True),
    ("[^a]*", "a1", False),
    ("c[", "c[", False),  # an unclosed bracket matches nothing
    ("c[d", "c[d", False),
    ("[[:alpha:]]1", "q1", True),
    ("[[:alpha:]]1", "11", False),
    ("[[:nope:]]", "n", False),  # an unknown class matches nothing
    ("a[[:x]", "ax", True),  # no ":]": "[" and ":" are members
    ("a[[:x]", "a:", True),
    ("[a-c-e]", "-", True),  # after a range, "-" is a member
    ("[a-c-e]", "d", False),
    ("[-a]", "-", True),
    ("[a-]", "-", True),
    ("[\\]]", "]", True),
    ("[a-\\]]", "]", False),  # "]" (0x5d) sorts before "a": an empty range
    ("x\\", "x\\", False),  # a trailing backslash matches nothing
    ("\\#x", "#x", True),
    ("\\!x", "!x", True),
    ("sp\\ ", "sp ", True),
    ("sp  ", "sp", True),  # unescaped trailing spaces are dropped
    ("a/**", "a/b/c", True),
    ("a/**/b", "a/b", True),
    ("a/**/b", "a/x/y/b", True),
    ("**/k", "q/k", True),
    ("a**b", "a/x/b", False),
    ("foo**/bar", "foobar", True),  # git matches the literal prefix apart
    ("foo**/bar", "foo/x/bar", True),
    ("*/b", "a/b", True),
    ("a?c", "a/c", False),
    ("/top", "sub/top", False),
    ("[é]", "é", False),  # a bracket matches one byte, not a UTF-8 character
]


def _ignored(pattern: str, path: str) -> bool:
    """Whether ``path`` (a file) or one of its folders is ignored by the one pattern."""
    rules = parse(pattern.encode() + b"\n")
    parts = path.split("/")
    for depth in range(1, len(parts) + 1):
        relative = "/".join(parts[:depth])
        is_dir = depth < len(parts)
        verdict = False
        for rule in rules:
            if rule.dir_only and not is_dir:
                continue
            if rule.matches(os.fsencode(relative), os.fsencode(parts[depth - 1])):
                verdict = not rule.negate
        if verdict:
            return True
    return False


@pytest.mark.parametrize(("pattern", "path", "expected"), CASES)
def test_pattern_matches_as_git(pattern: str, path: str, expected: bool) -> None:
    assert _ignored(pattern, path) is expected


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_cases_agree_with_git(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    differ = []
    for pattern, path, _ in CASES:
        (tmp_path / ".gitignore").write_text(pattern + "\n", encoding="utf-8")
        answer = subprocess.run(
            ["git", "-C", str(tmp_path), "check-ignore", "--no-index", "-q", path],
            capture_output=True,
            check=False,
        )
        if answer.returncode > 1:  # git refuses the path itself (a pathspec): not a case
            continue
        if (answer.returncode == 0) is not _ignored(pattern, path):
            differ.append((pattern, path))
    assert differ == []


def test_file_rules_bom_crlf_comments_and_negation() -> None:
    rules = parse(b"\xef\xbb\xbf# comment\r\n*.gen.yaml\r\n!keep.gen.yaml\r\n\r\nbuild/\n")
    assert [(r.negate, r.dir_only, r.basename) for r in rules] == [
        (False, False, True),
        (True, False, True),
        (False, True, True),
    ]


def test_every_byte_pattern_compiles() -> None:
    for byte in range(256):
        for template in (b"%c", b"[%c", b"[%c]", b"[a-%c]", b"[[:%c:]]", b"\\%c", b"**%c"):
            parse(template % byte)  # never raises


@pytest.mark.parametrize(
    ("pattern", "path"),
    [
        ("**/" * 40 + "x", "a/" * 200 + "y"),
        ("**/a/" * 30 + "x", "a/" * 200 + "y"),
        ("*a" * 40 + "b", "a" * 300),
        ("x/" + "*a" * 40 + "b", "x/" + "a" * 300),
        ("[a-z]*" * 30 + "!", "abcdefghij" * 30),
        ("*a" * 5000 + "b", "aaa"),
    ],
)
def test_patterns_of_many_stars_are_matched_in_bounded_time(pattern: str, path: str) -> None:
    [rule] = parse(pattern.encode())
    started = time.monotonic()
    assert rule.matches(path.encode(), os.path.basename(path).encode()) is False
    assert time.monotonic() - started < 1


def test_the_search_agrees_with_the_regular_expressions() -> None:
    """Patterns of one run of stars are matched by a regex, others by git's search."""
    rng = random.Random(7)
    alphabet = ["a", "b", "/", "*", "**", "**/", "?", "[ab]", "[!a]", "\\*"]
    names = ["".join(rng.choice("ab/*") for _ in range(rng.randint(0, 7))) for _ in range(60)]
    for _ in range(400):
        pattern = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))).encode()
        parts = tokens(pattern)
        if parts is None or sum(isinstance(t, Star) for t in parts) > 1:
            continue
        regex = re.compile(_regex(parts), re.DOTALL)
        for name in names:
            text = name.encode()
            assert (regex.fullmatch(text) is not None) is _matches(parts, text), (pattern, name)
