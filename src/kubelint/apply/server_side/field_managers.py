"""Field managers: who owns which field of an object, and what an apply does to that.

An object's ``metadata.managedFields`` lists, per field manager, the set of fields it
owns. This module reads and writes those entries and computes, for one apply request,
the merged object and the new ownership, following the code that runs in the API server:

* sigs.k8s.io/structured-merge-diff (``merge/update.go``, ``Updater.Apply``): merge the
  configuration into the live object; take the configuration's field set as the
  applier's new set; prune what the applier owned before and no longer sets, unless
  another manager owns it too; then compare the live object with the result: a field
  that changes and that another manager owns is a conflict, which fails the apply unless
  forced, and a forced conflict moves the field to the applier;
* k8s.io/apimachinery ``pkg/util/managedfields/internal``: managers are identified by
  name, operation, subresource and (for ``Update``) API version; ``apiVersion``,
  ``kind``, ``metadata.name`` ... are never owned (``stripmeta.go``); an object without
  managedFields first gets every field owned by ``before-first-apply``
  (``skipnonapplied.go``); for the manager ``kubectl``, conflicts on fields that still
  hold their client-side last-applied value are forgiven (``lastappliedmanager.go``) and
  the last-applied annotation is rewritten (``lastappliedupdater.go``);
* kubectl's ``csaupgrade``: the fields of client-side apply managers handed to the
  server-side manager.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

from kubelint.apply.server_side import field_paths as fp
from kubelint.apply.server_side.field_paths import FieldSet, Path
from kubelint.apply.server_side.smd_fieldsets import (
    Comparison,
    compare,
    ensure_named_fields,
    field_set,
    remove_items,
)
from kubelint.apply.server_side.smd_merge import merge
from kubelint.apply.server_side.smd_types import InvalidValue, Kind, SmdType, smd_equal, validate
from kubelint.apply.values import JSON, copy, go_json
from kubelint.load.objects import LAST_APPLIED

#: The field manager of ``kubectl apply --server-side`` unless ``--field-manager`` is given.
DEFAULT_MANAGER: Final = "kubectl"
#: Who owns every field of an object that had no managedFields before its first apply.
BEFORE_FIRST_APPLY: Final = "before-first-apply"

#: The path of the last-applied annotation.
LAST_APPLIED_PATH: Final[Path] = (
    fp.field_element("metadata"),
    fp.field_element("annotations"),
    fp.field_element(LAST_APPLIED),
)


class ManagedFieldsError(Exception):
    """metadata.managedFields that the API server cannot decode."""


# ---------------------------------------------------------------------------------------
# Managers and their entries in metadata.managedFields


@dataclass(frozen=True, slots=True, order=True)
class ManagerId:
    """How the server tells managers apart (managedfields BuildManagerIdentifier)."""

    manager: str
    operation: Literal["Apply", "Update"]
    api_version: str = ""  # only for Update: an applier is one manager at every version
    subresource: str = ""

    def describe(self) -> str:
        """As the server names a manager in a conflict message."""
        text = json.dumps(self.manager)
        if self.subresource:
            text += f" with subresource {json.dumps(self.subresource)}"
        if self.operation == "Update":
            text += f" using {self.api_version}"
        return text


@dataclass(frozen=True, slots=True)
class Owned:
    """A manager's fields, the API version they are written at, and when it last wrote."""

    fields: FieldSet
    api_version: str
    time: str | None = None
    #: the entry is written by the previewed request (its time would be now)
    stamped: bool = False


#: Each manager and what it owns: the decoded metadata.managedFields.
Managers = dict[ManagerId, Owned]


class Conflicts(Exception):
    """Fields another manager owns and the apply changes (merge.Conflicts)."""

    def __init__(self, conflicts: dict[ManagerId, FieldSet]) -> None:
        super().__init__(f"{sum(len(c) for c in conflicts.values())} conflicts")
        self.conflicts = conflicts


