"""``kubectl apply --server-side``, previewed offline from ``metadata.managedFields``.

The API server merges an applied configuration into the live object and keeps, per
field manager, the set of fields it owns. This module previews one run of
``kubectl apply --server-side`` over the live objects that ``kubectl get -o yaml``
prints: it checks what the server refuses before merging, has the field managers
(:mod:`kubelint.apply.server_side.field_managers`) answer each PATCH kubectl sends, and
tells what changes, what is removed, who conflicts and who comes to own what. Following kubectl
(``apply.go``), a successful apply by the manager ``kubectl`` is followed by handing the
last-applied annotation to ``kubectl-last-applied`` and, where client-side apply managers
own fields, by moving those to the server-side manager and applying again.

The types come from the bundled schemas (:mod:`kubelint.apply.server_side.smd_types`);
the typed operations are in :mod:`kubelint.apply.server_side.smd_fieldsets` and
:mod:`kubelint.apply.server_side.smd_merge`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from kubelint.apply.matching import (
    applied_configuration,
    apply_in_order,
    describe_object,
    guessed_scope,
    scope_of_run,
)
from kubelint.apply.model import DEFAULT_NAMESPACE, ApplyInputError, ObjectKey, SourcedObject
from kubelint.apply.refusals.kubectl import namespace_refusal, unknown_api
from kubelint.apply.scopes import Scopes
from kubelint.apply.server_side import field_paths as fp
from kubelint.apply.server_side.field_managers import (
    BEFORE_FIRST_APPLY,
    DEFAULT_MANAGER,
    LAST_APPLIED_PATH,
    Applied,
    Conflicts,
    ManagedFieldsError,
    ManagerId,
    Managers,
    baseline,
    decode_managed_fields,
    encode_managed_fields,
    field_manager_apply,
    last_applied,
    server_apply,
    upgrade_client_side_managers,
)
from kubelint.apply.server_side.field_paths import FieldSet, Path
from kubelint.apply.server_side.smd_fieldsets import compare, value_at
from kubelint.apply.server_side.smd_types import (
    MISSING,
    InvalidValue,
    Kind,
    SmdType,
    kind_of,
    smd_equal,
    validate,
)
from kubelint.apply.values import JSON, copy
from kubelint.load.objects import LAST_APPLIED
from kubelint.schema.store import KubernetesSchemas

#: The manager kubectl hands the last-applied annotation to after a server-side apply.
LAST_APPLIED_MANAGER: Final = "kubectl-last-applied"

#: What happens to one object.
Operation = Literal["create", "apply", "unchanged", "conflict", "error"]


class PreviewError(Exception):
    """An apply the API server would refuse before merging, or that cannot be previewed."""


@dataclass(slots=True)
class Conflict:
    """A field another manager owns that the apply would change."""

    path: Path
    managers: list[ManagerId]
    live: Any
    applied: Any


#: The content types of the PATCH requests kubectl sends.
APPLY_PATCH: Final = "application/apply-patch+yaml"
JSON_PATCH: Final = "application/json-patch+json"


@dataclass(frozen=True, slots=True)
class Request:
    """A PATCH kubectl sends: its content type, field manager and force parameter."""

    content_type: str
    field_manager: str
    force: bool | None = None

    def describe(self) -> str:
        """``PATCH application/apply-patch+yaml (fieldManager=kubectl, force=false)``."""
        force = "" if self.force is None else f", force={str(self.force).lower()}"
        return f"PATCH {self.content_type} (fieldManager={self.field_manager}{force})"


@dataclass(slots=True)
class Change:
    """A field whose value differs between the live object and the result."""

    path: Path
    live: Any
    result: Any
    reason: str = ""


@dataclass(slots=True)
class Owning:
    """A field the applier comes to own, and the other managers that own it too."""

    path: Path
    shared_with: list[ManagerId] = field(default_factory=list)


@dataclass(slots=True)
class Preview:
    """What ``kubectl apply --server-side`` would do to one object."""

    object: str
    operation: Operation
    source: str
    manager: str
    force: bool
    live: dict[str, JSON] | None = None
    result: dict[str, JSON] | None = None
    managed_fields: list[dict[str, JSON]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    forced: list[Conflict] = field(default_factory=list)
    forgiven: list[Conflict] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    newly_owned: list[Owning] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The entry of ``kubelint apply --server-side --output json``."""
        entry: dict[str, Any] = {
            "object": self.object,
            "operation": self.operation,
            "preview": "offline",
            "fieldManager": self.manager,
            "force": self.force,
            "conflicts": [_conflict_json(c) for c in self.conflicts],
            "forced": [_conflict_json(c) for c in self.forced],
            "forgiven": [_conflict_json(c) for c in self.forgiven],
            "changed": [
                {"path": fp.render(c.path), "live": _json(c.live), "result": _json(c.result)}
                for c in self.changed
            ],
            "removed": [
                {"path": fp.render(c.path), "live": _json(c.live), "reason": c.reason}
                for c in self.removed
            ],
            "newlyOwned": [
                {"path": fp.render(o.path), "sharedWith": [m.manager for m in o.shared_with]}
                for o in self.newly_owned
            ],
            "result": self.result,
            "managedFields": self.managed_fields,
            "requests": [
                {"contentType": r.content_type, "fieldManager": r.field_manager, "force": r.force}
                for r in self.requests
            ],
            "notes": list(self.notes),
            "warnings": list(self.warnings),
            "source": self.source,
        }
        if self.error is not None:
            entry["error"] = self.error
        return entry


