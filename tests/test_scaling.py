"""Cost grows with the work: the cross-object step does linear work in the objects of a run.

Timings belong in ``bench/``; these tests count operations instead, which no machine load
can disturb: the label comparisons of selectors (``satisfies``) and the edit distances of
did-you-mean searches, for a run of n and of 2n objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from conftest import app
from kubelint.checks.api import Fact
from kubelint.checks.crossref import near, selectors
from kubelint.load.sources import SourceFile
from kubelint.run.context import CheckOptions, Context
from kubelint.run.cross_objects import across_objects
from kubelint.run.files import check_source
from kubelint.run.results import FileResult
from kubelint.schema import suggest
from kubelint.schema.store import latest_version


class Counter:
    """Counts the calls of a function it wraps."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.calls = 0

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        return self.function(*args)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, Counter]:
    """The label comparisons and edit distances done while the test runs."""
    counters = {
        "satisfies": Counter(selectors.satisfies),
        "edit_distance": Counter(suggest.edit_distance),
    }
    monkeypatch.setattr(selectors, "satisfies", counters["satisfies"])
    monkeypatch.setattr(suggest, "edit_distance", counters["edit_distance"])
    return counters


def _results(files: dict[str, str]) -> list[FileResult]:
    options = CheckOptions(latest_version(), jobs=1)
    context = Context(options)
    return [
        check_source(SourceFile(path, path), context, text.encode()) for path, text in files.items()
    ]


def _cross_work(
    files: dict[str, str], counted: dict[str, Counter]
) -> tuple[dict[str, int], list[str]]:
    """The operations of the cross-object step alone, and the rules of its findings."""
    results = _results(files)
    options = CheckOptions(latest_version(), jobs=1)
    for counter in counted.values():
        counter.calls = 0
    kept, _ = across_objects(results, options)
    return {name: c.calls for name, c in counted.items()}, [f.rule for f in kept]


def _shared_labels(apps: int) -> dict[str, str]:
    """One file of ``apps`` apps whose workloads and Services all share the label app=web."""
    text = "---\n".join(app(f"web{i}", label="web") for i in range(apps))
    return {"same.yaml": text}


def test_services_sharing_labels_cost_linear_work(counted: dict[str, Counter]) -> None:
    small, small_rules = _cross_work(_shared_labels(60), counted)
    large, large_rules = _cross_work(_shared_labels(120), counted)
    assert small_rules == large_rules == []  # every Service selects pods: nothing to say
    assert small["satisfies"] > 0
    assert large["satisfies"] <= 2.2 * small["satisfies"], (small, large)


def _sibling_apps(copies: int) -> dict[str, str]:
    """``copies`` sibling copies of one repository whose Service selectors match nothing
    (a typo in the label), each holding the same app names and labels."""
    files = {}
    for copy in range(copies):
        for index in range(3):
            text = app(f"app{index}", selects=f"ap{index}")
            files[f"copies/c{copy}/apps/app{index}/manifest.yaml"] = text
    return files


def test_did_you_mean_across_sibling_copies_costs_linear_work(
    counted: dict[str, Counter],
) -> None:
    small, small_rules = _cross_work(_sibling_apps(8), counted)
    large, large_rules = _cross_work(_sibling_apps(16), counted)
    # the typo is judged in every copy, once per Service
    assert small_rules.count("KL060") == 8 * 3
    assert large_rules.count("KL060") == 16 * 3
    for name in ("satisfies", "edit_distance"):
        assert large[name] <= 2.2 * max(1, small[name]), (name, small, large)


def _flat_apps(apps: int) -> dict[str, str]:
    """``apps`` files side by side in one directory, whose Service selectors match nothing:
    every file is near every other one."""
    return {f"flat/app{i}.yaml": app(f"app{i}", selects=f"ap{i}") for i in range(apps)}


def test_files_near_each_other_are_looked_at_once(
    counted: dict[str, Counter], monkeypatch: pytest.MonkeyPatch
) -> None:
    visited = Counter(lambda: None)  # the facts looked at to find the workloads near a file
    in_scope = near.Near._in_scope

    def counting(self: near.Near, scope: str) -> Iterator[Fact]:
        for fact in in_scope(self, scope):
            visited.calls += 1
            yield fact

    monkeypatch.setattr(near.Near, "_in_scope", counting)
    _cross_work(_flat_apps(40), counted)
    small = visited.calls
    visited.calls = 0
    _, rules = _cross_work(_flat_apps(80), counted)
    assert rules.count("KL060") == 80
    assert 0 < visited.calls <= 2.2 * small, (small, visited.calls)
