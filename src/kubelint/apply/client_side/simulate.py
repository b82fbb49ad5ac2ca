"""One ``kubectl apply`` (client-side), simulated offline for each object of a manifest.

For every manifest object: find its live object (same API group, kind, namespace and
name), build the new last-applied configuration, compute the patch kubectl would send
(a three-way strategic merge patch for built-in kinds, a JSON merge patch for custom
resources), apply it to the live object, and explain the outcome. An object without a
live counterpart is a create; an empty patch means kubectl sends nothing.
"""

from __future__ import annotations

import json
from typing import Final, Literal

from kubelint.apply.client_side import json_merge, three_way
from kubelint.apply.client_side.merge import KubectlPanic, PatchError, apply_strategic_patch
from kubelint.apply.client_side.notes import explain
from kubelint.apply.client_side.patch_meta import SchemaType, root_type
from kubelint.apply.matching import (
    applied_configuration,
    apply_in_order,
    describe_object,
    guessed_scope,
    scope_of_run,
)
from kubelint.apply.model import (
    DEFAULT_NAMESPACE,
    ApplyInputError,
    ObjectKey,
    Outcome,
    SourcedObject,
    metadata_of,
)
from kubelint.apply.refusals.kubectl import namespace_refusal, not_served, unknown_api
from kubelint.apply.refusals.positions import to_finding
from kubelint.apply.refusals.rejection import Rejection
from kubelint.apply.refusals.server import patch_not_mergeable, rejections
from kubelint.apply.scopes import Scopes
from kubelint.apply.values import (
    JSON,
    as_float64,
    copy,
    from_json_text,
    go_json,
    prune_nulls,
    round_trip,
    scalar_equal,
)
from kubelint.load.objects import LAST_APPLIED
from kubelint.report.model import Finding, ObjectRef
from kubelint.schema.store import KubernetesSchemas


def ignored_namespace_note(manifest: dict[str, JSON], key: ObjectKey) -> str | None:
    """The note for a cluster-scoped object that names a namespace, which kubectl drops."""
    named = metadata_of(manifest).get("namespace")
    if key.namespace is not None or named is None:
        return None
    return (
        f"ignores metadata.namespace {json.dumps(named, ensure_ascii=False)}: a {key.kind} is "
        "cluster-scoped, and kubectl drops the namespace before it computes the "
        "last-applied annotation, the patch or the created object (the API server would "
        "discard it too)"
    )


def modified_configuration(
    manifest: dict[str, JSON], key: ObjectKey
) -> tuple[dict[str, JSON], str]:
    """The object kubectl sends or diffs against, and its new last-applied annotation.

    The annotation is the manifest as compact JSON with sorted keys and a trailing
    newline, without the annotation itself, with ``metadata.namespace`` filled in and
    ``"annotations": {}`` when there were none.
    """
    modified = applied_configuration(manifest, key)
    metadata = modified["metadata"]
    raw = metadata.get("annotations")
    # kubectl reads annotations as a map of strings, a null value as "" (unstructured
    # GetAnnotations, NestedNullCoercingStringMap); any other value makes it read none
    if isinstance(raw, dict) and all(v is None or isinstance(v, str) for v in raw.values()):
        annotations: dict[str, JSON] = {k: "" if v is None else v for k, v in raw.items()}
    else:
        annotations = {}
    annotations.pop(LAST_APPLIED, None)
    metadata["annotations"] = annotations
    text = go_json(modified) + "\n"
    metadata["annotations"] = {**annotations, LAST_APPLIED: text}
    return modified, text


def created_object(modified: dict[str, JSON]) -> dict[str, JSON]:
    """The body kubectl POSTs for a new object: the modified configuration without its
    nulls (``apply.go``: pruned after the annotation is made, so the annotation keeps
    them) and without a ``resourceVersion`` (cli-runtime ``Helper.Create`` clears one)."""
    created = copy(modified)
    prune_nulls(created)
    metadata = created["metadata"]
    version = metadata.get("resourceVersion") if isinstance(metadata, dict) else None
    if isinstance(version, str) and version:
        metadata.pop("resourceVersion")
    return created