def decode_managed_fields(entries: Any) -> Managers:
    """metadata.managedFields as the server reads them (DecodeManagedFields)."""
    if entries is None:
        return {}
    if not isinstance(entries, list):
        raise ManagedFieldsError(
            "failed to decode managed fields: metadata.managedFields is not a list"
        )
    managers: Managers = {}
    for index, entry in enumerate(entries):
        where = f"failed to decode managed fields: entry {index}"
        if not isinstance(entry, dict):
            raise ManagedFieldsError(f"{where}: not a mapping")
        operation = entry.get("operation")
        if operation not in ("Apply", "Update"):
            raise ManagedFieldsError(f"{where}: operation must be `Apply` or `Update`")
        api_version = entry.get("apiVersion")
        if not isinstance(api_version, str) or not api_version:
            raise ManagedFieldsError(f"{where}: apiVersion must not be empty")
        if entry.get("fieldsType") != "FieldsV1":
            raise ManagedFieldsError(f"{where}: invalid fieldsType {entry.get('fieldsType')!r}")
        try:
            fields = fp.from_fields_v1(entry.get("fieldsV1") or {})
        except fp.FieldsError as exc:
            raise ManagedFieldsError(f"{where}: {exc}") from exc
        identity = ManagerId(
            str(entry.get("manager") or ""),
            operation,
            api_version if operation == "Update" else "",
            str(entry.get("subresource") or ""),
        )
        time = entry.get("time")
        managers[identity] = Owned(fields, api_version, str(time) if time else None)
    return managers


def encode_managed_fields(managers: Managers) -> list[dict[str, JSON]]:
    """metadata.managedFields as the server writes them, in its order."""
    entries: list[dict[str, JSON]] = []
    for identity, owned in sorted(managers.items(), key=_entry_order):
        entry: dict[str, JSON] = {
            "apiVersion": owned.api_version,
            "fieldsType": "FieldsV1",
            "fieldsV1": fp.to_fields_v1(owned.fields),
            "manager": identity.manager,
            "operation": identity.operation,
        }
        if identity.subresource:
            entry["subresource"] = identity.subresource
        if owned.time is not None and not owned.stamped:
            entry["time"] = owned.time
        entries.append(entry)
    return entries


def _entry_order(item: tuple[ManagerId, Owned]) -> tuple[Any, ...]:
    identity, owned = item
    when = (1, "") if owned.stamped else (0, owned.time or "")
    return (identity.operation, when, identity.manager, owned.api_version, identity.subresource)


#: Fields nobody owns (stripmeta.go); only these exact paths, not what is below them.
_NEVER_OWNED: Final[FieldSet] = frozenset(
    {
        (fp.field_element("apiVersion"),),
        (fp.field_element("kind"),),
        (fp.field_element("metadata"),),
        *(
            (fp.field_element("metadata"), fp.field_element(name))
            for name in (
                "name",
                "namespace",
                "creationTimestamp",
                "selfLink",
                "uid",
                "clusterName",
                "generation",
                "managedFields",
                "resourceVersion",
            )
        ),
    }
)


# ---------------------------------------------------------------------------------------
# The merge of structured-merge-diff's Updater (merge/update.go)


def _update_managers(
    live: Any,
    new: Any,
    kind: Kind,
    managers: Managers,
    workflow: ManagerId,
    force: bool,
) -> tuple[Managers, Comparison]:
    """merge/update.go ``update``: conflicts, and other managers losing what changed."""
    changes = compare(live, new, kind.root).exclude(kind.ignored)
    touched = changes.modified | changes.added
    conflicts = {
        identity: frozenset(owned.fields & touched)
        for identity, owned in managers.items()
        if identity != workflow and owned.fields & touched
    }
    if conflicts and not force:
        raise Conflicts(conflicts)
    out: Managers = {}
    for identity, owned in managers.items():
        fields = owned.fields
        if identity != workflow:
            fields = fields - conflicts.get(identity, fp.EMPTY) - changes.removed
        if fields:
            out[identity] = owned if fields == owned.fields else replace(owned, fields=fields)
    return out, changes


def smd_update(
    live: Any, new: Any, kind: Kind, managers: Managers, manager: ManagerId, api_version: str
) -> Managers:
    """merge/update.go ``Update``: a non-apply write by ``manager``."""
    managers, changes = _update_managers(live, new, kind, managers, manager, force=True)
    before = managers.get(manager)
    fields = (before.fields if before else fp.EMPTY) | changes.modified | changes.added
    fields = frozenset(fp.recursive_difference(fields - changes.removed, kind.ignored))
    if fields:
        managers[manager] = Owned(fields, api_version, stamped=True)
    else:
        managers.pop(manager, None)
    return managers


