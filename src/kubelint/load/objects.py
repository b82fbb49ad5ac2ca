"""A Kubernetes object as rules see it: identity, body, and where its pods and containers are."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from kubelint.load.documents import Mark
from kubelint.load.paths import AT_VALUE, Path, locate

#: Where the pod spec of each workload kind lives, keyed by (group, kind).
#: The annotation in which client-side apply keeps the manifest it applied last.
LAST_APPLIED: Final = "kubectl.kubernetes.io/last-applied-configuration"

POD_SPEC_PATHS: Final[dict[tuple[str, str], Path]] = {
    ("", "Pod"): ("spec",),
    ("", "PodTemplate"): ("template", "spec"),
    ("", "ReplicationController"): ("spec", "template", "spec"),
    ("apps", "Deployment"): ("spec", "template", "spec"),
    ("apps", "ReplicaSet"): ("spec", "template", "spec"),
    ("apps", "StatefulSet"): ("spec", "template", "spec"),
    ("apps", "DaemonSet"): ("spec", "template", "spec"),
    ("batch", "Job"): ("spec", "template", "spec"),
    ("batch", "CronJob"): ("spec", "jobTemplate", "spec", "template", "spec"),
    # removed in Kubernetes 1.16, still in old manifests: judged as what they mean
    ("extensions", "Deployment"): ("spec", "template", "spec"),
    ("extensions", "DaemonSet"): ("spec", "template", "spec"),
    ("extensions", "ReplicaSet"): ("spec", "template", "spec"),
}

_POD_KINDS: Final = frozenset(kind for _, kind in POD_SPEC_PATHS)

#: Kind groups usable in rule scopes (as kube-linter's object kinds), derived from the kinds
#: that have a pod spec: every one (DeploymentLike), those that run pods (Workload), and
#: those that make pods through a controller (Controller).
KIND_GROUPS: Final[dict[str, frozenset[str]]] = {
    "DeploymentLike": _POD_KINDS,
    "Workload": _POD_KINDS - {"PodTemplate"},
    "Controller": _POD_KINDS - {"PodTemplate", "Pod"},
}

CONTAINER_LISTS: Final = ("initContainers", "containers", "ephemeralContainers")


@dataclass(slots=True)
class KubeObject:
    """One object of a run, with helpers that keep rules short."""

    api_version: str
    kind: str
    group: str
    name: str | None
    namespace: str | None  # resolved: the object's, else the run's default; None if cluster-scoped
    body: dict[str, Any]
    path: str  # the file, as displayed
    root: Any = None  # the loaded document (for positions)
    prefix: Path = ()  # the object's path inside the document (List items)
    start: Mark = (0, 0)
    annotations: dict[str, Any] = field(default_factory=dict)
    #: What rules derive from the object and share (its containers, its pods), by key.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def get(self, path: Path, default: Any = None) -> Any:
        """The value at ``path`` in the object, or ``default``."""
        return value_at(self.body, path, default)

    def mark(self, path: Path, at: str = AT_VALUE) -> Mark:
        """0-based position of ``path`` in the file."""
        return locate(self.root, (*self.prefix, *path), at, self.start)

    @property
    def pod_spec_path(self) -> Path | None:
        """Where this object's pod spec is, if it has one."""
        return POD_SPEC_PATHS.get((self.group, self.kind))

    def pod_spec(self) -> dict[str, Any] | None:
        """The pod spec (of the object or of its template), or None."""
        memo = self.memo
        if "pod_spec" not in memo:
            path = self.pod_spec_path
            spec = self.get(path) if path is not None else None
            memo["pod_spec"] = spec if isinstance(spec, dict) else None
        spec = memo["pod_spec"]
        return spec if isinstance(spec, dict) else None

    def pod_labels_path(self) -> Path | None:
        """Where the labels of the pods this object makes are."""
        path = self.pod_spec_path
        if path is None:
            return None
        return (*path[:-1], "metadata", "labels") if self.kind != "Pod" else ("metadata", "labels")

    def containers(
        self, *, init: bool = True, ephemeral: bool = False
    ) -> Iterator[tuple[Path, dict[str, Any]]]:
        """(path, container) for every container of the pod spec."""
        key = ("containers", init, ephemeral)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = list(self._containers(init, ephemeral))
        return iter(found)

    def _containers(self, init: bool, ephemeral: bool) -> Iterator[tuple[Path, dict[str, Any]]]:
        base = self.pod_spec_path
        spec = self.pod_spec()
        if base is None or spec is None:
            return
        for key in CONTAINER_LISTS:
            if (key == "initContainers" and not init) or (
                key == "ephemeralContainers" and not ephemeral
            ):
                continue
            items = spec.get(key)
            if not isinstance(items, list):
                continue
            for index, container in enumerate(items):
                if isinstance(container, dict):
                    yield (*base, key, index), container

    def __str__(self) -> str:
        where = f"{self.namespace}/{self.name}" if self.namespace else (self.name or "<unnamed>")
        return f"{self.kind} {where}"


def value_at(node: Any, path: Path, default: Any = None) -> Any:
    """The value at ``path`` below ``node``, or ``default`` when the path leaves the tree."""
    for step in path:
        if isinstance(step, str):
            if not isinstance(node, dict) or step not in node:
                return default
            node = node[step]
        else:
            if not isinstance(node, list) or not 0 <= step < len(node):
                return default
            node = node[step]
    return node


def repeated_names(items: Any) -> Iterator[tuple[int, str, int]]:
    """(index, name, index of its first use) for each list item whose ``name`` repeats."""
    if not isinstance(items, list):
        return
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str):
            continue
        if name in seen:
            yield index, name, seen[name]
        else:
            seen[name] = index


def expand_kinds(names: list[str] | tuple[str, ...]) -> frozenset[str]:
    """Kinds named directly or through a kind group."""
    kinds: set[str] = set()
    for name in names:
        kinds |= KIND_GROUPS.get(name, frozenset((name,)))
    return frozenset(kinds)
