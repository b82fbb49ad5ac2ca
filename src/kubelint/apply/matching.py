"""Which live object each manifest object is, as kubectl matches them, and the order in
which both kinds of apply go through the manifest.

kubectl matches an object by API group, kind, namespace and name; the namespace is the
default one for a namespaced object that names none, and none for a cluster-scoped one
(a custom resource's scope comes from its CRD, see :mod:`kubelint.apply.scopes`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from kubelint.apply.model import ApplyInputError, ObjectKey, SourcedObject, metadata_of
from kubelint.apply.scopes import Scopes, guessed_scope_note
from kubelint.apply.values import JSON, copy, json_type
from kubelint.schema.store import group_of, is_cluster_scoped


def _namespaced(
    group: str,
    kind: str,
    name: str,
    lives: dict[ObjectKey, SourcedObject],
    scopes: Scopes | None = None,
) -> bool:
    scoped = is_cluster_scoped(group, kind)
    if scoped is not None:
        return not scoped
    # a custom resource: kubectl learns its scope from discovery, kubelint from its CRD
    custom = scopes.get(group, kind) if scopes is not None else None
    if custom is not None:
        return custom.namespaced
    # without one, a live object of that name without a namespace, or live objects of
    # the kind that all lack one, tell
    if ObjectKey(group, kind, None, name) in lives:
        return False
    found = [k for k in lives if k.group == group and k.kind == kind]
    return not found or any(k.namespace is not None for k in found)


def identify(
    value: JSON,
    default_namespace: str,
    lives: dict[ObjectKey, SourcedObject] | None = None,
    scopes: Scopes | None = None,
) -> ObjectKey:
    """The identity kubectl matches ``value`` by (namespace filled in when namespaced)."""
    if not isinstance(value, dict):
        raise ApplyInputError("a manifest document must be a mapping")
    api_version, kind = value.get("apiVersion"), value.get("kind")
    if not isinstance(api_version, str) or not api_version:
        raise ApplyInputError("apiVersion not set")
    if not isinstance(kind, str) or not kind:
        raise ApplyInputError("kind not set")
    metadata = metadata_of(value)
    name = metadata.get("name")
    if not isinstance(name, str) or not name:
        if metadata.get("generateName"):
            raise ApplyInputError("cannot use generate name with apply")
        raise ApplyInputError("metadata.name is required")
    group = group_of(api_version)
    namespace = metadata.get("namespace")
    if not _namespaced(group, kind, name, lives or {}, scopes):
        return ObjectKey(group, kind, None, name)
    if not isinstance(namespace, str) or not namespace:
        namespace = default_namespace
    return ObjectKey(group, kind, namespace, name)


def describe_object(value: dict[str, JSON], key: ObjectKey) -> str:
    """``apps/v1 Deployment default/web`` (no namespace part when cluster-scoped)."""
    where = f"{key.namespace}/{key.name}" if key.namespace is not None else key.name
    return f"{value.get('apiVersion')} {key.kind} {where}"


def applied_configuration(manifest: dict[str, JSON], key: ObjectKey) -> dict[str, JSON]:
    """The manifest with ``metadata.namespace`` as kubectl's resource builder leaves it:
    what kubectl sends for a server-side apply, and what client-side apply adds its
    annotation to.

    A namespaced object without a namespace gets the default one (cli-runtime
    ``SetNamespace``); a cluster-scoped object loses any namespace it names
    (``FilterNamespace``, which runs before the annotation, the patch or the create body
    is computed).
    """
    config = copy(manifest)
    metadata = config.get("metadata")
    if not isinstance(metadata, dict):
        raise ApplyInputError("metadata must be a mapping")
    if key.namespace is None:
        metadata.pop("namespace", None)
    elif not isinstance(metadata.get("namespace"), str) or not metadata["namespace"]:
        metadata["namespace"] = key.namespace
    return config


def index_live(
    objects: list[SourcedObject], default_namespace: str, scopes: Scopes | None = None
) -> tuple[dict[ObjectKey, SourcedObject], list[str]]:
    """Live objects by identity, and problems with the ones that cannot be identified."""
    found: dict[ObjectKey, SourcedObject] = {}
    problems: list[str] = []
    for item in objects:
        if not isinstance(item.value, dict):
            line, column = item.start
            where = f"{item.path}:{line + 1}:{column + 1}" if item.path else item.source
            problems.append(
                f"{where}: a live object must be a mapping, not {_json_kind(item.value)}"
            )
            continue
        try:
            metadata = metadata_of(item.value)
            namespace = metadata.get("namespace")
            key = identify(item.value, default_namespace, None, scopes)
            if not namespace and key.namespace is not None and _unknown_kind(key, scopes):
                key = ObjectKey(key.group, key.kind, None, key.name)
        except ApplyInputError as exc:
            problems.append(f"{item.source}: {exc}")
            continue
        if key.namespace is not None and metadata.get("namespace") != key.namespace:
            # the API server stores a namespaced object with its namespace, always
            value = copy(item.value)
            value.setdefault("metadata", {})["namespace"] = key.namespace
            item = SourcedObject(value, item.source, item.path, item.node, item.start)
        found[key] = item
    return found, problems


def _json_kind(value: JSON) -> str:
    """``a number``, ``a list`` ...: what a value is, for messages."""
    names = {"null": "null", "bool": "a boolean", "number": "a number", "string": "a string"}
    return names.get(json_type(value), "a list")


def _unknown_kind(key: ObjectKey, scopes: Scopes | None = None) -> bool:
    """Whether the scope of ``key``'s kind is neither built in nor from a CRD at hand."""
    if scopes is not None and scopes.get(key.group, key.kind) is not None:
        return False
    return is_cluster_scoped(key.group, key.kind) is None


