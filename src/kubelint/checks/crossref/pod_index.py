"""The pods of a run indexed by their labels, and when a selector that selects none of
them is worth a finding (what it may have meant).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from kubelint.checks.api import Fact
from kubelint.checks.crossref.facts import describe
from kubelint.checks.crossref.near import Near, scope_of
from kubelint.checks.crossref.pods import Pods
from kubelint.checks.crossref.selectors import Selector
from kubelint.schema.suggest import closest

#: Answers that took more candidates than this are kept for the next selector that asks.
_WORTH_KEEPING: Final = 8


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
