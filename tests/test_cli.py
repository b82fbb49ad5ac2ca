"""End-to-end behaviour of `kubelint check`: exit codes, output formats, options."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent


def kubelint(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kubelint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        input=stdin,
        timeout=120,
        check=False,
    )


def findings(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    payload = json.loads(result.stdout)
    found: list[dict[str, Any]] = payload["findings"]
    return found


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 1}
              colour: {type: string, enum: [red, blue]}
"""

WIDGET = """\
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  size: 0
  color: red
"""


def test_exit_codes_and_json_shape(tmp_path: Path) -> None:
    good = write(tmp_path / "good.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n")
    result = kubelint("check", "--output", "json", str(good))
    assert result.returncode == 0, result.stdout + result.stderr
    payload = json.loads(result.stdout)
    assert payload["findings"] == []
    assert payload["summary"]["objects"] == 1
    bad = write(
        tmp_path / "bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndat: {}\n"
    )
    result = kubelint("check", "--output", "json", str(bad))
    assert result.returncode == 1
    (finding,) = findings(result)
    assert {k: finding[k] for k in ("path", "line", "column", "rule", "name", "severity")} == {
        "path": str(bad),
        "line": 5,
        "column": 1,
        "rule": "KL008",
        "name": "unknown-field",
        "severity": "error",
    }
    assert finding["suggestion"] == 'did you mean "data"?'
    assert finding["field"] == "dat"
    assert finding["object"] == "v1 ConfigMap a"


@pytest.mark.parametrize(
    "args",
    [
        ["check", "does-not-exist.yaml"],
        ["check", "--kubernetes-version", "1.12", "README.md"],
        ["check", "--output", "xml", "README.md"],
        ["check", "--no-such-option", "README.md"],
        ["check"],
    ],
)
def test_usage_errors_exit_2_without_traceback(args: list[str]) -> None:
    result = kubelint(*args, cwd=REPO)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_version_and_help() -> None:
    assert kubelint("--version").stdout.startswith("kubelint ")
    assert "Check manifests" in kubelint("check", "--help").stdout


def test_human_output_is_plain_with_source_and_caret(tmp_path: Path) -> None:
    bad = write(tmp_path / "job.yaml", "apiVersion: batch/v1\nkind: Jon\nmetadata:\n  name: j\n")
    result = kubelint("check", str(bad), env={"NO_COLOR": "1"})
    assert result.returncode == 1
    assert "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if ":2:7: error KL006 unknown-kind" in line)
    assert lines[head + 1].endswith("| kind: Jon")
    assert lines[head + 2].endswith("|       ^^^")
    assert 'did you mean "Job"?' in lines[head + 3]
    assert "1 error(s)" in lines[-1]


def test_crds_in_the_run_validate_custom_resources(tmp_path: Path) -> None:
    write(tmp_path / "crd.yaml", CRD)
    write(tmp_path / "widget.yaml", WIDGET)
    found = findings(kubelint("check", "--output", "json", str(tmp_path)))
    got = sorted((Path(f["path"]).name, f["line"], f["rule"]) for f in found)
    assert got == [("widget.yaml", 6, "KL017"), ("widget.yaml", 7, "KL008")]
    unknown = next(f for f in found if f["rule"] == "KL008")
    assert unknown["suggestion"] == 'did you mean "colour"?'


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_custom_resources_see_every_crd_of_the_run_whatever_their_order(
    tmp_path: Path, jobs: str
) -> None:
    # "a-..." sorts before the CRD's file; the escaped dot hides the group from a
    # quick look at the file's apiVersions, so only the file's check can tell
    write(tmp_path / "a-widget.yaml", WIDGET)
    hidden = WIDGET.replace("apiVersion: example.com/v1", 'apiVersion: "example\\x2ecom/v1"')
    write(tmp_path / "b-hidden.yaml", hidden)
    write(tmp_path / "c-crd.yaml", CRD)
    for index in range(20):  # plain files around them
        write(
            tmp_path / f"d-{index}.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
        )
    result = kubelint("check", "--output", "json", "--jobs", jobs, str(tmp_path))
    got = sorted((Path(f["path"]).name, f["line"], f["rule"]) for f in findings(result))
    assert [g for g in got if g[2] != "KL020"] == [
        ("a-widget.yaml", 6, "KL017"),
        ("a-widget.yaml", 7, "KL008"),
        ("b-hidden.yaml", 6, "KL017"),
        ("b-hidden.yaml", 7, "KL008"),
    ]


def test_standard_input_is_read_once_when_crds_come_later(tmp_path: Path) -> None:
    crd = write(tmp_path / "crd.yaml", CRD)
    result = kubelint("check", "--output", "json", "-", str(crd), stdin=WIDGET)
    got = sorted((f["path"], f["line"], f["rule"]) for f in findings(result))
    assert got == [("-", 6, "KL017"), ("-", 7, "KL008")]


def test_crd_option_and_missing_schema(tmp_path: Path) -> None:
    crd = write(tmp_path / "crds" / "crd.yaml", CRD)
    widget = write(tmp_path / "app" / "widget.yaml", WIDGET)
    with_crd = findings(
        kubelint("check", "--output", "json", "--crd", str(crd.parent), str(widget))
    )
    assert {f["rule"] for f in with_crd} == {"KL017", "KL008"}
    without = kubelint("check", "--output", "json", str(widget))
    assert [f["rule"] for f in findings(without)] == ["KL018"]
    assert without.returncode == 0  # a warning only
    silenced = kubelint("check", "--output", "json", "--ignore-missing-schemas", str(widget))
    assert findings(silenced) == []


