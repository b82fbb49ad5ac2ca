"""The three-way strategic merge patch that ``kubectl apply`` sends.

Inputs: *original* (the last-applied-configuration annotation), *modified* (the
manifest, with its new annotation) and *current* (the live object). The patch is

* the *delta*: every addition and change from current to modified, no deletions;
* plus the *deletions*: what original had and modified no longer has, no additions;

combined by merging the delta into the deletions. Fields that only the live object has
(set by the server, a controller or another client) appear in neither half, so they
are kept. Maps recurse; lists with the ``merge`` strategy are diffed item by item on
their merge key (``$patch: delete`` items, a ``$setElementOrder/<list>`` parallel
list, ``$deleteFromPrimitiveList/<list>`` for lists of scalars); other lists are
replaced whole; fields with the ``retainKeys`` strategy carry a ``$retainKeys`` list.
The order of items in the patch follows kubectl's own sorting, so the patch compares
equal to kubectl's JSON, lists included.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from kubelint.apply.client_side.gosort import sort_by_text
from kubelint.apply.client_side.merge import (
    CLIENT,
    DELETE,
    DELETE_FROM_PRIMITIVE_LIST,
    DIRECTIVE,
    RETAIN_KEYS,
    SET_ELEMENT_ORDER,
    KubectlPanic,
    PatchError,
    dedupe_scalars,
    merge_map,
    normalize_slice_order,
    slice_element_type,
)
from kubelint.apply.client_side.patch_meta import PatchMetaError, SchemaType, extract_retain_keys
from kubelint.apply.values import (
    JSON,
    GoPanic,
    copy,
    deep_equal,
    go_text,
    go_type,
    scalar_equal,
)


@dataclass(frozen=True, slots=True)
class DiffOptions:
    """The switches of kubectl's two-way diff."""

    set_element_order: bool = False
    ignore_changes_and_additions: bool = False
    ignore_deletions: bool = False
    build_retain_keys: bool = False


DELTA: Final = DiffOptions(set_element_order=True, ignore_deletions=True)
DELETIONS: Final = DiffOptions(set_element_order=True, ignore_changes_and_additions=True)


def create_three_way_merge_patch(
    original: dict[str, JSON],
    modified: dict[str, JSON],
    current: dict[str, JSON],
    root: SchemaType,
) -> dict[str, JSON]:
    """The patch kubectl apply computes (``{}`` when there is nothing to send)."""
    original, modified, current = copy(original), copy(modified), copy(current)
    try:
        delta = diff_maps(current, modified, root, DELTA)
        deletions = diff_maps(original, modified, root, DELETIONS)
        return copy(merge_map(deletions, delta, root, CLIENT))
    except GoPanic as exc:
        raise KubectlPanic(f"panic: {exc}") from exc
    except PatchMetaError as exc:
        raise PatchError(str(exc)) from exc


def diff_maps(
    original: dict[str, JSON], modified: dict[str, JSON], schema: SchemaType, options: DiffOptions
) -> dict[str, JSON]:
    """The patch from ``original`` to ``modified`` under ``options``."""
    patch: dict[str, JSON] = {}
    retain: list[JSON] = []
    for key, modified_value in modified.items():
        if options.build_retain_keys and modified_value is not None:
            retain.append(key)
        if key not in original:
            if not options.ignore_changes_and_additions:
                patch[key] = modified_value
            continue
        original_value = original[key]
        if key == DIRECTIVE:
            if not isinstance(original_value, str) or not isinstance(modified_value, str):
                raise PatchError(f"invalid value for special key: {DIRECTIVE}")
            if original_value != modified_value:
                patch[key] = modified_value
            continue
        if go_type(original_value) != go_type(modified_value):
            if not options.ignore_changes_and_additions:
                patch[key] = modified_value
            continue
        if isinstance(original_value, dict):
            _map_diff(key, original_value, modified_value, patch, schema, options)
        elif isinstance(original_value, list):
            _slice_diff(key, original_value, modified_value, patch, schema, options)
        else:
            _replace_if_changed(key, original_value, modified_value, patch, options)
    if not options.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain and (patch or _has_additional_field(original, modified)):
        patch[RETAIN_KEYS] = sort_by_text(retain, go_text)
    return patch


def _has_additional_field(original: dict[str, JSON], modified: dict[str, JSON]) -> bool:
    return any(value is not None and key not in modified for key, value in original.items())


def _replace_if_changed(
    key: str, original: JSON, modified: JSON, patch: dict[str, JSON], options: DiffOptions
) -> None:
    if options.ignore_changes_and_additions or deep_equal(original, modified):
        return
    patch[key] = modified


def _map_diff(
    key: str,
    original: dict[str, JSON],
    modified: dict[str, JSON],
    patch: dict[str, JSON],
    schema: SchemaType,
    options: DiffOptions,
) -> None:
    try:
        sub, meta = schema.lookup_struct(key)
    except PatchMetaError:
        if deep_equal(original, modified):
            return
        raise
    retain_keys, strategy = extract_retain_keys(meta.strategies)
    options = replace(options, build_retain_keys=retain_keys)
    if strategy == "replace":
        if not options.ignore_changes_and_additions:
            patch[key] = modified
        return
    value = diff_maps(original, modified, sub, options)
    if value:
        patch[key] = value


