"""Hostile, odd and broken input: kubelint answers with findings, never with a traceback.

Every case must finish in bounded time (the runner fails a run after 60 s), exit 0 or 1,
print a JSON report, and either report the problem with a 1-based position or count the
document as skipped. The pathological files are generated in a temporary directory.

Ordinary odd files are grouped into two directory runs (one expected clean, one with a
known finding per file) so that one subprocess serves many assertions; the pathological
ones (alias bombs, deep nesting) get a run each so that one hang cannot hide another.
"""

from __future__ import annotations

import codecs
import random
import re
import time
from pathlib import Path

import pytest

from conftest import (
    DEFAULT_TIMEOUT,
    KubelintRun,
    errors,
    normalise_field,
    run_kubelint,
    select,
    show,
)

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n{key}:\n"


def configmap(name: str, data: str, key: str = "data") -> str:
    """A ConfigMap whose ``data:`` block (line 5) is ``data`` (already indented, line 6 on).

    ``key`` replaces ``data`` to plant an unknown field at line 5, column 1.
    """
    return CONFIGMAP.format(name=name, key=key) + data


def check_json(*args: str, cwd: Path, stdin: str | bytes | None = None) -> KubelintRun:
    started = time.monotonic()
    run = run_kubelint("check", "--output", "json", *args, cwd=cwd, stdin=stdin)
    elapsed = time.monotonic() - started
    assert elapsed < DEFAULT_TIMEOUT, f"took {elapsed:.1f} s"
    assert not run.has_traceback(), run.describe()
    assert run.code in (0, 1), run.describe()
    assert isinstance(run.output, dict), run.describe()
    for f in run.findings:
        assert f["line"] >= 1, f
        assert f["column"] >= 1, f
    return run


# --------------------------------------------------------------------------------------
# Files that must come out clean (exit 0): nothing to check, or odd but valid YAML.

