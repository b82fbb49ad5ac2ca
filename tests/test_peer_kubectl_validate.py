"""Peer suite: kubectl-validate's test manifests, with their expectations.

Source: ``../shared/peer-suites/kubectl-validate`` (see its README). Each YAML document of
``testcases/manifests/*.yaml`` carries its expected ``metav1.Status`` in a leading comment.
kubelint runs once over all of them with ``--crd testcases/crds --kubernetes-version 1.30``
(the upstream default at the pinned commit). Per document we compare:

* pass or fail: a document fails when kubelint has an error-level finding on one of its
  lines;
* for failures, every expected cause ``field`` is reported (normalised paths; a finding
  below the expected path counts, since the API server reports some problems at the
  enclosing map).

Where kubelint is right and the peer is not, the expectation is replaced in ``DEVIATIONS``
with the reason. Expectations that upstream obtains only through its schema patch
(``pkg/openapiclient/patches``) are listed in ``PATCH_DEPENDENT`` with our judgement.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    SHARED_MISSING,
    KubelintRun,
    cached_run,
    errors,
    field_covers,
    find_shared_dir,
    run_kubelint,
    select,
    show,
)

SHARED = find_shared_dir()
SUITE = SHARED / "peer-suites" / "kubectl-validate" if SHARED else None
MANIFESTS = "testcases/manifests"
CRDS = "testcases/crds"
K8S_VERSION = "1.30"

_SEPARATOR = re.compile(r"^---(\s.*)?$")


@dataclass
class Document:
    file: str
    index: int  # 1-based within the file
    first_line: int
    last_line: int
    status: dict[str, Any]
    fields: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.file}#{self.index}"

    @property
    def fails(self) -> bool:
        return self.status.get("status") != "Success"


def split_documents(text: str) -> list[tuple[int, int, list[str]]]:
    """(first line, last line, lines) per document, split on ``---`` lines (1-based)."""
    lines = text.splitlines()
    docs: list[tuple[int, int, list[str]]] = []
    start = 1
    current: list[str] = []
    for number, line in enumerate(lines, start=1):
        if _SEPARATOR.match(line):
            docs.append((start, number - 1, current))
            start, current = number + 1, []
        else:
            current.append(line)
    docs.append((start, len(lines), current))
    kept = [d for d in docs if d[2]]  # a separator at the start or end opens no document
    return kept or [(1, max(len(lines), 1), [])]


def expectation(lines: list[str]) -> dict[str, Any]:
    """The ``metav1.Status`` in a document's leading comment (README, steps 2 and 3)."""
    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in lines):
        return {"status": "Success"}
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    block = []
    while i < len(lines) and lines[i].startswith("#"):
        block.append(lines[i][1:])
        i += 1
    return dict(json.loads("\n".join(block)))