def smd_apply(
    live: Any,
    config: Any,
    kind: Kind,
    managers: Managers,
    applier: ManagerId,
    api_version: str,
    force: bool,
) -> tuple[Any, Managers]:
    """merge/update.go ``Apply``: the merged object (None: unchanged) and the managers."""
    merged = merge(live, config, kind.root)
    last = managers.get(applier)
    managers = dict(managers)
    applied = frozenset(fp.recursive_difference(field_set(config, kind.root), kind.ignored))
    managers[applier] = Owned(applied, api_version, last.time if last else None)
    merged = _prune(merged, managers, last, kind.root)
    managers, _ = _update_managers(live, merged, kind, managers, applier, force)
    return (None if smd_equal(live, merged) else merged), managers


def _prune(merged: Any, managers: Managers, last: Owned | None, root: SmdType) -> Any:
    """Remove what the applier set last time and no longer sets, unless someone owns it.

    merge/update.go ``prune``, ``addBackOwnedItems`` and ``addBackDanglingItems``.
    """
    if last is None or not last.fields:
        return merged
    last_named = ensure_named_fields(last.fields, root)
    pruned = remove_items(merged, last_named, root)
    owned: set[Path] = set()
    for entry in managers.values():
        owned |= entry.fields
    merged_set = ensure_named_fields(field_set(merged, root), root)
    pruned_set = ensure_named_fields(field_set(pruned, root), root)
    owned_named = ensure_named_fields(owned, root)
    pruned = remove_items(merged, merged_set - (pruned_set | owned_named), root)
    pruned_set = ensure_named_fields(field_set(pruned, root), root)
    return remove_items(merged, (merged_set - pruned_set) & last_named, root)


# ---------------------------------------------------------------------------------------
# The API server's field manager (k8s.io/apimachinery managedfields/internal)


@dataclass(slots=True)
class Applied:
    """One apply request as the server answers it."""

    object: dict[str, JSON]
    managers: Managers
    #: conflicts the server let through because the fields hold their last-applied value
    forgiven: dict[ManagerId, FieldSet] = field(default_factory=dict)


def _strip(managers: Managers, identity: ManagerId) -> Managers:
    owned = managers.get(identity)
    if owned is None:
        return managers
    fields = owned.fields - _NEVER_OWNED
    if fields:
        managers[identity] = replace(owned, fields=fields)
    else:
        del managers[identity]
    return managers


def baseline(live: dict[str, JSON], managers: Managers, kind: Kind) -> Managers:
    """skipnonapplied.go: an object without managedFields first gets every field it has
    owned by ``before-first-apply`` (an Update from an empty object)."""
    if managers:
        return dict(managers)
    api_version = str(live.get("apiVersion"))
    empty = {"apiVersion": live.get("apiVersion"), "kind": live.get("kind")}
    first = ManagerId(BEFORE_FIRST_APPLY, "Update", api_version)
    return _strip(smd_update(empty, live, kind, {}, first, api_version), first)


def field_manager_apply(
    live: dict[str, JSON],
    config: dict[str, JSON],
    managers: Managers,
    kind: Kind,
    manager: str,
    force: bool,
) -> Applied:
    """The chain below lastAppliedManager: skipNonApplied, buildManagerInfo,
    managedFieldsUpdater, stripMeta and structured-merge-diff."""
    managers = baseline(live, managers, kind)
    applier = ManagerId(manager, "Apply")
    api_version = str(config.get("apiVersion"))
    new, managers = smd_apply(live, config, kind, managers, applier, api_version, force)
    managers = _strip(managers, applier)
    if new is not None and applier in managers:
        managers[applier] = replace(managers[applier], stamped=True)
    result = copy(live) if new is None else new
    if kind.ignored:
        # the main resource keeps the status it has (the strategy's PrepareForUpdate)
        result.pop("status", None)
        if "status" in live:
            result["status"] = copy(live["status"])
    return Applied(result, managers)