def test_kubernetes_version_selects_schemas_and_removals(tmp_path: Path) -> None:
    flow = write(
        tmp_path / "flow.yaml",
        """\
apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: PriorityLevelConfiguration
metadata:
  name: p
spec:
  type: Exempt
""",
    )
    assert kubelint("check", "-k", "1.30", str(flow)).returncode == 0
    newest = findings(kubelint("check", "--output", "json", str(flow)))
    assert [f["rule"] for f in newest] == ["KL007"]
    assert "1.32" in newest[0]["message"]
    old = write(
        tmp_path / "old.yaml",
        "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: d\n",
    )
    (removed,) = findings(kubelint("check", "--output", "json", str(old)))
    assert (removed["rule"], removed["line"], removed["column"]) == ("KL007", 1, 13)
    assert "1.16" in removed["message"]
    assert "apps/v1" in removed["suggestion"]


def test_kustomize_patches_need_no_required_fields(tmp_path: Path) -> None:
    write(tmp_path / "kustomization.yaml", "resources: []\npatches:\n- path: patch.yaml\n")
    write(
        tmp_path / "patch.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
        "  name: web\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n"
        "      - name: web\n        imagePullPolicy: always\n",
    )
    result = kubelint("check", "--output", "json", str(tmp_path))
    got = [(f["rule"], f["line"]) for f in findings(result)]
    assert got == [("KL011", 11)]  # what it contains is checked; what it lacks is not
    assert json.loads(result.stdout)["summary"]["skipped"] == {"not-kubernetes": 1}


def test_exported_objects_and_duplicates(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
    write(
        tmp_path / "b.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
        "  namespace: default\n  resourceVersion: '12'\n",
    )
    found = findings(kubelint("check", "--output", "json", str(tmp_path)))
    got = sorted((Path(f["path"]).name, f["line"], f["rule"]) for f in found)
    assert got == [("b.yaml", 4, "KL020"), ("b.yaml", 6, "KL019")]


def test_cluster_scoped_objects_ignore_the_namespace(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n")
    write(
        tmp_path / "b.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  namespace: other\n",
    )
    found = findings(kubelint("check", "--output", "json", "-n", "x", str(tmp_path)))
    assert [f["rule"] for f in found] == ["KL020"]


def test_parallel_run_matches_serial(tmp_path: Path) -> None:
    for index in range(40):
        write(
            tmp_path / f"f{index:02}.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
            f"  name: c{index % 30}\ndata:\n  k: {index}\n",
        )
    serial = kubelint("check", "--output", "json", "-j", "1", str(tmp_path)).stdout
    parallel = kubelint("check", "--output", "json", "-j", "2", str(tmp_path)).stdout
    assert serial == parallel
    assert json.loads(serial)["summary"]["errors"] == 40  # data values must be strings


def test_standard_input(tmp_path: Path) -> None:
    result = kubelint(
        "check",
        "--output",
        "json",
        "-",
        stdin="apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: {}\n",
    )
    (finding,) = findings(result)
    assert (finding["path"], finding["line"], finding["rule"]) == ("-", 6, "KL009")


# ---------------------------------------------------------------------------------------
# The catalogue: kubelint rules and kubelint explain, the apply rejections included


def test_explain_an_apply_rejection_by_code_or_slug() -> None:
    result = kubelint("explain", "KA002")
    assert result.returncode == 0, result.stderr
    page = result.stdout
    assert page.startswith("# KA002 immutable-field\n")
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert f"\n{heading}\n" in page
    assert "Reported by `kubelint apply`" in page
    assert "Not a `kubelint check` rule" in page
    assert "# live\n" in page  # the example is a manifest against its live object
    assert kubelint("explain", "immutable-field").stdout == page
    assert kubelint("explain", "ka002").stdout == page


def test_explain_a_check_rule_is_unchanged_by_the_apply_rejections() -> None:
    page = kubelint("explain", "KL002").stdout
    assert page.startswith("# KL002 duplicate-key\n")
    assert "Default severity: **error**. Applies to: all kinds." in page
    assert "kubelint apply" not in page


def test_explain_suggests_the_nearest_name_among_both_catalogues() -> None:
    result = kubelint("explain", "immutable-feild")
    assert result.returncode == 2
    assert 'no rule "immutable-feild"; did you mean "immutable-field"?' in result.stderr


def test_rules_lists_the_apply_rejections_under_their_own_heading() -> None:
    result = kubelint("rules")
    assert result.returncode == 0, result.stderr
    checks, heading, rejections = result.stdout.partition(
        "\nApply rejections (kubelint apply), not selectable in kubelint check:\n"
    )
    assert heading, result.stdout
    assert checks.startswith("KL001  yaml-syntax ")
    assert "KA0" not in checks
    codes = [line.split()[:2] for line in rejections.splitlines()]
    assert codes == [
        ["KA001", "annotations-too-large"],
        ["KA002", "immutable-field"],
        ["KA003", "immutable-object"],
        ["KA004", "namespace-mismatch"],
        ["KA005", "patch-not-mergeable"],
        ["KA006", "api-not-served"],
    ]


@pytest.mark.parametrize("entry", ["KA002", "immutable-field", "KA"])
def test_check_cannot_select_or_ignore_an_apply_rejection(entry: str) -> None:
    result = kubelint("check", "--ignore", entry, "examples/web.yaml", cwd=REPO)
    assert result.returncode == 2
    assert f'"{entry}" names an apply rejection' in result.stderr
    assert "Traceback" not in result.stderr
