"""Shared pieces of the rules that look across objects: the pods an object makes, label
selectors, named targets, and when a run knows enough to call a target missing.

A run rarely holds a whole cluster. A reference to an object that is not in the run may
well resolve in the cluster, so these rules stay quiet about it unless the run can judge:
for selectors, the run must hold at least one workload in the namespace; for named
references, ``--strict-refs`` says that the run is the whole truth.
"""

from __future__ import annotations

import bisect
import functools
import posixpath
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final, NamedTuple

from kubelint.checks.api import Fact
from kubelint.load.objects import KubeObject, value_at
from kubelint.load.paths import Path, format_path
from kubelint.schema.store import group_of
from kubelint.schema.suggest import closest, edit_distance

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


# -- selectors ------------------------------------------------------------------------------

#: One requirement of a selector: key, operator (``In``, ``NotIn``, ``Exists``,
#: ``DoesNotExist``; a plain label is ``In`` with one value) and values.
Requirement = tuple[str, str, tuple[str, ...]]

_OPERATORS: Final = frozenset({"In", "NotIn", "Exists", "DoesNotExist"})


class Selector(NamedTuple):
    """A parsed selector, with where each requirement is written (mark keys ``req<i>``)."""

    requirements: tuple[Requirement, ...]

    @property
    def empty(self) -> bool:
        """An empty selector: every pod (or, for a Service, none is selected by it)."""
        return not self.requirements

    def matches(self, pods: Pods) -> bool:
        """Whether pods made this way could carry labels this selector selects."""
        return all(satisfies(pods, r) for r in self.requirements)

    def unmet(self, pods: Pods) -> list[int]:
        """The indexes of the requirements these pods do not meet."""
        return [i for i, r in enumerate(self.requirements) if not satisfies(pods, r)]

    def text(self) -> str:
        """The selector as ``kubectl get -l`` would take it."""
        return ",".join(requirement_text(r) for r in self.requirements)


def requirement_text(requirement: Requirement) -> str:
    """One requirement as ``key=value``, ``key in (a,b)``, ``key``, ``!key``."""
    key, operator, values = requirement
    if operator == "In" and len(values) == 1:
        return f"{key}={values[0]}"
    if operator == "In":
        return f"{key} in ({','.join(values)})"
    if operator == "NotIn":
        return f"{key} notin ({','.join(values)})"
    if operator == "Exists":
        return key
    return f"!{key}"


def satisfies(pods: Pods, requirement: Requirement) -> bool:
    """Whether pods made this way could meet one requirement."""
    key, operator, values = requirement
    possible = pods.values(key)
    if operator == "DoesNotExist":
        return possible == ()
    if operator == "Exists":
        return possible != ()
    if operator == "NotIn":
        return possible is None or not possible or not set(possible) <= set(values)
    return possible is None or bool(set(possible) & set(values))


def map_selector(value: Any, path: Path) -> tuple[Selector, dict[str, Path]] | None:
    """A Service's ``selector`` (a plain map), or None when it cannot be read."""
    if not isinstance(value, dict):
        return None
    requirements: list[Requirement] = []
    marks: dict[str, Path] = {}
    for key, raw in value.items():
        text = label_text(raw)
        if not isinstance(key, str) or text is None:
            return None
        marks[f"req{len(requirements)}"] = (*path, key)
        requirements.append((sys.intern(key), "In", (sys.intern(text),)))
    return Selector(tuple(requirements)), marks