_WRITTEN_BY_THE_CLUSTER: Final = (
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "managedFields",
    "selfLink",
)


def exported_fields(manifest: dict[str, JSON]) -> list[str]:
    """Fields of ``manifest`` that only the cluster writes (an exported object has them)."""
    metadata = metadata_of(manifest)
    found = [
        f"metadata.{name}" for name in _WRITTEN_BY_THE_CLUSTER if metadata.get(name) is not None
    ]
    if manifest.get("status") is not None:
        found.append("status")
    return found


def exported_warning(fields: list[str]) -> str:
    """Why applying an exported object is a trap."""
    return (
        f"the manifest has fields only the cluster writes ({', '.join(fields)}): it looks "
        "exported with kubectl get; kubectl records all of it, server defaults included, "
        "as the last-applied configuration, so a later apply of a manifest without those "
        "fields (spec.replicas, imagePullPolicy ...) deletes them from the live object"
    )


def missing_annotation_warning(key: ObjectKey) -> str:
    """kubectl's warning for a live object without the last-applied annotation."""
    return (
        f"the live object has no {LAST_APPLIED} annotation (created by kubectl create, "
        "a controller or server-side apply): kubectl apply deletes nothing this time, "
        "only adds and changes fields, and adds the annotation"
    )


def simulate(
    manifest: SourcedObject,
    key: ObjectKey,
    live: SourcedObject | None,
    schemas: KubernetesSchemas,
) -> Outcome:
    """The outcome of applying ``manifest`` over ``live`` (None: the object is new)."""
    value = manifest.value
    name = describe_object(value, key)
    root = root_type(schemas, str(value.get("apiVersion")), key.kind)
    patch_type: Literal["strategic", "merge"] = "strategic" if root is not None else "merge"
    try:
        modified, _ = modified_configuration(value, key)
    except ApplyInputError as exc:
        return Outcome(name, "error", manifest.source, error=str(exc))
    exported = [exported_warning(f)] if (f := exported_fields(value)) else []
    warnings = [*manifest.warnings, *exported]
    ignored = ignored_namespace_note(value, key)
    if live is None:
        outcome = Outcome(
            name,
            "create",
            manifest.source,
            patch_type=None,
            patch=None,
            result=created_object(modified),
            warnings=warnings,
            notes=["created: the object does not exist in the live state"],
        )
        if ignored:
            outcome.notes.append(ignored)
        return outcome
    current = live.value
    outcome = Outcome(
        name, "patch", manifest.source, patch_type=patch_type, live=current, warnings=warnings
    )
    if ignored:
        outcome.notes.append(ignored)
    annotations = metadata_of(current).get("annotations")
    text = annotations.get(LAST_APPLIED) if isinstance(annotations, dict) else None
    original: dict[str, JSON] = {}
    if text is None:
        outcome.warnings.append(missing_annotation_warning(key))
    elif not isinstance(text, str):
        return _failed(outcome, f"the {LAST_APPLIED} annotation is not a string")
    elif text:
        try:
            parsed = from_json_text(text)
        except ValueError as exc:
            return _failed(outcome, f"the {LAST_APPLIED} annotation is not JSON: {exc}")
        # kubectl decodes it into a map: JSON null leaves the map empty, anything else fails
        if parsed is not None and not isinstance(parsed, dict):
            return _failed(outcome, f"the {LAST_APPLIED} annotation is not a JSON object")
        original = parsed or {}
    try:
        patch = _patch(original, modified, current, root)
    except PatchError as exc:
        outcome.panicked = isinstance(exc, KubectlPanic)
        return _failed(outcome, str(exc))
    if not patch:
        outcome.operation = "unchanged"
        outcome.patch = {}
        outcome.result = copy(current)
        outcome.notes.append("unchanged: kubectl sends no patch")
        return outcome
    outcome.patch = patch
    if root is not None:
        outcome.warnings.extend(directive_collisions(modified, patch))
        outcome.warnings.extend(map_order_warnings(patch))
    try:
        result = (
            apply_strategic_patch(current, patch, root)
            if root is not None
            else json_merge.apply_merge_patch(current, patch)
        )
    except PatchError as exc:
        # kubectl has sent the patch: the API server's merge is what fails
        outcome.merge_error = str(exc)
        return outcome
    outcome.result = result
    notes, warnings = explain(current, result, original, modified, patch, root)
    outcome.notes.extend(notes)
    outcome.warnings.extend(warnings)
    return outcome


