"""Which fixes --fix applies: none that creates a duplicate key or any new finding."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from kubelint.checks.api import Fix, TextEdit
from kubelint.load.documents import load_text
from kubelint.load.lines import split_lines
from kubelint.report.fixes import MAX_SINGLE_TRIES, plan
from kubelint.report.model import Finding, Severity

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    imag: nginx:1.27
    iamge: nginx:latest
    imagePullPolicy: always
"""


def kubelint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kubelint", *args], capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip


def test_two_renames_to_one_key_are_both_left_out(tmp_path: Path) -> None:
    target = tmp_path / "pod.yaml"
    target.write_text(POD, encoding="utf-8")
    result = kubelint("check", "--fix", str(target))
    fixed = target.read_text(encoding="utf-8")
    assert fixed == POD.replace("imagePullPolicy: always", "imagePullPolicy: Always")
    assert f"{target}:8:5: fix left out (Rename imag to image)" in result.stderr
    assert f"{target}:9:5: fix left out (Rename iamge to image)" in result.stderr
    assert 'second key "image"' in result.stderr
    assert "fixed 1: Change always to Always" in result.stderr


def test_renames_in_a_flow_mapping_are_left_out_too(tmp_path: Path) -> None:
    target = tmp_path / "pod.yaml"
    text = POD.replace("  - name: c\n    imag: nginx:1.27\n    iamge: nginx:latest\n", "")
    text = text.replace("    imagePullPolicy: always\n", "  - {name: c, imag: a, iamge: b}\n")
    target.write_text(text, encoding="utf-8")
    result = kubelint("check", "--fix", str(target))
    assert target.read_text(encoding="utf-8") == text
    assert result.stderr.count("fix left out") == 2, result.stderr
    assert not any(d.problems for d in load_text(text).documents)


def finding(line: int, column: int, old: str, new: str, rule: str = "KL008") -> Finding:
    """A finding at a 1-based position with a fix replacing ``old`` there by ``new``."""
    fix = Fix(f"Change {old} to {new}", (TextEdit(line - 1, column - 1, old, new),))
    return Finding("f.yaml", line, column, rule, "x", Severity.ERROR, "m", fix=fix)


def recheck_by_tokens(
    rules: list[tuple[str, int, Callable[[str], bool]]],
) -> Callable[[str], list[Finding]]:
    """A stand-in for the engine: (rule, 1-based line, whether the line has the finding)."""

    def recheck(text: str) -> list[Finding]:
        lines = split_lines(text)
        return [
            Finding("f.yaml", line, 1, rule, "x", Severity.WARNING, f"{rule} here")
            for rule, line, present in rules
            if present(lines[line - 1])
        ]

    return recheck


def write(tmp_path: Path, text: str) -> str:
    target = tmp_path / "f.yaml"
    target.write_text(text, encoding="utf-8")
    return str(target)


def test_a_rename_to_a_key_the_mapping_has_is_left_out(tmp_path: Path) -> None:
    location = write(tmp_path, "a:\n  imag: x\n  image: y\n")
    planned = plan("f.yaml", location, [finding(2, 3, "imag", "image")], lambda _: [])
    assert planned.fixed == planned.original
    ((_, reason),) = planned.skipped
    assert 'second key "image"' in reason


def test_a_rename_over_a_merged_key_is_fine(tmp_path: Path) -> None:
    # an explicit key overrides a merged one: kubectl sees no duplicate
    location = write(tmp_path, "base: &b {image: x}\nc:\n  <<: *b\n  imag: y\n")
    planned = plan("f.yaml", location, [finding(4, 3, "imag", "'image'")], lambda _: [])
    assert planned.skipped == []
    assert planned.fixed.endswith("  'image': y\n")


def test_any_new_finding_leaves_its_fix_out_and_keeps_the_others(tmp_path: Path) -> None:
    location = write(tmp_path, "a: one\nb: two\n---\nc: three\n")
    findings = [
        finding(1, 4, "one", "1", rule="KL011"),
        finding(2, 4, "two", "2", rule="KL011"),
        finding(4, 4, "three", "3", rule="KL011"),
    ]
    recheck = recheck_by_tokens(
        [
            ("KL011", 1, lambda line: "one" in line),
            ("KL011", 2, lambda line: "two" in line),
            ("KL011", 4, lambda line: "three" in line),
            ("KL099", 2, lambda line: "2" in line),  # a warning the second fix would add
        ]
    )
    planned = plan("f.yaml", location, findings, recheck)
    assert planned.fixed == "a: 1\nb: two\n---\nc: 3\n"
    assert [fix.title for fix in planned.applied] == ["Change one to 1", "Change three to 3"]
    ((fix, reason),) = planned.skipped
    assert fix.title == "Change two to 2"
    assert reason == "it would add KL099 x at line 2: KL099 here"