def label_selector(value: Any, path: Path) -> tuple[Selector, dict[str, Path]] | None:
    """A ``LabelSelector`` (matchLabels and matchExpressions), or None when unreadable."""
    if not isinstance(value, dict):
        return None
    plain = value.get("matchLabels")
    parsed = map_selector(plain, (*path, "matchLabels")) if plain is not None else None
    if plain is not None and parsed is None:
        return None
    requirements = list(parsed[0].requirements) if parsed else []
    marks = dict(parsed[1]) if parsed else {}
    expressions = value.get("matchExpressions")
    if expressions is not None and not isinstance(expressions, list):
        return None
    for index, expression in enumerate(expressions or []):
        if not isinstance(expression, dict):
            return None
        key, operator, raw_values = (
            expression.get("key"),
            expression.get("operator"),
            expression.get("values") or [],
        )
        if (
            not isinstance(key, str)
            or not isinstance(operator, str)
            or operator not in _OPERATORS
            or not isinstance(raw_values, list)
        ):
            return None
        values = tuple(label_text(v) or "" for v in raw_values)
        marks[f"req{len(requirements)}"] = (*path, "matchExpressions", index, "key")
        requirements.append((key, str(operator), values))
    return Selector(tuple(requirements)), marks


# -- facts ----------------------------------------------------------------------------------


class Named(NamedTuple):
    """An object that others refer to by name; ``keys`` are its data keys (None: unknown;
    a tuple, a third of the memory of a frozenset, for a fact kept to the end of a run)."""

    keys: tuple[str, ...] | None = None
    ports: tuple[tuple[str | None, int | None], ...] = ()  # a Service's (name, port)


def pods_fact(obj: KubeObject) -> Iterator[tuple[Any, dict[str, Path], dict[str, str]]]:
    """The facts that ``obj`` makes pods (for selector rules)."""
    for pods in pods_of(obj):
        yield pods, {}, {}


def fields_of(paths: Mapping[str, Path]) -> dict[str, str]:
    """The field text of every mark."""
    return {key: format_path(path) for key, path in paths.items()}


#: Answers that took more candidates than this are kept for the next selector that asks.
_WORTH_KEEPING: Final = 8


class Near:
    """Facts by the directory of their file: the facts of one file, and those of the files
    near it, found at the cost of the answer rather than of a scan of the run (a run of
    many apps has many files near none of them), and once for all files of a directory.

    An object of file ``other`` belongs with one of file ``path`` when it is in the same
    file, or near it (in a file below :func:`scope_of` ``path``: its directory, below it, or
    a sibling directory: the files of one app, as opposed to the other apps of a run) in a
    file without objects like the one of ``path`` (``peers``: the files holding such
    objects; a file with its own Deployment and Service is another app). These facts are
    ``in_file(path)`` and ``around(path, peers)`` (which may hold some of the former again).
    """

    __slots__ = ("_around", "_by_directory", "_by_file", "_directories")

    def __init__(self, facts: Iterable[Fact]) -> None:
        self._by_directory: dict[str, list[Fact]] = {}
        self._by_file: dict[str, list[Fact]] = {}
        for fact in facts:
            self._by_directory.setdefault(_directory(fact.path), []).append(fact)
            self._by_file.setdefault(fact.path, []).append(fact)
        self._directories = sorted(self._by_directory)
        self._around: dict[tuple[str, frozenset[str]], tuple[Fact, ...]] = {}

    def in_file(self, path: str) -> list[Fact]:
        """The facts of file ``path``."""
        return self._by_file.get(path, [])

    def around(self, path: str, peers: frozenset[str]) -> tuple[Fact, ...]:
        """The facts of the files near ``path`` (below :func:`scope_of` it), but not of
        ``peers``; the same for every file of a directory."""
        scope = scope_of(path)
        found = self._around.get((scope, peers))
        if found is None:
            found = tuple(f for f in self._in_scope(scope) if f.path not in peers)
            self._around[(scope, peers)] = found
        return found

    def _in_scope(self, scope: str) -> Iterator[Fact]:
        if scope in ("", ".", "/"):
            for facts in self._by_directory.values():
                yield from facts
            return
        yield from self._by_directory.get(scope, ())
        below = scope.rstrip("/") + "/"
        directories = self._directories
        # the directories below the scope sort together, right where ``below`` would go
        for index in range(bisect.bisect_left(directories, below), len(directories)):
            directory = directories[index]
            if not directory.startswith(below):
                break
            yield from self._by_directory[directory]


