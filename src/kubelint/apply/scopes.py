"""Whether a kind is namespaced, as kubectl learns it from the API server's discovery.

kubectl maps each object to its REST resource before anything else (cli-runtime's
``RESTMapper``): the resource's scope decides whether the object keeps a namespace
(``FilterNamespace`` drops it for a cluster-scoped kind, ``SetNamespace`` fills one in
for a namespaced kind) and whether ``--namespace`` must match. Built-in kinds have their
scope in the bundled schemas. A custom resource's scope is the ``spec.scope`` of its
CustomResourceDefinition, which kubelint takes from the CRDs at hand: the live objects
(what the cluster has), ``--crd`` files, then the manifests. Without one it guesses from
the live objects of the kind and says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from kubelint.apply.values import JSON
from kubelint.schema.store import group_of

CRD_GROUP: Final = "apiextensions.k8s.io"


@dataclass(frozen=True, slots=True)
class CustomScope:
    """What discovery serves for a custom resource: its scope and resource name."""

    namespaced: bool
    plural: str
    #: where its CustomResourceDefinition was read (``file:line``)
    source: str
    #: the versions it serves
    versions: frozenset[str] = frozenset()


@dataclass(slots=True)
class Scopes:
    """The custom resources' scopes by (API group, kind)."""

    by_kind: dict[tuple[str, str], CustomScope] = field(default_factory=dict)

    def add(self, value: JSON, source: str) -> None:
        """Learn from ``value`` if it is a CustomResourceDefinition (a first one wins)."""
        for key, scope in crd_scopes(value, source):
            self.by_kind.setdefault(key, scope)

    def get(self, group: str, kind: str) -> CustomScope | None:
        """The scope of a custom resource, or None when no CRD for it is at hand."""
        return self.by_kind.get((group, kind))

    @classmethod
    def of(cls, *sources: Iterable[tuple[JSON, str]]) -> Scopes:
        """The scopes of every CRD among ``sources`` (objects with where they were read),
        the earlier sources first."""
        scopes = cls()
        for objects in sources:
            for value, source in objects:
                scopes.add(value, source)
        return scopes


def is_crd(value: JSON) -> bool:
    """Whether ``value`` is a CustomResourceDefinition (v1 or v1beta1)."""
    if not isinstance(value, dict) or value.get("kind") != "CustomResourceDefinition":
        return False
    api_version = value.get("apiVersion")
    return isinstance(api_version, str) and group_of(api_version) == CRD_GROUP


def crd_scopes(value: JSON, source: str) -> list[tuple[tuple[str, str], CustomScope]]:
    """The (group, kind) a CRD defines and its scope; none for another object or a CRD
    without a group or kind. ``spec.scope`` other than ``Cluster`` is namespaced (the API
    server defaults v1beta1's to ``Namespaced`` and requires v1's)."""
    if not is_crd(value):
        return []
    spec = value.get("spec")
    if not isinstance(spec, dict):
        return []
    names = spec.get("names")
    names = names if isinstance(names, dict) else {}
    group, kind, plural = spec.get("group"), names.get("kind"), names.get("plural")
    if not isinstance(group, str) or not group or not isinstance(kind, str) or not kind:
        return []
    if not isinstance(plural, str) or not plural:
        plural = kind.lower()
    versions = {
        entry["name"]
        for entry in spec.get("versions") or []
        if isinstance(entry, dict)
        and isinstance(entry.get("name"), str)
        and entry.get("served", True) is not False
    }
    if isinstance(spec.get("version"), str):  # v1beta1's single version
        versions.add(spec["version"])
    scope = CustomScope(spec.get("scope") != "Cluster", plural, source, frozenset(versions))
    return [((group, kind), scope)]


def guessed_scope_note(kind: str, group: str, namespaced: bool) -> str:
    """The note for a custom resource whose scope kubelint had to guess."""
    taken = "namespaced" if namespaced else "cluster-scoped"
    return (
        f"takes {kind} ({group}) as {taken} without its CustomResourceDefinition (kubectl "
        "asks the API server; kubelint guessed from the live objects of the kind): give "
        "the CRD with --crd, or among the manifests or live objects"
    )
