"""Writing fixes loses nothing: links, hard links, mode, owner, attributes, old content.

A fix that cannot be written (write-protected file, read-only directory, full disk) is
a message naming the file; the file is left as it was and the run exits with 2.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import run_kubelint
from kubelint.report import rewrite

JOB = "apiVersion: batch/v1\nkind: Jon\nmetadata:\n  name: j\n"
FIXED = JOB.replace("kind: Jon", "kind: Job")


def leftovers(*directories: Path) -> list[str]:
    """Temporary files a write left behind."""
    return [p.name for d in directories for p in d.iterdir() if p.name.endswith(".kubelint-tmp")]


def test_a_symlink_stays_a_link_and_its_target_is_fixed(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text(JOB, encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to("real.yaml")
    run = run_kubelint("check", "--fix", str(tmp_path / "link.yaml"))
    assert "fixed 1" in run.stderr, run.describe()
    assert os.readlink(tmp_path / "link.yaml") == "real.yaml"
    assert (tmp_path / "real.yaml").read_text(encoding="utf-8") == FIXED


def test_a_chain_of_links_into_another_directory(tmp_path: Path) -> None:
    data, links = tmp_path / "data", tmp_path / "links"
    data.mkdir()
    links.mkdir()
    (data / "real.yaml").write_text(JOB, encoding="utf-8")
    (links / "middle.yaml").symlink_to("../data/real.yaml")
    (links / "first.yaml").symlink_to("middle.yaml")
    run = run_kubelint("check", "--fix", str(links / "first.yaml"))
    assert "fixed 1" in run.stderr, run.describe()
    assert (links / "first.yaml").is_symlink()
    assert (links / "middle.yaml").is_symlink()
    assert (data / "real.yaml").read_text(encoding="utf-8") == FIXED
    assert leftovers(data, links) == []


def test_a_dangling_link_is_reported_not_written(tmp_path: Path) -> None:
    (tmp_path / "gone.yaml").symlink_to("nowhere.yaml")
    run = run_kubelint("check", "--fix", str(tmp_path / "gone.yaml"))
    assert not run.has_traceback(), run.describe()
    assert (tmp_path / "gone.yaml").is_symlink()
    assert not (tmp_path / "nowhere.yaml").exists()


def test_hard_links_keep_sharing_the_fixed_content(tmp_path: Path) -> None:
    real, hard = tmp_path / "real.yaml", tmp_path / "hard.yaml"
    real.write_text(JOB, encoding="utf-8")
    os.link(real, hard)
    inode = real.stat().st_ino
    run = run_kubelint("check", "--fix", str(real))
    assert "fixed 1" in run.stderr, run.describe()
    assert hard.read_text(encoding="utf-8") == FIXED
    assert real.stat().st_ino == hard.stat().st_ino == inode
    assert real.stat().st_nlink == 2
    assert leftovers(tmp_path) == []


def test_a_file_reached_twice_in_a_walk_is_fixed_once(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text(JOB, encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to("real.yaml")
    os.link(tmp_path / "real.yaml", tmp_path / "twin.yaml")
    run = run_kubelint("check", "--fix", str(tmp_path))
    assert run.stderr.count("fixed 1") == 1, run.describe()
    assert (tmp_path / "real.yaml").read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "link.yaml").is_symlink()


def test_mode_owner_and_attributes_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "job.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + JOB.replace("\n", "\r\n").encode())
    os.chmod(target, 0o640)
    try:
        os.setxattr(target, "user.origin", b"kept")
    except OSError:
        pytest.skip("no extended attributes here")
    if os.geteuid() == 0:
        os.chown(target, 1234, 5678)
    before = target.stat()
    run = run_kubelint("check", "--fix", str(target))
    assert "fixed 1" in run.stderr, run.describe()
    after = target.stat()
    assert target.read_bytes() == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    assert os.getxattr(target, "user.origin") == b"kept"


def test_a_write_protected_file_is_refused_and_the_run_goes_on(tmp_path: Path) -> None:
    locked, other = tmp_path / "locked.yaml", tmp_path / "other.yaml"
    locked.write_text(JOB, encoding="utf-8")
    other.write_text(JOB, encoding="utf-8")
    os.chmod(locked, 0o444)
    run = run_kubelint("check", "--fix", str(locked), str(other))
    assert run.code == 2, run.describe()
    assert f"{locked}: not fixed, the file is unchanged: the file is write-protected" in run.stderr
    assert not run.has_traceback()
    assert locked.read_text(encoding="utf-8") == JOB
    assert stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert other.read_text(encoding="utf-8") == FIXED


def as_unprivileged() -> list[str]:
    """A command prefix that runs without the power to ignore file permissions."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot drop the permission override")
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    if subprocess.run([*prefix, "true"], capture_output=True, check=False).returncode:
        pytest.skip("setpriv cannot drop capabilities here")
    return prefix