class PodIndex:
    """The facts of pod-making objects of a run, indexed by the labels their pods carry.

    A selector is matched against the workloads that carry the label of one of its
    ``In`` or ``Exists`` requirements, not against every workload of the run, and once per
    distinct selector and namespace: a run of thousands of Services and workloads that
    share their labels stays linear. What :func:`unmatched` asks besides (the workloads
    near a file, the nearest miss, label values seen) is indexed and remembered too.
    """

    __slots__ = (
        "_any_value",
        "_by_key",
        "_by_label",
        "_by_namespace",
        "_facts",
        "_label_values",
        "_memo",
        "_near",
        "_pods",
    )

    def __init__(self, facts: Iterable[Fact]) -> None:
        self._facts: list[Fact] = []
        self._pods: list[Pods] = []
        self._by_namespace: dict[str | None, list[int]] = {}
        self._by_label: dict[tuple[str, str], list[int]] = {}
        self._by_key: dict[str, list[int]] = {}  # labels the pods may carry (with any value)
        self._any_value: dict[str, list[int]] = {}  # labels a controller sets to any value
        self._near: dict[str | None, Near] = {}
        self._label_values: dict[tuple[str | None, str], dict[str, Fact]] = {}
        #: answers already computed, by question (selections, nearest misses, ...)
        self._memo: dict[tuple[Any, ...], Any] = {}
        for fact in facts:
            if isinstance(fact.data, Pods):
                self._add(fact, fact.data)

    def _add(self, fact: Fact, pods: Pods) -> None:
        index = len(self._facts)
        self._facts.append(fact)
        self._pods.append(pods)
        self._by_namespace.setdefault(fact.namespace, []).append(index)
        for key, value in pods.labels.items():
            self._by_label.setdefault((key, value), []).append(index)
            self._by_key.setdefault(key, []).append(index)
        for key, values in pods.generated.items():
            if key in pods.labels:
                continue
            if values is None:
                self._any_value.setdefault(key, []).append(index)
                self._by_key.setdefault(key, []).append(index)
                continue
            for value in values:
                self._by_label.setdefault((key, value), []).append(index)
            if values:
                self._by_key.setdefault(key, []).append(index)

    def in_namespace(self, namespace: str | None) -> list[Fact]:
        """The pod facts of ``namespace``, in run order."""
        return [self._facts[i] for i in self._by_namespace.get(namespace, [])]

    def selected(self, selector: Selector, namespace: str | None) -> tuple[Fact, ...]:
        """The pod facts of ``namespace`` whose pods ``selector`` matches, in run order."""
        key = ("selected", selector.requirements, namespace)
        found: tuple[Fact, ...] | None = self._memo.get(key)
        if found is None:
            candidates = self._candidates(selector)
            if candidates is None:
                candidates = self._by_namespace.get(namespace, [])
            found = tuple(
                self._facts[i]
                for i in candidates
                if self._facts[i].namespace == namespace and selector.matches(self._pods[i])
            )
            if len(candidates) > _WORTH_KEEPING:  # cheap to find again otherwise
                self._memo[key] = found
        return found

    def selected_anywhere(self, selector: Selector) -> tuple[Fact, ...]:
        """The pod facts of every namespace whose pods ``selector`` matches, in run order."""
        key = ("anywhere", selector.requirements)
        found: tuple[Fact, ...] | None = self._memo.get(key)
        if found is None:
            candidates = self._candidates(selector)
            indexes = range(len(self._facts)) if candidates is None else candidates
            found = self._memo[key] = tuple(
                self._facts[i] for i in indexes if selector.matches(self._pods[i])
            )
        return found

    def near(self, namespace: str | None) -> Near:
        """The pod facts of ``namespace`` by the directory of their file."""
        near = self._near.get(namespace)
        if near is None:
            near = self._near[namespace] = Near(self.in_namespace(namespace))
        return near

    def own_keys(
        self, namespace: str | None, path: str, peers: frozenset[str]
    ) -> frozenset[str] | None:
        """The label keys of the pods of the workloads of ``namespace`` that belong with
        file ``path`` (see :class:`Near`); None when there are none."""
        key = ("own", namespace, path, peers)
        if key not in self._memo:
            near = self.near(namespace)
            in_file, around = near.in_file(path), near.around(path, peers)
            found = None
            if in_file or around:
                found = self._keys(("file", namespace, path), in_file) | self._keys(
                    ("around", namespace, scope_of(path), peers), around
                )
            self._memo[key] = found
        result: frozenset[str] | None = self._memo[key]
        return result

    def _keys(self, key: tuple[Any, ...], facts: Iterable[Fact]) -> frozenset[str]:
        """The label keys of the pods of ``facts``, remembered under ``key``."""
        if key not in self._memo:
            keys: set[str] = set()
            for fact in facts:
                assert isinstance(fact.data, Pods)
                keys.update(fact.data.labels)
                keys.update(fact.data.generated)
            self._memo[key] = frozenset(keys)
        found: frozenset[str] = self._memo[key]
        return found

    def namespace_keys(self, namespace: str | None) -> frozenset[str]:
        """The label keys of the pods of every workload of ``namespace``."""
        key = ("keys", namespace)
        if key not in self._memo:
            keys: set[str] = set()
            for index in self._by_namespace.get(namespace, []):
                keys.update(self._pods[index].labels)
                keys.update(self._pods[index].generated)
            self._memo[key] = frozenset(keys)
        result: frozenset[str] = self._memo[key]
        return result

    def nearest_miss(
        self, selector: Selector, namespace: str | None
    ) -> tuple[Fact, list[int]] | None:
        """The pod fact of ``namespace`` that meets most requirements of ``selector`` (at
        least one; the first in run order among equals), and the requirements it misses;
        None when nothing comes close. ``selector`` must select none of them."""
        key = ("nearest", selector.requirements, namespace)
        if key not in self._memo:
            self._memo[key] = self._nearest_miss(selector, namespace)
        found: tuple[Fact, list[int]] | None = self._memo[key]
        return found

    def _nearest_miss(
        self, selector: Selector, namespace: str | None
    ) -> tuple[Fact, list[int]] | None:
        # The pods that meet or fail a requirement because of a label they carry are in the
        # index; every other pod of the namespace meets exactly the negative requirements
        # (NotIn, DoesNotExist: met by pods without the label). So only those touched by
        # the index need a look, and the first untouched pod stands for the rest.
        touched: set[int] = set()
        negative = 0
        for label, operator, values in selector.requirements:
            if operator in ("In", "NotIn"):
                touched.update(self._any_value.get(label, ()))
                for value in values:
                    touched.update(self._by_label.get((label, value), ()))
            else:
                touched.update(self._by_key.get(label, ()))
            if operator in ("NotIn", "DoesNotExist"):
                negative += 1
        in_namespace = self._by_namespace.get(namespace, [])
        ranked: list[tuple[int, int]] = []  # (met, index)
        if negative:
            for index in in_namespace:
                if index not in touched:
                    ranked.append((negative, index))
                    break
        for index in touched:
            if self._facts[index].namespace == namespace:
                missed = len(selector.unmet(self._pods[index]))
                ranked.append((len(selector.requirements) - missed, index))
        best: tuple[int, int] | None = None
        for met, index in ranked:
            if met == 0 or met == len(selector.requirements):
                continue
            if best is None or (-met, index) < (-best[0], best[1]):
                best = (met, index)
        if best is None:
            return None
        return self._facts[best[1]], selector.unmet(self._pods[best[1]])

    def label_values(self, namespace: str | None, label: str) -> dict[str, Fact]:
        """Each value of label ``label`` on the pod templates of ``namespace`` (in the order
        first seen), with the last workload (in run order) whose pods carry it."""
        key = (namespace, label)
        values = self._label_values.get(key)
        if values is None:
            values = self._label_values[key] = {}
            for index in self._by_namespace.get(namespace, []):
                labels = self._pods[index].labels
                if label in labels:
                    values[labels[label]] = self._facts[index]
        return values

    def elsewhere(self, selector: Selector, namespace: str | None) -> tuple[list[str], Near]:
        """The other namespaces where ``selector`` selects pods (sorted), and those pod
        facts by file."""
        key = ("elsewhere", selector.requirements, namespace)
        if key not in self._memo:
            facts = [f for f in self.selected_anywhere(selector) if f.namespace != namespace]
            self._memo[key] = (sorted({str(f.namespace) for f in facts}), Near(facts))
        found: tuple[list[str], Near] = self._memo[key]
        return found

    def closest_value(self, namespace: str | None, label: str, value: str) -> str | None:
        """:func:`closest` to ``value`` among the values of ``label`` in ``namespace``."""
        key = ("closest", namespace, label, value)
        if key not in self._memo:
            self._memo[key] = closest(value, self.label_values(namespace, label))
        meant: str | None = self._memo[key]
        return meant

    def _candidates(self, selector: Selector) -> list[int] | None:
        """Sorted indexes of the facts that may meet the narrowest ``In`` or ``Exists``
        requirement of ``selector`` (None: it has none, so every fact is a candidate)."""
        best: list[int] | None = None
        for key, operator, values in selector.requirements:
            if operator == "Exists":
                hits = set(self._by_key.get(key, ()))
            elif operator == "In":
                hits = set(self._any_value.get(key, ()))
                for value in values:
                    hits.update(self._by_label.get((key, value), ()))
            else:
                continue
            if best is None or len(hits) < len(best):
                best = sorted(hits)
                if not best:
                    break
        return best