def _json(value: Any) -> Any:
    return None if value is MISSING else value


def _conflict_json(conflict: Conflict) -> dict[str, Any]:
    return {
        "path": fp.render(conflict.path),
        "managers": [m.manager for m in conflict.managers],
        "owners": [m.describe() for m in conflict.managers],
        "live": _json(conflict.live),
        "applied": _json(conflict.applied),
    }


# ---------------------------------------------------------------------------------------
# One object


def preview(
    manifest: SourcedObject,
    key: ObjectKey,
    live: SourcedObject | None,
    schemas: KubernetesSchemas,
    manager: str = DEFAULT_MANAGER,
    force: bool = False,
) -> Preview:
    """The outcome of ``kubectl apply --server-side`` of ``manifest`` over ``live``."""
    name = describe_object(manifest.value, key)
    out = Preview(name, "apply", manifest.source, manager, force)
    api_version = str(manifest.value.get("apiVersion"))
    kind = kind_of(schemas, api_version, key.kind)
    if kind.deduced:
        out.notes.append(
            f"no schema for {api_version} {key.kind}: every list is taken as atomic (replaced "
            "whole) and every map as granular, as the API server does for a type it deduces; "
            "the CRD's x-kubernetes-list-type and x-kubernetes-map-type would change that, "
            "and status is assumed to be a subresource"
        )
    try:
        config = applied_configuration(manifest.value, key)
        # kubectl sends the apply whatever the server then makes of it
        out.requests.append(_apply_request(out.manager, out.force))
        _check_config(config, live.value if live else None, kind)
        if live is None:
            _create(out, config, kind)
        else:
            _apply(out, config, live.value, kind)
    except (ApplyInputError, PreviewError, InvalidValue, ManagedFieldsError) as exc:
        out.operation = "error"
        out.error = str(exc)
    return out


def _check_config(config: dict[str, JSON], live: dict[str, JSON] | None, kind: Kind) -> None:
    metadata = _metadata(config)
    if metadata.get("managedFields") is not None:
        raise PreviewError(
            "metadata.managedFields must be nil: the API server refuses an applied "
            "configuration that carries managedFields (remove them from the manifest)"
        )
    if live is not None and live.get("apiVersion") != config.get("apiVersion"):
        raise PreviewError(
            f"the live object is at {live.get('apiVersion')} and the manifest at "
            f"{config.get('apiVersion')}: the server converts between them, this preview "
            "cannot; export the live object at the manifest's version"
        )
    for name in ("resourceVersion", "uid"):
        mine = metadata.get(name)
        theirs = _metadata(live).get(name) if live is not None else None
        if mine is not None and live is not None and mine != theirs:
            raise PreviewError(
                f"metadata.{name} is {json.dumps(mine)} in the manifest and "
                f"{json.dumps(theirs)} in the live object: the server refuses the apply (a "
                "resourceVersion is a precondition, a uid cannot change)"
            )
    try:
        validate(config, kind.root)
    except InvalidValue as exc:
        raise PreviewError(f"failed to create typed patch object: {exc}") from exc


