"""The reproductions of --fix problems in ../shared/repros/fuzz, run as they are written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def make(shared_dir: Path, case: str, where: Path) -> None:
    """Run a reproduction's make.sh in ``where``."""
    script = shared_dir / FUZZ / case / "make.sh"
    subprocess.run(["sh", str(script)], cwd=where, check=True)


def test_fixing_through_a_symlink_keeps_the_link_and_the_hard_link(
    shared_dir: Path, tmp_path: Path
) -> None:
    make(shared_dir, "fix-replaces-symlink", tmp_path)
    run = run_kubelint("check", "--fix", "link.yaml", cwd=tmp_path)
    assert "fixed 1" in run.stderr, run.describe()
    assert os.readlink(tmp_path / "link.yaml") == "real.yaml"
    for name in ("real.yaml", "hard.yaml"):
        assert "kind: Job\n" in (tmp_path / name).read_text(encoding="utf-8")
    assert (tmp_path / "real.yaml").stat().st_ino == (tmp_path / "hard.yaml").stat().st_ino


def test_fixing_the_hard_linked_file_reaches_its_twin(shared_dir: Path, tmp_path: Path) -> None:
    make(shared_dir, "fix-replaces-symlink", tmp_path)
    run_kubelint("check", "--fix", "real.yaml", cwd=tmp_path)
    assert "kind: Job\n" in (tmp_path / "hard.yaml").read_text(encoding="utf-8")
    assert (tmp_path / "real.yaml").stat().st_nlink == 2


def test_a_directory_the_user_cannot_write_is_a_message(shared_dir: Path, tmp_path: Path) -> None:
    make(shared_dir, "fix-write-error-traceback", tmp_path)
    target = tmp_path / "ro" / "job.yaml"
    before = target.read_bytes()
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    try:
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "kubelint", "check", "--fix", "ro/job.yaml"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")},
        )
    finally:
        os.chmod(tmp_path / "ro", 0o755)
    if "Operation not permitted" in proc.stderr and "setpriv" in proc.stderr:
        pytest.skip("setpriv cannot drop capabilities here")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "ro/job.yaml: not fixed, the file is unchanged: cannot write a temporary file in" in (
        proc.stderr
    )
    assert "Traceback" not in proc.stderr
    assert target.read_bytes() == before


def test_a_full_disk_is_a_message(tmp_path: Path) -> None:
    # the reproduction's second case: 38 KB of fixable Jobs on a 64 KB tmpfs (root only)
    mount = tmp_path / "m"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        target = mount / "jobs.yaml"
        target.write_text(
            "".join(
                f"apiVersion: batch/v1\nkind: Jon\nmetadata:\n  name: j{i}\n---\n"
                for i in range(700)
            ),
            encoding="utf-8",
        )
        before = target.read_bytes()
        run = run_kubelint("check", "--fix", str(target))
        assert run.code == 2, run.describe()
        assert f"{target}: not fixed, the file is unchanged: cannot write:" in run.stderr
        assert "No space left on device" in run.stderr
        assert not run.has_traceback()
        assert target.read_bytes() == before
        assert [p.name for p in mount.iterdir()] == ["jobs.yaml"]
    finally:
        subprocess.run(["umount", str(mount)], check=False)
