"""Regenerate the bundled Kubernetes schemas in ``schemas/``.

Run from the repository root (the output is byte-identical on every run)::

    python scripts/generate_schemas.py [--out DIR] [--quiet]

What it reads:

* The ``kubernetes-validate`` package (pinned in the ``test`` extra): its
  ``kubernetes-json-schema/vX.Y.0-local-strict/_definitions.json`` for every Kubernetes
  version it ships. The package is located with :mod:`importlib`, never by path. The
  ``-local-strict`` variant closes objects with ``additionalProperties: false``.
* Hand-curated inputs in ``scripts/schema_sources/``:
  ``enums.yaml`` (allowed values of string fields), ``required.yaml`` (fields the API
  server requires beyond the OpenAPI ``required``), ``cluster_scoped.yaml`` (kinds that are
  not namespaced) and ``removed_apis.yaml`` (API versions removed before or within the
  bundled range).

What it writes (``--out``, default ``schemas/`` at the repository root):

* ``pool.jsonl``: every distinct definition, one compact JSON object per line, ``$ref``
  values rewritten to bare definition names; a definition identical in several versions is
  stored once. Each line carries its definition name in ``x-kubelint-name``.
* ``k8s-v1.NN.json``: per version, definition name -> ``[byte offset, byte length]`` of its
  line in the pool, plus the resource kinds and ``*List`` kinds by apiVersion.
* ``apis.json``: bundled versions, the scope of every builtin kind, and removed APIs.

The generator prints what needs a human eye (enums parsed from descriptions, kinds classed
as Namespaced, disagreements between curated and derived data) and exits non-zero when a
curated input names something that exists in no bundled version.
"""

from __future__ import annotations

import argparse
import copy
import importlib.resources
import importlib.util
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final

import yaml

Schema = dict[str, Any]

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
SOURCES: Final = Path(__file__).resolve().parent / "schema_sources"
DEFAULT_OUT: Final = REPO_ROOT / "schemas"

SOURCE_PACKAGE: Final = "kubernetes_validate"
SCHEMA_DIR: Final = "kubernetes-json-schema"
VARIANT_RE: Final = re.compile(r"^v(\d+)\.(\d+)\.0-local-strict$")

OBJECT_META: Final = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
LIST_META: Final = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"

NAME_KEY: Final = "x-kubelint-name"
ENUM_SOURCE_KEY: Final = "x-kubelint-enum-source"
CURATED: Final = "curated"
FROM_DESCRIPTION: Final = "description"


class GenerationError(Exception):
    """A curated input contradicts the source data; the message says what to fix."""


# --------------------------------------------------------------------------------------
# Versions and source data


def version_key(version: str) -> tuple[int, int]:
    """``"1.30"`` as a sortable pair."""
    major, _, minor = version.partition(".")
    return int(major), int(minor)


def find_source_versions() -> dict[str, Traversable]:
    """The ``-local-strict`` schema directories of the installed package, by version."""
    if importlib.util.find_spec(SOURCE_PACKAGE) is None:
        raise GenerationError(
            f"the {SOURCE_PACKAGE} package is not installed; "
            "install the test extra (pip install -e '.[test]')"
        )
    root = importlib.resources.files(SOURCE_PACKAGE).joinpath(SCHEMA_DIR)
    found: dict[str, Traversable] = {}
    for entry in root.iterdir():
        match = VARIANT_RE.match(entry.name)
        if match and entry.is_dir():
            found[f"{match[1]}.{match[2]}"] = entry
    if not found:
        raise GenerationError(f"no *-local-strict schema directories in {root}")
    return dict(sorted(found.items(), key=lambda item: version_key(item[0])))


def load_definitions(directory: Traversable) -> dict[str, Schema]:
    """The ``$defs`` of one version's ``_definitions.json``."""
    document = json.loads(directory.joinpath("_definitions.json").read_text(encoding="utf-8"))
    definitions: dict[str, Schema] = document["$defs"]
    return definitions


def bare_ref(ref: str) -> str:
    """``/api/_definitions.json#/$defs/X`` and ``#/$defs/X`` -> ``X``."""
    _, marker, name = ref.rpartition("#/$defs/")
    if not marker:
        raise GenerationError(f"unexpected $ref {ref!r}")
    return name


