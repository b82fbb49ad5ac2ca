"""The ``kubelint apply`` command: inputs, matching, outputs and exit codes."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kubelint.apply.command import apply_command
from kubelint.apply.model import Outcome
from kubelint.apply.render import render_human
from kubelint.load.objects import LAST_APPLIED

SCENARIOS = Path(__file__).resolve().parent / "fixtures" / "apply"


def invoke(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(apply_command, [str(a) for a in args], env=env)


def as_json(*args: str | Path) -> tuple[int, list[dict[str, Any]]]:
    result = invoke(*args, "--output", "json")
    return result.exit_code, json.loads(result.output)


def scenario(name: str) -> tuple[Path, Path]:
    return SCENARIOS / name / "live.yaml", SCENARIOS / name / "manifest.yaml"


def test_json_entry_of_a_patch() -> None:
    live, manifest = scenario("02-set-image-then-apply")
    code, entries = as_json("--live", live, manifest)
    assert code == 0
    [entry] = entries
    assert entry["object"] == "apps/v1 Deployment default/web"
    assert entry["operation"] == "patch"
    assert entry["patchType"] == "strategic"
    pod_patch = entry["patch"]["spec"]["template"]["spec"]
    assert pod_patch["containers"] == [{"image": "nginx:1.25", "name": "web"}]
    assert entry["result"]["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.25"
    assert entry["result"]["spec"]["replicas"] == 3
    assert entry["warnings"] == []
    assert any(
        n.startswith("overwrites spec.template.spec.containers[name=web].image")
        for n in entry["notes"]
    )


def test_create_without_live_state() -> None:
    _, manifest = scenario("32-create-configmap-no-annotations")
    code, entries = as_json(manifest)
    assert code == 0
    [entry] = entries
    assert entry["operation"] == "create"
    assert entry["patch"] is None
    annotation = entry["result"]["metadata"]["annotations"][LAST_APPLIED]
    assert annotation.endswith("}\n")
    assert '"annotations":{}' in annotation
    assert '"namespace":"default"' in annotation
    assert json.loads(annotation)["metadata"]["namespace"] == "default"


def test_unchanged_object() -> None:
    live, manifest = scenario("17-unchanged")
    code, entries = as_json("--live", live, manifest)
    assert code == 0
    assert [(e["operation"], e["patch"]) for e in entries] == [("unchanged", {})]


def test_live_list_and_directories(tmp_path: Path) -> None:
    live, manifest = scenario("39-multi-document")
    (tmp_path / "live").mkdir()
    (tmp_path / "manifests").mkdir()
    shutil.copy(live, tmp_path / "live" / "state.yaml")
    shutil.copy(manifest, tmp_path / "manifests" / "app.yaml")
    code, entries = as_json("--live", tmp_path / "live", tmp_path / "manifests")
    assert code == 0
    assert [(e["object"], e["operation"]) for e in entries] == [
        ("apps/v1 Deployment default/web", "patch"),
        ("v1 Service default/web", "unchanged"),
    ]


def test_several_live_files_and_a_namespace_option(tmp_path: Path) -> None:
    live_a, manifest_a = scenario("01-image-change")
    live_b, manifest_b = scenario("29-configmap-data")
    code, entries = as_json("--live", live_a, "--live", live_b, manifest_a, manifest_b)
    assert code == 0
    assert [e["operation"] for e in entries] == ["patch", "patch"]
    # in another namespace, nothing matches the Deployment: it becomes a create there
    code, entries = as_json("-n", "staging", "--live", live_a, manifest_a)
    assert [(e["object"], e["operation"]) for e in entries] == [
        ("apps/v1 Deployment staging/web", "create")
    ]


def test_warning_for_live_object_without_annotation() -> None:
    live, manifest = scenario("16-live-without-annotation")
    code, entries = as_json("--live", live, manifest)
    assert code == 0
    [entry] = entries
    assert any("annotation" in w for w in entry["warnings"])
    # nothing is deleted: args stay although the manifest dropped them
    container = entry["result"]["spec"]["template"]["spec"]["containers"][0]
    assert container["args"] == ["--port", "8080"]


def test_service_port_trap_is_a_warning() -> None:
    live, manifest = scenario("26-service-port-53-trap")
    _, entries = as_json("--live", live, manifest)
    [entry] = entries
    assert entry["result"]["spec"]["ports"] == []
    assert any("the result has no port 53" in w for w in entry["warnings"])


def test_custom_resource_gets_a_merge_patch() -> None:
    live, manifest = scenario("35-custom-resource-merge-patch")
    _, entries = as_json("--live", live, manifest)
    [entry] = entries
    assert entry["patchType"] == "merge"
    assert entry["patch"]["spec"]["options"] == {"timeout": None}


def test_human_output_is_a_plain_diff_when_not_a_terminal() -> None:
    live, manifest = scenario("02-set-image-then-apply")
    result = invoke("--live", live, manifest)
    assert result.exit_code == 0
    text = result.output
    assert "\x1b[" not in text
    assert "apps/v1 Deployment default/web: would be configured" in text
    assert "--- live\n+++ result\n" in text
    assert "-  replicas: 2\n+  replicas: 3\n" in text
    assert "-        image: nginx:1.27\n+        image: nginx:1.25\n" in text
    assert LAST_APPLIED not in text  # the annotation is noted, not diffed


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _outcomes(name: str) -> list[Outcome]:
    from kubelint.apply.client_side.simulate import apply_all
    from kubelint.apply.command import read_objects
    from kubelint.schema.store import latest_version, schemas_for

    live, manifest = scenario(name)
    outcomes, _ = apply_all(
        read_objects([str(manifest)]), read_objects([str(live)]), schemas_for(latest_version())
    )
    return outcomes


def test_human_output_is_coloured_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    stream = _Terminal()
    render_human(_outcomes("01-image-change"), [], stream)
    assert "\x1b[32m+" in stream.getvalue()
    assert "\x1b[31m-" in stream.getvalue()


def test_no_color_turns_colour_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    stream = _Terminal()
    render_human(_outcomes("01-image-change"), [], stream)
    assert "\x1b[" not in stream.getvalue()


def test_kubectl_failure_exits_1() -> None:
    live = SCENARIOS / "errors" / "container-without-name" / "live.yaml"
    manifest = SCENARIOS / "errors" / "container-without-name" / "manifest.yaml"
    code, entries = as_json("--live", live, manifest)
    assert code == 1
    assert entries[0]["operation"] == "error"
    assert "merge key" in entries[0]["error"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert invoke(tmp_path / "missing.yaml").exit_code == 2
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"kind: \xff\n")
    result = invoke(binary)
    assert result.exit_code == 2
    assert "binary.yaml:" in result.output
    _, manifest = scenario("01-image-change")
    assert invoke("--kubernetes-version", "1.2", manifest).exit_code == 2


def test_a_file_that_is_not_yaml_stops_as_kubectl_stops(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: [unclosed\n", encoding="utf-8")
    result = invoke(broken)
    assert result.exit_code == 1
    assert (
        f"broken.yaml:2:1: error parsing {broken}: error converting YAML to JSON: "
        "yaml: line 1: did not find expected ',' or ']'"
    ) in result.output


def test_older_kubernetes_version_is_accepted() -> None:
    live, manifest = scenario("12-volume-source-retainkeys")
    code, entries = as_json("--kubernetes-version", "v1.30.2", "--live", live, manifest)
    assert code == 0
    volume_patch = entries[0]["patch"]["spec"]["template"]["spec"]["volumes"][0]
    assert volume_patch["$retainKeys"] == ["name", "secret"]


def test_a_crd_that_names_no_served_version_refuses_nothing(tmp_path: Path) -> None:
    """A CRD without ``versions`` (a fragment, an old v1beta1 draft) says nothing about
    which versions are served: the custom resource is applied, not refused."""
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        "metadata: {name: pools.acme.example.com}\n"
        "spec: {group: acme.example.com, scope: Namespaced, names: {kind: Pool, plural: pools}}\n"
        "---\napiVersion: acme.example.com/v1\nkind: Pool\nmetadata: {name: p}\nspec: {size: 1}\n",
        encoding="utf-8",
    )
    code, entries = as_json(manifest)
    assert code == 0, entries
    assert [e["operation"] for e in entries] == ["create", "create"]
