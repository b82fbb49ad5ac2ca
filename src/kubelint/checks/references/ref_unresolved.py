"""KL066 and KL067: ConfigMap and Secret references of a pod spec must resolve.

A pod takes ConfigMaps and Secrets by name from its own namespace: in env
(``valueFrom.configMapKeyRef`` / ``secretKeyRef``), envFrom (``configMapRef`` /
``secretRef``), ``configMap`` / ``secret`` volumes and ``projected`` volume sources, each
with optional ``items[].key``. A name that is not in the run may be in the cluster, so it
is reported only when it looks like a typo, when the object is in another namespace, or
with ``--strict-refs``. A key that the object of the run does not have is an error.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from kubelint.checks.api import (
    CollectFn,
    CrossCheck,
    CrossViolation,
    Fact,
    RuleContext,
    cross_objects_check,
)
from kubelint.checks.crossref.facts import fields_of
from kubelint.checks.crossref.names import Named, elsewhere, typo_of
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.load.paths import Path
from kubelint.report.model import Severity
from kubelint.schema.suggest import closest


class Ref(NamedTuple):
    """One reference to a ConfigMap or Secret (and maybe one of its keys)."""

    name: str
    key: str | None
    optional: bool
    name_mark: str
    key_mark: str


class Refs(NamedTuple):
    """The references of one object's pod spec to objects of one kind."""

    refs: tuple[Ref, ...]


class _Kind(NamedTuple):
    kind: str
    data_fields: tuple[str, ...]
    env_key_ref: str  # env[].valueFrom.<this>
    env_from_ref: str  # envFrom[].<this>
    volume: str  # volumes[].<this>
    volume_name: str  # the name field of that volume source


CONFIG_MAP = _Kind(
    "ConfigMap", ("data", "binaryData"), "configMapKeyRef", "configMapRef", "configMap", "name"
)
SECRET = _Kind(
    "Secret", ("data", "stringData"), "secretKeyRef", "secretRef", "secret", "secretName"
)

#: Secret types whose keys a controller fills in.
_FILLED_BY_CONTROLLER = frozenset({"kubernetes.io/service-account-token"})


class _Collector:
    def __init__(self) -> None:
        self.refs: list[Ref] = []
        self.paths: dict[str, Path] = {}

    def add(self, source: Any, path: Path, name_field: str, optional: bool = False) -> None:
        """A reference at ``path`` (a map with a name, maybe a key, items and optional)."""
        if not isinstance(source, dict):
            return
        name = source.get(name_field)
        if not isinstance(name, str) or not name:
            return
        optional = optional or source.get("optional") is True
        index = len(self.paths)
        name_mark = f"n{index}"
        self.paths[name_mark] = (*path, name_field)
        key = source.get("key")
        if isinstance(key, str):
            key_mark = f"k{index}"
            self.paths[key_mark] = (*path, "key")
            self.refs.append(Ref(name, key, optional, name_mark, key_mark))
            return
        items = source.get("items")
        keys = [
            (i, item.get("key"))
            for i, item in enumerate(items if isinstance(items, list) else [])
            if isinstance(item, dict) and isinstance(item.get("key"), str)
        ]
        if not keys:
            self.refs.append(Ref(name, None, optional, name_mark, name_mark))
        for i, item_key in keys:
            key_mark = f"k{index}.{i}"
            self.paths[key_mark] = (*path, "items", i, "key")
            self.refs.append(Ref(name, item_key, optional, name_mark, key_mark))


def _references(obj: KubeObject, kind: _Kind) -> tuple[list[Ref], dict[str, Path]]:
    found = _Collector()
    base = obj.pod_spec_path
    spec = obj.pod_spec()
    if base is None or spec is None:
        return [], {}
    volumes = spec.get("volumes")
    for i, volume in enumerate(volumes if isinstance(volumes, list) else []):
        if not isinstance(volume, dict):
            continue
        path: Path = (*base, "volumes", i)
        found.add(volume.get(kind.volume), (*path, kind.volume), kind.volume_name)
        projected = volume.get("projected")
        sources = projected.get("sources") if isinstance(projected, dict) else None
        for j, source in enumerate(sources if isinstance(sources, list) else []):
            if isinstance(source, dict):
                source_path: Path = (*path, "projected", "sources", j, kind.volume)
                found.add(source.get(kind.volume), source_path, "name")
    for container_path, container in obj.containers(init=True, ephemeral=True):
        env = container.get("env")
        for i, entry in enumerate(env if isinstance(env, list) else []):
            value_from = entry.get("valueFrom") if isinstance(entry, dict) else None
            if isinstance(value_from, dict):
                ref_path: Path = (*container_path, "env", i, "valueFrom", kind.env_key_ref)
                found.add(value_from.get(kind.env_key_ref), ref_path, "name")
        env_from = container.get("envFrom")
        for i, entry in enumerate(env_from if isinstance(env_from, list) else []):
            if isinstance(entry, dict):
                ref_path = (*container_path, "envFrom", i, kind.env_from_ref)
                found.add(entry.get(kind.env_from_ref), ref_path, "name")
    return found.refs, found.paths


