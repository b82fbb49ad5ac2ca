"""Did-you-mean: the nearest candidate to a misspelt word."""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count 1), capped at ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        row_min = i
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                best = min(best, previous_previous[j - 2] + 1)
            current[j] = best
            row_min = min(row_min, best)
        if row_min > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


def _allowed(word: str) -> int:
    length = len(word)
    if length <= 4:
        return 1
    if length <= 9:
        return 2
    return 3


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate a person most likely meant by ``word``, or None when none is close.

    A case-insensitive match wins; otherwise the smallest edit distance within a
    budget that grows with the word's length; ties go to the candidate sharing the
    longest prefix, then alphabetical order (deterministic).
    """
    pool = [c for c in candidates if c != word]
    if not pool:
        return None
    lowered = word.lower()
    same = min((c for c in pool if c.lower() == lowered), default=None)
    if same is not None:  # the first in alphabetical order, without sorting them all
        return same
    limit = _allowed(word)
    best: tuple[int, int, str] | None = None
    for candidate in pool:
        distance = edit_distance(lowered, candidate.lower(), limit)
        if distance > limit:
            continue
        prefix = 0
        for x, y in zip(lowered, candidate.lower(), strict=False):
            if x != y:
                break
            prefix += 1
        key = (distance, -prefix, candidate)
        if best is None or key < best:
            best = key
    return best[2] if best else None
