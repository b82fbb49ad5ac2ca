"""Applying a strategic merge patch, as the API server and ``kubectl patch --local`` do.

The same merge, with two switches turned off, is how kubectl combines the two halves
of its three-way patch (see :mod:`kubelint.apply.client_side.three_way`). The semantics follow
k8s.io/apimachinery's strategicpatch package: ``$patch: replace|delete`` directives,
``$retainKeys``, ``$setElementOrder/<list>``, ``$deleteFromPrimitiveList/<list>``,
lists merged by their merge key and ordered by the patch, then by the live object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from kubelint.apply.client_side.gosort import slice_stable
from kubelint.apply.client_side.patch_meta import PatchMetaError, SchemaType, extract_retain_keys
from kubelint.apply.values import (
    JSON,
    GoPanic,
    copy,
    deep_equal,
    go_text,
    go_type,
    hash_key,
    prune_nulls,
    scalar_equal,
)

DIRECTIVE: Final = "$patch"
DELETE: Final = "delete"
REPLACE: Final = "replace"
MERGE: Final = "merge"
RETAIN_KEYS: Final = "$retainKeys"
DELETE_FROM_PRIMITIVE_LIST: Final = "$deleteFromPrimitiveList"
SET_ELEMENT_ORDER: Final = "$setElementOrder"


class PatchError(Exception):
    """The patch cannot be computed or applied; kubectl (or the server) fails with this."""


class KubectlPanic(PatchError):
    """kubectl's own patch code panics (a Go runtime error): the process dies there, so
    nothing after this object is applied."""


@dataclass(frozen=True, slots=True)
class MergeOptions:
    """``MergeParallelList``: apply the parallel lists; ``IgnoreUnmatchedNulls``: drop nulls."""

    merge_parallel_list: bool
    ignore_unmatched_nulls: bool


SERVER: Final = MergeOptions(merge_parallel_list=True, ignore_unmatched_nulls=True)
"""Applying a patch to an object (the API server, ``kubectl patch``)."""

CLIENT: Final = MergeOptions(merge_parallel_list=False, ignore_unmatched_nulls=False)
"""Combining two patches into one (kubectl's three-way patch)."""


def apply_strategic_patch(live: dict[str, JSON], patch: dict[str, JSON], root: SchemaType) -> JSON:
    """``live`` with ``patch`` applied (neither argument is modified)."""
    try:
        return merge_map(copy(live), copy(patch), root, SERVER)
    except (PatchMetaError, GoPanic) as exc:
        raise PatchError(str(exc)) from exc


def _is(value: JSON, text: str) -> bool:
    """Go's ``interfaceValue == "text"``."""
    return isinstance(value, str) and value == text


def merge_map(
    original: dict[str, JSON] | None,
    patch: dict[str, JSON],
    schema: SchemaType,
    options: MergeOptions,
) -> dict[str, JSON]:
    """Merge ``patch`` into ``original`` (both may be modified); returns the result."""
    if DIRECTIVE in patch:
        return _directive_in_map(patch[DIRECTIVE], patch)
    if original is None:
        original = {}
    _apply_retain_keys(original, patch, options)
    _merge_patch_into_original(original, patch, schema, options)
    for key, patch_value in list(patch.items()):
        if key not in patch:
            continue
        skip, is_delete_list, plain_key = _preprocess_deletion_list(
            key, original, patch_value, options.merge_parallel_list
        )
        if skip:
            continue
        if plain_key:
            key = plain_key
        if patch_value is None:
            original.pop(key, None)
            if options.ignore_unmatched_nulls:
                continue
        if key not in original or go_type(original[key]) != go_type(patch_value):
            if not is_delete_list:
                if options.ignore_unmatched_nulls:
                    prune_nulls(patch_value)
                value, keep = remove_directives(patch_value)
                if keep:
                    original[key] = value
                else:
                    original.pop(key, None)
            continue
        current = original[key]
        if isinstance(current, dict):
            sub, meta = schema.lookup_struct(key)
            _, strategy = extract_retain_keys(meta.strategies)
            original[key] = _merge_map_handler(current, patch_value, sub, strategy, options)
        elif isinstance(current, list):
            sub, meta = schema.lookup_slice(key)
            _, strategy = extract_retain_keys(meta.strategies)
            original[key] = merge_slice_handler(
                current, patch_value, sub, strategy, meta.merge_key, is_delete_list, options
            )
        else:
            value, keep = remove_directives(patch_value)
            if keep:
                original[key] = value
            else:
                original.pop(key, None)
    return original


def _directive_in_map(directive: JSON, patch: dict[str, JSON]) -> dict[str, JSON]:
    if _is(directive, REPLACE):
        del patch[DIRECTIVE]
        return patch
    if _is(directive, DELETE):
        return {}
    raise PatchError(f"Unexpected patch type {directive!r}")


def remove_directives(value: JSON) -> tuple[JSON, bool]:
    """A value with every ``$patch`` map dropped, and whether to keep the value at all."""
    if isinstance(value, dict):
        if DIRECTIVE in value:
            return None, False
        for key in list(value):
            value[key], keep = remove_directives(value[key])
            if not keep:
                del value[key]
        return value, True
    if isinstance(value, list):
        kept: list[JSON] = []
        for item in value:
            new, keep = remove_directives(item)
            if keep:
                kept.append(new)
        return kept, True
    return value, True


def _merge_map_handler(
    original: JSON, patch: JSON, schema: SchemaType, strategy: str, options: MergeOptions
) -> dict[str, JSON]:
    if not isinstance(original, dict) or not isinstance(patch, dict):
        raise PatchError("expected two maps")
    if strategy != REPLACE:
        return merge_map(original, patch, schema, options)
    return patch


def merge_slice_handler(
    original: JSON,
    patch: JSON,
    schema: SchemaType,
    strategy: str,
    merge_key: str,
    is_delete_list: bool,
    options: MergeOptions,
) -> list[JSON]:
    """Merge two lists by the field's strategy (``merge``) or take the patch's list."""
    if not isinstance(original, list) or not isinstance(patch, list):
        raise PatchError("expected two lists")
    if strategy == MERGE or is_delete_list:
        return _merge_slice(original, patch, schema, merge_key, options, is_delete_list)
    return patch


def slice_element_type(*lists: list[JSON]) -> str:
    """The one Go type of all items of ``lists`` (Go: sliceElementType)."""
    found: str | None = None
    seen = False
    for items in lists:
        for item in items:
            kind = go_type(item)
            if not seen:
                seen = True
                if kind is None:
                    raise GoPanic("runtime error: invalid memory address (a null list item)")
                if kind == "slice":
                    raise PatchError("lists of lists are not supported")
                found = kind
            elif kind != found:
                raise PatchError("list element types are not identical")
    if found is None:
        raise PatchError("no elements in any of the given slices")
    return found


class _GoSlice:
    """A Go slice header over a shared backing list: its length, and writes that show.

    kubectl deletes list items by shifting the rest left in place and appends into the
    room that frees; a caller still holding the original slice (the live list) then
    sees the shifted items followed by the appended ones, and orders the result by
    that view. Modelling the shared array reproduces kubectl's order exactly.
    """

    __slots__ = ("array", "length")

    def __init__(self, array: list[JSON], length: int | None = None) -> None:
        self.array = array
        self.length = len(array) if length is None else length

    def view(self) -> list[JSON]:
        return self.array[: self.length]

    def delete(self, index: int) -> None:
        for i in range(index, self.length - 1):
            self.array[i] = self.array[i + 1]
        self.length -= 1

    def append(self, value: JSON) -> None:
        if self.length < len(self.array):
            self.array[self.length] = value
        else:  # no room left: Go copies to a new array, which no one else sees
            self.array = [*self.array[: self.length], value]
        self.length += 1


def _merge_slice(
    original: list[JSON],
    patch: list[JSON],
    schema: SchemaType,
    merge_key: str,
    options: MergeOptions,
    is_delete_list: bool,
) -> list[JSON]:
    if not original and not patch:
        return original
    kind = slice_element_type(original, patch)
    if kind != "map":
        if options.merge_parallel_list and is_delete_list:
            return _delete_from_slice(original, patch)
        merged = dedupe_scalars([*original, *patch])
        server_order = original
    else:
        if not merge_key:
            raise PatchError(f"cannot merge lists without merge key for {schema.name}")
        kept, patch = _merge_special_elements(_GoSlice(original), patch, merge_key)
        merged = _merge_plain_elements(kept, patch, merge_key, schema, options)
        server_order = kept.view()
    if not merge_key:
        patch_items, server_only = _partition_scalars(merged, patch)
    else:
        patch_items, server_only = partition_maps(merged, patch, merge_key)
    return normalize_element_order(patch_items, server_only, patch, server_order, merge_key, kind)


def _merge_special_elements(
    original: _GoSlice, patch: list[JSON], merge_key: str
) -> tuple[_GoSlice, list[JSON]]:
    plain: list[JSON] = []
    replace = False
    for item in patch:
        if not isinstance(item, dict):
            raise GoPanic("interface conversion: interface {} is not map[string]interface {}")
        if DIRECTIVE not in item:
            plain.append(item)
            continue
        directive = item[DIRECTIVE]
        if _is(directive, DELETE):
            if merge_key not in item:
                raise PatchError(f"map: {item} does not contain declared merge key: {merge_key}")
            while (index := find_map(original.view(), merge_key, item[merge_key])) is not None:
                original.delete(index)
        elif _is(directive, REPLACE):
            replace = True
        elif _is(directive, MERGE):
            raise PatchError("merging lists cannot yet be specified in the patch")
        else:
            raise PatchError(f"Unexpected patch type {directive!r}")
    if replace:
        return _GoSlice(plain), []
    return original, plain


def _merge_plain_elements(
    original: _GoSlice,
    patch: list[JSON],
    merge_key: str,
    schema: SchemaType,
    options: MergeOptions,
) -> list[JSON]:
    merged = _GoSlice(original.array, original.length)
    for item in patch:
        assert isinstance(item, dict)
        if merge_key not in item:
            raise PatchError(f"map: {item} does not contain declared merge key: {merge_key}")
        index = find_map(merged.view(), merge_key, item[merge_key])
        if index is not None:
            merged.array[index] = merge_map(merged.array[index], item, schema, options)
        else:
            merged.append(item)
    return merged.view()


def find_map(items: list[JSON], key: str, value: JSON) -> int | None:
    """Index of the first map in ``items`` whose ``key`` equals ``value`` (Go ``==``)."""
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise PatchError(f"value for key {index} is not a map")
        if key in item and scalar_equal(item[key], value):
            return index
    return None


def _delete_from_slice(current: list[JSON], to_delete: list[JSON]) -> list[JSON]:
    doomed = {hash_key(v) for v in to_delete}
    return [v for v in current if hash_key(v) not in doomed]


def dedupe_scalars(items: list[JSON]) -> list[JSON]:
    """Go's in-place de-duplication: a duplicate is overwritten by the last item."""
    s = list(items)
    length = len(s) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if scalar_equal(s[i], s[j]):
                s[j] = s[length]
                s = s[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return s


def _partition_scalars(
    items: list[JSON], partition_by: list[JSON]
) -> tuple[list[JSON], list[JSON]]:
    wanted = {hash_key(v) for v in partition_by}
    inside = [v for v in items if hash_key(v) in wanted]
    outside = [v for v in items if hash_key(v) not in wanted]
    return inside, outside


def partition_maps(
    items: list[JSON], partition_by: list[JSON], merge_key: str
) -> tuple[list[JSON], list[JSON]]:
    """Items whose merge key appears in ``partition_by``, and the others."""
    inside: list[JSON] = []
    outside: list[JSON] = []
    for item in items:
        if not isinstance(item, dict):
            raise PatchError(f"{item!r} is not a map")
        if merge_key not in item:
            raise PatchError(f"map: {item} does not contain declared merge key: {merge_key}")
        if find_map(partition_by, merge_key, item[merge_key]) is None:
            outside.append(item)
        else:
            inside.append(item)
    return inside, outside


def _index(items: list[JSON], value: JSON, merge_key: str, kind: str) -> int:
    def key_of(item: JSON) -> JSON:
        if kind == "map":
            return item.get(merge_key) if isinstance(item, dict) else None
        return item

    wanted = key_of(value)
    for position, item in enumerate(items):
        if scalar_equal(wanted, key_of(item)):
            return position
    return -1


def _extract_deletions(items: list[JSON]) -> tuple[list[JSON], list[JSON]]:
    keep: list[JSON] = []
    doomed: list[JSON] = []
    for item in items:
        if not isinstance(item, dict):
            raise PatchError(f"{item!r} is not a map")
        if _is(item.get(DIRECTIVE), DELETE):
            doomed.append(item)
        else:
            keep.append(item)
    return keep, doomed


def _validate_merge_keys(merge_key: str, *lists: list[JSON]) -> None:
    for items in lists:
        for item in items:
            if not isinstance(item, dict):
                raise PatchError(f"{item!r} is not a map")
            if merge_key not in item:
                raise PatchError(f"map: {item} does not contain declared merge key: {merge_key}")


def normalize_slice_order(
    to_sort: list[JSON], order: list[JSON], merge_key: str, kind: str
) -> list[JSON]:
    """``to_sort`` ordered by ``order`` (deletion directives last), Go's stable sort."""
    doomed: list[JSON] = []
    if kind == "map":
        _validate_merge_keys(merge_key, to_sort, order)
        to_sort, doomed = _extract_deletions(to_sort)

    def less(a: JSON, b: JSON) -> bool:
        ia = _index(order, a, merge_key, kind)
        if ia >= 0:
            ib = _index(order, b, merge_key, kind)
            if ib >= 0:
                return ia < ib
        return True

    return [*slice_stable(to_sort, less), *doomed]


def normalize_element_order(
    patch: list[JSON],
    server_only: list[JSON],
    patch_order: list[JSON],
    server_order: list[JSON],
    merge_key: str,
    kind: str,
) -> list[JSON]:
    """Patch items in the patch's order, server-only items slotted in by the live order."""
    patch = normalize_slice_order(patch, patch_order, merge_key, kind)
    server_only = normalize_slice_order(server_only, server_order, merge_key, kind)
    return _merge_sorted(server_only, patch, server_order, merge_key, kind)


def _merge_sorted(
    left: list[JSON], right: list[JSON], server_order: list[JSON], merge_key: str, kind: str
) -> list[JSON]:
    out: list[JSON] = []
    i = j = 0
    while i < len(left) and j < len(right):
        li = _index(server_order, left[i], merge_key, kind)
        ri = _index(server_order, right[j], merge_key, kind)
        if li >= 0 and ri >= 0 and li < ri:
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    return [*out, *left[i:], *right[j:]]


def _apply_retain_keys(
    original: dict[str, JSON], patch: dict[str, JSON], options: MergeOptions
) -> None:
    if RETAIN_KEYS not in patch:
        return
    retain = patch.pop(RETAIN_KEYS)
    if not options.merge_parallel_list:
        if RETAIN_KEYS in original:
            if not deep_equal(original[RETAIN_KEYS], retain):
                raise PatchError(f"{original[RETAIN_KEYS]} and {retain} are not deep equal")
        else:
            original[RETAIN_KEYS] = retain
        return
    if not isinstance(retain, list):
        raise PatchError("invalid patch: the $retainKeys directive must be a list")
    kept = {hash_key(v) for v in retain}
    for key, value in patch.items():
        if value is None or key.startswith((DELETE_FROM_PRIMITIVE_LIST, SET_ELEMENT_ORDER)):
            continue
        if ("string", key) not in kept:
            raise PatchError(f"invalid patch: {key} is in the patch but not in $retainKeys")
    for key in list(original):
        if ("string", key) not in kept:
            del original[key]


def _extract_key(text: str, prefix: str) -> str:
    head, slash, rest = text.partition("/")
    if not slash or head != prefix:
        raise PatchError(f"invalid patch: bad {prefix} key {text!r}")
    return rest


def _preprocess_deletion_list(
    key: str, original: dict[str, JSON], value: JSON, merge_deletion_list: bool
) -> tuple[bool, bool, str]:
    if key.startswith(DELETE_FROM_PRIMITIVE_LIST):
        if not merge_deletion_list:
            original[key] = value
            return True, False, ""
        return False, True, _extract_key(key, DELETE_FROM_PRIMITIVE_LIST)
    return False, False, ""


def _merge_key_equal(left: JSON, right: JSON, merge_key: str) -> bool:
    if not merge_key:
        return scalar_equal(left, right)
    if not isinstance(left, dict) or not isinstance(right, dict):
        raise PatchError("expected maps in a merge list")
    if merge_key not in left or merge_key not in right:
        raise PatchError(f"map does not contain declared merge key: {merge_key}")
    return scalar_equal(left[merge_key], right[merge_key])


def _validate_with_order(patch_list: JSON, order: JSON, merge_key: str) -> None:
    if not isinstance(order, list) or not isinstance(patch_list, list):
        raise PatchError("invalid patch: $setElementOrder and its list must be lists")
    if not order or not patch_list:
        return
    plain = _extract_deletions(patch_list)[0] if merge_key else patch_list
    pi = si = 0
    while pi < len(plain) and si < len(order):
        if isinstance(plain[pi], dict) and DIRECTIVE in plain[pi]:
            pi += 1
            continue
        if _merge_key_equal(plain[pi], order[si], merge_key):
            pi += 1
        si += 1
    if pi < len(plain) and si >= len(order):
        raise PatchError(
            f"The order in patch list:\n{go_text(patch_list)}\n doesn't match "
            f"{SET_ELEMENT_ORDER} list:\n{go_text(order)}\n"
        )


def _merge_patch_into_original(
    original: dict[str, JSON], patch: dict[str, JSON], schema: SchemaType, options: MergeOptions
) -> None:
    for key in list(patch):
        if not key.startswith(SET_ELEMENT_ORDER) or key not in patch:
            continue
        order = patch[key]
        if not options.merge_parallel_list:
            if key in original:
                if not deep_equal(original[key], order):
                    raise PatchError("invalid patch: two different $setElementOrder lists")
            else:
                original[key] = order
        del patch[key]
        if not isinstance(order, list):
            raise PatchError("invalid patch: $setElementOrder must be a list")
        list_key = _extract_key(key, SET_ELEMENT_ORDER)
        found_original = list_key in original
        found_patch = list_key in patch
        original_items: list[JSON] = []
        patch_items: list[JSON] = []
        if found_original:
            if not isinstance(original[list_key], list):
                raise PatchError(f"{list_key} is not a list")
            original_items = original[list_key]
        if found_patch:
            if not isinstance(patch[list_key], list):
                raise PatchError(f"{list_key} is not a list in the patch")
            patch_items = patch[list_key]
        sub, meta = schema.lookup_slice(list_key)
        _, strategy = extract_retain_keys(meta.strategies)
        _validate_with_order(patch_items, order, meta.merge_key)
        merged: Any
        if found_original and not found_patch:
            merged = original_items
        elif found_patch and not found_original:
            merged, keep = remove_directives(patch_items)
            if not keep:
                continue
        elif found_original and found_patch:
            merged = merge_slice_handler(
                original_items, patch_items, sub, strategy, meta.merge_key, False, options
            )
        else:
            continue
        if not meta.merge_key:
            inside, outside = _partition_scalars(merged, order)
        else:
            inside, outside = partition_maps(merged, order, meta.merge_key)
        kind = slice_element_type(original_items, patch_items)
        original[list_key] = normalize_element_order(
            inside, outside, order, original_items, meta.merge_key, kind
        )
        patch.pop(list_key, None)
