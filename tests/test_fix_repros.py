"""The reproductions of --fix problems in ../shared/repros/fuzz, run as they are written."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import run_kubelint

FUZZ = Path("repros/fuzz")


def copy(shared_dir: Path, case: str, name: str, tmp_path: Path, as_name: str) -> Path:
    """A writable copy of a reproduction's file (the shared files are read-only)."""
    target = tmp_path / as_name
    shutil.copyfile(shared_dir / FUZZ / case / name, target)
    return target


def test_unicode_line_separator_fix_edits_the_right_token(shared_dir: Path, tmp_path: Path) -> None:
    target = copy(shared_dir, "fix-unicode-line-separator", "pod.yaml", tmp_path, "p.yaml")
    before = target.read_text(encoding="utf-8")
    run = run_kubelint("check", "--fix", str(target))
    assert "Change always to Always" in run.stderr, run.describe()
    after = target.read_text(encoding="utf-8")
    assert after == before.replace("imagePullPolicy: always", "imagePullPolicy: Always")
    assert "Alwaysays" not in after


def test_unicode_line_separator_positions(shared_dir: Path) -> None:
    source = shared_dir / FUZZ / "fix-unicode-line-separator" / "pod-positions.yaml"
    run = run_kubelint("check", "--output", "json", str(source))
    (finding,) = [f for f in run.findings if f["rule"] == "KL011"]
    assert (finding["line"], finding["column"]) == (13, 22)  # line 13 as YAML counts
    human = run_kubelint("check", str(source))
    assert "   13 |     imagePullPolicy: always\n" in human.stdout


def test_quoting_keeps_the_anchor_and_drops_the_tag(shared_dir: Path, tmp_path: Path) -> None:
    target = copy(shared_dir, "fix-quote-swallows-anchor-tag", "anchor.yaml", tmp_path, "a.yaml")
    before = target.read_text(encoding="utf-8")
    run = run_kubelint("check", "--fix", str(target))
    assert run.code == 0, run.describe()
    after = target.read_text(encoding="utf-8")
    assert after == before.replace("&flag yes", '&flag "yes"').replace("!!bool yes", '"yes"')


def test_two_misspellings_of_one_key_are_not_both_renamed(shared_dir: Path, tmp_path: Path) -> None:
    target = copy(shared_dir, "fix-creates-duplicate-key", "pod.yaml", tmp_path, "p.yaml")
    before = target.read_bytes()
    run = run_kubelint("check", "--fix", str(target))
    assert target.read_bytes() == before
    assert run.stderr.count('it would give the mapping a second key "image"') == 2, run.describe()
    assert "fixed" not in run.stderr
