"""Acceptance: the references between the seed manifests resolve.

EXPECTED.md: checked together as one directory, 07's ``configMapKeyRef``s and ``configMap``
volume items resolve to keys of 06's ConfigMap, and 10's ``ADDR`` resolves inside
namespace ``demo``; reporting any of them as unresolved is a false positive. The
cross-object rules (KL060-KL068) must stay silent on the seed directory, also with
``--strict-refs``. Broken copies of the seeds show that the silence is earned: the same
references, once broken, are reported where they are written.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, run_kubelint, select, show

SEEDS = FIXTURES / "seeds"
CROSS_RULES = [f"KL{n:03d}" for n in range(60, 69)]
SELECT = ",".join(CROSS_RULES)


def _check(directory: Path, *args: str) -> list[dict[str, Any]]:
    code, report = run_kubelint(
        "check", "--output", "json", "--select", SELECT, *args, ".", cwd=directory
    )
    assert code in (0, 1), f"exit {code}"
    assert isinstance(report, dict), report
    findings: list[dict[str, Any]] = report["findings"]
    return findings


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict-refs"])
def test_seed_directory_reports_no_unresolved_reference(strict: bool) -> None:
    findings = _check(SEEDS, *(["--strict-refs"] if strict else []))
    assert findings == [], show(findings)


def _broken_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    path = copy / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{name} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


def test_a_key_missing_from_the_seed_configmap_is_an_error(tmp_path: Path) -> None:
    copy = _broken_copy(tmp_path, "07-deployment-uses-configmap.yaml", "key: player", "key: playr")
    found = select(_check(copy), rule="KL066")
    assert [(f["path"].rsplit("/", 1)[-1], f["line"], f["severity"]) for f in found] == [
        ("07-deployment-uses-configmap.yaml", 46, "error")
    ], show(found)
    assert '"player"' in (found[0]["suggestion"] or "")


def test_a_volume_item_key_missing_from_the_seed_configmap_is_an_error(tmp_path: Path) -> None:
    copy = _broken_copy(
        tmp_path,
        "07-deployment-uses-configmap.yaml",
        "- key: game.properties",
        "- key: games.properties",
    )
    found = select(_check(copy), rule="KL066")
    assert [(f["line"], f["column"]) for f in found] == [(24, 18)], show(found)


def test_references_are_namespace_local(tmp_path: Path) -> None:
    """10's ConfigMap moved out of namespace demo no longer resolves there."""
    copy = _broken_copy(
        tmp_path, "10-demo-configmap-deployment.yaml", "namespace: demo", "namespace: staging"
    )
    found = select(_check(copy), rule="KL066")
    assert [(f["line"], f["severity"]) for f in found] == [(41, "warning")], show(found)
    assert "namespace staging" in (found[0]["suggestion"] or "")


def test_one_file_alone_reports_nothing_unless_strict(tmp_path: Path) -> None:
    """07 checked without 06: the cluster may hold the ConfigMap, unless --strict-refs."""
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(SEEDS / "07-deployment-uses-configmap.yaml", alone)
    assert _check(alone) == []
    strict = select(_check(alone, "--strict-refs"), rule="KL066")
    # one finding per reference to the name: three env entries and the volume
    assert sorted(f["line"] for f in strict) == [20, 35, 40, 45], show(strict)
    assert {f["severity"] for f in strict} == {"error"}
