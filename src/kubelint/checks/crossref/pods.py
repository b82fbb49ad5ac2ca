"""The pods an object makes: their labels (with those their controller adds), the
ports their containers declare, and how many there are.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any, Final, NamedTuple

from kubelint.load.objects import KubeObject, value_at
from kubelint.load.paths import Path

#: Labels a controller adds to the pods it makes: key -> values (None: not known in advance).
_CONTROLLER_LABELS: Final[dict[str, tuple[str, ...]]] = {
    "Deployment": ("pod-template-hash",),
    "StatefulSet": ("controller-revision-hash",),
    "DaemonSet": ("controller-revision-hash", "pod-template-generation"),
    "Job": ("controller-uid", "batch.kubernetes.io/controller-uid"),
    "CronJob": (
        "controller-uid",
        "batch.kubernetes.io/controller-uid",
        "job-name",
        "batch.kubernetes.io/job-name",
    ),
}

#: Kinds whose pod count is ``spec.replicas`` (default 1).
_REPLICATED: Final = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"})


class PodPort(NamedTuple):
    """A port a container declares."""

    container: str
    name: str | None
    number: int | None
    protocol: str


class Pods(NamedTuple):
    """The pods an object makes: labels, labels its controller adds, ports, replicas."""

    labels: Mapping[str, str]
    generated: Mapping[str, tuple[str, ...] | None]
    ports: tuple[PodPort, ...] = ()
    replicas: int | None = None  # None: not a fixed number (DaemonSet, Job, ...)
    mentioned: frozenset[int] = frozenset()  # numbers in command, args and env values

    def values(self, key: str) -> tuple[str, ...] | None:
        """The values ``key`` may have on these pods: () when absent, None when any."""
        if key in self.labels:
            return (self.labels[key],)
        if key in self.generated:
            return self.generated[key]
        return ()


def label_text(value: Any) -> str | None:
    """A label value as the API server would read it (None: not a scalar)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    if value is None:
        return ""
    return None


