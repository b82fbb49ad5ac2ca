"""KA004 and KA006: what kubectl itself refuses before it sends anything (a namespace other
than an explicit ``--namespace``; an apiVersion and kind its REST mapping cannot find)."""

from __future__ import annotations

from kubelint.apply.client_side import kubectl_scheme
from kubelint.apply.model import ObjectKey, SourcedObject, metadata_of
from kubelint.apply.refusals.rejection import AT_VALUE, Rejection
from kubelint.apply.refusals.rules import API_NOT_SERVED, NAMESPACE_MISMATCH
from kubelint.apply.scopes import Scopes
from kubelint.schema.store import KubernetesSchemas, removed_apis


def namespace_mismatch(manifest_namespace: str, namespace: str) -> Rejection:
    """kubectl's own refusal (resource.Builder's ``RequireNamespace``) when ``--namespace``
    is given and a namespaced object of the manifest names another namespace: kubectl
    sends nothing for that object and fails the command."""
    return Rejection(
        NAMESPACE_MISMATCH,
        f"kubectl would refuse it before sending anything: the namespace from the provided "
        f'object "{manifest_namespace}" does not match the namespace "{namespace}". You '
        f"must pass '--namespace={manifest_namespace}' to perform this operation.",
        f"pass --namespace={manifest_namespace} (or none), or remove metadata.namespace "
        f"from the manifest to apply it to {namespace}",
        (("metadata", "namespace"),),
        AT_VALUE,
    )


def api_not_served(
    api_version: str,
    kind: str,
    name: str,
    namespace: str,
    source: str,
    version: str,
    replacement: str | None,
) -> Rejection:
    """kubectl's own refusal (cli-runtime ``mapper.infoForData``) of a kind the cluster does
    not serve: its REST mapping fails with a ``NoKindMatchError``, nothing is sent for the
    object and the command fails. ``namespace`` is the manifest's own (``""`` if none)."""
    instead = f"use {replacement}" if replacement else f"find the API that replaces {kind}"
    return Rejection(
        API_NOT_SERVED,
        f"kubectl would stop before sending anything: resource mapping not found for name: "
        f'"{name}" namespace: "{namespace}" from "{source}": no matches for kind "{kind}" in '
        f'version "{api_version}" (Kubernetes {version} does not serve {api_version} {kind})',
        f"{instead}; the request shown is the one kubectl sends to a cluster that still "
        f"serves {api_version}",
        (("apiVersion",),),
        AT_VALUE,
    )


def api_unknown(
    api_version: str,
    kind: str,
    name: str,
    namespace: str,
    source: str,
    served: list[str],
) -> Rejection:
    """kubectl's refusal of an apiVersion and kind no cluster with these APIs serves (a
    version of a built-in group that does not exist, an unknown kind in it, or a version
    that a custom resource's CRD at hand does not serve): its REST mapping fails, nothing
    is sent for the object (``served``: the apiVersions that do serve the kind)."""
    instead = f"use {' or '.join(served)}" if served else f"check the apiVersion and kind of {kind}"
    return Rejection(
        API_NOT_SERVED,
        f"kubectl would stop before sending anything: resource mapping not found for name: "
        f'"{name}" namespace: "{namespace}" from "{source}": no matches for kind "{kind}" in '
        f'version "{api_version}"',
        f"{instead}; kubectl sends nothing for this object",
        (("apiVersion",),),
        AT_VALUE,
    )


def not_served(
    manifest: SourcedObject, key: ObjectKey, schemas: KubernetesSchemas
) -> Rejection | None:
    """kubectl's refusal of a built-in apiVersion and kind the target version does not serve
    (one kubectl compiles in, or one the API removed): its REST mapping finds no match."""
    api_version = str(manifest.value.get("apiVersion"))
    if schemas.kind_definition(api_version, key.kind) is not None:
        return None
    removed = removed_apis().get((api_version, key.kind))
    if removed is None and not kubectl_scheme.compiled_in(api_version, key.kind):
        return None
    metadata = metadata_of(manifest.value)
    named = metadata.get("namespace")
    return api_not_served(
        api_version,
        key.kind,
        key.name,
        named if isinstance(named, str) else "",
        manifest.path or manifest.source,
        schemas.version,
        removed.replacement if removed is not None else None,
    )


def unknown_api(
    manifest: SourcedObject, key: ObjectKey, schemas: KubernetesSchemas, scopes: Scopes | None
) -> Rejection | None:
    """kubectl's refusal of an apiVersion and kind that its REST mapping cannot find in any
    cluster with these APIs: a built-in group's version or kind that does not exist (``v2
    ConfigMap``, ``apps/v1 Foo``), or a version the custom resource's CRD at hand does not
    serve (one among the manifests is taken as the cluster's, as for the scope). A version
    kubectl compiles in or the API removed is :func:`not_served`'s; a custom resource
    without a CRD at hand passes."""
    api_version = str(manifest.value.get("apiVersion"))
    if schemas.kind_definition(api_version, key.kind) is not None:
        return None
    if kubectl_scheme.compiled_in(api_version, key.kind) or (
        (api_version, key.kind) in removed_apis()
    ):
        return None
    version = api_version.rpartition("/")[2]
    custom = scopes.get(key.group, key.kind) if scopes is not None else None
    if custom is not None:
        if not custom.versions or version in custom.versions:
            return None  # a CRD that names no served version tells nothing
        served = [f"{key.group}/{v}" for v in sorted(custom.versions)]
    elif key.group in schemas.groups:
        served = schemas.api_versions_with_kind(key.kind)
    else:
        return None
    named = metadata_of(manifest.value).get("namespace")
    return api_unknown(
        api_version,
        key.kind,
        key.name,
        named if isinstance(named, str) else "",
        manifest.path or manifest.source,
        served,
    )


def namespace_refusal(manifest: SourcedObject, key: ObjectKey, namespace: str) -> Rejection | None:
    """kubectl's refusal of a namespaced object naming another namespace than an explicit
    ``--namespace`` (client-side and server-side apply alike)."""
    named = metadata_of(manifest.value).get("namespace")
    if key.namespace is None or not isinstance(named, str) or not named or named == namespace:
        return None
    return namespace_mismatch(named, namespace)