def describe(fact: Fact) -> str:
    """``Deployment web``."""
    return f"{fact.kind} {fact.name or '<unnamed>'}"


def unmatched(
    what: str,
    fact: Fact,
    selector: Selector,
    workloads: PodIndex,
    peers: frozenset[str],
    strict: bool,
) -> tuple[str, str, str] | None:
    """Message, suggestion and mark key when ``selector`` (of ``fact``) selects none of the
    pods of the workloads of its namespace (``workloads``: the pod facts of the run).

    None when it selects some, and when the run cannot judge. It judges when it holds a
    workload of the namespace that belongs with the selecting object (see
    :class:`Near`; ``peers``: the files holding selecting objects), or when the pods
    it selects are in its own file but in another namespace. Nor does it judge a selector
    with a label key that none of these workloads uses and that is no typo of one: such
    pods come from outside the run, e.g. made by an operator. ``strict``
    (``--strict-refs``) judges every selector.
    """
    namespace = fact.namespace
    if workloads.selected(selector, namespace):
        return None
    message = f"{what} {selector.text()} matches no pods of any workload in namespace {namespace}"
    elsewhere_ns, elsewhere = workloads.elsewhere(selector, namespace)
    hint = (
        f"it matches pods in namespace {', '.join(elsewhere_ns)}, but a selector selects pods "
        "of its own namespace only"
    )
    known = workloads.own_keys(namespace, fact.path, peers)
    if known is None and not strict:
        # the pods it means are in its file (or its app), but in another namespace
        moved = bool(elsewhere.in_file(fact.path) or elsewhere.around(fact.path, peers))
        return (message, hint, "req0") if moved else None
    if known is None:
        known = workloads.namespace_keys(namespace)
    key_typos: dict[int, str | None] = {
        i: closest(key, known)
        for i, (key, operator, _) in enumerate(selector.requirements)
        if key not in known and operator in ("In", "Exists")
    }
    if not strict and any(meant is None for meant in key_typos.values()):
        return None
    if elsewhere_ns:
        return message, hint, "req0"
    for index, meant in key_typos.items():
        if meant is not None:
            key = selector.requirements[index][0]
            return (
                message,
                f'no workload has a label "{key}": did you mean "{meant}"?',
                f"req{index}",
            )
    nearest = workloads.nearest_miss(selector, namespace)
    if nearest is not None:
        source, missed = nearest
        assert isinstance(source.data, Pods)
        parts = []
        for index in missed:
            key = selector.requirements[index][0]
            values = source.data.values(key)
            parts.append(f"{key}={values[0]}" if values else f"no {key} label")
        suggestion = f"{describe(source)} comes closest, but its pods have {', '.join(parts)}"
        return message, suggestion, f"req{missed[0]}"
    for index, (key, operator, values) in enumerate(selector.requirements):
        if operator != "In" or len(values) != 1:
            continue
        meant = workloads.closest_value(namespace, key, values[0])
        if meant is not None:
            seen = workloads.label_values(namespace, key)
            suggestion = f"did you mean {key}={meant} (the pods of {describe(seen[meant])})?"
            return message, suggestion, f"req{index}"
    return message, "make the selector match the labels of the workload's pod template", "req0"


