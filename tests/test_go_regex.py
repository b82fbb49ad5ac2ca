"""CRD and custom-rule patterns are read as Go reads them, and matched in linear time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import FIXTURES, run_kubelint
from kubelint.schema.go_regex import GoRegex, PatternError, compile_pattern

CRD = FIXTURES / "hostile" / "crd-patterns.yaml"
WIDGET = """\
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  nested: %(value)s
  alternation: %(value)s
  word: "abc\\n"
"""


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("^[a-z]+$", "abc", True),
        ("^[a-z]+$", "abc\n", False),  # Go's $ is the end of the text, not before a newline
        (r"^\d+$", "\u0661\u0662", False),  # \d is ASCII in Go
        (r"^\p{L}+$", "\u00e9t\u00e9", True),
        ("^[[:alpha:]]+$", "abc", True),
        (r"a\z", "a", True),
        ("(?i)^ABC$", "abc", True),
        ("^a", "\udcffa", False),  # an undecodable byte reads as U+FFFD
        ("^.a$", "\udcffa", True),
    ],
)
def test_go_syntax_and_answers(pattern: str, text: str, matches: bool) -> None:
    assert GoRegex(pattern).search(text) is matches


@pytest.mark.parametrize("pattern", [r"a\Z", "(?=a)", r"(a)\1", "a{1001}", "[z-a]", "("])
def test_patterns_go_refuses(pattern: str) -> None:
    assert compile_pattern(pattern) is None
    with pytest.raises(PatternError):
        GoRegex(pattern)


def test_catastrophic_patterns_take_linear_time() -> None:
    for pattern in ("^(a+)+$", "^(a|aa)*$", "^(a*)*b$", "(x+x+)+y"):
        compiled = GoRegex(pattern)
        started = time.perf_counter()
        assert not compiled.search("a" * 100_000 + "!")
        assert time.perf_counter() - started < 1.0, pattern


def test_a_crd_pattern_cannot_hang_the_check(tmp_path: Path) -> None:
    path = tmp_path / "crd.yaml"
    text = CRD.read_text(encoding="utf-8") + WIDGET % {"value": "a" * 5000 + "!"}
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    run = run_kubelint("check", "--output", "json", path, timeout=60)
    assert time.perf_counter() - started < 30
    assert not run.has_traceback()
    assert [(f["field"], f["rule"]) for f in run.findings] == [
        ("spec.nested", "KL017"),
        ("spec.alternation", "KL017"),
        ("spec.word", "KL017"),
    ]
    assert "re2" not in run.stderr  # a refused pattern is not logged by the engine