_DELETE_PREFIX: Final = "$deleteFromPrimitiveList/"


def map_order_warnings(patch: JSON, path: str = "") -> list[str]:
    """Where the API server's strategic merge of ``patch`` depends on Go's random map
    order: a map with both ``$deleteFromPrimitiveList/X`` and ``X`` sharing values.

    apimachinery's ``mergeMap`` walks the patch map in Go's iteration order, which is
    random: when ``X`` comes first its values are merged in and then deleted, when the
    directive comes first they are deleted from the live list and then merged in again.
    kubelint merges in the patch's key order; ``kubectl patch --local`` does either.
    """
    found: list[str] = []
    if isinstance(patch, dict):
        for key, value in patch.items():
            if key.startswith(_DELETE_PREFIX) and isinstance(value, list):
                name = key[len(_DELETE_PREFIX) :]
                merged = patch.get(name)
                if isinstance(merged, list) and any(
                    scalar_equal(a, b) for a in value for b in merged
                ):
                    where = f"{path}.{name}" if path else name
                    found.append(
                        f"{where}: the patch both adds and deletes the same values "
                        f"({key} next to {name}, both in the manifest): the API server "
                        "applies the two in Go's random map order, so they are kept or "
                        "dropped at random (the result here shows one of the two)"
                    )
            elif not key.startswith("$"):
                found.extend(map_order_warnings(value, f"{path}.{key}" if path else key))
    elif isinstance(patch, list):
        for index, item in enumerate(patch):
            found.extend(map_order_warnings(item, f"{path}[{index}]"))
    return found


def _is_list_directive(key: str) -> bool:
    return key == "$retainKeys" or key.startswith(("$setElementOrder/", _DELETE_PREFIX))


def directive_collisions(modified: JSON, patch: JSON, path: str = "") -> list[str]:
    """Where the manifest writes a directive that kubectl's three-way patch computes too,
    with another value: kubectl's ``diffMaps`` walks the manifest's map in Go's random
    order, so its patch carries the manifest's directive or its own at random (kubelint's
    patch carries its own)."""
    found: list[str] = []
    if isinstance(modified, dict) and isinstance(patch, dict):
        for key, value in modified.items():
            if key not in patch:
                continue
            where = f"{path}.{key}" if path else key
            if _is_list_directive(key):
                if go_json(value) != go_json(patch[key]):
                    found.append(
                        f"{where}: the manifest writes this directive and kubectl computes "
                        "it too, with another value: kubectl walks the manifest in Go's "
                        "random map order, so its patch carries one or the other at random "
                        "(the patch here has kubectl's own)"
                    )
            else:
                found.extend(directive_collisions(value, patch[key], where))
    return found


def _failed(outcome: Outcome, message: str) -> Outcome:
    outcome.operation = "error"
    outcome.error = message
    return outcome


def _patch(
    original: dict[str, JSON],
    modified: dict[str, JSON],
    current: dict[str, JSON],
    root: SchemaType | None,
) -> dict[str, JSON]:
    """The patch kubectl sends, as the server decodes it.

    A JSON merge patch is computed by evanphx/json-patch on documents decoded with every
    number a float64 (``CreateMergePatch``), so numbers compare and travel as float64:
    an integer above 2**53 arrives rounded.
    """
    if root is None:
        patch = json_merge.create_three_way_merge_patch(
            as_float64(original), as_float64(modified), as_float64(current)
        )
        rounded: dict[str, JSON] = round_trip(patch)
        return rounded
    return three_way.create_three_way_merge_patch(original, modified, current, root)


