"""The bundled Kubernetes schemas: which versions exist, which kinds, and their definitions.

Data layout (written by ``scripts/generate_schemas.py``): ``pool.jsonl`` holds each
distinct definition once, one JSON document per line; ``k8s-v1.NN.json`` maps a
version's definition names to byte ranges in the pool and lists its kinds;
``apis.json`` holds scopes and removed APIs. Nothing is read before it is needed, and
a definition is parsed only when a document of a kind that uses it is validated.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple


class SchemaDataError(RuntimeError):
    """The bundled schema data is missing or damaged (an installation problem)."""


@functools.cache
def data_dir() -> Path:
    """Where the bundled schemas live: inside the installed package, or the source tree."""
    here = Path(__file__).resolve().parent.parent  # the kubelint package
    for candidate in (here / "_data" / "schemas", here.parent.parent / "schemas"):
        if (candidate / "apis.json").is_file():
            return candidate
    raise SchemaDataError(
        f"bundled schemas not found (looked in {here / '_data'} and the source tree)"
    )


@functools.cache
def apis() -> dict[str, Any]:
    """Version list, kind scopes and removed APIs."""
    with (data_dir() / "apis.json").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


def available_versions() -> list[str]:
    """Bundled Kubernetes versions, oldest first (``["1.25", ..., "1.37"]``)."""
    versions: list[str] = apis()["versions"]
    return versions


def latest_version() -> str:
    """The newest bundled Kubernetes version: the default."""
    latest: str = apis()["latest"]
    return latest


def version_key(version: str) -> tuple[int, int]:
    """``"1.30"`` as a sortable pair."""
    major, _, minor = version.partition(".")
    return int(major), int(minor)


class RemovedApi(NamedTuple):
    """An apiVersion/kind that the API server no longer serves."""

    api_version: str
    kind: str
    removed_in: str
    deprecated_in: str | None
    replacement: str | None
    note: str | None


@functools.cache
def removed_apis() -> dict[tuple[str, str], RemovedApi]:
    """Removed APIs keyed by (apiVersion, kind)."""
    return {
        (entry["apiVersion"], entry["kind"]): RemovedApi(
            entry["apiVersion"],
            entry["kind"],
            entry["removedIn"],
            entry.get("deprecatedIn"),
            entry.get("replacement"),
            entry.get("note"),
        )
        for entry in apis()["removed"]
    }


def group_of(api_version: str) -> str:
    """The API group of an apiVersion (``""`` for the core group)."""
    group, slash, _ = api_version.rpartition("/")
    return group if slash else ""


def is_cluster_scoped(group: str, kind: str) -> bool | None:
    """True/False for builtin kinds, None when the kind is not builtin."""
    scope = apis()["scopes"].get(f"{group or 'core'}/{kind}")
    return None if scope is None else scope == "Cluster"


class Resolved(NamedTuple):
    """Where a schema node's ``$ref`` chain ends (see :func:`resolve_ref`)."""

    schema: dict[str, Any]
    """The definition the chain ends at; the node itself when it has no ``$ref``."""
    name: str | None
    """The name of that definition (the last ``$ref`` followed); None when none was."""
    missing: str | None = None
    """A ``$ref`` that names no definition: the chain stopped at ``schema``, which holds it."""


def resolve_ref(
    node: dict[str, Any], definition: Callable[[str], dict[str, Any] | None]
) -> Resolved:
    """Follow ``node``'s ``$ref``, and its target's, to the definition they end at.

    ``definition`` looks a name up (:meth:`KubernetesSchemas.definition`). Only ``$ref``
    is read: the keys beside it (a field's own description) are the caller's to keep or
    drop. The chain stops at a node without a string ``$ref``, at a ``$ref`` that names no
    definition (``missing``), and at one it has already followed (a cycle: ``schema``
    then holds that ``$ref``, ``name`` is the last definition reached).
    """
    schema, name = node, None
    seen: set[str] = set()
    while isinstance(ref := schema.get("$ref"), str) and ref not in seen:
        seen.add(ref)
        target = definition(ref)
        if target is None:
            return Resolved(schema, name, ref)
        schema, name = target, ref
    return Resolved(schema, name)


class KubernetesSchemas:
    """The schemas of one Kubernetes version."""

    def __init__(self, version: str) -> None:
        path = data_dir() / f"k8s-v{version}.json"
        try:
            with path.open(encoding="utf-8") as handle:
                index = json.load(handle)
        except FileNotFoundError as exc:
            raise SchemaDataError(f"no bundled schemas for Kubernetes {version}") from exc
        self.version = version
        self._ranges: dict[str, list[int]] = index["definitions"]
        self.kinds: dict[str, dict[str, str]] = index["kinds"]
        self.lists: dict[str, dict[str, str]] = index.get("lists", {})
        self._cache: dict[str, dict[str, Any]] = {}
        self._pool = data_dir() / "pool.jsonl"

    def definition(self, name: str) -> dict[str, Any] | None:
        """The definition called ``name`` (parsed on first use), or None."""
        cached = self._cache.get(name)
        if cached is not None:
            return cached
        where = self._ranges.get(name)
        if where is None:
            return None
        offset, length = where
        with self._pool.open("rb") as handle:
            handle.seek(offset)
            raw = handle.read(length)
        parsed: dict[str, Any] = json.loads(raw)
        self._cache[name] = parsed
        return parsed

    def resolve(self, node: dict[str, Any]) -> Resolved:
        """``node`` with its ``$ref`` chain followed through this version's definitions."""
        return resolve_ref(node, self.definition)

    def kind_definition(self, api_version: str, kind: str) -> str | None:
        """The definition name of a builtin kind, or None."""
        return self.kinds.get(api_version, {}).get(kind)

    def list_definition(self, api_version: str, kind: str) -> str | None:
        """The definition name of a builtin ``*List`` kind, or None."""
        return self.lists.get(api_version, {}).get(kind)

    @functools.cached_property
    def groups(self) -> set[str]:
        """Builtin API groups served by this version."""
        return {group_of(gv) for gv in self.kinds}

    def api_versions_with_kind(self, kind: str) -> list[str]:
        """Every apiVersion of this version that serves ``kind``."""
        return sorted(gv for gv, kinds in self.kinds.items() if kind in kinds)


@functools.cache
def schemas_for(version: str) -> KubernetesSchemas:
    """The (cached) schemas of a bundled Kubernetes version."""
    return KubernetesSchemas(version)


@functools.cache
def all_builtin_groups() -> frozenset[str]:
    """Groups that any bundled version serves."""
    groups: set[str] = set()
    for version in available_versions():
        groups |= schemas_for(version).groups
    return frozenset(groups)


def versions_serving(api_version: str, kind: str) -> list[str]:
    """The bundled versions that serve apiVersion/kind, oldest first."""
    return [v for v in available_versions() if schemas_for(v).kind_definition(api_version, kind)]