def server_apply(
    live: dict[str, JSON],
    config: dict[str, JSON],
    managers: Managers,
    kind: Kind,
    manager: str,
    force: bool,
) -> Applied:
    """One PATCH of type application/apply-patch+yaml (raises :class:`Conflicts`)."""
    try:
        applied = field_manager_apply(live, config, managers, kind, manager, force)
    except Conflicts as first:
        if manager != DEFAULT_MANAGER:
            raise
        allowed = _allowed_by_last_applied(live, config, kind)
        if allowed is None:
            raise
        remaining = {m: c - allowed for m, c in first.conflicts.items() if c - allowed}
        if remaining:
            raise Conflicts(remaining) from None
        applied = field_manager_apply(live, config, managers, kind, manager, True)
        applied.forgiven = first.conflicts
    if manager == DEFAULT_MANAGER:
        # lastappliedupdater.go: kubectl's own server-side apply keeps the client-side
        # apply annotation up to date where it exists
        text = last_applied(applied.object)
        if isinstance(text, str) and text:
            updated = _last_applied_text(config)
            applied.object["metadata"]["annotations"][LAST_APPLIED] = updated
    return applied


def last_applied(value: Any) -> Any:
    """The last-applied annotation of an object (None when it has none)."""
    metadata = value.get("metadata") if isinstance(value, dict) else None
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    return annotations.get(LAST_APPLIED) if isinstance(annotations, dict) else None


def _last_applied_text(config: dict[str, JSON]) -> str:
    """lastappliedupdater.go buildLastApplied: the configuration without the annotation,
    as Go's json.Encoder writes it (a trailing newline)."""
    value = copy(config)
    metadata = value.get("metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("annotations"), dict):
        metadata["annotations"].pop(LAST_APPLIED, None)
    return go_json(value) + "\n"


def _allowed_by_last_applied(
    live: dict[str, JSON], config: dict[str, JSON], kind: Kind
) -> frozenset[Path] | None:
    """lastappliedmanager.go: fields of the last-applied annotation the live object still
    has with the same value (None when there is no usable annotation)."""
    text = last_applied(live)
    if not isinstance(text, str) or not text:
        return None
    try:
        last = json.loads(text)
    except ValueError:
        return None
    if not isinstance(last, dict) or last.get("apiVersion") != config.get("apiVersion"):
        return None
    try:
        validate(last, kind.root)
        fields = field_set(last, kind.root)
        changes = compare(last, live, kind.root)
    except InvalidValue:
        return None
    return frozenset(fields - changes.modified - changes.added - changes.removed)


# ---------------------------------------------------------------------------------------
# kubectl's client-side apply upgrade (csaupgrade)


def upgrade_client_side_managers(managers: Managers, applier: str) -> Managers:
    """csaupgrade.UpgradeManagedFields for the Update managers that own the last-applied
    annotation (kubectl's migrateToSSAIfNecessary)."""
    entries = sorted(managers.items(), key=_entry_order)
    names = sorted(
        {m.manager for m, o in entries if m.operation == "Update" and LAST_APPLIED_PATH in o.fields}
    )
    for name in names:
        entries = _upgrade_one(entries, name, applier)
    return dict(entries)


def _upgrade_one(
    entries: list[tuple[ManagerId, Owned]], csa: str, applier: str
) -> list[tuple[ManagerId, Owned]]:
    def is_csa(identity: ManagerId) -> bool:
        return (
            identity.manager == csa and identity.operation == "Update" and not identity.subresource
        )

    target = next(
        (
            i
            for i, (m, _) in enumerate(entries)
            if m.manager == applier and m.operation == "Apply" and not m.subresource
        ),
        None,
    )
    if target is None:
        target = next((i for i, (m, _) in enumerate(entries) if is_csa(m)), None)
        if target is None:
            return entries
        _, owned = entries[target]
        entries[target] = (ManagerId(applier, "Apply"), owned)
    identity, owned = entries[target]
    source = next((o for m, o in entries if is_csa(m) and o.api_version == owned.api_version), None)
    if source is not None:
        entries[target] = (identity, replace(owned, fields=owned.fields | source.fields))
    return [(m, o) for m, o in entries if not is_csa(m)]