def apply_all(
    manifests: list[SourcedObject],
    lives: list[SourcedObject],
    schemas: KubernetesSchemas,
    default_namespace: str = DEFAULT_NAMESPACE,
    *,
    enforce_namespace: bool = False,
    scopes: Scopes | None = None,
) -> tuple[list[Outcome], list[str]]:
    """Apply every manifest object in order (a later one sees an earlier one's result).

    ``enforce_namespace`` is kubectl's ``--namespace`` given explicitly: a namespaced
    object naming another namespace is then refused by kubectl itself. A request the API
    server would refuse (see :mod:`kubelint.apply.refusals`) keeps its operation but
    carries findings, and changes nothing for the objects after it. A panic of kubectl's
    patch code on one object ends the run: the objects after it get nothing. ``scopes``
    are the custom resources' scopes (default: from the CRDs among the objects).
    """
    if scopes is None:
        scopes = scope_of_run(manifests, lives, [])

    crashed: list[str] = []  # the object kubectl panicked on, which ends the run

    def apply_one(
        manifest: SourcedObject, key: ObjectKey, live: SourcedObject | None
    ) -> tuple[Outcome, dict[str, JSON] | None]:
        if crashed:
            error = f"not applied: kubectl crashed on {crashed[0]} before it"
            return Outcome(
                describe_object(manifest.value, key), "error", manifest.source, error=error
            ), None
        refused = _other_namespace(manifest, key, default_namespace) if enforce_namespace else None
        if refused is None:
            refused = _unmapped(manifest, key, schemas, scopes)
        if refused is not None:
            return refused, None
        outcome = simulate(manifest, key, live, schemas)
        guessed = guessed_scope(key, scopes)
        if guessed is not None:
            outcome.notes.append(guessed)
        if outcome.panicked:
            crashed.append(outcome.object)
        outcome.findings.extend(_rejected(manifest, key, outcome, schemas))
        applied = outcome.operation != "error" and not outcome.findings
        return outcome, outcome.result if applied else None

    def unidentified(manifest: SourcedObject, label: str, error: str) -> Outcome:
        return Outcome(label, "error", manifest.source, error=error)

    return apply_in_order(manifests, lives, default_namespace, apply_one, unidentified, scopes)


def _object_ref(value: dict[str, JSON], key: ObjectKey) -> ObjectRef:
    return ObjectRef(str(value.get("apiVersion")), key.kind, key.namespace, key.name)


def _rejected(
    manifest: SourcedObject, key: ObjectKey, outcome: Outcome, schemas: KubernetesSchemas
) -> list[Finding]:
    """What the API server would refuse in the request of ``outcome``, as findings."""
    value = manifest.value
    root = root_type(schemas, str(value.get("apiVersion")), key.kind)
    found = rejections(key.group, key.kind, outcome.operation, outcome.live, outcome.result, root)
    if outcome.merge_error is not None:
        found.insert(0, patch_not_mergeable(outcome.merge_error))
    unserved = not_served(manifest, key, schemas)
    if unserved is not None:
        found.insert(0, unserved)
    ref = _object_ref(value, key)
    return [to_finding(manifest, r, outcome.result, root, ref) for r in found]


def _unmapped(
    manifest: SourcedObject, key: ObjectKey, schemas: KubernetesSchemas, scopes: Scopes | None
) -> Outcome | None:
    """An error outcome for :func:`unknown_api`'s refusal, with its finding."""
    rejection = unknown_api(manifest, key, schemas, scopes)
    return None if rejection is None else _refused(manifest, key, rejection)


def _refused(manifest: SourcedObject, key: ObjectKey, rejection: Rejection) -> Outcome:
    """The error outcome of an object kubectl itself refuses, with the finding."""
    outcome = Outcome(
        describe_object(manifest.value, key), "error", manifest.source, error=rejection.message
    )
    ref = _object_ref(manifest.value, key)
    outcome.findings.append(to_finding(manifest, rejection, manifest.value, None, ref))
    return outcome


def _other_namespace(manifest: SourcedObject, key: ObjectKey, namespace: str) -> Outcome | None:
    """kubectl's refusal of a namespaced object naming another namespace than ``-n``."""
    rejection = namespace_refusal(manifest, key, namespace)
    return None if rejection is None else _refused(manifest, key, rejection)
