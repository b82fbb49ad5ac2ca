"""The server's workspace: settings as the CLI builds them, the folder index, findings across files.

In process, no client: a :class:`Project` is checked the way the server drives it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from kubelint.lsp.workspace import Projects, load_settings
from kubelint.schema import store as schema_store

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
"""


def test_settings_follow_the_configuration(tmp_path: Path) -> None:
    (tmp_path / ".kubelint.yaml").write_text(
        "kubernetes-version: v1.30.2\nnamespace: shop\nignore: [KL034]\n"
        "severity: {KL030: error}\nstrict-refs: true\n",
        encoding="utf-8",
    )
    settings = load_settings(tmp_path)
    assert settings.error is None
    assert settings.config_path == tmp_path / ".kubelint.yaml"
    options = settings.options
    assert options.kubernetes_version == "1.30"
    assert options.namespace == "shop"
    assert options.strict_refs
    assert options.policy is not None
    assert "KL034" not in options.policy.enabled
    assert options.policy.severities["KL030"].label == "error"
    assert not settings.is_stale()
    (tmp_path / ".kubelint.yaml").write_text("ignore: [KL035]\n", encoding="utf-8")
    os.utime(tmp_path / ".kubelint.yaml", ns=(1, 1))
    assert settings.is_stale()


@pytest.mark.parametrize(
    ("config", "wrong"),
    [
        ("selct: [KL001]\n", 'did you mean "select"'),
        ("kubernetes-version: '1.99'\n", "not a bundled version"),
        ("ignore: [KL999]\n", "names no rule"),
    ],
)
def test_an_unusable_configuration_falls_back_to_the_defaults(
    tmp_path: Path, config: str, wrong: str
) -> None:
    (tmp_path / ".kubelint.yaml").write_text(config, encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.error is not None
    assert wrong in settings.error
    assert settings.options.kubernetes_version in schema_store.available_versions()


def test_buffers_replace_files_in_findings_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(DEPLOYMENT, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(DEPLOYMENT, encoding="utf-8")
    projects = Projects()
    projects.set_folders([tmp_path])
    a, b = str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")
    project, fresh = projects.project_for(b)
    assert fresh
    assert project.refresh() == {a, b}
    assert [f.rule for f in project.findings(b) if f.rule == "KL020"] == ["KL020"]
    assert not [f for f in project.findings(a) if f.rule == "KL020"]
    # the open buffer of b renames its Deployment: the duplicate is gone, a is unchanged
    changed = project.update_buffer(b, DEPLOYMENT.replace("name: web\n", "name: api\n", 1))
    assert b in changed
    assert not [f for f in project.findings(b) if f.rule == "KL020"]
    # closing the buffer brings back the file on disk, and its duplicate
    project.close_buffer(b)
    assert [f.rule for f in project.findings(b) if f.rule == "KL020"] == ["KL020"]
    # a deleted file leaves the index; the next refresh reports it as changed
    os.remove(a)
    assert a in project.refresh()
    assert not project.contains(a)
    assert not [f for f in project.findings(b) if f.rule == "KL020"]


def test_custom_resources_use_the_crds_of_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "folder"
    shutil.copytree(FIXTURES / "rules" / "KL060", root)
    projects = Projects()
    projects.set_folders([root])
    project = projects.folder_project(root)
    project.refresh()
    assert project.context.crds.get("example.com/v1", "Widget") is not None
    widgets = [loc for loc in project.locations() if "kind: Widget" in Path(loc).read_text()]
    assert widgets
    for location in project.locations():  # no "no schema" for the Widgets
        assert not [f for f in project.findings(location) if f.rule == "KL018"], location


def test_loose_files_are_checked_as_the_cli_checks_them(tmp_path: Path) -> None:
    loose = tmp_path / "loose.yaml"
    loose.write_text(DEPLOYMENT + "---\n" + DEPLOYMENT, encoding="utf-8")
    projects = Projects()
    projects.set_folders([tmp_path / "elsewhere"])
    project, _ = projects.project_for(str(loose))
    assert not project.folder
    assert project.refresh() == set()  # nothing to index
    project.update_buffer(str(loose), loose.read_text(encoding="utf-8"))
    findings = project.findings(str(loose))
    assert [f.rule for f in findings if f.rule == "KL020"] == ["KL020"]  # within the file
    assert {f.path for f in findings} == {"loose.yaml"}


def test_a_buffer_with_a_lone_surrogate_is_checked(tmp_path: Path) -> None:
    """A client may send ``\\ud800`` in JSON: no character, but no failure either."""
    projects = Projects()
    projects.set_folders([tmp_path])
    location = str(tmp_path / "a.yaml")
    project, _ = projects.project_for(location)
    project.update_buffer(location, DEPLOYMENT.replace("nginx", "nginx\ud800"))
    rules = {f.rule for f in project.findings(location)}
    assert "KL029" not in rules
    assert "KL030" in rules  # the Deployment was checked