def elsewhere(name: str, namespace: str | None, where: Mapping[str, set[str | None]]) -> str | None:
    """When ``name`` is defined only in other namespaces: a sentence saying so."""
    others = sorted(ns or "" for ns in where.get(name, set()) if ns != namespace)
    if not others:
        return None
    return (
        f"it is defined in namespace {', '.join(others)}, but references are namespace-local: "
        f"create it in namespace {namespace} too"
    )


def typo_of(name: str, candidates: Iterable[str]) -> str | None:
    """A name among ``candidates`` that ``name`` is likely a typo of.

    Stricter than a did-you-mean for field names: object names of one app share most
    of their letters (``foo-secret``, ``good-secret``), so one edit is allowed (two for
    long names), and names that differ only in digits (``config-v1``, ``config-v2``)
    are versions, not typos.
    """
    meant = closest(name, candidates)
    if meant is None:
        return None
    if meant.lower() == name.lower():
        return meant
    allowed = 1 if len(name) <= 15 else 2
    if edit_distance(name.lower(), meant.lower(), allowed) > allowed:
        return None
    if _DIGITS.sub("", name) == _DIGITS.sub("", meant):
        return None
    return meant


_DIGITS: Final = re.compile(r"[0-9]")


@functools.lru_cache(maxsize=4096)
def _directory(path: str) -> str:
    return posixpath.dirname(posixpath.normpath(path.replace("\\", "/")))