def _keys(obj: KubeObject, kind: _Kind) -> tuple[str, ...] | None:
    """The keys of a ConfigMap or Secret; None when something else fills them in."""
    if kind is SECRET and shapes.string(obj.body, "type") in _FILLED_BY_CONTROLLER:
        return None
    keys: set[str] = set()
    for data_field in kind.data_fields:
        data = obj.get((data_field,))
        if isinstance(data, dict):
            keys.update(sys.intern(k) for k in data if isinstance(k, str))
    return tuple(keys) if keys else None


def _collector(kind: _Kind) -> CollectFn:
    def collect(
        obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
    ) -> Iterator[tuple[Any, dict[str, Path], dict[str, str]]]:
        if obj.kind == kind.kind and obj.group == "":
            yield Named(keys=_keys(obj, kind)), {}, {}
            return
        refs, paths = _references(obj, kind)
        if refs:
            yield Refs(tuple(refs)), paths, fields_of(paths)

    collect.__doc__ = f"{kind.kind}s, and the references of pod specs to them."
    return collect


def _checker(kind: _Kind) -> CrossCheck:
    def check(
        facts: list[Fact], options: Mapping[str, Any], ctx: RuleContext
    ) -> Iterator[CrossViolation]:
        if not any(isinstance(f.data, Refs) for f in facts):
            return
        ignored = [str(p) for p in options.get("ignore") or []]
        keys: dict[tuple[str | None, str], frozenset[str] | None] = {}
        names: dict[str | None, set[str]] = {}
        where: dict[str, set[str | None]] = {}
        typos: dict[tuple[str | None, str], str | None] = {}
        for fact in facts:
            if isinstance(fact.data, Named) and fact.name:
                key = (fact.namespace, fact.name)
                known = keys.get(key, frozenset())
                more = None if fact.data.keys is None else frozenset(fact.data.keys)
                # defined twice: either definition may win, so accept the keys of both
                keys[key] = None if known is None or more is None else known | more
                names.setdefault(fact.namespace, set()).add(fact.name)
                where.setdefault(fact.name, set()).add(fact.namespace)
        for fact in facts:
            if not isinstance(fact.data, Refs):
                continue
            namespace = fact.namespace
            reported: set[str] = set()
            for ref in fact.data.refs:
                if ref.optional or any(fnmatch.fnmatchcase(ref.name, p) for p in ignored):
                    continue
                if (namespace, ref.name) not in keys:
                    if ref.name_mark in reported:
                        continue  # one finding per name, not one per item key
                    reported.add(ref.name_mark)
                    typo = (namespace, ref.name)
                    if typo not in typos:
                        typos[typo] = typo_of(ref.name, names.get(namespace, set()))
                    meant = typos[typo]
                    other = elsewhere(ref.name, namespace, where)
                    if not (meant or other or ctx.strict_refs):
                        continue
                    hint = f'did you mean "{meant}"?' if meant else other
                    yield CrossViolation(
                        fact,
                        ref.name_mark,
                        f'{kind.kind} "{ref.name}" is not in namespace {namespace} in this run',
                        hint or f"add the {kind.kind} to the run, or set optional: true",
                        severity=None if ctx.strict_refs else Severity.WARNING,
                    )
                    continue
                present = keys[(namespace, ref.name)]
                if ref.key is None or present is None or ref.key in present:
                    continue
                meant = closest(ref.key, present)
                holders = sorted(
                    str(ns)
                    for ns in where.get(ref.name, ())
                    if ns != namespace and (held := keys[(ns, ref.name)]) and ref.key in held
                )
                listed = sorted(present)
                if meant:
                    hint = f'did you mean "{meant}"?'
                elif holders:
                    hint = (
                        f"the {kind.kind} of that name in namespace {', '.join(holders)} has it, "
                        f"but references are namespace-local (this is namespace {namespace})"
                    )
                else:
                    tail = ", ..." if len(listed) > 10 else ""
                    hint = "its keys: " + ", ".join(listed[:10]) + tail
                yield CrossViolation(
                    fact, ref.key_mark, f'{kind.kind} "{ref.name}" has no key "{ref.key}"', hint
                )

    check.__doc__ = f"References to {kind.kind}s that do not resolve in the run."
    return check


configmap_ref_unresolved = cross_objects_check(
    "references.configmap-ref-unresolved", _collector(CONFIG_MAP)
)(_checker(CONFIG_MAP))

secret_ref_unresolved = cross_objects_check("references.secret-ref-unresolved", _collector(SECRET))(
    _checker(SECRET)
)