def _metadata(value: dict[str, JSON]) -> dict[str, JSON]:
    metadata = value.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def _create(out: Preview, config: dict[str, JSON], kind: Kind) -> None:
    out.operation = "create"
    empty: dict[str, JSON] = {"apiVersion": config.get("apiVersion"), "kind": config.get("kind")}
    applied = field_manager_apply(empty, config, {}, kind, out.manager, out.force)
    out.result = applied.object
    out.managed_fields = encode_managed_fields(applied.managers)
    out.newly_owned = _newly_owned({}, applied.managers, out.manager, kind.root)
    out.notes.append("created: the object does not exist in the live state")


def _apply_request(manager: str, force: bool | None) -> Request:
    return Request(APPLY_PATCH, manager, force)


def _apply(out: Preview, config: dict[str, JSON], live: dict[str, JSON], kind: Kind) -> None:
    out.live = live
    state = _without_managed_fields(live)
    managers = decode_managed_fields(_metadata(live).get("managedFields"))
    if not managers:
        out.warnings.append(
            "the live object has no metadata.managedFields: kubectl get -o yaml leaves them "
            "out unless --show-managed-fields is given (export the object again with it if "
            "it has them); for an object that has none, the server first gives every field "
            f'to "{BEFORE_FIRST_APPLY}", so every field the manifest changes is a conflict'
        )
    versions = sorted({o.api_version for o in managers.values()} - {str(config["apiVersion"])})
    if versions:
        out.notes.append(
            f"managers writing at {', '.join(versions)} are read as if at "
            f"{config['apiVersion']} (the server converts their fields; paths rarely differ)"
        )
    try:
        applied = server_apply(state, config, managers, kind, out.manager, out.force)
    except Conflicts as exc:
        out.operation = "conflict"
        out.conflicts = _conflicts(exc.conflicts, state, config, kind.root)
        out.result = state
        out.managed_fields = encode_managed_fields(managers)
        return
    out.forgiven = _conflicts(applied.forgiven, state, config, kind.root)
    if out.force:
        before = baseline(state, managers, kind)
        out.forced = _forced(before, applied.managers, out.manager, state, config, kind)
    obj, now, migrated = _after_apply(out, config, applied, kind)
    if kind.ignored and isinstance(config.get("status"), dict):
        out.notes.append("status in the manifest is ignored: the main resource keeps its own")
    out.result = obj
    out.managed_fields = encode_managed_fields(now)
    _describe_changes(out, state, obj, migrated, baseline(state, managers, kind), kind)
    out.newly_owned = _newly_owned(managers, now, out.manager, kind.root)
    if smd_equal(state, obj):
        if _same_ownership(managers, now):
            out.operation = "unchanged"
        else:
            out.notes.append("no field changes; only metadata.managedFields does")


