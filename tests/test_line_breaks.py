"""Every line and column agrees with the YAML parser, whatever line breaks the file has.

YAML breaks lines at \\r\\n, \\r, U+0085, U+2028 and U+2029 as well as \\n. Positions of
findings, source excerpts, inline suppressions, fixes and diffs must all count lines the
way the parser does, or a fix edits the wrong line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import run_kubelint
from kubelint.apply.render import render_finding
from kubelint.load.documents import decode, load_text, ruamel_backend
from kubelint.load.lines import split_lines
from kubelint.report.model import Finding, Severity

BREAKS = {"lf": "\n", "crlf": "\r\n", "cr": "\r", "nel": "\x85", "ls": "\u2028", "ps": "\u2029"}
IDS = list(BREAKS)

POD = [
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    "  name: p",
    "  annotations:",
    '    note: "first{brk}second"',
    "spec:",
    "  containers:",
    "  - name: c",
    "    image: nginx:1.27",
    "    imagePullPolicy: always",
    "    #                alw",
]


def pod(brk: str, every: str = "\n") -> str:
    """The pod with ``brk`` inside a quoted annotation and ``every`` between lines."""
    return every.join(line.replace("{brk}", brk) for line in POD) + every


def parser_mark(text: str, key: str) -> tuple[int, int]:
    """Where the parser puts the value of the first ``key`` (0-based line, column)."""
    events = yaml.parse(text, Loader=yaml.CSafeLoader)
    scalars = [e for e in events if isinstance(e, yaml.ScalarEvent)]
    index = next(i for i, e in enumerate(scalars) if e.value == key)
    value = scalars[index + 1]
    return value.start_mark.line, value.start_mark.column


@pytest.mark.parametrize("brk", BREAKS.values(), ids=IDS)
def test_finding_positions_agree_with_the_parser(tmp_path: Path, brk: str) -> None:
    text = pod(brk)
    target = tmp_path / "pod.yaml"
    target.write_text(text, encoding="utf-8", newline="")
    run = run_kubelint("check", "--output", "json", str(target))
    (finding,) = [f for f in run.findings if f["rule"] == "KL011"]
    assert (finding["line"] - 1, finding["column"] - 1) == parser_mark(text, "imagePullPolicy")
    line = split_lines(text)[finding["line"] - 1]
    assert line[finding["column"] - 1 : finding["end_column"] - 1] == "always"


@pytest.mark.parametrize("brk", BREAKS.values(), ids=IDS)
def test_fix_edits_the_token_the_parser_read(tmp_path: Path, brk: str) -> None:
    text = pod(brk)
    target = tmp_path / "pod.yaml"
    target.write_text(text, encoding="utf-8", newline="")
    run = run_kubelint("check", "--fix", str(target))
    assert "Change always to Always" in run.stderr, run.describe()
    expected = text.replace("imagePullPolicy: always", "imagePullPolicy: Always")
    assert target.read_bytes() == expected.encode("utf-8")


@pytest.mark.parametrize("brk", BREAKS.values(), ids=IDS)
def test_a_file_broken_only_by_one_kind_of_break_is_fixed_byte_for_byte(
    tmp_path: Path, brk: str
) -> None:
    text = pod(" ", every=brk).replace("    imagePullPolicy", "    imagPullPolicy")
    target = tmp_path / "pod.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    run = run_kubelint("check", "--fix", str(target))
    assert "fixed 2" in run.stderr, run.describe()
    expected = text.replace("imagPullPolicy: always", "imagePullPolicy: Always")
    assert target.read_bytes() == b"\xef\xbb\xbf" + expected.encode("utf-8")


@pytest.mark.parametrize("brk", BREAKS.values(), ids=IDS)
def test_excerpt_and_diff_show_the_right_line(tmp_path: Path, brk: str) -> None:
    target = tmp_path / "pod.yaml"
    target.write_text(pod(brk), encoding="utf-8", newline="")
    human = run_kubelint("check", str(target))
    assert "   12 |     imagePullPolicy: always\n" in human.stdout, human.describe()
    diff = run_kubelint("check", "--diff", str(target))
    assert "-    imagePullPolicy: always\n" in diff.stdout, diff.describe()
    assert "+    imagePullPolicy: Always\n" in diff.stdout


@pytest.mark.parametrize("brk", BREAKS.values(), ids=IDS)
def test_inline_suppressions_are_numbered_like_findings(tmp_path: Path, brk: str) -> None:
    text = pod(brk).replace(
        "    imagePullPolicy", "    # kubelint: disable-next-line=KL011\n    imagePullPolicy"
    )
    target = tmp_path / "pod.yaml"
    target.write_text(text, encoding="utf-8", newline="")
    run = run_kubelint("check", "--output", "json", "--show-suppressed", str(target))
    assert not [f for f in run.findings if f["rule"] == "KL011"], run.describe()


@pytest.mark.parametrize("brk", BREAKS.values(), ids=IDS)
def test_apply_excerpts_count_lines_like_the_parser(tmp_path: Path, brk: str) -> None:
    target = tmp_path / "pod.yaml"
    target.write_text(pod(brk), encoding="utf-8", newline="")
    finding = Finding(str(target), 12, 22, "KA001", "x", Severity.ERROR, "m")
    shown = render_finding(finding, lambda text, **_: text, {})
    assert "   12 |     imagePullPolicy: always\n" in shown


@pytest.mark.parametrize("backend", ["libyaml", "ruamel"])
def test_unreadable_character_is_placed_like_a_parser_mark(backend: str) -> None:
    text = 'a: "é😀\u2028b"\nc: \x07\n'
    loaded = load_text(text, None if backend == "libyaml" else ruamel_backend())
    (problem,) = loaded.problems
    assert problem.mark == (2, 3)


def test_decode_errors_are_placed_like_parser_marks() -> None:
    _, problem = decode('a: "é\u2028x"\nb: '.encode() + b"\xff\n")
    assert problem is not None
    assert problem.mark == (2, 3)
    _, problem = decode("a: 1\rb: 2\x85c: \x00".encode())
    assert problem is not None
    assert problem.mark == (2, 3)


@pytest.mark.parametrize("brk", BREAKS.values(), ids=IDS)
def test_a_broken_document_spares_the_others_with_any_break(brk: str) -> None:
    lines = ["a: 1", "---", "b: [1", "---", "c: 3", ""]
    loaded = load_text(brk.join(lines))
    expected = load_text("\n".join(lines))
    assert [d.value for d in loaded.documents] == [{"a": 1}, {"c": 3}]
    assert [d.start_mark for d in loaded.documents] == [d.start_mark for d in expected.documents]
    assert [p.mark for p in loaded.problems] == [p.mark for p in expected.problems] != []


def test_embedded_json_errors_count_lines_like_the_file(tmp_path: Path) -> None:
    target = tmp_path / "cm.yaml"
    target.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
        '  settings.json: |\n    {"a": "x\u2028    y",\n     "b": oops}\n',
        encoding="utf-8",
    )
    run = run_kubelint("check", "--output", "json", str(target))
    (finding,) = [f for f in run.findings if f["rule"] == "KL070"]
    assert "at line 9:" in finding["message"], finding


@pytest.mark.parametrize("brk", BREAKS.values(), ids=IDS)
def test_apply_read_errors_count_lines_like_the_parser(brk: str) -> None:
    from kubelint.apply.read.manifests import read_file

    first = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n"
    first += f'    note: "x{brk}y"\n---\n'
    second = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  max: .inf\n"
    text = first + second
    read = read_file("m.yaml", text)
    assert read.stopped is not None
    assert read.stopped.startswith(f"m.yaml:{parser_mark(text, 'max')[0] + 1}:8: ")
    assert [o.source for o in read.objects] == ["m.yaml:1"]
