"""KA003: a change to a ConfigMap or Secret marked ``immutable: true``."""

from __future__ import annotations

import base64
import binascii

from kubelint.apply.client_side.patch_meta import SchemaType
from kubelint.apply.refusals.immutable_fields import immutable_field
from kubelint.apply.refusals.rejection import REPLACE_REMEDY, Rejection, dotted, refused
from kubelint.apply.refusals.rules import IMMUTABLE_OBJECT
from kubelint.apply.values import JSON
from kubelint.load.paths import Path


def _immutable_flag(
    kind: str, live: dict[str, JSON], result: dict[str, JSON], data: tuple[str, ...]
) -> list[Rejection]:
    if live.get("immutable") is not True:
        return []
    remedy = (
        f"an immutable {kind} cannot change: create one under a new name (a name with a "
        "content hash, as kustomize's generators make) and point its users at it, "
        f"{REPLACE_REMEDY}"
    )
    found: list[Rejection] = []
    if result.get("immutable") is not True:
        found.append(
            Rejection(
                IMMUTABLE_OBJECT,
                f"{refused('patch')}: immutable: Forbidden: field is immutable when "
                "`immutable` is set",
                remedy,
                (("immutable",),),
            )
        )
    for field in data:
        changed = _data_changes(kind, field, live, result)
        if changed:
            found.append(
                Rejection(
                    IMMUTABLE_OBJECT,
                    f"{refused('patch')}: {field}: Forbidden: field is immutable when "
                    f"`immutable` is set (the manifest changes {dotted(changed[0])})",
                    remedy,
                    (changed[0], (field,)),
                )
            )
    return found


def _data_changes(
    kind: str, field: str, live: dict[str, JSON], result: dict[str, JSON]
) -> list[Path]:
    old, new = live.get(field), result.get(field)
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    if kind == "Secret":
        old_bytes = {k: _secret_bytes(v) for k, v in old.items()}
        new_bytes = {k: _secret_bytes(v) for k, v in new.items()}
        strings = result.get("stringData")
        if isinstance(strings, dict):  # conversion writes stringData over data
            for key, value in strings.items():
                if isinstance(value, str):
                    new_bytes[key] = value.encode("utf-8", "surrogatepass")
            return [
                (("stringData", k) if k in strings else (field, k))
                for k in _changed_keys(old_bytes, new_bytes)
            ]
        return [(field, k) for k in _changed_keys(old_bytes, new_bytes)]
    return [(field, k) for k in _changed_keys(old, new)]


def _changed_keys(old: dict[str, object], new: dict[str, object]) -> list[str]:
    """Keys added, removed or changed (Go's ``reflect.DeepEqual`` on the two maps)."""
    return [
        k for k in dict.fromkeys([*new, *old]) if k not in old or k not in new or old[k] != new[k]
    ]


def _secret_bytes(value: JSON) -> object:
    if not isinstance(value, str):
        return value
    try:
        return base64.b64decode(value.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        return value


def configmap_check(
    live: dict[str, JSON], result: dict[str, JSON], root: SchemaType | None
) -> list[Rejection]:
    """core ``ValidateConfigMapUpdate``: once ``immutable: true``, ``immutable`` cannot be
    unset and ``data`` and ``binaryData`` cannot change (Go's ``reflect.DeepEqual``)."""
    del root
    return _immutable_flag("ConfigMap", live, result, ("data", "binaryData"))


def secret_check(
    live: dict[str, JSON], result: dict[str, JSON], root: SchemaType | None
) -> list[Rejection]:
    """core ``ValidateSecretUpdate``: ``type`` is immutable (a missing type defaults to
    Opaque); once ``immutable: true``, ``immutable`` cannot be unset and the data cannot
    change (``stringData`` is written over ``data`` before validation)."""
    del root
    found: list[Rejection] = []
    old_type = live.get("type") or "Opaque"
    new_type = result.get("type") or "Opaque"
    if new_type != old_type:
        found.append(
            immutable_field(
                ("type",),
                new_type,
                f"the live Secret is of type {old_type}",
                f"set type back to {old_type}, {REPLACE_REMEDY}",
            )
        )
    return found + _immutable_flag("Secret", live, result, ("data",))