def _slice_diff(
    key: str,
    original: list[JSON],
    modified: list[JSON],
    patch: dict[str, JSON],
    schema: SchemaType,
    options: DiffOptions,
) -> None:
    try:
        element, meta = schema.lookup_slice(key)
    except PatchMetaError:
        if deep_equal(original, modified):
            return
        raise
    retain_keys, strategy = extract_retain_keys(meta.strategies)
    if strategy != "merge":
        _replace_if_changed(key, original, modified, patch, options)
        return
    options = replace(options, build_retain_keys=retain_keys)
    added, deleted, order = diff_lists(original, modified, element, meta.merge_key, options)
    if added:
        patch[key] = added
    if deleted:
        patch[f"{DELETE_FROM_PRIMITIVE_LIST}/{key}"] = deleted
    if order:
        patch[f"{SET_ELEMENT_ORDER}/{key}"] = order


def diff_lists(
    original: list[JSON],
    modified: list[JSON],
    schema: SchemaType,
    merge_key: str,
    options: DiffOptions,
) -> tuple[list[JSON], list[JSON], list[JSON]]:
    """(patch list, deletions of scalars, ``$setElementOrder`` list) of a merge list.

    Like kubectl, this sorts ``original`` in place when it holds scalars.
    """
    if not original:
        if not modified or options.ignore_changes_and_additions:
            return [], [], []
        return modified, [], []
    kind = slice_element_type(original, modified)
    order: list[JSON] = []
    if kind == "map":
        patch_list, deletions = _diff_lists_of_maps(original, modified, schema, merge_key, options)
        patch_list = normalize_slice_order(patch_list, modified, merge_key, kind)
        same_order = _is_order_same(original, modified, merge_key)
        patch_list = [*patch_list, *deletions]
        if options.set_element_order and (
            (not options.ignore_changes_and_additions and (patch_list or not same_order))
            or (not options.ignore_deletions and patch_list)
        ):
            order = [{merge_key: item.get(merge_key)} for item in modified]
        return patch_list, [], order
    patch_list, deletions = _diff_lists_of_scalars(original, modified, options)
    patch_list = normalize_slice_order(patch_list, modified, merge_key, kind)
    if options.set_element_order and (
        (not options.ignore_deletions and deletions)
        or (not options.ignore_changes_and_additions and not deep_equal(original, modified))
    ):
        order = modified
    return patch_list, deletions, order


def _is_order_same(original: list[JSON], modified: list[JSON], merge_key: str) -> bool:
    if len(original) != len(modified):
        return False
    for before, after in zip(original, modified, strict=True):
        if not isinstance(before, dict) or not isinstance(after, dict):
            raise PatchError("expected maps in a merge list")
        if merge_key not in before or merge_key not in after:
            raise PatchError(f"map does not contain declared merge key: {merge_key}")
        # Go's == on the two interface{} values (mergeKeyValueEqual): it panics on two
        # maps or two slices, as a merge key written as {} in both is
        if not scalar_equal(before[merge_key], after[merge_key]):
            return False
    return True


def _diff_lists_of_scalars(
    original: list[JSON], modified: list[JSON], options: DiffOptions
) -> tuple[list[JSON], list[JSON]]:
    original[:] = sort_by_text(original, go_text)
    after = sort_by_text(list(modified), go_text)
    added: list[JSON] = []
    deleted: list[JSON] = []
    oi = mi = 0
    while oi < len(original) or mi < len(after):
        o_in, m_in = oi < len(original), mi < len(after)
        o_text = go_text(original[oi]) if o_in else ""
        m_text = go_text(after[mi]) if m_in else ""
        if o_in and m_in and o_text == m_text:
            oi += 1
            mi += 1
        elif not o_in or (m_in and o_text > m_text):
            if not options.ignore_changes_and_additions:
                added.append(after[mi])
            mi += 1
        else:
            if not options.ignore_deletions:
                deleted.append(original[oi])
            oi += 1
    return added, dedupe_scalars(deleted)


def _sorted_maps(items: list[JSON], merge_key: str) -> list[JSON]:
    if not items:
        return items
    kind = slice_element_type(items)
    if kind != "map":
        return sort_by_text(dedupe_scalars(items), go_text)
    return sort_by_text(list(items), lambda item: go_text(item.get(merge_key)))


def _keyed(item: JSON, merge_key: str) -> tuple[dict[str, JSON], JSON]:
    if not isinstance(item, dict):
        raise PatchError(f"{item!r} is not a map")
    if merge_key not in item:
        raise PatchError(f"map: {item} does not contain declared merge key: {merge_key}")
    return item, item[merge_key]


def _diff_lists_of_maps(
    original: list[JSON],
    modified: list[JSON],
    schema: SchemaType,
    merge_key: str,
    options: DiffOptions,
) -> tuple[list[JSON], list[JSON]]:
    patch: list[JSON] = []
    deletions: list[JSON] = []
    before = _sorted_maps(original, merge_key)
    after = _sorted_maps(modified, merge_key)
    oi = mi = 0
    while oi < len(before) or mi < len(after):
        o_in, m_in = oi < len(before), mi < len(after)
        o_item: dict[str, JSON] = {}
        m_item: dict[str, JSON] = {}
        o_key: JSON = None
        m_key: JSON = None
        o_text = m_text = ""
        if o_in:
            o_item, o_key = _keyed(before[oi], merge_key)
            o_text = go_text(o_key)
        if m_in:
            m_item, m_key = _keyed(after[mi], merge_key)
            m_text = go_text(m_key)
        if o_in and m_in and o_text == m_text:
            value = diff_maps(o_item, m_item, schema, options)
            if value:
                value[merge_key] = m_key
                patch.append(value)
            oi += 1
            mi += 1
        elif not o_in or (m_in and o_text > m_text):
            if not options.ignore_changes_and_additions:
                patch.append(m_item)
            mi += 1
        else:
            if not options.ignore_deletions:
                deletions.append({merge_key: o_key, DIRECTIVE: DELETE})
            oi += 1
    return patch, deletions
