"""``kubelint apply`` on the recorded reproductions of ``../shared/repros`` (skipped without
them), and the command-line behaviour they describe, on self-contained fixtures.

Each ``repros/apply/<case>/expected/`` holds what kubectl 1.37.1 did: the patch or the
created object, byte for byte, and ``expect`` names the outcome.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, run_kubelint
from kubelint.apply.values import from_json_text, go_json

#: ``expect`` of a reproduction -> kubelint's operation for its (first) object.
OPERATIONS = {
    "created": "create",
    "unchanged": "unchanged",
    "patched": "patch",
    "patch-rejected": "patch",
}


def repro_cases(shared: Path) -> list[Path]:
    return sorted(p for p in (shared / "repros" / "apply").iterdir() if (p / "expect").is_file())


def test_apply_repros_match_kubectl(shared_dir: Path) -> None:
    cases = repro_cases(shared_dir)
    assert cases
    for case in cases:
        expect = (case / "expect").read_text(encoding="utf-8").strip()
        args = ["apply", "--output", "json", str(case / "manifest.yaml")]
        if (case / "live.yaml").is_file():
            args[1:1] = ["--live", str(case / "live.yaml")]
        run = run_kubelint(*args)
        assert not run.has_traceback(), run.describe()
        if expect == "kubectl-failed":
            assert run.code == 1, run.describe()
            said = (case / "kubectl-apply-stderr.txt").read_text(encoding="utf-8").strip()
            assert said.partition("json: ")[2] in run.stderr
            continue
        entry = run.output[0]
        assert entry["operation"] == OPERATIONS[expect], case.name
        expected = case / "expected"
        if (expected / "patch.json").is_file():
            sent = (expected / "patch.json").read_text(encoding="utf-8").strip()
            assert go_json(entry["patch"]) == go_json(from_json_text(sent)), case.name
        if (expected / "created.json").is_file():
            sent = (expected / "created.json").read_text(encoding="utf-8").strip()
            assert go_json(entry["result"]) == go_json(from_json_text(sent)), case.name
        refused = expect == "patch-rejected"
        assert run.code == (1 if refused or entry["findings"] else 0), run.describe()


def test_numbers_are_written_as_go_writes_them() -> None:
    scenario = FIXTURES / "apply" / "62-custom-resource-big-numbers"
    run = run_kubelint(
        "apply", "--output", "json", "--live", scenario / "live.yaml", scenario / "manifest.yaml"
    )
    assert run.code == 0, run.describe()
    assert '"small": 1.5e-7' in run.stdout
    assert '"maxUint": 18446744073709552000' in run.stdout
    assert '"nanos": 1733500000123456800' in run.stdout


def test_human_output_names_the_patch_types() -> None:
    merge = FIXTURES / "apply" / "63-custom-resource-nanoseconds"
    run = run_kubelint("apply", "--live", merge / "live.yaml", merge / "manifest.yaml")
    assert "(JSON merge patch)" in run.stdout
    assert "merge merge" not in run.stdout


def test_cluster_scoped_namespace_is_noted() -> None:
    scenario = FIXTURES / "apply" / "58-clusterrole-namespace-create"
    run = run_kubelint("apply", "--output", "json", scenario / "manifest.yaml")
    notes = run.output[0]["notes"]
    assert any('ignores metadata.namespace "monitoring"' in n for n in notes)
    assert "namespace" not in run.output[0]["result"]["metadata"]


def test_duplicate_keys_are_read_and_warned() -> None:
    scenario = FIXTURES / "apply" / "69-duplicate-keys-several-levels"
    run = run_kubelint(
        "apply", "--output", "json", "--live", scenario / "live.yaml", scenario / "manifest.yaml"
    )
    assert run.code == 0, run.describe()
    assert [e["operation"] for e in run.output] == ["patch", "create"]
    warned = [w for w in run.output[0]["warnings"] if "duplicate key" in w]
    assert len(warned) == 3
    assert run.output[0]["result"]["spec"]["replicas"] == 2


@pytest.mark.parametrize(
    ("name", "position"),
    [
        ("inf-value-second-document", ":11:8:"),
        ("nan-annotation", ":6:8:"),
        ("invalid-document-separator", ":10:1:"),
    ],
)
def test_kubectl_stops_reading_the_file(name: str, position: str) -> None:
    manifest = FIXTURES / "apply" / "errors" / name / "manifest.yaml"
    run = run_kubelint("apply", "--output", "json", manifest)
    assert run.code == 1, run.describe()
    assert not run.has_traceback()
    assert position + " error parsing " in run.stderr


def test_live_list_with_a_scalar_item(tmp_path: Path) -> None:
    live = tmp_path / "live.yaml"
    live.write_text("apiVersion: v1\nkind: List\nitems:\n- 1\n- [a]\n", encoding="utf-8")
    manifest = FIXTURES / "apply" / "32-create-configmap-no-annotations" / "manifest.yaml"
    for extra in ([], ["--server-side"]):
        run = run_kubelint("apply", *extra, "--live", live, manifest)
        assert not run.has_traceback(), run.describe()
        assert run.code == 1
        assert "live.yaml:4:3: a live object must be a mapping, not a number" in run.stdout
        assert "live.yaml:5:3: a live object must be a mapping, not a list" in run.stdout


def test_check_ignores_the_namespace_of_cluster_scoped_objects(tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n"
        "  name: reader\n  namespace: Not_A_Namespace\n---\n"
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n"
        "  name: reader\n  namespace: Not_A_Namespace\n",
        encoding="utf-8",
    )
    run = run_kubelint("check", "--output", "json", path)
    names = [f for f in run.findings if f["rule"] == "KL013"]
    assert [f["line"] for f in names] == [11]
