"""The typed merge of structured-merge-diff: an applied configuration merged into an object.

``typed/merge.go`` with the rule server-side apply uses: where both sides set a value,
the configuration's wins. Granular maps and structs merge key by key, associative and set
lists item by item (in the order ``visitListItems`` gives), atomic values are replaced
whole. Which fields are pruned afterwards is the field managers' part
(:mod:`kubelint.apply.server_side.field_managers`).
"""

from __future__ import annotations

from typing import Any

from kubelint.apply.server_side import field_paths as fp
from kubelint.apply.server_side.field_paths import Path
from kubelint.apply.server_side.smd_types import MISSING, SmdType, concrete, index_items
from kubelint.apply.values import copy


def merge(live: Any, config: Any, t: SmdType, path: Path = ()) -> Any:
    """``config`` merged onto ``live`` (typed/merge.go with the rule "keep the config")."""
    if live is MISSING and config is MISSING:
        return MISSING
    atom = concrete(t, config if config is not MISSING else live)
    if atom.shape == "scalar":
        return _leaf(live, config)
    if atom.shape == "list":
        return _merge_list(live, config, atom, path)
    return _merge_map(live, config, atom, path)


def _leaf(live: Any, config: Any) -> Any:
    return copy(config) if config is not MISSING else copy(live)


def _merge_list(live: Any, config: Any, t: SmdType, path: Path) -> Any:
    # a value of another shape reads as nothing (typed/merge.go derefList)
    lhs = live if isinstance(live, list) else []
    rhs = config if isinstance(config, list) else []
    if t.atomic or (not lhs and not rhs):
        return _leaf(live, config)
    rhs_order, rhs_items = index_items(t, rhs, path)
    lhs_order, lhs_items = index_items(t, lhs, path)
    shared = [e for e in rhs_order if e in lhs_items]
    out: list[Any] = []

    def take(element: str) -> None:
        merged = merge(
            lhs_items.get(element, MISSING), rhs_items.get(element, MISSING), t.element(),
            (*path, element),
        )  # fmt: skip
        if merged is not MISSING:
            out.append(merged)

    # the order of typed/merge.go visitListItems: live items stay where they are, config
    # items keep the config's order, shared items are placed in the config's order
    next_shared = shared.pop(0) if shared else None
    li = ri = 0
    while li < len(lhs_order) or ri < len(rhs_order):
        progress = (li, ri)
        if li < len(lhs_order) and ri < len(rhs_order):
            element = lhs_order[li]
            if element == rhs_order[ri]:
                take(element)
                li, ri = li + 1, ri + 1
                next_shared = shared.pop(0) if shared else None
                continue
            if element in rhs_items and next_shared is not None and next_shared != element:
                li += 1
                continue
        if li < len(lhs_order) and lhs_order[li] not in rhs_items:
            take(lhs_order[li])
            li += 1
            continue
        if ri < len(rhs_order):
            element = rhs_order[ri]
            take(element)
            ri += 1
            if next_shared is not None and next_shared == element:
                next_shared = shared.pop(0) if shared else None
        if (li, ri) == progress:
            li += 1  # a live item already merged from the config side
    return out if out else MISSING


def _merge_map(live: Any, config: Any, t: SmdType, path: Path) -> Any:
    lhs = live if isinstance(live, dict) else {}
    rhs = config if isinstance(config, dict) else {}
    if t.atomic or (not lhs and not rhs):
        return _leaf(live, config)
    out: dict[str, Any] = {}
    for key in [*lhs, *(k for k in rhs if k not in lhs)]:
        merged = merge(
            lhs.get(key, MISSING), rhs.get(key, MISSING), t.field(key)[0],
            (*path, fp.field_element(key)),
        )  # fmt: skip
        if merged is not MISSING:
            out[key] = merged
    return out if out else MISSING