def test_a_fix_that_leaves_its_own_finding_is_left_out(tmp_path: Path) -> None:
    location = write(tmp_path, "a: always\n")
    recheck = recheck_by_tokens([("KL011", 1, lambda line: True)])  # still wrong after the fix
    planned = plan("f.yaml", location, [finding(1, 4, "alw", "Always", rule="KL011")], recheck)
    assert planned.fixed == planned.original
    assert len(planned.skipped) == 1


def test_findings_the_file_had_do_not_count_as_new(tmp_path: Path) -> None:
    location = write(tmp_path, "a: one\n---\nb: [broken\n")
    recheck = recheck_by_tokens(
        [("KL011", 1, lambda line: "one" in line), ("KL001", 3, lambda line: True)]
    )
    planned = plan("f.yaml", location, [finding(1, 4, "one", "1", rule="KL011")], recheck)
    assert planned.refused is None
    assert planned.fixed == "a: 1\n---\nb: [broken\n"


def test_when_the_other_fixes_add_findings_nothing_is_written(tmp_path: Path) -> None:
    # the fix in the first document makes a finding in the second (as a duplicate object would)
    location = write(tmp_path, "a: one\n---\nb: two\n")

    def recheck(text: str) -> list[Finding]:
        found = (
            [Finding("f.yaml", 1, 4, "KL011", "x", Severity.ERROR, "m")] if "one" in text else []
        )
        if "a: 1" in text:
            found.append(Finding("f.yaml", 3, 1, "KL020", "x", Severity.ERROR, "twice"))
        return found

    planned = plan("f.yaml", location, [finding(1, 4, "one", "1", rule="KL011")], recheck)
    assert not planned.changed
    assert planned.refused == "not written: the fixes would add KL020 x at line 3: twice"


def test_only_so_many_fixes_of_a_document_are_tried_one_by_one(tmp_path: Path) -> None:
    count = MAX_SINGLE_TRIES + 3
    location = write(tmp_path, "".join(f"k{i}: v\n" for i in range(count)))
    findings = [finding(i + 1, len(f"k{i}: ") + 1, "v", "w", rule="KL011") for i in range(count)]
    recheck = recheck_by_tokens(
        [("KL011", i + 1, lambda line: line.endswith("v")) for i in range(count)]
        + [("KL099", 1, lambda line: line.endswith("w"))]
    )
    planned = plan("f.yaml", location, findings, recheck)
    assert len(planned.applied) == MAX_SINGLE_TRIES - 1
    assert len(planned.skipped) == 4
    assert planned.skipped[-1][1].startswith("not tried")


def test_fixes_that_edit_the_same_text_are_both_left_out(tmp_path: Path) -> None:
    location = write(tmp_path, "a: always\n")
    findings = [finding(1, 4, "always", "Always"), finding(1, 4, "alw", "ALW")]
    planned = plan("f.yaml", location, findings, lambda _: [])
    assert planned.fixed == planned.original
    assert [reason for _, reason in planned.skipped] == ["another fix edits the same text"] * 2


def test_a_fix_may_not_add_or_remove_lines(tmp_path: Path) -> None:
    location = write(tmp_path, "a: b\n")
    planned = plan("f.yaml", location, [finding(1, 4, "b", "c\u2028d")], lambda _: [])
    assert planned.fixed == planned.original
    assert len(planned.skipped) == 1


def test_an_old_syntax_error_elsewhere_does_not_stop_the_fixes(tmp_path: Path) -> None:
    target = tmp_path / "refuse.yaml"
    text = (
        "apiVersion: batch/v1\nkind: Jon\nmetadata:\n  name: j\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n"
    )
    target.write_text(text, encoding="utf-8")
    result = kubelint("check", "--fix", str(target))
    assert "fixed 1: Change kind to Job" in result.stderr, result.stderr
    assert target.read_text(encoding="utf-8") == text.replace("kind: Jon", "kind: Job")
    assert result.returncode == 1  # the syntax error is still there