def _after_apply(
    out: Preview, config: dict[str, JSON], applied: Applied, kind: Kind
) -> tuple[dict[str, JSON], Managers, FieldSet]:
    """What kubectl does once the apply succeeded (apply.go): keep the last-applied
    annotation under a manager of its own, then move client-side apply fields over.

    Returns the object, its managers, and the fields the applier got from client-side
    apply managers."""
    obj, now = applied.object, applied.managers
    if out.manager == DEFAULT_MANAGER and last_applied(obj) is not None:
        owners = [
            m for m, o in now.items() if m.operation == "Apply" and LAST_APPLIED_PATH in o.fields
        ]
        if not owners:
            out.requests.append(_apply_request(LAST_APPLIED_MANAGER, None))
            keep = _just_the_annotation(obj)
            try:
                step = server_apply(obj, keep, now, kind, LAST_APPLIED_MANAGER, False)
                obj, now = step.object, step.managers
            except Conflicts:
                out.warnings.append(
                    f'kubectl cannot give the last-applied annotation to "{LAST_APPLIED_MANAGER}"'
                    " (conflict); it only warns"
                )
    upgraded = upgrade_client_side_managers(now, out.manager)
    if upgraded == now:
        return obj, now, fp.EMPTY
    applier = ManagerId(out.manager, "Apply")
    had = now[applier].fields if applier in now else fp.EMPTY
    migrated = upgraded[applier].fields - had if applier in upgraded else fp.EMPTY
    moved = sorted({m.manager for m in now if m.operation == "Update" and m not in upgraded})
    out.requests.append(Request(JSON_PATCH, out.manager))
    out.requests.append(_apply_request(out.manager, out.force))
    out.notes.append(
        f"kubectl moves the fields of {', '.join(moved)} (client-side apply) to "
        f'"{out.manager}" and applies again: what client-side apply owned and the manifest '
        "no longer sets is removed then, server defaults included (the server fills those "
        "in again)"
    )
    try:
        again = server_apply(obj, config, upgraded, kind, out.manager, out.force)
    except Conflicts as exc:
        out.warnings.append(
            "kubectl's second apply, after moving the client-side apply fields, conflicts "
            f"with {', '.join(sorted(m.manager for m in exc.conflicts))}; kubectl only warns"
        )
        return obj, upgraded, migrated
    return again.object, again.managers, migrated


def _without_managed_fields(value: dict[str, JSON]) -> dict[str, JSON]:
    out = copy(value)
    metadata = out.get("metadata")
    if isinstance(metadata, dict):
        metadata.pop("managedFields", None)
    return out


def _just_the_annotation(obj: dict[str, JSON]) -> dict[str, JSON]:
    metadata = _metadata(obj)
    keep: dict[str, JSON] = {"name": metadata.get("name")}
    if metadata.get("namespace"):
        keep["namespace"] = metadata["namespace"]
    keep["annotations"] = {LAST_APPLIED: last_applied(obj)}
    return {"apiVersion": obj.get("apiVersion"), "kind": obj.get("kind"), "metadata": keep}


def _same_ownership(before: Managers, after: Managers) -> bool:
    return {m: o.fields for m, o in before.items()} == {m: o.fields for m, o in after.items()}


def _conflicts(
    found: dict[ManagerId, FieldSet], live: Any, config: Any, root: SmdType
) -> list[Conflict]:
    by_path: dict[Path, list[ManagerId]] = {}
    for identity, paths in found.items():
        for path in paths:
            by_path.setdefault(path, []).append(identity)
    return [
        Conflict(
            path,
            sorted(by_path[path]),
            value_at(live, path, root),
            value_at(config, path, root),
        )
        for path in sorted(by_path, key=fp.path_order)
    ]


def _forced(
    before: Managers, after: Managers, manager: str, live: Any, config: Any, kind: Kind
) -> list[Conflict]:
    """Fields other managers lost to the applier (a forced or forgiven conflict)."""
    applier = ManagerId(manager, "Apply")
    mine = after.get(applier)
    if mine is None:
        return []
    taken: dict[ManagerId, FieldSet] = {}
    for identity, owned in before.items():
        if identity == applier:
            continue
        remaining = after.get(identity)
        lost = (owned.fields - (remaining.fields if remaining else fp.EMPTY)) & mine.fields
        if lost:
            taken[identity] = frozenset(lost)
    return _conflicts(taken, live, config, kind.root)