HELM_TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "chart.fullname" . }}
  labels:
    {{- include "chart.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      containers:
      - name: app
        image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
"""

CLEAN_FILES: dict[str, bytes] = {
    "empty.yaml": b"",
    "comment-only.yaml": b"# nothing here\n# still nothing\n",
    "dashes-only.yaml": b"---\n",
    "scalar.yaml": b"just a string\n",
    "list.yaml": b"- one\n- two\n",
    # Tab after a plain scalar: libyaml and kubectl accept it; the value is "value".
    "tab-after-scalar.yaml": configmap("tabbed-value", "  key: value\t\n").encode(),
    # YAML 1.1 "value" tag character: a plain string "=" for kubectl.
    "equals-value.yaml": configmap("equals", "  foo: =\n").encode(),
    "chart/templates/deployment.yaml": HELM_TEMPLATE.encode(),
    "chart/values.yaml": b'replicaCount: 1\nimage:\n  repository: nginx\n  tag: ""\n',
    "kustomize/kustomization.yaml": b"resources:\n- deployment.yaml\nnamePrefix: dev-\n",
    "kustomize-typed/kustomization.yaml": (
        b"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        b"resources:\n- ../kustomize\n"
    ),
}

#: Files with no Kubernetes object at all: no finding of any kind is expected.
SILENT = [
    "empty.yaml",
    "comment-only.yaml",
    "dashes-only.yaml",
    "scalar.yaml",
    "list.yaml",
    "chart/values.yaml",
    "kustomize/kustomization.yaml",
    "kustomize-typed/kustomization.yaml",
]


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> KubelintRun:
    root = tmp_path_factory.mktemp("clean")
    for name, data in CLEAN_FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return check_json(".", cwd=root)


def of(run: KubelintRun, name: str) -> list[dict[str, object]]:
    return select(run.findings, path=name)


def test_clean_inputs_exit_zero(clean_run: KubelintRun) -> None:
    assert clean_run.code == 0, show(clean_run.findings)
    assert not errors(clean_run.findings), show(clean_run.findings)


@pytest.mark.parametrize("name", SILENT)
def test_nothing_to_check_is_silent(clean_run: KubelintRun, name: str) -> None:
    assert not of(clean_run, name), show(of(clean_run, name))


def test_documents_without_type_meta_are_counted_as_skipped(clean_run: KubelintRun) -> None:
    skipped = clean_run.report["summary"]["skipped"]
    assert isinstance(skipped, dict), skipped
    # scalar, list, values.yaml and both kustomization.yaml files at least
    assert sum(skipped.values()) >= 5, skipped


@pytest.mark.parametrize("name", ["tab-after-scalar.yaml", "equals-value.yaml"])
def test_valid_yaml_oddities_parse(clean_run: KubelintRun, name: str) -> None:
    found = of(clean_run, name)
    assert not select(found, rule="KL001"), show(found)
    assert not errors(found), show(found)


def test_helm_template_is_skipped_with_info(clean_run: KubelintRun) -> None:
    found = of(clean_run, "chart/templates/deployment.yaml")
    helm = select(found, rule="KL021")
    assert helm, show(clean_run.findings)
    assert all(f["severity"] == "info" and f["name"] == "helm-template" for f in helm), show(helm)
    assert [f for f in found if f["rule"] != "KL021"] == [], show(found)


# --------------------------------------------------------------------------------------
# Files with one known problem each (one directory run, exit 1).

FLOW = "{apiVersion: v1, kind: ConfigMap, metadata: {name: flow}, dataa: {a: b}}\n"

LATIN1 = configmap("latin", "  a: caf").encode("ascii") + b"\xe9\n"
UTF16 = codecs.BOM_UTF16_LE + configmap("utf16", "  a: b\n", key="dataq").encode("utf-16-le")
BINARY = b"\x00\x01\x02\x00PK\x03\x04" + random.Random(20240502).randbytes(4096) + b"\x00\x00"

SYNTAX_IN_MIDDLE = (
    configmap("first", "  a: b\n")  # lines 1-6
    + "---\n"  # line 7
    + configmap("second", "  a: b: c\n")  # lines 8-13, error at 13
    + "---\n"  # line 14
    + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: third\n"  # lines 15-18
    + "  labelz:\n    a: b\n"  # line 19: unknown field
    + "data:\n  a: b\n"
)

# `dato` at line 13
DOC_END = configmap("ended", "  a: b\n") + "...\n---\n" + configmap("after", "  a: b\n", key="dato")

LIST_KIND = """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: item-one
  data:
    a: b
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: item-two
  dataz:
    a: b
"""

ENV_YES = """\
apiVersion: v1
kind: Pod
metadata:
  name: yes-pod
spec:
  containers:
  - name: app
    image: busybox:1.36
    env:
    - name: ENABLED
      value: yes
"""

# Document 2 starts after `---` (line 7) and a comment (line 8); its object is at line 9.
SECOND_DOC_NO_NAME = (
    configmap("first", "  a: b\n")
    + "---\n# no metadata\n"
    + ("apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n")
)

JSON_MANIFEST = """\
{
  "apiVersion": "v1",
  "kind": "ConfigMap",
  "metadata": {"name": "json-manifest"},
  "dta": {"a": "b"}
}
"""

BROKEN_FILES: dict[str, bytes] = {
    "latin1.yaml": LATIN1,
    "utf16-bom.yaml": UTF16,
    "binary.yaml": BINARY,
    "tab-indent.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabs\ndata:\n  a: b\n",
    "undefined-alias.yaml": configmap("alias", "  a: *nowhere\n").encode(),
    "syntax-in-middle.yaml": SYNTAX_IN_MIDDLE.encode(),
    "my manifest.yaml": configmap("spaced", "  a: b\n", key="datum").encode(),
    "manifest.json": JSON_MANIFEST.encode(),
    "doc-end.yaml": DOC_END.encode(),
    "flow.yaml": FLOW.encode(),
    "duplicate-keys.yaml": configmap("dup", "  a: one\n  b: two\n  a: three\n").encode(),
    "list-kind.yaml": LIST_KIND.encode(),
    "env-yes.yaml": ENV_YES.encode(),
    # `{{b}}` is a flow mapping used as a key: valid YAML syntax, but kubectl cannot turn it
    # into JSON ("invalid map key"). One document only.
    "collection-key.yaml": configmap("placeholder", "  a: {{b}}\n").encode(),
    "second-doc-no-name.yaml": SECOND_DOC_NO_NAME.encode(),
}


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory: pytest.TempPathFactory) -> KubelintRun:
    root = tmp_path_factory.mktemp("broken")
    for name, data in BROKEN_FILES.items():
        (root / name).write_bytes(data)
    return check_json(".", cwd=root)


def test_broken_inputs_exit_one(broken_run: KubelintRun) -> None:
    assert broken_run.code == 1, show(broken_run.findings)
    assert broken_run.report["summary"]["files"] == len(BROKEN_FILES), broken_run.report["summary"]


def only(found: list[dict[str, object]], rule: str, **where: object) -> dict[str, object]:
    hits = [f for f in select(found, rule=rule) if all(f.get(k) == v for k, v in where.items())]
    assert hits, f"expected {rule} {where or ''}; got:\n{show(found)}"
    return hits[0]


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def test_human_output_has_no_control_characters(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("broken-human")
    for name in ("binary.yaml", "utf16-bom.yaml", "latin1.yaml"):
        (root / name).write_bytes(BROKEN_FILES[name])
    run = run_kubelint("check", "--output", "human", ".", cwd=root)
    assert not run.has_traceback(), run.describe()
    assert run.code == 1, run.describe()
    bad = sorted({repr(c) for c in _CONTROL.findall(run.stdout + run.stderr)})
    assert not bad, f"control characters in the human output: {bad}"


@pytest.mark.parametrize("name", ["latin1.yaml", "binary.yaml"])
def test_unreadable_file_is_a_syntax_finding(broken_run: KubelintRun, name: str) -> None:
    f = only(of(broken_run, name), "KL001")
    assert f["severity"] == "error"
    assert f["name"] == "yaml-syntax"


def test_utf16_with_bom_is_decoded_or_reported(broken_run: KubelintRun) -> None:
    """YAML allows UTF-16 with a BOM (kubectl's decoder reads it); either kubelint decodes it
    and finds the unknown field ``dataq`` at line 5, or it reports the file as unreadable."""
    found = of(broken_run, "utf16-bom.yaml")
    decoded = select(found, rule="KL008", line=5)
    refused = select(found, rule="KL001")
    assert decoded or refused, show(found)


def test_tab_indentation(broken_run: KubelintRun) -> None:
    only(of(broken_run, "tab-indent.yaml"), "KL001", line=4)


def test_undefined_alias(broken_run: KubelintRun) -> None:
    only(of(broken_run, "undefined-alias.yaml"), "KL001", line=6)


def test_syntax_error_in_second_document_keeps_the_others(broken_run: KubelintRun) -> None:
    found = of(broken_run, "syntax-in-middle.yaml")
    syntax = select(found, rule="KL001")
    assert syntax, show(found)
    assert all(8 <= f["line"] <= 13 for f in syntax), f"KL001 outside document 2:\n{show(syntax)}"
    only(found, "KL008", line=19, column=3)  # document 3 is still checked
    assert not errors(select(found, lines=(1, 6))), show(found)  # document 1 is fine


def test_file_name_with_spaces(broken_run: KubelintRun) -> None:
    f = only(of(broken_run, "my manifest.yaml"), "KL008", line=5, column=1)
    assert str(f["path"]).endswith("my manifest.yaml")


def test_json_manifest_positions(broken_run: KubelintRun) -> None:
    f = only(of(broken_run, "manifest.json"), "KL008", line=5)
    assert f["column"] == 3, show([f])  # the opening quote of "dta"


def test_document_end_marker(broken_run: KubelintRun) -> None:
    found = of(broken_run, "doc-end.yaml")
    assert not select(found, rule="KL001"), show(found)
    only(found, "KL008", line=13, column=1)


def test_flow_style_manifest(broken_run: KubelintRun) -> None:
    only(of(broken_run, "flow.yaml"), "KL008", line=1, column=FLOW.index("dataa") + 1)


def test_duplicate_key_points_at_the_second_key(broken_run: KubelintRun) -> None:
    f = only(of(broken_run, "duplicate-keys.yaml"), "KL002", line=8, column=3)
    assert f["severity"] == "error"


def test_list_items_are_validated(broken_run: KubelintRun) -> None:
    found = of(broken_run, "list-kind.yaml")
    only(found, "KL008", line=14, column=3)
    assert not errors(select(found, lines=(1, 9))), show(found)


def test_yaml11_boolean_in_env_value(broken_run: KubelintRun) -> None:
    f = only(of(broken_run, "env-yes.yaml"), "KL003", line=11, column=14)
    assert f["severity"] == "error"
    assert normalise_field(str(f["field"])) == "spec.containers[0].env[0].value"


def test_collection_as_mapping_key(broken_run: KubelintRun) -> None:
    found = of(broken_run, "collection-key.yaml")
    only(found, "KL001", line=6)


def test_document_level_finding_in_a_later_document(broken_run: KubelintRun) -> None:
    found = of(broken_run, "second-doc-no-name.yaml")
    missing = select(found, rule="KL010", severity="error")
    assert missing, show(found)
    assert normalise_field(str(missing[0]["field"])) in ("metadata", "metadata.name"), show(found)


def test_document_level_finding_points_at_the_object(broken_run: KubelintRun) -> None:
    found = of(broken_run, "second-doc-no-name.yaml")
    only(found, "KL010", line=9, column=1)


ZERO_HOST_PORT = """\
apiVersion: v1
kind: Pod
metadata:
  name: zero-host-port
spec:
  containers:
  - name: app
    image: busybox:1.36
    ports:
    - containerPort: 8080
      hostPort: 0
"""


def test_zero_host_port_is_valid(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_text(ZERO_HOST_PORT, encoding="utf-8")
    run = check_json("pod.yaml", cwd=tmp_path)
    assert not errors(run.findings), show(run.findings)


# --------------------------------------------------------------------------------------
# Pathological input: one run each, bounded time, a KL001 finding.

LAUGHS = "".join(
    f"  {c}: &{c} [{', '.join([f'*{p}'] * 9) if p else ', '.join(['lol'] * 9)}]\n"
    for p, c in zip([None, *"abcdefgh"], "abcdefghi", strict=True)
)


def deep_flow(depth: int) -> str:
    return "  a: " + "[" * depth + "]" * depth + "\n"


def deep_block(depth: int) -> str:
    return "  a:\n  " + "- " * depth + "x\n"


PATHOLOGICAL = {
    "billion-laughs": configmap("bomb", LAUGHS),
    "recursive-alias": configmap("loop", "  a: &a [*a]\n"),
    "deep-flow-50000": configmap("deep", deep_flow(50_000)),
    "deep-block-50000": configmap("deep", deep_block(50_000)),
}


@pytest.mark.parametrize("case", sorted(PATHOLOGICAL))
def test_pathological_yaml(tmp_path: Path, case: str) -> None:
    path = tmp_path / f"{case}.yaml"
    path.write_text(PATHOLOGICAL[case], encoding="utf-8")
    run = check_json(path.name, cwd=tmp_path)
    syntax = select(run.findings, rule="KL001", severity="error")
    assert syntax, show(run.findings)
    assert run.code == 1


def test_bare_alias_bomb_is_reported_or_skipped(tmp_path: Path) -> None:
    """A billion-laughs document with no apiVersion/kind: a finding or a counted skip."""
    (tmp_path / "bomb.yaml").write_text(LAUGHS.replace("  ", ""), encoding="utf-8")
    run = check_json("bomb.yaml", cwd=tmp_path)
    skipped = sum(run.report["summary"]["skipped"].values())
    assert select(run.findings, rule="KL001") or skipped >= 1, run.describe()


# --------------------------------------------------------------------------------------
# Standard input.


@pytest.fixture(scope="module")
def stdin_run(tmp_path_factory: pytest.TempPathFactory) -> KubelintRun:
    manifest = configmap("from-stdin", "  a: b\n", key="datta")
    return check_json("-", cwd=tmp_path_factory.mktemp("stdin"), stdin=manifest)


def test_stdin(stdin_run: KubelintRun) -> None:
    assert stdin_run.code == 1
    only(stdin_run.findings, "KL008", line=5, column=1)
    summary = stdin_run.report["summary"]
    assert (summary["documents"], summary["objects"]) == (1, 1), summary


def test_stdin_path_is_as_given(stdin_run: KubelintRun) -> None:
    assert {f["path"] for f in stdin_run.findings} == {"-"}, show(stdin_run.findings)