def rewrite_refs(node: Any) -> Any:
    """A copy of ``node`` with every ``$ref`` string replaced by the bare definition name.

    Only string values are references: ``JSONSchemaProps`` has a *property* named ``$ref``
    whose value is a schema, which is copied like any other.
    """
    if isinstance(node, dict):
        return {
            key: bare_ref(value)
            if key == "$ref" and isinstance(value, str)
            else rewrite_refs(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [rewrite_refs(item) for item in node]
    return node


def compact(value: Any) -> str:
    """The one JSON spelling used for every generated line."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# --------------------------------------------------------------------------------------
# Curated inputs


def load_yaml(name: str) -> Any:
    """A file of ``scripts/schema_sources``."""
    with (SOURCES / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def split_key(key: str) -> tuple[str, str]:
    """``io.k8s.api.core.v1.Container.image`` -> (definition, property)."""
    definition, dot, prop = key.rpartition(".")
    if not dot or not definition or not prop:
        raise GenerationError(f"{key!r} is not '<definition name>.<property>'")
    return definition, prop


@dataclass(frozen=True)
class CuratedEnum:
    """Allowed values of one field, possibly growing with the Kubernetes version."""

    values: tuple[str, ...]
    since: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def for_version(self, version: str) -> list[str]:
        """The values accepted by ``version``."""
        allowed = list(self.values)
        for first, extra in self.since:
            if version_key(version) >= version_key(first):
                allowed.extend(extra)
        return sorted(set(allowed))


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise GenerationError(f"{where}: expected a list of strings, got {value!r}")
    if len(set(value)) != len(value):
        raise GenerationError(f"{where}: duplicate values in {value!r}")
    return tuple(value)


def parse_curated_enums(raw: Any, versions: Sequence[str]) -> dict[str, CuratedEnum]:
    """The ``curated`` section of ``enums.yaml``."""
    if not isinstance(raw, dict):
        raise GenerationError("enums.yaml: 'curated' must be a mapping")
    out: dict[str, CuratedEnum] = {}
    for key, entry in raw.items():
        split_key(key)
        if isinstance(entry, list):
            out[key] = CuratedEnum(_string_list(entry, key))
            continue
        if not isinstance(entry, dict) or set(entry) - {"values", "since"}:
            raise GenerationError(f"enums.yaml {key}: expected a list or {{values, since}}")
        since: list[tuple[str, tuple[str, ...]]] = []
        for first, extra in (entry.get("since") or {}).items():
            if first not in versions:
                raise GenerationError(f"enums.yaml {key}: 'since' names unknown version {first}")
            since.append((first, _string_list(extra, f"{key} since {first}")))
        out[key] = CuratedEnum(
            _string_list(entry.get("values"), key),
            tuple(sorted(since, key=lambda item: version_key(item[0]))),
        )
    return out


# --------------------------------------------------------------------------------------
# Enums parsed from descriptions

#: Phrases that introduce a list of values. "One of" lists may omit the conjunction
#: ("One of Always, Never, IfNotPresent."); every other list must end in "and"/"or".
_LEAD_RE: Final = re.compile(
    r"\b(?:(?P<one_of>one of)"
    r"|(?:valid|allowed|supported|possible)\s+"
    r"(?:values|options|operators|effects|policies|modes|types)\s+(?:are|include)"
    r"|(?:must|can)\s+be(?:\s+one\s+of)?"
    r"|supports)\s+",
    re.IGNORECASE,
)
_ITEM_RE: Final = re.compile(
    r"""(?:"(?P<dq>[^"\n]*)"|'(?P<sq>[^'\n]*)'|`(?P<bq>[^`\n]*)`|(?P<bare>[A-Za-z][\w-]*))"""
    r"(?:\s*\([^()\n]*\))?"
)
_COMMA_RE: Final = re.compile(r"\s*,\s*(?P<conj>(?:and|or)\s+)?")
_CONJ_RE: Final = re.compile(r"\s+(?:and|or)\s+")
_END_RE: Final = re.compile(r"\s*(?:\.(?=\s|$)|$)")
#: A quoted value must be a plain identifier; an unquoted one must also be capitalised,
#: which keeps English words ("a valid IP address", "empty") out.
_QUOTED_VALUE_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_BARE_VALUE_RE: Final = re.compile(r"[A-Z][A-Za-z0-9]*")
#: Descriptions that give the empty string a meaning ("Empty means match all taint
#: effects") would need "" in the enum, which a parsed list never has: such fields are left
#: to curation.
_EMPTY_RE: Final = re.compile(r"\bempty\b", re.IGNORECASE)
#: Objects written by controllers, not by users; their values are not validated on create.
_CONTROLLER_WRITTEN_RE: Final = re.compile(r"(?:Status|Condition)$")
_BULLETS_RE: Final = re.compile(r"Possible enum values:\s*\n((?:[ \t]*-[^\n]*(?:\n|$))+)")
_BULLET_RE: Final = re.compile(r'[ \t]*- `"(?P<value>[^"`]*)"`')


