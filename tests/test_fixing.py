"""--fix and --diff: exact token edits, verified, atomic, nothing else touched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kubelint.fixing import apply_edits
from kubelint.rule_api import TextEdit

BROKEN = """\
# a comment that must survive
apiVersion: batch/v1
kind: Jon   # trailing comment
metadata:
  name: hello   # name
spec:
  template:
    spec:
      restartPolicy: Never
      conatiners:
      - name: hello
        image: 'busybox:1.36'
        imagePullPolicy: "always"
        env:
        - {name: VERBOSE, value: yes}
"""

FIXED = """\
# a comment that must survive
apiVersion: batch/v1
kind: Job   # trailing comment
metadata:
  name: hello   # name
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: hello
        image: 'busybox:1.36'
        imagePullPolicy: "Always"
        env:
        - {name: VERBOSE, value: "yes"}
"""


def kubelint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kubelint", *args], capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip


def test_fix_edits_only_the_tokens(tmp_path: Path) -> None:
    target = tmp_path / "job.yaml"
    target.write_bytes(BROKEN.replace("\n", "\r\n").encode())
    os.chmod(target, 0o640)
    result = kubelint("check", "--fix", str(target))
    assert result.returncode == 0, result.stdout + result.stderr
    assert target.read_bytes() == FIXED.replace("\n", "\r\n").encode()
    assert oct(target.stat().st_mode & 0o777) == "0o640"
    assert "fixed 4" in result.stderr


def test_diff_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "job.yaml"
    target.write_text(BROKEN, encoding="utf-8")
    result = kubelint("check", "--diff", str(target))
    assert result.returncode == 1
    assert "-kind: Jon   # trailing comment" in result.stdout
    assert "+kind: Job   # trailing comment" in result.stdout
    assert target.read_text(encoding="utf-8") == BROKEN


def test_nothing_to_fix_leaves_the_file_alone(tmp_path: Path) -> None:
    target = tmp_path / "cm.yaml"
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n"
    target.write_text(text, encoding="utf-8")
    before = target.stat().st_mtime_ns
    assert kubelint("check", "--fix", str(target)).returncode == 0
    assert target.stat().st_mtime_ns == before


def test_edits_that_do_not_match_or_overlap_are_skipped() -> None:
    text = "abc: def\nxyz: 1\n"
    fixed, applied = apply_edits(
        text,
        [TextEdit(0, 0, "abc", "ABC"), TextEdit(0, 1, "bc", "XX"), TextEdit(1, 0, "nope", "x")],
    )
    assert fixed == "ABC: def\nxyz: 1\n"
    assert applied == [TextEdit(0, 0, "abc", "ABC")]
