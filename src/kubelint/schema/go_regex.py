"""Regular expressions as the API server reads them: RE2 syntax, matched in linear time.

CRD schemas (``pattern``) and custom rules hold regular expressions that are matched
against the values of the manifests checked, which may come from anyone. Kubernetes
matches them with Go's ``regexp``, an RE2 engine: linear in the length of the text,
whatever the pattern. Python's ``re`` backtracks, so a pattern such as ``^(a+)+$`` took
it exponential time on 30 characters; it also reads patterns differently from Go
(``$`` matches before a final newline, ``\\d`` matches any Unicode digit, no ``\\z``,
``\\p{L}`` or ``[[:alpha:]]``). Google's RE2 (the ``google-re2`` package) gives Go's
syntax and Go's answers in linear time. A pattern RE2 refuses is one the API server
refuses too.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Final

_SURROGATES: Final = re.compile("[\ud800-\udfff]")


@functools.cache
def _re2() -> tuple[Any, Any]:
    """The RE2 module and the options of every pattern (imported on first use: most runs
    meet no pattern)."""
    import re2

    options = re2.Options()
    options.log_errors = False  # a refused pattern is an answer, not a line on stderr
    options.never_capture = True  # only whether it matches counts
    return re2, options


class PatternError(ValueError):
    """A pattern that RE2 (and so the API server) does not accept."""


class GoRegex:
    """A compiled pattern; :meth:`search` says whether it matches anywhere in a text."""

    __slots__ = ("_compiled", "pattern")
    _compiled: Any

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        re2, options = _re2()
        try:
            self._compiled = re2.compile(_valid_text(pattern), options)
        except re2.error as exc:
            raise PatternError(str(exc)) from None

    def search(self, text: str) -> bool:
        """Whether the pattern matches somewhere in ``text`` (as Go's ``MatchString``)."""
        return self._compiled.search(_valid_text(text)) is not None

    def __repr__(self) -> str:
        return f"GoRegex({self.pattern!r})"


def compile_pattern(pattern: str) -> GoRegex | None:
    """``pattern`` compiled, or None when RE2 refuses it."""
    try:
        return GoRegex(pattern)
    except PatternError:
        return None


def _valid_text(text: str) -> str:
    """``text`` encodable as UTF-8: a lone surrogate (an undecodable byte) reads as U+FFFD,
    as Go reads an invalid byte of a string."""
    if _SURROGATES.search(text) is None:
        return text
    return _SURROGATES.sub("\ufffd", text)