def _parse_list(text: str, start: int, one_of: bool) -> tuple[str, ...] | None:
    """The value list starting at ``text[start]``, or None if it is not a clean list."""
    values: list[str] = []
    pos = start
    last_joined_by_conjunction = False
    while True:
        item = _ITEM_RE.match(text, pos)
        if item is None:
            return None
        bare = item["bare"]
        value = bare if bare is not None else item["dq"] or item["sq"] or item["bq"] or ""
        pattern = _BARE_VALUE_RE if bare is not None else _QUOTED_VALUE_RE
        if not pattern.fullmatch(value) or value in values:
            return None
        values.append(value)
        pos = item.end()
        comma = _COMMA_RE.match(text, pos)
        conj = None if comma else _CONJ_RE.match(text, pos)
        separator = comma or conj
        if separator is None or _ITEM_RE.match(text, separator.end()) is None:
            break
        last_joined_by_conjunction = conj is not None or bool(comma and comma["conj"])
        pos = separator.end()
    if _END_RE.match(text, pos) is None or len(values) < 2:
        return None
    if not one_of and not last_joined_by_conjunction:
        return None
    return tuple(values)


def _parse_bullets(text: str) -> tuple[str, ...] | None:
    """Values of an upstream ``Possible enum values:`` bullet list, or None."""
    block = _BULLETS_RE.search(text)
    if block is None:
        return None
    values: list[str] = []
    for line in block[1].splitlines():
        bullet = _BULLET_RE.match(line)
        if bullet is None or not _QUOTED_VALUE_RE.fullmatch(bullet["value"]):
            return None
        values.append(bullet["value"])
    return tuple(values) if len(values) >= 2 and len(set(values)) == len(values) else None


def parse_description_enum(description: str) -> tuple[str, ...] | None:
    """Allowed values stated in a field description, or None when none are stated cleanly.

    Conservative on purpose: a list is taken only when every value is a plain identifier
    (quoted, or unquoted and capitalised), the list ends the sentence and, unless it is
    introduced by "One of", its last value follows "and"/"or". Everything found must agree;
    one statement that parses differently from another rejects the description, and so does
    any mention of an empty value.
    """
    if _EMPTY_RE.search(description):
        return None
    found: set[tuple[str, ...]] = set()
    bullets = _parse_bullets(description)
    if bullets is not None:
        found.add(tuple(sorted(bullets)))
    for lead in _LEAD_RE.finditer(description):
        parsed = _parse_list(description, lead.end(), one_of=lead["one_of"] is not None)
        if parsed is not None:
            found.add(tuple(sorted(parsed)))
    return found.pop() if len(found) == 1 else None


# --------------------------------------------------------------------------------------
# Overlays


def _types(schema: Mapping[str, Any]) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {t for t in declared if isinstance(t, str)}
    return set()


def enum_target(prop: Schema) -> Schema | None:
    """The schema an enum of ``prop`` belongs on: the property, or its items for arrays."""
    if "$ref" in prop:
        return None
    if "array" in _types(prop):
        items = prop.get("items")
        if isinstance(items, dict) and "$ref" not in items and "string" in _types(items):
            return items
        return None
    return prop if "string" in _types(prop) else None


def description_enum_applies(definition_name: str, prop: Schema) -> bool:
    """Whether a value list parsed from ``prop``'s description may become its enum.

    Only plain string fields (no ``format``: bytes, timestamps and the like describe their
    content, not a choice) of objects that users write (not ``*Status``/``*Condition``).
    """
    short_name = definition_name.rpartition(".")[2]
    return (
        _types(prop) <= {"string", "null"}
        and "string" in _types(prop)
        and not {"$ref", "enum", "format"} & prop.keys()
        and not _CONTROLLER_WRITTEN_RE.search(short_name)
    )