def _labels(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    labels: dict[str, str] = {}
    for key, raw in value.items():
        text = label_text(raw)
        if isinstance(key, str) and text is not None:
            # labels repeat from workload to workload: one string each per message
            labels[sys.intern(key)] = sys.intern(text)
    return labels


def pods_of(obj: KubeObject) -> list[Pods]:
    """The pods ``obj`` makes (one entry per pod template); empty when it makes none.

    Built-in workloads, and custom resources that carry pod templates (a mapping with
    ``metadata`` and a ``spec`` with ``containers``) anywhere in their spec: rollouts,
    job sets, leader-worker sets... A PodTemplate makes no pods by itself.
    """
    found: list[Pods] | None = obj.memo.get("pods")
    if found is None:
        found = obj.memo["pods"] = _pods_of(obj)
    return found


def _pods_of(obj: KubeObject) -> list[Pods]:
    if obj.kind == "PodTemplate":
        return []
    spec_path = obj.pod_spec_path
    if spec_path is not None:
        spec = obj.get(spec_path)
        labels_path = (
            ("metadata", "labels") if obj.kind == "Pod" else (*spec_path[:-1], "metadata", "labels")
        )
        if not isinstance(spec, dict):
            return []
        return [_pods(obj, spec, obj.get(labels_path), _replicas(obj))]
    if obj.group in _BUILTIN_GROUPS:
        return []
    found: list[Pods] = []
    for template, depth in _templates(obj.get(("spec",)), 0):
        replicas = _replicas(obj) if depth == 1 else None
        found.append(
            _pods(obj, template["spec"], value_at(template, ("metadata", "labels")), replicas)
        )
    return found


#: API groups of built-in kinds: no custom resource there.
_BUILTIN_GROUPS: Final = frozenset(
    {"", "apps", "batch", "policy", "autoscaling", "networking.k8s.io", "rbac.authorization.k8s.io"}
)


def _templates(node: Any, depth: int) -> Iterator[tuple[dict[str, Any], int]]:
    """Pod templates below ``node``: mappings with metadata and a spec with containers."""
    if depth > 8:
        return
    if isinstance(node, dict):
        spec = node.get("spec")
        if (
            isinstance(spec, dict)
            and isinstance(spec.get("containers"), list)
            and isinstance(node.get("metadata"), dict)
        ):
            yield node, depth
            return
        for value in node.values():
            yield from _templates(value, depth + 1)
    elif isinstance(node, list):
        for item in node:
            yield from _templates(item, depth + 1)


def _replicas(obj: KubeObject) -> int | None:
    """How many pods the object runs, when that is a fixed number."""
    if obj.kind == "Pod":
        return 1
    raw = obj.get(("spec", "replicas"))
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if raw is None and obj.kind in _REPLICATED:
        return 1
    return None


_NUMBER = re.compile(r"(?<![0-9])[0-9]{2,5}(?![0-9])")


#: The labels each controller adds with values not known in advance: shared by every
#: workload of the kind (a run keeps the pods of every workload until its end).
_ANY_VALUE_LABELS: Final[dict[str, dict[str, tuple[str, ...] | None]]] = {
    kind: dict.fromkeys(keys, None) for kind, keys in _CONTROLLER_LABELS.items()
}
_NO_LABELS: Final[dict[str, tuple[str, ...] | None]] = {}
_NO_NUMBERS: Final[frozenset[int]] = frozenset()


def _pods(obj: KubeObject, spec: dict[str, Any], labels: Any, replicas: int | None) -> Pods:
    generated = _ANY_VALUE_LABELS.get(obj.kind, _NO_LABELS)
    if obj.kind in ("StatefulSet", "Job") and obj.name:
        generated = dict(generated)
    if obj.kind == "StatefulSet" and obj.name:
        count = replicas if replicas is not None else 0
        small = count < 1000
        generated["statefulset.kubernetes.io/pod-name"] = (
            tuple(f"{obj.name}-{i}" for i in range(count)) if small else None
        )
        generated["apps.kubernetes.io/pod-index"] = (
            tuple(str(i) for i in range(count)) if small else None
        )
    if obj.kind == "Job" and obj.name:
        generated["job-name"] = (obj.name,)
        generated["batch.kubernetes.io/job-name"] = (obj.name,)
    ports: list[PodPort] = []
    mentioned: set[int] = set()
    for key in ("initContainers", "containers"):
        containers = spec.get(key)
        for container in containers if isinstance(containers, list) else []:
            if not isinstance(container, dict):
                continue
            raw_name = container.get("name")
            cname = raw_name if isinstance(raw_name, str) else "?"
            mentioned.update(_numbers(container))
            declared = container.get("ports")
            for port in declared if isinstance(declared, list) else []:
                if not isinstance(port, dict):
                    continue
                name, number = port.get("name"), port.get("containerPort")
                protocol = port.get("protocol")
                ports.append(
                    PodPort(
                        cname,
                        sys.intern(name) if isinstance(name, str) else None,
                        number
                        if isinstance(number, int) and not isinstance(number, bool)
                        else None,
                        protocol if isinstance(protocol, str) else "TCP",
                    )
                )
    return Pods(
        _labels(labels),
        generated,
        tuple(ports),
        replicas,
        frozenset(mentioned) if mentioned else _NO_NUMBERS,
    )


def _numbers(container: dict[str, Any]) -> set[int]:
    """Port-like numbers in a container's command, args and env values (``--port=8080``)."""
    texts: list[str] = []
    for key in ("command", "args"):
        value = container.get(key)
        if isinstance(value, list):
            texts.extend(str(v) for v in value if isinstance(v, str | int))
    env = container.get("env")
    for entry in env if isinstance(env, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("value"), str | int):
            texts.append(str(entry["value"]))
    return {int(m) for text in texts for m in _NUMBER.findall(text) if 0 < int(m) < 65536}


def pods_fact(obj: KubeObject) -> Iterator[tuple[Any, dict[str, Path], dict[str, str]]]:
    """The facts that ``obj`` makes pods (for selector rules)."""
    for pods in pods_of(obj):
        yield pods, {}, {}
