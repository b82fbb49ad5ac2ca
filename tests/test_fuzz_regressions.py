"""What ``scripts/fuzz_hostile.py`` found, one test per class, and a short fixed-seed run.

Each case is the minimal input of a failure class; the oracles are the fuzzer's own
(positions inside the file as YAML counts lines, line-oriented outputs that stay one
line per finding), so that a regression fails here before any fuzzing campaign.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from conftest import REPO_ROOT, run_kubelint

BREAKS = ["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"]


def _fuzzer() -> ModuleType:
    path = REPO_ROOT / "scripts" / "fuzz_hostile.py"
    spec = importlib.util.spec_from_file_location("fuzz_hostile", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_hostile"] = module
    spec.loader.exec_module(module)
    return module


FUZZ = _fuzzer()

# Syntax errors at the end of a line or of a file without a final line break: libyaml
# puts the mark on a line of its own making, and a one-character span past the line.
BROKEN_ENDINGS = [
    "apiVersion: v1{nl}kind: ConfigMap{nl}foo",
    "%YAML{nl}---{nl}a: 1{nl}",
    'apiVersion: v1{nl}kind: ConfigMap{nl}data: {{a: "x',
    "apiVersion: v1{nl}kind: ConfigMap{nl}data: [1, 2",
    "apiVersion: v1{nl}kind: ConfigMap{nl}data:{nl}  a: |{nl}    x{nl} b",
    "apiVersion: v1{nl}kind: ConfigMap{nl}metadata: {{name: x{nl}",
]


@pytest.mark.parametrize("nl", BREAKS, ids=[f"U+{ord(b[0]):04X}" for b in BREAKS])
@pytest.mark.parametrize("template", BROKEN_ENDINGS)
def test_positions_stay_inside_the_file(tmp_path: Path, template: str, nl: str) -> None:
    data = template.format(nl=nl).encode("utf-8")
    (tmp_path / "in.yaml").write_bytes(data)
    run = run_kubelint("check", "--output", "json", "in.yaml", cwd=tmp_path)
    assert not run.has_traceback(), run.describe()
    FUZZ.judge_positions(run.findings, {"in.yaml": data})  # raises FUZZ.Failure


def test_a_newline_in_a_key_keeps_one_line_per_finding(tmp_path: Path) -> None:
    """``? 'block\\n\\n  '`` is the key "block\\n": its finding is still one line."""
    data = b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n? 'block\n\n  '\n: value\n"
    (tmp_path / "in.yaml").write_bytes(data)
    run = run_kubelint("check", "in.yaml", cwd=tmp_path)
    FUZZ.judge_excerpts(run.stdout.encode("utf-8"), {"in.yaml": data})
    assert 'unknown field "block\\n"' in run.stdout


def test_a_newline_in_a_file_name_keeps_one_line_per_finding(tmp_path: Path) -> None:
    (tmp_path / "a\nb.yaml").write_text("apiVersion: v1\nkind: Jon\n", encoding="utf-8")
    run = run_kubelint("check", ".", cwd=tmp_path)
    assert run.stdout.splitlines()[0] == "./a\\nb.yaml"
    assert run.stdout.splitlines()[1].startswith("./a\\nb.yaml:2:7: error KL006 ")


def test_an_undecodable_annotation_value_is_measured_not_fatal(tmp_path: Path) -> None:
    """``!!binary /w==`` is the byte 0xff, kept as a lone surrogate: the annotation size
    check encoded it strictly and the whole file was lost (KL029)."""
    data = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
        "  annotations:\n    a: !!binary /w==\n  labels: {Bad Label: x}\n"
    )
    (tmp_path / "in.yaml").write_text(data, encoding="utf-8")
    run = run_kubelint("check", "--output", "json", "in.yaml", cwd=tmp_path)
    assert [f["rule"] for f in run.findings] == ["KL014"]


def test_a_short_fixed_seed_campaign_finds_nothing(tmp_path: Path) -> None:
    """A few seconds of the fuzzer itself, on the fixtures, through check and --fix."""
    pool = sorted((REPO_ROOT / "tests" / "fixtures" / "rules").glob("*.yaml"))
    stats = FUZZ.campaign(
        seed=7, count=5, out=tmp_path / "out", pool=pool, lsp_every=10**9, fix_every=2
    )
    found = {kind: details[:3] for kind, details in stats.failures.items()}
    kept = sorted(p.name for p in (tmp_path / "out").rglob("README"))
    assert not found, json.dumps(found, indent=1) + f"\n{kept}"
    # every kind of run took place, check on every input
    assert stats.runs["check"] >= sum(stats.inputs.values())
    assert stats.runs["check --fix"] >= 1
    assert stats.runs["check --diff"] >= 1
