"""CustomResourceDefinitions as schema sources for the custom resources of a run."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from kubelint.load import shapes


class CrdVersion(NamedTuple):
    """One served version of a custom resource: its schema (as JSON text) and scope.

    The schema travels as text: CRDs are the largest documents of a run, workers send
    them to the main process and it hands them to the next workers, and a string
    crosses processes far cheaper than a tree of dicts. It is parsed where it is used.
    """

    group: str
    version: str
    kind: str
    namespaced: bool
    schema_text: str | None
    served: bool

    @property
    def schema(self) -> dict[str, Any] | None:
        """The ``openAPIV3Schema`` (parsed on each call: callers keep what they build)."""
        if self.schema_text is None:
            return None
        parsed: dict[str, Any] = json.loads(self.schema_text)
        return parsed


@dataclass(slots=True)
class CrdRegistry:
    """Custom resource schemas by (apiVersion, kind), and the kinds each group has."""

    versions: dict[tuple[str, str], CrdVersion] = field(default_factory=dict)
    #: group -> kind -> its versions, built on first use (every custom resource asks for
    #: its scope, and every object without a schema for its group's kinds: a scan of all
    #: versions per object would grow as objects x CRDs)
    _groups: dict[str, dict[str, list[CrdVersion]]] | None = field(default=None, repr=False)

    def add(self, crd: CrdVersion) -> None:
        """Register one version of a custom resource."""
        self.versions[(f"{crd.group}/{crd.version}", crd.kind)] = crd
        self._groups = None

    def merge(self, other: CrdRegistry) -> None:
        """Add every version of another registry."""
        self.versions.update(other.versions)
        self._groups = None

    def get(self, api_version: str, kind: str) -> CrdVersion | None:
        """The custom resource version for apiVersion/kind, or None."""
        return self.versions.get((api_version, kind))

    def _by_group(self) -> dict[str, dict[str, list[CrdVersion]]]:
        if self._groups is None:
            groups: dict[str, dict[str, list[CrdVersion]]] = {}
            for (_, kind), crd in self.versions.items():
                groups.setdefault(crd.group, {}).setdefault(kind, []).append(crd)
            self._groups = groups
        return self._groups

    def kinds_in_group(self, group: str) -> dict[str, list[str]]:
        """Kind -> apiVersions registered for ``group``."""
        return {
            kind: [f"{crd.group}/{crd.version}" for crd in crds]
            for kind, crds in self._by_group().get(group, {}).items()
        }

    def namespaced(self, group: str, kind: str) -> bool | None:
        """Whether the CRD of ``kind`` in ``group`` makes it namespaced (None: no such CRD)."""
        crds = self._by_group().get(group, {}).get(kind)
        return crds[0].namespaced if crds else None

    def __len__(self) -> int:
        return len(self.versions)


def versions_of_crd(obj: dict[str, Any]) -> list[CrdVersion]:
    """The versions an ``apiextensions.k8s.io/v1`` CRD object defines.

    Parts of another shape than the CRD schema's (which the schema check reports) are
    passed over: a malformed CRD defines the versions that can be read, or none.
    """
    group = shapes.string(obj, "spec", "group")
    kind = shapes.string(obj, "spec", "names", "kind")
    if group is None or kind is None:
        return []
    namespaced = shapes.at(obj, "spec", "scope") != "Cluster"
    shared = shapes.at(obj, "spec", "validation")  # only in v1beta1; kept for tolerance
    found: list[CrdVersion] = []
    for _, entry in shapes.mappings(obj, "spec", "versions"):
        name = shapes.string(entry, "name")
        if name is None:
            continue
        schema = shapes.at(entry.get("schema") or shared, "openAPIV3Schema")
        found.append(
            CrdVersion(
                group,
                name,
                kind,
                namespaced,
                _text(schema) if isinstance(schema, dict) else None,
                entry.get("served", True) is not False,
            )
        )
    return found


def _text(schema: dict[str, Any]) -> str:
    """The schema as compact JSON (a value JSON has no type for, such as a YAML binary,
    as its text)."""
    return json.dumps(schema, separators=(",", ":"), default=str)
