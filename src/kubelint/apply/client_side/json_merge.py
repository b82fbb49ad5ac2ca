"""JSON merge patches (RFC 7386), as kubectl applies custom resources.

kubectl has no Go type for a custom resource, so it cannot use a strategic merge patch:
it sends a three-way JSON merge patch instead (``application/merge-patch+json``), in
which every list is replaced whole and a deletion is a ``null``. The server applies it
with the same RFC 7386 merge that :func:`apply_merge_patch` follows (nulls pruned from
added values, as the evanphx/json-patch library does).
"""

from __future__ import annotations

from typing import Final

from kubelint.apply.client_side.merge import PatchError
from kubelint.apply.values import JSON, copy, json_type, prune_nulls

_PRECONDITION: Final = "At least one of apiVersion, kind and name was changed"


def _matches(a: JSON, b: JSON) -> bool:
    if json_type(a) != json_type(b):
        return False
    if isinstance(a, dict):
        return len(a) == len(b) and all(k in b and _matches(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(_matches(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def create_merge_patch(original: dict[str, JSON], modified: dict[str, JSON]) -> dict[str, JSON]:
    """The RFC 7386 patch from ``original`` to ``modified`` (deletions as null)."""
    patch: dict[str, JSON] = {}
    for key, after in modified.items():
        if key not in original:
            patch[key] = after
            continue
        before = original[key]
        if json_type(before) != json_type(after):
            patch[key] = after
        elif isinstance(before, dict):
            sub = create_merge_patch(before, after)
            if sub:
                patch[key] = sub
        elif not _matches(before, after):
            patch[key] = after
    for key in original:
        if key not in modified:
            patch[key] = None
    return patch


def _keep_or_drop_nulls(patch: dict[str, JSON], keep_nulls: bool) -> dict[str, JSON]:
    """Only the nulls (deletions) of a patch, or everything but its nulls."""
    out: dict[str, JSON] = {}
    for key, value in patch.items():
        if value is None:
            if keep_nulls:
                out[key] = None
        elif isinstance(value, dict):
            if not value:
                if not keep_nulls:
                    out[key] = value
                continue
            sub = _keep_or_drop_nulls(value, keep_nulls)
            if sub:
                out[key] = sub
        elif not keep_nulls:
            out[key] = value
    return out


def _has_conflicts(left: JSON, right: JSON) -> bool:
    if isinstance(left, dict):
        if not isinstance(right, dict):
            return True
        return any(k in right and _has_conflicts(v, right[k]) for k, v in left.items())
    if isinstance(left, list):
        if not isinstance(right, list) or len(left) != len(right):
            return True
        return any(_has_conflicts(x, y) for x, y in zip(left, right, strict=True))
    return not _matches(left, right)


def create_three_way_merge_patch(
    original: dict[str, JSON], modified: dict[str, JSON], current: dict[str, JSON]
) -> dict[str, JSON]:
    """The JSON merge patch kubectl apply sends for a custom resource."""
    additions = _keep_or_drop_nulls(create_merge_patch(current, modified), keep_nulls=False)
    deletions = _keep_or_drop_nulls(create_merge_patch(original, modified), keep_nulls=True)
    if _has_conflicts(additions, deletions):
        raise PatchError("the changes and the deletions of the patch conflict")
    patch = apply_merge_patch(deletions, additions)
    metadata = patch.get("metadata")
    if (
        "apiVersion" in patch
        or "kind" in patch
        or (isinstance(metadata, dict) and "name" in metadata)
    ):
        raise PatchError(_PRECONDITION)
    return patch


def apply_merge_patch(target: dict[str, JSON], patch: dict[str, JSON]) -> dict[str, JSON]:
    """``target`` with ``patch`` merged in (neither argument is modified)."""
    document = copy(target)
    _merge_into(document, copy(patch))
    return document


def _merge_into(document: dict[str, JSON], patch: dict[str, JSON]) -> None:
    for key, value in patch.items():
        if value is None:
            document.pop(key, None)
        elif document.get(key) is None:
            prune_nulls(value)
            document[key] = value
        else:
            document[key] = _merge_value(document[key], value)


def _merge_value(current: JSON, patch: JSON) -> JSON:
    if not isinstance(current, dict):
        prune_nulls(patch)
        return patch
    if not isinstance(patch, dict):
        return patch
    _merge_into(current, patch)
    return current