def _describe_changes(
    out: Preview,
    live: dict[str, JSON],
    result: dict[str, JSON],
    migrated: FieldSet,
    before: Managers,
    kind: Kind,
) -> None:
    changes = compare(live, result, kind.root)
    for path in sorted(changes.modified, key=fp.path_order):
        out.changed.append(
            Change(path, value_at(live, path, kind.root), value_at(result, path, kind.root))
        )
    for path in fp.top_most(changes.added):
        out.changed.append(Change(path, MISSING, value_at(result, path, kind.root)))
    for path in fp.top_most(changes.removed):
        below = {p for p in migrated if p == path or _below(p, path)}
        reason = (
            "client-side apply owned it, kubectl moved that to the server-side manager, and "
            "the manifest does not set it: the server sets it again if it has a default"
            if below
            else f'applied by "{out.manager}" before, not in the manifest, and no other '
            "manager owns it"
        )
        inside = sorted(
            {
                m.manager
                for m, o in before.items()
                if m.manager != out.manager and any(_below(p, path) for p in o.fields)
            }
        )
        if inside and not below:
            reason += f" ({', '.join(inside)} owned fields inside it only, which go with it)"
        out.removed.append(Change(path, value_at(live, path, kind.root), MISSING, reason))


def _below(path: Path, top: Path) -> bool:
    return len(path) > len(top) and path[: len(top)] == top


def _newly_owned(before: Managers, after: Managers, manager: str, root: SmdType) -> list[Owning]:
    """Fields the applier owns now and did not before; a struct or map that is owned only
    for what it holds (a deduced type's keys) is not listed for itself."""
    applier = ManagerId(manager, "Apply")
    now = after.get(applier)
    if now is None:
        return []
    was = before.get(applier)
    gained = now.fields - (was.fields if was else fp.EMPTY)
    nodes = {p[:n] for p in now.fields for n in range(1, len(p))}
    listed = [p for p in gained if not (p in nodes and p[-1].startswith(fp.FIELD))]
    out: list[Owning] = []
    for path in fp.top_most(listed):
        others = sorted(
            m
            for m, o in after.items()
            if m != applier and any(p == path or _below(p, path) for p in o.fields)
        )
        out.append(Owning(path, others))
    return out


# ---------------------------------------------------------------------------------------
# Every object of a run


def preview_all(
    manifests: list[SourcedObject],
    lives: list[SourcedObject],
    schemas: KubernetesSchemas,
    default_namespace: str = DEFAULT_NAMESPACE,
    manager: str = DEFAULT_MANAGER,
    force: bool = False,
    scopes: Scopes | None = None,
    *,
    enforce_namespace: bool = False,
) -> tuple[list[Preview], list[str]]:
    """Preview every manifest object in order (a later one sees an earlier one's result);
    ``scopes`` and ``enforce_namespace`` as for
    :func:`kubelint.apply.client_side.simulate.apply_all`: kubectl refuses a namespace
    other than an explicit ``--namespace`` before it sends anything, on a server-side
    apply too."""
    if scopes is None:
        scopes = scope_of_run(manifests, lives, [])

    def preview_one(
        manifest: SourcedObject, key: ObjectKey, live: SourcedObject | None
    ) -> tuple[Preview, dict[str, JSON] | None]:
        refused = namespace_refusal(manifest, key, default_namespace) if enforce_namespace else None
        if refused is None:
            refused = unknown_api(manifest, key, schemas, scopes)
        if refused is not None:
            name = describe_object(manifest.value, key)
            return Preview(
                name, "error", manifest.source, manager, force, error=refused.message
            ), None
        found = preview(manifest, key, live, schemas, manager, force)
        guessed = guessed_scope(key, scopes)
        if guessed is not None:
            found.notes.append(guessed)
        if found.result is None or found.operation not in ("create", "apply", "unchanged"):
            return found, None
        written = copy(found.result)
        written.setdefault("metadata", {})["managedFields"] = found.managed_fields
        return found, written

    def unidentified(manifest: SourcedObject, label: str, error: str) -> Preview:
        return Preview(label, "error", manifest.source, manager, force, error=error)

    return apply_in_order(manifests, lives, default_namespace, preview_one, unidentified, scopes)


def dumps(previews: list[Preview]) -> str:
    """The ``--output json`` document."""
    return json.dumps([p.as_json() for p in previews], indent=2, ensure_ascii=False) + "\n"
