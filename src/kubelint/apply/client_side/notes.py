"""Plain-language notes on an apply: what goes, what stays, what gets overwritten.

Paths name list items by their merge key where the list has one
(``spec.template.spec.containers[name=web].image``) and by position otherwise.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Final

from kubelint.apply.client_side.merge import DELETE, DIRECTIVE, SET_ELEMENT_ORDER
from kubelint.apply.client_side.patch_meta import PatchMetaError, SchemaType, extract_retain_keys
from kubelint.apply.values import JSON, deep_equal, go_text
from kubelint.load.objects import LAST_APPLIED

#: Fields the API server writes on every object; never worth a note.
_SERVER_FIELDS: Final = frozenset(
    {
        "metadata.uid",
        "metadata.resourceVersion",
        "metadata.generation",
        "metadata.creationTimestamp",
        "metadata.managedFields",
        "metadata.selfLink",
        "metadata.deletionTimestamp",
        "metadata.deletionGracePeriodSeconds",
        "status",
    }
)

#: Values the API server fills in when a manifest leaves them out (last path part, value).
_DEFAULTS: Final[dict[str, tuple[JSON, ...]]] = {
    "imagePullPolicy": ("IfNotPresent", "Always"),
    "terminationMessagePath": ("/dev/termination-log",),
    "terminationMessagePolicy": ("File",),
    "restartPolicy": ("Always", "OnFailure", "Never"),
    "dnsPolicy": ("ClusterFirst",),
    "schedulerName": ("default-scheduler",),
    "securityContext": ({},),
    "resources": ({},),
    "terminationGracePeriodSeconds": (30,),
    "revisionHistoryLimit": (10, 3),
    "progressDeadlineSeconds": (600,),
    "protocol": ("TCP",),
    "sessionAffinity": ("None",),
    "type": ("ClusterIP", "RollingUpdate", "Opaque"),
    "clusterIP": (),
    "clusterIPs": (),
    "ipFamilies": (),
    "ipFamilyPolicy": ("SingleStack",),
    "internalTrafficPolicy": ("Cluster",),
    "podManagementPolicy": ("OrderedReady",),
    "concurrencyPolicy": ("Allow",),
    "successfulJobsHistoryLimit": (3,),
    "failedJobsHistoryLimit": (1,),
    "suspend": (False,),
    "backoffLimit": (6,),
    "completionMode": ("NonIndexed",),
    "defaultMode": (420,),
    "maxSurge": ("25%",),
    "maxUnavailable": ("25%",),
    "partition": (0,),
    "creationTimestamp": (None,),
    "targetPort": (),
    "deployment.kubernetes.io/revision": (),
    "volumeMode": ("Filesystem",),
    "whenDeleted": ("Retain",),
    "whenScaled": ("Retain",),
}

_ANY_VALUE: Final = (
    "clusterIP",
    "clusterIPs",
    "ipFamilies",
    "targetPort",
    "deployment.kubernetes.io/revision",
)


Segment = tuple[str, ...]
Path = tuple[Segment, ...]


def _child_schema(schema: SchemaType | None, key: str) -> tuple[SchemaType | None, str, bool]:
    """The sub-schema of ``key`` (the item type for a list), its merge key, merge or not."""
    if schema is None:
        return None, "", False
    try:
        sub, meta = schema.lookup_struct(key)
    except PatchMetaError:
        return None, "", False
    _, strategy = extract_retain_keys(meta.strategies)
    if sub.shape == "slice":
        return sub.element(), meta.merge_key, strategy == "merge"
    return sub, "", False


def render(path: Path) -> str:
    """``spec.template.spec.containers[name=web].image``; odd keys as ``["a.b/c"]``."""
    out = ""
    for segment in path:
        if segment[0] == "key":
            key = segment[1]
            if key and all(c.isalnum() or c in "-_" for c in key):
                out += f".{key}" if out else key
            else:
                out += f"[{json.dumps(key, ensure_ascii=False)}]"
        elif segment[0] == "item":
            out += f"[{segment[1]}={segment[2]}]"
        else:
            out += f"[{segment[1]}]"
    return out


def flatten(value: JSON, schema: SchemaType | None, prefix: Path = ()) -> dict[Path, JSON]:
    """Leaf path -> value. Merge lists of maps are keyed by merge key, merge lists of
    scalars by value (``[=v]``); other lists are leaves."""
    out: dict[Path, JSON] = {}
    if not (isinstance(value, dict) and value):
        out[prefix] = value
        return out
    for key, child in value.items():
        path = (*prefix, ("key", key))
        sub, merge_key, merged = _child_schema(schema, key)
        if isinstance(child, list) and child and merged:
            for position, item in enumerate(child):
                if isinstance(item, dict) and merge_key and merge_key in item:
                    out.update(
                        flatten(item, sub, (*path, ("item", merge_key, go_text(item[merge_key]))))
                    )
                elif isinstance(item, dict):
                    out.update(flatten(item, sub, (*path, ("index", str(position)))))
                else:
                    out[(*path, ("value", "=" + go_text(item)))] = item
        else:
            out.update(flatten(child, sub, path))
    return out


def _containers(flat: dict[Path, JSON]) -> set[Path]:
    present: set[Path] = set()
    for path in flat:
        present.update(path[:n] for n in range(1, len(path) + 1))
    return present


def _top_most(paths: list[Path], present: set[Path]) -> list[Path]:
    """Each path collapsed to its highest ancestor that ``present`` lacks."""
    out: list[Path] = []
    for path in paths:
        top = next((path[:n] for n in range(1, len(path) + 1) if path[:n] not in present), path)
        if top not in out:
            out.append(top)
    return out


def _server_owned(path: Path) -> bool:
    text = render(path)
    return any(text == f or text.startswith((f + ".", f + "[")) for f in _SERVER_FIELDS)


def _defaulted(path: Path, value: JSON) -> bool:
    last = next((s[1] for s in reversed(path) if s[0] == "key"), "")
    if last not in _DEFAULTS:
        return False
    return last in _ANY_VALUE or any(deep_equal(value, d) for d in _DEFAULTS[last])


def _is_last_applied(path: Path) -> bool:
    return path[:3] == (("key", "metadata"), ("key", "annotations"), ("key", LAST_APPLIED))


def _short(value: JSON) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."


def explain(
    live: dict[str, JSON],
    result: dict[str, JSON],
    original: dict[str, JSON],
    modified: dict[str, JSON],
    patch: dict[str, JSON],
    root: SchemaType | None,
) -> tuple[list[str], list[str]]:
    """(notes, warnings) for a patch of ``live`` into ``result``."""
    notes: list[str] = []
    warnings: list[str] = []
    flat_live = flatten(live, root)
    flat_result = flatten(result, root)
    flat_original = flatten(original, root) if original else {}
    flat_modified = flatten(modified, root)
    in_original = _containers(flat_original)
    removed = [p for p in flat_live if p not in flat_result and not _server_owned(p)]
    for path in _top_most(removed, _containers(flat_result)):
        why = (
            "in the last applied configuration, not in the manifest"
            if path in in_original
            else "replaced by the manifest's value"
        )
        if all(_defaulted(p, flat_live[p]) for p in removed if p[: len(path)] == path):
            why += "; the cluster fills it in again"
        notes.append(f"removes {render(path)} ({why})")
    owned = [
        render(p)
        for p in _top_most(
            [p for p in flat_live if p not in flat_result and _server_owned(p)],
            _containers(flat_result),
        )
    ]
    if owned:
        notes.append(
            f"deletes {', '.join(owned)} in the merge: fields the API server owns, which it "
            "keeps or writes again (the result shows the merge alone)"
        )
    for path, before in flat_live.items():
        if path not in flat_result or _server_owned(path) or _is_last_applied(path):
            continue
        after = flat_result[path]
        if deep_equal(before, after):
            continue
        if path in flat_original and not deep_equal(flat_original[path], before):
            notes.append(
                f"overwrites {render(path)}: changed in the cluster since the last apply "
                f"(last applied {_short(flat_original[path])}, live {_short(before)}), "
                f"becomes {_short(after)}"
            )
        else:
            notes.append(f"changes {render(path)}: {_short(before)} -> {_short(after)}")
    live_containers = _containers(flat_live)
    added = [p for p in flat_result if p not in flat_live and not _server_owned(p)]
    for path in _top_most(added, live_containers):
        # an emptied list or map is no addition: its items were removed (noted above)
        if not _is_last_applied(path) and path not in live_containers:
            notes.append(f"adds {render(path)}")
    kept = [
        p
        for p, v in flat_live.items()
        if p in flat_result
        and p not in flat_modified
        and p not in flat_original
        and not _server_owned(p)
        and not _defaulted(p, v)
    ]
    for path in _top_most(kept, _containers(flat_modified)):
        notes.append(
            f"keeps {render(path)}: not in the manifest nor in the last applied configuration "
            "(set in the cluster by another client, a controller or a default)"
        )
    _list_notes(patch, live, modified, root, (), notes, warnings)
    return notes, warnings


def _list_notes(
    patch: JSON,
    live: JSON,
    modified: JSON,
    schema: SchemaType | None,
    prefix: Path,
    notes: list[str],
    warnings: list[str],
) -> None:
    if not isinstance(patch, dict):
        return
    keys: list[str] = [k for k in patch if not k.startswith("$")]
    prefix_length = len(SET_ELEMENT_ORDER) + 1
    for key in patch:
        if key.startswith(SET_ELEMENT_ORDER + "/") and key[prefix_length:] not in patch:
            keys.append(key[prefix_length:])  # only the order of this list changes
    for key in keys:
        value = patch.get(key, [])
        at = (*prefix, ("key", key))
        path = render(at)
        sub, merge_key, merged = _child_schema(schema, key)
        live_value = live.get(key) if isinstance(live, dict) else None
        modified_value = modified.get(key) if isinstance(modified, dict) else None
        if isinstance(value, dict):
            _list_notes(value, live_value, modified_value, sub, at, notes, warnings)
            continue
        if not isinstance(value, list) or (merged and not merge_key):
            continue
        if not merged:
            if isinstance(live_value, list):
                notes.append(
                    f"replaces {path} as a whole ({len(live_value)} item(s) live, "
                    f"{len(value)} in the manifest): the list has no merge key"
                )
            continue
        notes.append(
            _merge_list_note(path, key, value, patch, live_value, modified_value, merge_key)
        )
        _duplicate_key_warnings(path, value, live_value, modified_value, merge_key, warnings)
        for item in value:
            if not isinstance(item, dict) or DIRECTIVE in item or merge_key not in item:
                continue
            live_item = _find(live_value, merge_key, item[merge_key])
            modified_item = _find(modified_value, merge_key, item[merge_key])
            label = (*at, ("item", merge_key, go_text(item[merge_key])))
            _list_notes(item, live_item, modified_item, sub, label, notes, warnings)


def _find(items: JSON, merge_key: str, value: JSON) -> JSON:
    if not isinstance(items, list):
        return None
    for item in items:
        if isinstance(item, dict) and deep_equal(item.get(merge_key), value):
            return item
    return None


def _merge_list_note(
    path: str,
    key: str,
    items: list[JSON],
    patch: dict[str, JSON],
    live_value: JSON,
    modified_value: JSON,
    merge_key: str,
) -> str:
    added: list[str] = []
    updated: list[str] = []
    deleted: list[str] = []
    for item in items:
        if not isinstance(item, dict) or merge_key not in item:
            continue
        label = go_text(item[merge_key])
        if item.get(DIRECTIVE) == DELETE:
            deleted.append(label)
        elif _find(live_value, merge_key, item[merge_key]) is not None:
            updated.append(label)
        else:
            added.append(label)
    parts = []
    if updated:
        parts.append("updates " + ", ".join(updated))
    if added:
        parts.append("adds " + ", ".join(added))
    if deleted:
        parts.append("deletes " + ", ".join(deleted))
    kept_live = [
        go_text(i.get(merge_key))
        for i in (live_value if isinstance(live_value, list) else [])
        if isinstance(i, dict)
        and _find(items, merge_key, i.get(merge_key)) is None
        and _find(modified_value, merge_key, i.get(merge_key)) is None
    ]
    if kept_live:
        parts.append("keeps " + ", ".join(kept_live) + " (live only)")
    order = patch.get(f"{SET_ELEMENT_ORDER}/{key}")
    if isinstance(order, list):
        wanted = [go_text(o.get(merge_key)) for o in order if isinstance(o, dict)]
        before = [
            go_text(i.get(merge_key))
            for i in (live_value if isinstance(live_value, list) else [])
            if isinstance(i, dict) and go_text(i.get(merge_key)) in wanted
        ]
        before = list(dict.fromkeys(before))
        if [w for w in wanted if w in before] != before:
            parts.append("reorders them as " + ", ".join(wanted))
    return f"merges {path} item by item on {merge_key}: " + "; ".join(parts or ["no change"])


def _duplicate_key_warnings(
    path: str,
    items: list[JSON],
    live_value: JSON,
    modified_value: JSON,
    merge_key: str,
    warnings: list[str],
) -> None:
    for label, source in (("the live object", live_value), ("the manifest", modified_value)):
        if not isinstance(source, list):
            continue
        counts = Counter(
            go_text(i.get(merge_key)) for i in source if isinstance(i, dict) and merge_key in i
        )
        for value, count in counts.items():
            if count > 1:
                warnings.append(
                    f"{path}: {count} items of {label} share {merge_key} {value}; kubectl merges "
                    f"this list on {merge_key} alone, so it cannot tell them apart"
                )
    for item in items:
        if not isinstance(item, dict) or item.get(DIRECTIVE) != DELETE or merge_key not in item:
            continue
        if _find(modified_value, merge_key, item[merge_key]) is not None:
            warnings.append(
                f"{path}: the patch deletes every item with {merge_key} "
                f"{go_text(item[merge_key])}, including the one the manifest keeps: "
                f"the result has no {merge_key} {go_text(item[merge_key])}"
            )
