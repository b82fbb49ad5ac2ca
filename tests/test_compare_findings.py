"""scripts/compare_findings.py: the record-by-record comparison of two runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "compare_findings.py"
_spec = importlib.util.spec_from_file_location("compare_findings", SCRIPT)
assert _spec is not None
assert _spec.loader is not None
compare = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare)


def _run(*rules: str) -> dict[str, object]:
    findings = [{"rule": r, "line": i} for i, r in enumerate(rules)]
    return {"findings": findings, "summary": {"errors": len(rules)}}


def test_identical_runs_have_no_differences() -> None:
    assert compare.differences(_run("KL001", "KL002"), _run("KL001", "KL002")) == []


def test_order_counts() -> None:
    found = compare.differences(_run("KL001", "KL002"), _run("KL002", "KL001"))
    assert found[0].startswith("finding 0:")


def test_a_missing_finding_and_the_summary_are_named() -> None:
    found = compare.differences(_run("KL001", "KL002"), _run("KL001"))
    assert any("2 findings before, 1 after" in line for line in found)
    assert found[-1].startswith("summary:")