@dataclass
class EnumReport:
    """What the enum overlay did, for the review printout and the coverage checks."""

    curated_hits: set[str] = field(default_factory=set)
    #: (definition.property, values) -> versions, for parsed enums
    parsed: dict[tuple[str, tuple[str, ...]], list[str]] = field(default_factory=dict)
    #: curated key -> {version: parsed values} where the description disagrees
    disagreements: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)


def apply_enums(
    version: str,
    definitions: dict[str, Schema],
    curated: Mapping[str, CuratedEnum],
    vetoed: Mapping[str, str],
    report: EnumReport,
) -> None:
    """Add ``enum`` (and its source) to the string fields of one version's definitions."""
    for name, definition in definitions.items():
        for prop_name, prop in (definition.get("properties") or {}).items():
            if not isinstance(prop, dict):
                continue
            key = f"{name}.{prop_name}"
            description = prop.get("description")
            parsed = parse_description_enum(description) if isinstance(description, str) else None
            entry = curated.get(key)
            if entry is not None:
                target = enum_target(prop)
                if target is None or "enum" in target:
                    raise GenerationError(
                        f"enums.yaml {key}: not a plain string (or string array) field in {version}"
                    )
                values = entry.for_version(version)
                target["enum"] = values
                target[ENUM_SOURCE_KEY] = CURATED
                report.curated_hits.add(key)
                if parsed is not None and set(parsed) != set(values):
                    report.disagreements.setdefault(key, {})[version] = parsed
                continue
            if not description_enum_applies(name, prop) or parsed is None or key in vetoed:
                continue
            prop["enum"] = list(parsed)
            prop[ENUM_SOURCE_KEY] = FROM_DESCRIPTION
            report.parsed.setdefault((key, parsed), []).append(version)


def apply_required(
    version: str,
    definitions: dict[str, Schema],
    required: Mapping[str, Sequence[str]],
    hits: set[str],
) -> None:
    """Add server-side required fields to one version's definitions."""
    for name, props in required.items():
        definition = definitions.get(name)
        if definition is None:
            continue
        known = definition.get("properties") or {}
        missing = [prop for prop in props if prop not in known]
        if missing:
            raise GenerationError(f"required.yaml {name}: no property {missing} in {version}")
        definition["required"] = sorted(set(definition.get("required", [])) | set(props))
        hits.add(name)


# --------------------------------------------------------------------------------------
# Kinds


def api_version_of(gvk: Mapping[str, str]) -> str:
    """``group/version``, or just ``version`` for the core group."""
    return f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]


def _metadata_ref(definition: Schema) -> str | None:
    metadata = (definition.get("properties") or {}).get("metadata")
    return metadata.get("$ref") if isinstance(metadata, dict) else None