def scope_of(path: str) -> str:
    """The directory whose files, and those below it, are near file ``path``: the parent of
    its directory, so its own directory, those below it and its sibling directories."""
    return posixpath.dirname(_directory(path))


# -- scale targets ------------------------------------------------------------------------


class ScaleTarget(NamedTuple):
    """An HPA's ``scaleTargetRef``."""

    api_version: str | None
    group: str | None  # None: apiVersion not given
    kind: str
    name: str


def scale_target(obj: KubeObject) -> tuple[ScaleTarget, dict[str, Path]] | None:
    """The target of a HorizontalPodAutoscaler, and where its fields are."""
    if obj.kind != "HorizontalPodAutoscaler" or obj.group != "autoscaling":
        return None
    ref = obj.get(("spec", "scaleTargetRef"))
    if not isinstance(ref, dict):
        return None
    kind, name, api_version = ref.get("kind"), ref.get("name"), ref.get("apiVersion")
    if not isinstance(kind, str) or not isinstance(name, str) or not kind or not name:
        return None
    version = api_version if isinstance(api_version, str) and api_version else None
    base: Path = ("spec", "scaleTargetRef")
    paths: dict[str, Path] = {"name": (*base, "name"), "kind": (*base, "kind")}
    if version is not None:
        paths["apiVersion"] = (*base, "apiVersion")
    target = ScaleTarget(version, group_of(version) if version else None, kind, name)
    return target, paths
