"""--fix and --diff: exact token edits, verified, atomic, nothing else touched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kubelint.checks.api import TextEdit
from kubelint.load.documents import load_text
from kubelint.report.fixes import apply_edits

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


CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels:\n{labels}"


@pytest.mark.parametrize(
    ("written", "fixed"),
    [
        ("    a: &flag yes\n", '    a: &flag "yes"\n'),
        ("    a: !!bool yes\n", '    a: "yes"\n'),
        ("    a: &x !!bool yes  # why\n", '    a: &x "yes"  # why\n'),
        ("    a: !!bool\t&x  yes\n", '    a: &x  "yes"\n'),
        ("    a: !<tag:yaml.org,2002:bool> no\n", '    a: "no"\n'),
        ("    a: !!int 5\n", '    a: "5"\n'),
        ("    {a: &x on, b: !!bool off}\n", '    {a: &x "on", b: "off"}\n'),
        ("    a: &x yes\n    b: *x\n", '    a: &x "yes"\n    b: *x\n'),
    ],
)
def test_quoting_keeps_anchors_and_drops_tags(tmp_path: Path, written: str, fixed: str) -> None:
    target = tmp_path / "cm.yaml"
    target.write_text(CONFIG_MAP.format(labels=written), encoding="utf-8")
    result = kubelint("check", "--fix", str(target))
    assert result.returncode == 0, result.stdout + result.stderr
    assert target.read_text(encoding="utf-8") == CONFIG_MAP.format(labels=fixed)
    (document,) = load_text(target.read_text(encoding="utf-8")).documents
    labels = document.value["metadata"]["labels"]
    assert all(isinstance(v, str) for v in labels.values()), labels


def test_an_alias_is_not_quoted(tmp_path: Path) -> None:
    # the anchored value is a boolean where one is wanted; only its use as a label is wrong
    target = tmp_path / "cm.yaml"
    text = CONFIG_MAP.format(labels="    b: *x\n").replace(
        "metadata:", "immutable: &x yes\nmetadata:"
    )
    target.write_text(text, encoding="utf-8")
    check = kubelint("check", str(target))
    assert "KL003" in check.stdout
    assert "quote the value of its anchor &x" in check.stdout
    result = kubelint("check", "--diff", str(target))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("written", "fixed"),
    [
        ("&c imag: nginx:1.27", "&c image: nginx:1.27"),
        ("imagePullPolicy: &p !!str always", "imagePullPolicy: &p !!str Always"),
        ("imagePullPolicy: 'always'", "imagePullPolicy: 'Always'"),
        ('imagePullPolicy: !!str "always"', 'imagePullPolicy: !!str "Always"'),
    ],
)
def test_renames_and_values_keep_anchors_tags_and_quotes(
    tmp_path: Path, written: str, fixed: str
) -> None:
    pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n"
    image = "" if "imag:" in written else "    image: nginx:1.27\n"
    target = tmp_path / "pod.yaml"
    target.write_text(f"{pod}{image}    {written}\n", encoding="utf-8")
    result = kubelint("check", "--fix", str(target))
    assert "fixed 1" in result.stderr, result.stdout + result.stderr
    assert target.read_text(encoding="utf-8") == f"{pod}{image}    {fixed}\n"


@pytest.mark.parametrize("value", [">-\n      always", "|\n      always\n", '"always\n      "'])
def test_a_value_that_goes_on_past_its_line_gets_no_fix(tmp_path: Path, value: str) -> None:
    pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n"
    target = tmp_path / "pod.yaml"
    target.write_text(f"{pod}    image: nginx:1.27\n    imagePullPolicy: {value}\n", "utf-8")
    result = kubelint("check", "--output", "json", str(target))
    fixes = [f["fix"] for f in json.loads(result.stdout)["findings"] if f["rule"] == "KL011"]
    assert fixes in ([None], []), fixes