def find_kinds(
    definitions: Mapping[str, Schema],
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Resource kinds and ``*List`` kinds, as apiVersion -> kind -> definition name.

    A resource kind has a group-version-kind, ``apiVersion``/``kind`` properties and
    ObjectMeta metadata; a list kind has ListMeta metadata and ``items``. Meta types
    (DeleteOptions, WatchEvent, Status, APIGroup, ...) have neither and are left out.
    """
    kinds: dict[str, dict[str, str]] = {}
    lists: dict[str, dict[str, str]] = {}
    for name, definition in definitions.items():
        gvks = definition.get("x-kubernetes-group-version-kind")
        props = definition.get("properties") or {}
        if not gvks or not {"apiVersion", "kind", "metadata"} <= props.keys():
            continue
        metadata = _metadata_ref(definition)
        if metadata == OBJECT_META:
            table = kinds
        elif metadata == LIST_META and "array" in _types(props.get("items", {})):
            table = lists
        else:
            continue
        for gvk in gvks:
            by_kind = table.setdefault(api_version_of(gvk), {})
            if gvk["kind"] in by_kind:
                raise GenerationError(
                    f"{api_version_of(gvk)} {gvk['kind']}: both {by_kind[gvk['kind']]} and {name}"
                )
            by_kind[gvk["kind"]] = name
    return kinds, lists


def split_api_version(api_version: str) -> tuple[str, str]:
    """``apps/v1`` -> (``apps``, ``v1``); ``v1`` -> (``""``, ``v1``)."""
    group, _, version = api_version.rpartition("/")
    return group, version


_API_VERSION_RE: Final = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")


def api_version_rank(version: str) -> tuple[int, int, int]:
    """Kubernetes version priority: GA > beta > alpha, then by number (v2 > v1)."""
    match = _API_VERSION_RE.match(version)
    if match is None:
        return (-1, 0, 0)
    stability = {"alpha": 0, "beta": 1, None: 2}[match[2]]
    return (stability, int(match[1]), int(match[3] or 0))


def scope_key(api_version: str, kind: str) -> str:
    """``core/Namespace``, ``apps/Deployment``."""
    group, _ = split_api_version(api_version)
    return f"{group or 'core'}/{kind}"


# --------------------------------------------------------------------------------------
# apis.json


def build_scopes(
    kinds_by_version: Mapping[str, Mapping[str, Mapping[str, str]]], cluster_scoped: Iterable[str]
) -> dict[str, str]:
    """``group/Kind`` -> Cluster | Namespaced for every kind of every bundled version."""
    every = {
        scope_key(api_version, kind)
        for kinds in kinds_by_version.values()
        for api_version, by_kind in kinds.items()
        for kind in by_kind
    }
    cluster = set(cluster_scoped)
    unknown = sorted(cluster - every)
    if unknown:
        raise GenerationError(f"cluster_scoped.yaml names kinds found in no version: {unknown}")
    return {key: "Cluster" if key in cluster else "Namespaced" for key in sorted(every)}


@dataclass(frozen=True)
class RemovedApi:
    """One record of ``removed`` in apis.json."""

    api_version: str
    kind: str
    removed_in: str
    deprecated_in: str | None
    replacement: str | None
    note: str | None

    def as_json(self) -> dict[str, str | None]:
        """The apis.json spelling."""
        return {
            "apiVersion": self.api_version,
            "kind": self.kind,
            "removedIn": self.removed_in,
            "deprecatedIn": self.deprecated_in,
            "replacement": self.replacement,
            "note": self.note,
        }


def parse_curated_removed(raw: Any) -> list[RemovedApi]:
    """``removed_apis.yaml`` expanded to one record per kind."""
    if not isinstance(raw, list):
        raise GenerationError("removed_apis.yaml: 'removed' must be a list")
    expected = {"apiVersion", "kinds", "removedIn", "deprecatedIn", "replacement", "note"}
    out: list[RemovedApi] = []
    for entry in raw:
        if not isinstance(entry, dict) or set(entry) != expected:
            raise GenerationError(
                f"removed_apis.yaml: entry needs exactly {sorted(expected)}: {entry}"
            )
        for key in ("removedIn", "deprecatedIn"):
            value = entry[key]
            if value is not None and not re.fullmatch(r"1\.\d+", str(value)):
                raise GenerationError(
                    f"removed_apis.yaml {entry['apiVersion']}: bad {key} {value!r}"
                )
        for kind in _string_list(entry["kinds"], entry["apiVersion"]):
            out.append(
                RemovedApi(
                    entry["apiVersion"],
                    kind,
                    entry["removedIn"],
                    entry["deprecatedIn"],
                    entry["replacement"],
                    entry["note"],
                )
            )
    return out


def derive_removed(
    kinds_by_version: Mapping[str, Mapping[str, Mapping[str, str]]],
) -> tuple[list[RemovedApi], list[str]]:
    """Kinds served by some bundled version and gone from a later one.

    removedIn is the first bundled version without the kind after its last appearance;
    the replacement is the highest-priority apiVersion of the same group and kind in the
    newest version. Also returns warnings for kinds that vanish and come back.
    """
    versions = list(kinds_by_version)
    latest = kinds_by_version[versions[-1]]
    seen: dict[tuple[str, str], list[str]] = {}
    for version, kinds in kinds_by_version.items():
        for api_version, by_kind in kinds.items():
            for kind in by_kind:
                seen.setdefault((api_version, kind), []).append(version)
    out: list[RemovedApi] = []
    warnings: list[str] = []
    for (api_version, kind), present in sorted(seen.items()):
        first, last = versions.index(present[0]), versions.index(present[-1])
        if last - first + 1 != len(present):
            warnings.append(f"{api_version} {kind} is missing from some versions between {present}")
        if present[-1] == versions[-1]:
            continue
        group, _ = split_api_version(api_version)
        candidates = [
            gv
            for gv, by_kind in latest.items()
            if kind in by_kind and split_api_version(gv)[0] == group
        ]
        replacement = max(
            candidates, key=lambda gv: api_version_rank(split_api_version(gv)[1]), default=None
        )
        out.append(RemovedApi(api_version, kind, versions[last + 1], None, replacement, None))
    return out, warnings


def merge_removed(
    derived: Sequence[RemovedApi],
    curated: Sequence[RemovedApi],
    kinds_by_version: Mapping[str, Mapping[str, Mapping[str, str]]],
) -> tuple[list[RemovedApi], list[str]]:
    """Derived records, completed by curated ones; curated-only records added as they are.

    Derived data wins on removedIn and replacement; curated data fills deprecatedIn and
    note. Returns the merged list and notes on disagreements.
    """
    latest = kinds_by_version[list(kinds_by_version)[-1]]
    by_key = {(record.api_version, record.kind): record for record in derived}
    notes: list[str] = []
    seen_curated: set[tuple[str, str]] = set()
    for record in curated:
        key = (record.api_version, record.kind)
        if key in seen_curated:
            raise GenerationError(f"removed_apis.yaml lists {key} twice")
        seen_curated.add(key)
        if record.kind in latest.get(record.api_version, {}):
            raise GenerationError(f"removed_apis.yaml: {key} is still served by the newest version")
        if record.replacement is not None and record.kind not in latest.get(record.replacement, {}):
            raise GenerationError(
                f"removed_apis.yaml: replacement {record.replacement} of {key} "
                "does not serve that kind in the newest version"
            )
        base = by_key.get(key)
        if base is None:
            if any(
                record.kind in kinds.get(record.api_version, {})
                for kinds in kinds_by_version.values()
            ):
                raise GenerationError(
                    f"removed_apis.yaml: {key} is bundled but was not found removed"
                )
            by_key[key] = record
            continue
        if base.removed_in != record.removed_in:
            notes.append(
                f"{key}: removedIn {base.removed_in} from the data, {record.removed_in} curated"
            )
        if base.replacement != record.replacement:
            notes.append(
                f"{key}: replacement {base.replacement} from the data, {record.replacement} curated"
            )
        by_key[key] = RemovedApi(
            base.api_version,
            base.kind,
            base.removed_in,
            record.deprecated_in,
            base.replacement,
            record.note,
        )
    merged = sorted(
        by_key.values(), key=lambda r: (version_key(r.removed_in), r.api_version, r.kind)
    )
    return merged, notes


# --------------------------------------------------------------------------------------
# Pool and indexes


@dataclass
class Pool:
    """Distinct definitions in insertion order, with their byte ranges."""

    lines: list[bytes] = field(default_factory=list)
    ranges: dict[bytes, tuple[int, int]] = field(default_factory=dict)
    size: int = 0

    def add(self, line: bytes) -> tuple[int, int]:
        """The byte range of ``line``, appending it when it is new."""
        where = self.ranges.get(line)
        if where is None:
            where = (self.size, len(line))
            self.ranges[line] = where
            self.lines.append(line)
            self.size += len(line) + 1
        return where

    def content(self) -> bytes:
        """The pool file: lines joined by newlines, with a final newline."""
        return b"".join(line + b"\n" for line in self.lines)


@dataclass
class Bundle:
    """Everything the generator writes, as bytes by file name."""

    files: dict[str, bytes]
    stats: dict[str, Any]


def build_bundle(*, verbose: bool = True) -> Bundle:
    """Read the sources and curated inputs and produce every output file."""
    say = print if verbose else (lambda *_args, **_kwargs: None)
    sources = find_source_versions()
    versions = list(sources)

    enums_raw = load_yaml("enums.yaml")
    curated_enums = parse_curated_enums(enums_raw.get("curated"), versions)
    vetoed: dict[str, str] = enums_raw.get("not_from_description") or {}
    required: dict[str, list[str]] = load_yaml("required.yaml")
    cluster_scoped: list[str] = load_yaml("cluster_scoped.yaml")["cluster_scoped"]
    curated_removed = parse_curated_removed(load_yaml("removed_apis.yaml")["removed"])

    report = EnumReport()
    required_hits: set[str] = set()
    vetoed_seen: set[str] = set()
    pool = Pool()
    indexes: dict[str, dict[str, Any]] = {}
    kinds_by_version: dict[str, dict[str, dict[str, str]]] = {}
    definition_counts: dict[str, int] = {}

    for version, directory in sources.items():
        definitions = {
            name: rewrite_refs(definition)
            for name, definition in load_definitions(directory).items()
        }
        for key in vetoed:
            name, prop = split_key(key)
            if prop in (definitions.get(name, {}).get("properties") or {}):
                vetoed_seen.add(key)
        apply_required(version, definitions, required, required_hits)
        apply_enums(version, definitions, curated_enums, vetoed, report)
        kinds, lists = find_kinds(definitions)
        kinds_by_version[version] = kinds
        ranges: dict[str, list[int]] = {}
        for name in sorted(definitions):
            stored = copy.copy(definitions[name])
            stored[NAME_KEY] = name
            offset, length = pool.add(compact(stored).encode("utf-8"))
            ranges[name] = [offset, length]
        definition_counts[version] = len(ranges)
        indexes[version] = {
            "kubernetes": version,
            "definitions": ranges,
            "kinds": kinds,
            "lists": lists,
        }

    unmatched = sorted(set(curated_enums) - report.curated_hits)
    if unmatched:
        raise GenerationError(f"enums.yaml names fields found in no version: {unmatched}")
    unmatched = sorted(set(vetoed) - vetoed_seen)
    if unmatched:
        raise GenerationError(f"enums.yaml not_from_description names unknown fields: {unmatched}")
    unmatched = sorted(set(required) - required_hits)
    if unmatched:
        raise GenerationError(f"required.yaml names definitions found in no version: {unmatched}")

    scopes = build_scopes(kinds_by_version, cluster_scoped)
    derived, warnings = derive_removed(kinds_by_version)
    removed, removed_notes = merge_removed(derived, curated_removed, kinds_by_version)

    say("== enums parsed from descriptions (definition.property: values [versions])")
    for (key, values), in_versions in sorted(report.parsed.items()):
        span = in_versions[0] if len(in_versions) == 1 else f"{in_versions[0]}..{in_versions[-1]}"
        say(f"  {key}: {', '.join(values)} [{span}; {len(in_versions)} versions]")
    if report.disagreements:
        say("== curated enums whose description parses to a different set (curated wins)")
        for key, per_version in sorted(report.disagreements.items()):
            distinct = sorted(set(per_version.values()))
            say(f"  {key}: description says {[', '.join(v) for v in distinct]}")
    say("== kinds classed as Namespaced (not in cluster_scoped.yaml)")
    say("  " + ", ".join(key for key, scope in scopes.items() if scope == "Namespaced"))
    for line in warnings + removed_notes:
        say(f"== note: {line}")

    latest = versions[-1]
    apis = {
        "latest": latest,
        "versions": versions,
        "scopes": scopes,
        "removed": [record.as_json() for record in removed],
    }
    files: dict[str, bytes] = {"pool.jsonl": pool.content()}
    for version, index in indexes.items():
        files[f"k8s-v{version}.json"] = (compact(index) + "\n").encode("utf-8")
    files["apis.json"] = (
        json.dumps(apis, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    ).encode("utf-8")

    parsed_fields = {key for key, _ in report.parsed}
    stats = {
        "definitions per version": definition_counts,
        "pool entries": len(pool.lines),
        f"kinds in {latest}": sum(len(by_kind) for by_kind in kinds_by_version[latest].values()),
        "removed entries": len(removed),
        "curated enum fields": len(curated_enums),
        "fields with enums from descriptions": len(parsed_fields),
        "bytes": sum(len(content) for content in files.values()),
    }
    return Bundle(files, stats)


def write_bundle(bundle: Bundle, out: Path) -> None:
    """Write the bundle into ``out``, removing generated files that are no longer produced."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("k8s-v*.json"):
        if stale.name not in bundle.files:
            stale.unlink()
    for name, content in bundle.files.items():
        (out / name).write_bytes(content)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    args = parser.parse_args(argv)
    try:
        bundle = build_bundle(verbose=not args.quiet)
    except GenerationError as exc:
        print(f"generate_schemas: error: {exc}", file=sys.stderr)
        return 1
    write_bundle(bundle, args.out)
    if not args.quiet:
        for label, value in bundle.stats.items():
            print(f"{label}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