def load_documents(suite: Path) -> list[Document]:
    docs = []
    for path in sorted((suite / MANIFESTS).glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for index, (first, last, lines) in enumerate(split_documents(text), start=1):
            status = expectation(lines)
            causes = (status.get("details") or {}).get("causes") or []
            fields = [c["field"] for c in causes if c.get("field") not in (None, "", "<nil>")]
            docs.append(Document(path.name, index, first, last, status, fields))
    return docs


@dataclass(frozen=True)
class Deviation:
    fails: bool
    fields: tuple[str, ...]
    reason: str


#: Documents where kubelint is right and the peer's expectation is not (replaced here).
DEVIATIONS: dict[str, Deviation] = {
    "error_crd_typo.yaml#1": Deviation(
        fails=True,
        fields=("spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.message.type",),
        reason=(
            "The peer reports the API server's internal path `spec.validation.openAPIV3Schema...`:"
            " the server converts a v1 CRD whose versions share one schema to the internal type,"
            " which keeps it in `spec.validation`. That field does not exist in the v1 manifest;"
            " the offending `type: strign` is at"
            " spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.message.type."
        ),
    ),
}

_NO_METADATA = (
    "The document has no `metadata` at all. The API server's message is"
    " `metadata.name: Required value: name or generateName is required`; kubelint reports"
    " the outermost missing field, `metadata` (its message asks for a name). Same mistake,"
    " same place in the manifest: the object."
)
DEVIATIONS["error_missing_name.yaml#1"] = Deviation(True, ("metadata",), _NO_METADATA)
DEVIATIONS["error_multiple_resources_all_invalid.yaml#2"] = Deviation(
    True, ("metadata",), _NO_METADATA
)

#: Expectations upstream reaches only through its schema patch (making Container.name and
#: Container.image required, and ContainerPort.protocol an enum). Kept: the API server's
#: own validation rejects the same documents.
PATCH_DEPENDENT: dict[str, str] = {
    "error_missing_image.yaml#1": (
        "kept: the published schema leaves Container.image optional, but the API server's"
        " pod validation requires it (`spec.containers[0].image: Required value`)"
    ),
    "error_enum_invalid.yaml#1": (
        "kept: the published schema has no enum for protocol, but the API server accepts only"
        ' TCP, UDP and SCTP (`Unsupported value: "udp"`)'
    ),
    "error_invalid_protocol_type.yaml#1": (
        "kept: only the FieldValueNotSupported cause comes from the patch's enum; an integer"
        " where the schema says string is rejected by the published schema and the server alike"
    ),
}

#: Documents kubelint gets wrong where we are sure the expectation is right (strict xfail).
KNOWN_GAPS: dict[str, str] = {
    "error_cel_basic.yaml#1": (
        "kubelint does not evaluate CRD x-kubernetes-validations (CEL): `self > 0` fails for"
        " value -3; the API server rejects the object"
    ),
    "error_cel_basic_multiple.yaml#1": (
        "kubelint does not evaluate CRD x-kubernetes-validations (CEL): other_value 8 is not a"
        " multiple of value 3; the API server rejects the object"
    ),
}

DEVIATIONS["error_x_list_map_duplicate_key.yaml#1"] = Deviation(
    False,
    (),
    "ports[2] repeats containerPort 88/TCP of ports[1] in a list declared"
    " x-kubernetes-list-type: map. For built-in kinds the API server does not reject this on"
    " create or client-side apply: it answers `Warning: spec.containers[0].ports[2]: duplicate"
    " port definition with spec.containers[0].ports[1]` and creates the Pod (only server-side"
    " apply refuses the duplicate key). The peer's Failure models server-side apply; kubelint"
    " follows the API server. A warning is still due: see test_duplicate_container_port_warns.",
)


DOCUMENTS = load_documents(SUITE) if SUITE and (SUITE / MANIFESTS).is_dir() else []


def _params() -> list[Any]:
    if not DOCUMENTS:
        return [pytest.param(None, marks=pytest.mark.skip(reason=SHARED_MISSING), id="absent")]
    params = []
    for doc in DOCUMENTS:
        marks = []
        if doc.id in KNOWN_GAPS:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[doc.id]))
        params.append(pytest.param(doc, marks=marks, id=doc.id))
    return params


@pytest.fixture(scope="module")
def suite_run(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path) -> KubelintRun:
    suite = shared_dir / "peer-suites" / "kubectl-validate"
    files = sorted({f"{MANIFESTS}/{d.file}" for d in DOCUMENTS})
    return cached_run(
        tmp_path_factory,
        "kubectl-validate",
        lambda: run_kubelint(
            "check", "--output", "json", "--kubernetes-version", K8S_VERSION,
            "--crd", CRDS, *files, cwd=suite,
        ),
    )  # fmt: skip


def test_suite_is_complete() -> None:
    if SUITE is None:
        pytest.skip(SHARED_MISSING)
    files = {d.file for d in DOCUMENTS}
    assert len(files) == 31, sorted(files)
    assert not any(f.endswith(".disabled") for f in files)


def test_judgements_name_real_documents() -> None:
    if SUITE is None:
        pytest.skip(SHARED_MISSING)
    ids = {d.id for d in DOCUMENTS}
    for table in (DEVIATIONS, PATCH_DEPENDENT, KNOWN_GAPS):
        assert set(table) <= ids, set(table) - ids
    assert not set(PATCH_DEPENDENT) & set(DEVIATIONS), "patch-dependent cases are kept as is"


