"""Did-you-mean suggestions."""

from __future__ import annotations

import pytest

from kubelint.schema.suggest import closest, edit_distance


@pytest.mark.parametrize(
    ("word", "candidates", "expected"),
    [
        ("conatiners", ["containers", "initContainers", "volumes"], "containers"),
        (
            "startingDeadlineSecond",
            ["startingDeadlineSeconds", "schedule"],
            "startingDeadlineSeconds",
        ),
        ("annotation", ["annotations", "labels", "name"], "annotations"),
        ("Jon", ["Job", "CronJob"], "Job"),
        ("app/v1", ["apps/v1", "v1", "batch/v1"], "apps/v1"),
        ("always", ["Always", "Never", "IfNotPresent"], "Always"),
        ("xyzzy", ["containers", "volumes"], None),
        ("a", ["b"], "b"),
    ],
)
def test_closest(word: str, candidates: list[str], expected: str | None) -> None:
    assert closest(word, candidates) == expected


def test_transposition_counts_one() -> None:
    assert edit_distance("conatiners", "containers", 3) == 1
    assert edit_distance("abc", "abc", 1) == 0
    assert edit_distance("abcdef", "uvwxyz", 2) == 3  # capped at limit + 1
