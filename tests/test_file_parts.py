"""Big files: cut into parts of whole documents, checked apart (on the workers), merged
into the findings of the file checked whole; limits beyond which a finding replaces the check."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from conftest import app, run_kubelint
from kubelint.load.sources import SourceFile
from kubelint.report.model import Finding
from kubelint.run import parts as file_parts
from kubelint.run import passes
from kubelint.run.context import CheckOptions
from kubelint.schema.store import latest_version

#: Documents that exercise what may cross parts: a broken document, duplicates of objects
#: of other parts, suppressions by line and for the whole file, an object's ignore list.
ODDITIES = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: app1-settings
data:
  key: value
---
apiVersion: v1
kind: Service
metadata: {name: broken
---
apiVersion: v1
kind: Pod
metadata:
  name: quiet
  annotations:
    kubelint.io/ignore: KL040
spec:
  containers:
  - name: c
    image: busybox  # kubelint: disable=KL034
---
# kubelint: disable-file=KL041
apiVersion: v1
kind: Secret
metadata:
  name: s
stringData:
  enabled: yes
"""


def _manifest(apps: int) -> str:
    # half the Services select their pods (and miss their port), half miss them
    documents = [
        app(f"app{i}", selects=None if i % 2 else f"ap{i}", config=f"app{i}-setings", port="htp")
        for i in range(apps)
    ]
    documents.insert(apps // 2, ODDITIES)
    documents.append(ODDITIES.replace("name: quiet", "name: quiet2"))
    return "---\n".join(documents)


def _run(path: Path, jobs: int) -> tuple[list[Finding], list[Finding], int, int]:
    options = CheckOptions(latest_version(), jobs=jobs)
    result = passes.run([SourceFile(str(path), str(path))], options)
    return result.findings, result.suppressed, result.documents, result.objects


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of about 3 kB: a test file of some 40 kB is cut in a dozen parts."""
    monkeypatch.setattr(file_parts, "PART_BYTES", 3_000)
    monkeypatch.setattr(file_parts, "SPLIT_BYTES", 6_000)


def test_the_parts_of_a_file_give_the_findings_of_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(_manifest(60))
    whole = _run(path, jobs=1)
    assert {f.rule for f in whole[0]} >= {"KL001", "KL003", "KL020", "KL060", "KL061", "KL066"}
    assert {f.rule for f in whole[1]} >= {"KL034", "KL040", "KL041"}
    monkeypatch.setattr(file_parts, "PART_BYTES", 3_000)
    monkeypatch.setattr(file_parts, "SPLIT_BYTES", 6_000)
    data = path.read_bytes()
    assert len(file_parts.cut(SourceFile(str(path), str(path)), data)) > 10
    assert _run(path, jobs=1) == whole
    assert _run(path, jobs=2) == whole  # the parts spread over the workers


def test_parts_begin_at_document_markers_and_count_lines(small_parts: None) -> None:
    data = _manifest(30).encode()
    source = SourceFile("f.yaml", "f.yaml")
    parts = file_parts.cut(source, data)
    assert len(parts) > 3
    assert parts[0].start == 0
    assert parts[-1].end == len(data)
    for before, part in itertools.pairwise(parts):
        assert before.end == part.start
        assert data[part.start : part.start + 4] == b"---\n"
        assert part.first_line == data.count(b"\n", 0, part.start)


@pytest.mark.parametrize(
    "twist",
    [
        b"%YAML 1.1\n---\n",  # a directive belongs to the next document
        b"image: {{ .Values.image }}\n---\n",  # a template
        b"a: 1\rb: 2\n---\n",  # a line break that a newline count misses
        "a: \u2028\n---\n".encode(),
    ],
)
def test_files_that_parts_would_read_differently_are_checked_whole(
    small_parts: None, twist: bytes
) -> None:
    data = twist + _manifest(10).encode()
    assert file_parts.cut(SourceFile("f.yaml", "f.yaml"), data) == [
        file_parts.FilePart(SourceFile("f.yaml", "f.yaml"), 0, len(data), 0)
    ]


def test_a_big_template_is_skipped_as_a_whole(small_parts: None, tmp_path: Path) -> None:
    path = tmp_path / "chart.yaml"
    path.write_text("image: {{ .Values.image }}\n---\n" + _manifest(20))
    assert [f.rule for f in _run(path, jobs=1)[0]] == ["KL021"]


def test_a_big_file_without_objects_is_checked_whole(small_parts: None, tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("---\n".join(f"key{i}: [1, 2, 3]\nother: {{a: b}}\n" for i in range(800)))
    findings, _, documents, objects = _run(path, jobs=1)
    assert (findings, documents, objects) == ([], 800, 0)


def test_a_file_over_the_size_limit_gets_a_finding_instead_of_a_check(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(_manifest(1600))  # about 1.1 MB
    options = CheckOptions(latest_version(), jobs=1, max_file_mb=1)
    result = passes.run([SourceFile(str(path), str(path))], options)
    (finding,) = result.findings
    assert (finding.rule, finding.name, finding.line) == ("KL028", "file-too-large", 1)
    assert "over the limit of 1 MB" in finding.message
    assert result.skipped["too-large"] == 1
    assert result.documents == 0


def test_a_file_over_the_document_limit_gets_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(_manifest(3))
    options = CheckOptions(latest_version(), jobs=1, max_documents=5)
    (finding,) = passes.run([SourceFile(str(path), str(path))], options).findings
    assert finding.rule == "KL028"
    assert "documents" in finding.message


def test_limits_from_the_command_line_and_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "many.yaml").write_text(_manifest(3))
    run = run_kubelint("check", "-o", "json", "--max-documents", "5", "many.yaml", cwd=tmp_path)
    assert [f["rule"] for f in json.loads(run.stdout)["findings"]] == ["KL028"]
    (tmp_path / ".kubelint.yaml").write_text("max-documents: 0\n")
    run = run_kubelint("check", "many.yaml", cwd=tmp_path)
    assert run.code == 2
    assert "max-documents must be at least 1" in run.stderr