def test_a_read_only_directory_is_a_message_and_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "job.yaml"
    target.write_text(JOB, encoding="utf-8")
    os.chmod(folder, 0o555)
    try:
        prefix = as_unprivileged()
        proc = subprocess.run(
            [*prefix, sys.executable, "-m", "kubelint", "check", "--fix", str(target)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")},
        )
    finally:
        os.chmod(folder, 0o755)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"{target}: not fixed, the file is unchanged: cannot write a temporary file" in (
        proc.stderr
    )
    assert "Traceback" not in proc.stderr
    assert target.read_text(encoding="utf-8") == JOB
    assert leftovers(folder) == []


def test_a_full_disk_through_the_command_line(tmp_path: Path) -> None:
    target = tmp_path / "job.yaml"
    target.write_text(JOB, encoding="utf-8")
    script = (
        "import errno, os, sys\n"
        "def full(fd):\n"
        "    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "os.fsync = full\n"
        "from kubelint.cli.main import cli\n"
        "sys.exit(cli(['check', '--fix', sys.argv[1]]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")},
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"{target}: not fixed, the file is unchanged: cannot write: No space left" in (
        proc.stderr
    )
    assert target.read_text(encoding="utf-8") == JOB
    assert leftovers(tmp_path) == []


def fail_writes_to(monkeypatch: pytest.MonkeyPatch, target: Path, times: int = 1) -> None:
    """Make the next ``times`` in-place writes of ``target`` stop half-way with ENOSPC."""
    real = rewrite._write_at_start
    left = [times]

    def half_then_full(path: str, data: bytes) -> None:
        if path == str(target) and left[0] > 0:
            left[0] -= 1
            with open(path, "r+b") as stream:
                stream.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(path, data)

    monkeypatch.setattr(rewrite, "_write_at_start", half_then_full)


def hard_linked_job(tmp_path: Path) -> Path:
    """A fixable manifest with a second hard link (so that it is written in place)."""
    real = tmp_path / "real.yaml"
    real.write_text(JOB, encoding="utf-8")
    os.link(real, tmp_path / "hard.yaml")
    return real


def test_an_in_place_write_that_fails_puts_the_old_bytes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = hard_linked_job(tmp_path)
    fail_writes_to(monkeypatch, real)
    with pytest.raises(rewrite.WriteError, match="No space left on device"):
        rewrite.replace_content(str(real), JOB.encode(), FIXED.encode())
    assert real.read_text(encoding="utf-8") == JOB
    assert leftovers(tmp_path) == []


def test_when_even_the_old_bytes_cannot_go_back_a_copy_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = hard_linked_job(tmp_path)
    fail_writes_to(monkeypatch, real, times=2)
    with pytest.raises(rewrite.WriteError, match="the old content is saved in") as caught:
        rewrite.replace_content(str(real), JOB.encode(), FIXED.encode())
    (backup,) = leftovers(tmp_path)
    assert backup in str(caught.value)
    assert (tmp_path / backup).read_text(encoding="utf-8") == JOB


def test_a_failed_rename_leaves_the_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "job.yaml"
    target.write_text(JOB, encoding="utf-8")

    def refuse(*_: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(rewrite.WriteError, match="Read-only file system"):
        rewrite.replace_content(str(target), JOB.encode(), FIXED.encode())
    assert target.read_text(encoding="utf-8") == JOB
    assert leftovers(tmp_path) == []


def test_a_file_that_changed_since_the_check_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "job.yaml"
    target.write_text(JOB + "# edited meanwhile\n", encoding="utf-8")
    with pytest.raises(rewrite.WriteError, match="changed after it was checked"):
        rewrite.replace_content(str(target), JOB.encode(), FIXED.encode())
    assert target.read_text(encoding="utf-8") == JOB + "# edited meanwhile\n"


def test_a_copy_that_cannot_keep_the_owner_is_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "job.yaml"
    target.write_text(JOB, encoding="utf-8")
    inode = target.stat().st_ino

    def not_allowed(*_: object) -> None:
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "chown", not_allowed)
    monkeypatch.setattr(os, "stat", _stat_with_other_owner(target))
    rewrite.replace_content(str(target), JOB.encode(), FIXED.encode())
    assert target.read_text(encoding="utf-8") == FIXED
    assert os.lstat(target).st_ino == inode
    assert leftovers(tmp_path) == []


def _stat_with_other_owner(target: Path) -> Callable[..., os.stat_result]:
    """``os.stat`` that says ``target`` belongs to someone else."""
    real = os.stat

    def fake(path: str, *args: Any, **kwargs: Any) -> os.stat_result:
        result = real(path, *args, **kwargs)
        if str(path) != str(target):
            return result
        fields = list(result)
        fields[stat.ST_UID] = result.st_uid + 1
        return os.stat_result(fields)

    return fake