def scope_of_run(
    manifests: list[SourcedObject], lives: list[SourcedObject], crds: list[SourcedObject]
) -> Scopes:
    """The scopes of the custom resources of a run, from the CRDs among the live objects
    (what the cluster serves), the ``--crd`` files, then the manifests."""
    return Scopes.of(
        *(((o.value, o.source) for o in objects) for objects in (lives, crds, manifests))
    )


def guessed_scope(key: ObjectKey, scopes: Scopes | None) -> str | None:
    """The note for an object whose kind's scope kubelint guessed (no CRD at hand)."""
    if not _unknown_kind(key, scopes):
        return None
    return guessed_scope_note(key.kind, key.group, key.namespace is not None)


_R = TypeVar("_R")


def apply_in_order(
    manifests: list[SourcedObject],
    lives: list[SourcedObject],
    default_namespace: str,
    apply_one: Callable[
        [SourcedObject, ObjectKey, SourcedObject | None], tuple[_R, dict[str, JSON] | None]
    ],
    unidentified: Callable[[SourcedObject, str, str], _R],
    scopes: Scopes | None = None,
) -> tuple[list[_R], list[str]]:
    """Each manifest object matched with its live object and applied, in order.

    ``apply_one(manifest, key, live)`` returns its result and the object now live (None:
    the live state stays as it was), which a later manifest object of the same identity
    then sees. An object kubectl cannot identify gets ``unidentified(manifest, label,
    error)`` instead. Also returns the problems with live objects that cannot be
    identified.
    """
    state, problems = index_live(lives, default_namespace, scopes)
    results: list[_R] = []
    for manifest in manifests:
        value = manifest.value if isinstance(manifest.value, dict) else {}
        label = f"{value.get('apiVersion')} {value.get('kind')} ?"
        try:
            key = identify(manifest.value, default_namespace, state, scopes)
        except ApplyInputError as exc:
            results.append(unidentified(manifest, label, manifest.error or str(exc)))
            continue
        if manifest.error is not None:
            results.append(unidentified(manifest, describe_object(value, key), manifest.error))
            continue
        result, written = apply_one(manifest, key, state.get(key))
        results.append(result)
        if written is not None:
            state[key] = SourcedObject(written, manifest.source)
    return results, problems