def test_run_is_sound(suite_run: KubelintRun) -> None:
    run = suite_run
    assert not run.has_traceback(), run.describe()
    assert run.code == 1, run.describe(800)  # some documents must fail; 2 would be a CRD error
    report = run.report
    assert report["summary"]["errors"] == len(errors(report["findings"]))
    assert report["summary"]["files"] == 31


@pytest.mark.parametrize("doc", _params())
def test_document(suite_run: KubelintRun, doc: Document) -> None:
    fails, fields = doc.fails, list(doc.fields)
    if doc.id in DEVIATIONS:
        dev = DEVIATIONS[doc.id]
        fails, fields = dev.fails, list(dev.fields)
    path = f"{MANIFESTS}/{doc.file}"
    found = errors(select(suite_run.findings, path=path, lines=(doc.first_line, doc.last_line)))
    expected = json.dumps(doc.status)[:600]
    if not fails:
        assert not found, f"peer expects Success; kubelint reports errors:\n{show(found)}"
        return
    assert found, f"peer expects a failure ({expected}); kubelint reports no error"
    for wanted in fields:
        assert any(field_covers(f.get("field"), wanted) for f in found), (
            f"expected a finding at field {wanted!r}; kubelint reports:\n{show(found)}"
        )


def test_duplicate_key_position(suite_run: KubelintRun) -> None:
    """error_multiple_fields.yaml: the peer says ``line 24: key "containers" already set``.

    The duplicate ``containers`` key is on line 23 (line 24 is its first list item, where
    go-yaml's decoder happens to be when it notices). kubelint points at the key itself.
    """
    found = select(suite_run.findings, path=f"{MANIFESTS}/error_multiple_fields.yaml")
    hits = select(found, rule="KL002", line=23)
    assert hits, show(found)
    assert hits[0]["column"] == 3, show(hits)


def test_duplicate_container_port_warns(suite_run: KubelintRun) -> None:
    """The API server warns ``duplicate port definition``; so must kubelint (not an error)."""
    path = f"{MANIFESTS}/error_x_list_map_duplicate_key.yaml"
    found = select(suite_run.findings, path=path, lines=(51, 52))
    dups = [
        f
        for f in found
        if "duplicate" in f["name"] and field_covers(f["field"], "spec.containers[0].ports[2]")
    ]
    assert dups, show(found)
    assert all(f["severity"] == "warning" for f in dups), show(dups)


def test_unknown_kind_has_suggestion(suite_run: KubelintRun) -> None:
    found = select(suite_run.findings, path=f"{MANIFESTS}/error_invalid_kind.yaml", rule="KL006")
    assert found, show(suite_run.findings)
    assert "ConfigMap" in (found[0].get("suggestion") or ""), show(found)


# --------------------------------------------------------------------------------------
# The rest of the peer's data: its CRDs as manifests, and the validator-factory fixture.


def test_peer_crd_files_are_valid_manifests(shared_dir: Path) -> None:
    """The CRDs (and the non-CRD file kept beside them) are objects an API server accepts."""
    suite = shared_dir / "peer-suites" / "kubectl-validate"
    run = run_kubelint(
        "check", "--output", "json", "--kubernetes-version", K8S_VERSION,
        "testcases/crds", "testcases/more-crds", cwd=suite,
    )  # fmt: skip
    assert not run.has_traceback(), run.describe()
    assert not errors(run.findings), show(errors(run.findings))
    assert run.code == 0, run.describe(800)


def test_kubebuilder_cronjob_custom_resource(shared_dir: Path) -> None:
    """pkg/validator/testdata: a kubebuilder ``CronJob`` custom resource and its CRD.

    Its kind is also the name of ``batch/v1 CronJob``; the group must decide the schema.
    """
    suite = shared_dir / "peer-suites" / "kubectl-validate" / "pkg" / "validator" / "testdata"
    run = run_kubelint(
        "check", "--output", "json", "--kubernetes-version", K8S_VERSION,
        "--crd", "crds/cronjob.yaml", "cronjob.yaml", cwd=suite,
    )  # fmt: skip
    assert not run.has_traceback(), run.describe()
    assert run.code == 0, show(run.findings)
    assert not select(run.findings, rule="KL018"), show(run.findings)
