"""From the paths a refusal names in the result object to a finding at a position in the
manifest file."""

from __future__ import annotations

from kubelint.apply.client_side.patch_meta import PatchMetaError, SchemaType
from kubelint.apply.model import SourcedObject
from kubelint.apply.refusals.rejection import AT_KEY, Rejection, dotted
from kubelint.apply.values import JSON, deep_equal
from kubelint.load.paths import Path, locate
from kubelint.report.model import Finding, ObjectRef, Severity
from kubelint.rules.index import rule
from kubelint.run.findings import at_position


def _in_manifest(result: JSON, manifest: JSON, path: Path, schema: SchemaType | None) -> Path:
    """``path`` (list steps index ``result``) as a path of ``manifest``, cut short where the
    manifest has no such field. Items of merge lists are found by their merge key."""
    out: list[str | int] = []
    merge_key = ""
    for step in path:
        if isinstance(step, str):
            if not isinstance(manifest, dict) or step not in manifest:
                break
            schema, merge_key = _field_type(schema, step)
            result = result.get(step) if isinstance(result, dict) else None
            manifest = manifest[step]
            out.append(step)
            continue
        index = _item_index(result, manifest, step, merge_key)
        if index is None:
            break
        result, manifest = result[step], manifest[index]
        merge_key = ""
        out.append(index)
    return tuple(out)


def _field_type(schema: SchemaType | None, key: str) -> tuple[SchemaType | None, str]:
    """The type of field ``key`` (the item type for a list) and the list's merge key."""
    if schema is None:
        return None, ""
    try:
        sub, meta = schema.lookup_struct(key)
    except PatchMetaError:
        return None, ""
    if sub.shape == "slice":
        return sub.element(), meta.merge_key
    return sub, ""


def _item_index(result: JSON, manifest: JSON, step: int, merge_key: str) -> int | None:
    """Which item of the manifest's list is item ``step`` of the result's."""
    if not isinstance(manifest, list) or not isinstance(result, list):
        return None
    if not 0 <= step < len(result):
        return None
    item = result[step]
    if not merge_key or not isinstance(item, dict) or merge_key not in item:
        return step if not merge_key and step < len(manifest) else None
    return next(
        (
            i
            for i, candidate in enumerate(manifest)
            if isinstance(candidate, dict) and deep_equal(candidate.get(merge_key), item[merge_key])
        ),
        None,
    )


def to_finding(
    manifest: SourcedObject,
    rejection: Rejection,
    result: JSON,
    root: SchemaType | None,
    object_ref: ObjectRef | None = None,
) -> Finding:
    """The rejection as a finding at its place in the manifest file (1-based)."""
    candidates = [_in_manifest(result, manifest.value, p, root) for p in rejection.where]
    complete = [c for c, p in zip(candidates, rejection.where, strict=True) if len(c) == len(p)]
    path = complete[0] if complete else candidates[0]
    at = rejection.at if complete else AT_KEY
    line, column = manifest.start
    if manifest.node is not None and path:
        line, column = locate(manifest.node, path, at, manifest.start)
    return at_position(
        rule(rejection.code),
        manifest.path or manifest.source,
        (line, column),
        rejection.message,
        rejection.suggestion,
        severity=Severity.ERROR,  # kubectl or the API server refuses: never less
        field=dotted(rejection.where[0]),
        obj=object_ref,
    )
