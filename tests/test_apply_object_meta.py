"""The metadata check kubectl's resource builder makes of every document it reads.

Each expected message is what kubectl 1.37.1 printed for that metadata (after
``unable to decode "FILE": ``), one document each, against the stub API server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_kubelint
from kubelint.apply.read.object_meta import decode_error, go_quote, rfc3339_error
from kubelint.load.documents import load_text


def metadata_error(metadata: str) -> str | None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n" + metadata
    return decode_error(load_text(text).documents[0].value)


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        (
            "  name: a\n  labels: {version: 1.0}\n",
            "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels "
            "of type string",
        ),
        (
            "  name: a\n  labels: {a: true}\n",
            "json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels "
            "of type string",
        ),
        (
            "  name: a\n  labels: []\n",
            "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels "
            "of type map[string]string",
        ),
        (
            "  name: a\n  annotations: {a: {b: 1}}\n",
            "json: cannot unmarshal object into Go struct field ObjectMeta.metadata.annotations "
            "of type string",
        ),
        (
            "  name: a\n  generation: 1.5\n  labels: {a: true}\n",
            "json: cannot unmarshal number 1.5 into Go struct field ObjectMeta.metadata.generation "
            "of type int64",
        ),
        (
            "  name: a\n  generation: 18446744073709551615\n",
            "json: cannot unmarshal number 18446744073709551615 into Go struct field "
            "ObjectMeta.metadata.generation of type int64",
        ),
        (
            '  name: a\n  deletionGracePeriodSeconds: "3"\n  generation: 1.5\n',
            "json: cannot unmarshal string into Go struct field "
            "ObjectMeta.metadata.deletionGracePeriodSeconds of type int64",
        ),
        (
            '  name: a\n  ownerReferences: [{uid: 5, controller: "yes"}]\n',
            "json: cannot unmarshal string into Go struct field "
            "OwnerReference.metadata.ownerReferences.controller of type bool",
        ),
        (
            "  name: a\n  ownerReferences: [{uid: 5}]\n",
            "json: cannot unmarshal number into Go struct field "
            "OwnerReference.metadata.ownerReferences.uid of type types.UID",
        ),
        (
            "  name: a\n  ownerReferences: [5]\n",
            "json: cannot unmarshal number into Go struct field "
            "ObjectMeta.metadata.ownerReferences of type v1.OwnerReference",
        ),
        (
            "  name: a\n  finalizers: x\n",
            "json: cannot unmarshal string into Go struct field ObjectMeta.metadata.finalizers "
            "of type []string",
        ),
        (
            "  name: a\n  finalizers: [1]\n",
            "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.finalizers "
            "of type string",
        ),
        (
            "  name: a\n  managedFields: [{time: 1, fieldsV1: 7}]\n",
            "json: cannot unmarshal number into Go struct field "
            "ManagedFieldsEntry.metadata.managedFields.time of type string",
        ),
        (
            "  name: 12\n",
            "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name "
            "of type string",
        ),
        (
            "  name: a\n  uid: 12\n",
            "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.uid "
            "of type types.UID",
        ),
        (
            "  name: a\n  creationTimestamp: 5\n",
            "json: cannot unmarshal number into Go struct field "
            "ObjectMeta.metadata.creationTimestamp of type string",
        ),
        (
            # a time that does not parse stops the decoder: it wins over an earlier mismatch
            "  name: a\n  annotations: {a: 1}\n  creationTimestamp: bad\n",
            'parsing time "bad" as "2006-01-02T15:04:05Z07:00": cannot parse "bad" as "2006"',
        ),
        (
            "  - 1\n",
            "json: cannot unmarshal array into Go struct field metadataOnlyObject.metadata "
            "of type v1.ObjectMeta",
        ),
        ("  name: a\n  Labels: {x: 1}\n", None),  # keys are matched case-sensitively
        ("  name: a\n  labels: {x: null}\n  fieldsV1: 3\n", None),
        ("  name: a\n  creationTimestamp: 2025-01-01T00:00:00Z\n", None),
        ("  name: a\n  generation: 2.0\n", None),
    ],
)
def test_metadata_decodes_as_kubectl_decodes_it(metadata: str, message: str | None) -> None:
    assert metadata_error(metadata) == message


LAYOUT = '"2006-01-02T15:04:05Z07:00"'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-01-01", f'parsing time "2025-01-01" as {LAYOUT}: cannot parse "" as "T"'),
        ("2025-13-01T00:00:00Z", 'parsing time "2025-13-01T00:00:00Z": month out of range'),
        ("2025-02-30T00:00:00Z", 'parsing time "2025-02-30T00:00:00Z": day out of range'),
        (
            "2025-01-01T00:00:00+0100",
            f'parsing time "2025-01-01T00:00:00+0100" as {LAYOUT}: '
            'cannot parse "+0100" as "Z07:00"',
        ),
        (
            "2025-01-01T00:00:00.123Z trailing",
            'parsing time "2025-01-01T00:00:00.123Z trailing": extra text: " trailing"',
        ),
        (
            "2025-01-01t00:00:00z",
            f'parsing time "2025-01-01t00:00:00z" as {LAYOUT}: cannot parse "t00:00:00z" as "T"',
        ),
        ("2025-01-01T0:00:00Z", None),
        ("2024-02-29T23:59:59.5+01:00", None),
    ],
)
def test_times_parse_as_go_parses_rfc3339(text: str, message: str | None) -> None:
    assert rfc3339_error(text) == message


def test_an_undecodable_document_fails_alone(tmp_path: Path) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {v: 1.0}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
        encoding="utf-8",
    )
    run = run_kubelint("apply", "--output", "json", manifest)
    assert run.code == 1, run.describe()
    first, second = run.output
    assert first["object"] == "v1 ConfigMap default/a"
    assert first["operation"] == "error"
    assert first["error"].startswith(f"unable to decode {go_quote(str(manifest))}: json: ")
    assert second["operation"] == "create"
