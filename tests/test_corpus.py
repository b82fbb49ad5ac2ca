"""The corpus: thousands of real manifests from public projects, in one kubelint run.

``../shared/corpus`` (see its SOURCES.md) holds 2,875 files with 7,586 non-empty documents,
plus ``_broken-yaml/``: 18 real files that are not valid YAML. This is a robustness and
sanity test, not a judgement of the manifests: the run must finish, exit 0 or 1, print one
JSON report whose findings all have positions, count the documents, and give every broken
file a KL001 finding with a line.

The corpus takes a while, so every assertion here reads one shared run.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import (
    SHARED_MISSING,
    KubelintRun,
    cached_run,
    find_shared_dir,
    run_kubelint,
    select,
    show,
)

CORPUS_TIMEOUT = 600
MIN_DOCUMENTS = 7500


@pytest.fixture(scope="module")
def corpus(shared_dir: Path) -> Path:
    path = shared_dir / "corpus"
    if not path.is_dir():
        pytest.skip("../shared/corpus not present")
    return path


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> KubelintRun:
    return cached_run(
        tmp_path_factory,
        "corpus",
        lambda: run_kubelint("check", "--output", "json", ".", cwd=corpus, timeout=CORPUS_TIMEOUT),
    )


def test_run_finishes_cleanly(corpus_run: KubelintRun) -> None:
    assert not corpus_run.has_traceback(), corpus_run.describe()
    assert corpus_run.code in (0, 1), corpus_run.describe()
    assert isinstance(corpus_run.output, dict), corpus_run.describe()


def test_every_finding_has_a_position(corpus_run: KubelintRun) -> None:
    bad = [
        f
        for f in corpus_run.findings
        if not f.get("path")
        or not isinstance(f.get("line"), int)
        or not isinstance(f.get("column"), int)
        or f["line"] < 1
        or f["column"] < 1
    ]
    assert not bad, show(bad[:50])


def test_summary_counts(corpus_run: KubelintRun) -> None:
    summary = corpus_run.report["summary"]
    assert summary["documents"] >= MIN_DOCUMENTS, summary
    by_severity = Counter(f["severity"] for f in corpus_run.findings)
    assert summary["errors"] == by_severity["error"], summary
    assert summary["warnings"] == by_severity["warning"], summary
    assert summary["infos"] == by_severity["info"], summary


def _broken_files() -> list[str]:
    shared = find_shared_dir()
    root = shared / "corpus" if shared else None
    if root is None or not (root / "_broken-yaml").is_dir():
        return []
    return sorted(
        p.relative_to(root).as_posix() for p in (root / "_broken-yaml").rglob("*") if p.is_file()
    )


BROKEN = _broken_files()

#: Broken files kubelint does not report, where the expectation is sure (strict xfail).
KNOWN_GAPS: dict[str, str] = {}


def test_broken_yaml_set_is_complete(corpus: Path) -> None:
    assert len(BROKEN) == 18, BROKEN


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(
            b,
            id=b.removeprefix("_broken-yaml/"),
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[b])] if b in KNOWN_GAPS else [],
        )
        for b in BROKEN
    ]
    or [pytest.param(None, marks=pytest.mark.skip(reason=SHARED_MISSING), id="absent")],
)
def test_broken_yaml_file_gets_a_syntax_finding(corpus_run: KubelintRun, broken: str) -> None:
    found = select(corpus_run.findings, path=broken)
    syntax = [f for f in select(found, rule="KL001", severity="error") if f["line"] >= 1]
    assert syntax, f"{broken}: no KL001 finding:\n{show(found)}"
