"""The check kubectl's resource builder makes of every document it reads: its ``metadata``
must decode into the Go ``ObjectMeta``.

cli-runtime's ``metadataValidatingDecoder`` (``pkg/resource/metadata_decoder.go``) decodes
each document's JSON (keys sorted, as the YAML conversion writes them) into
``TypeMeta`` + ``ObjectMeta`` with the case-sensitive ``utiljson.Unmarshal``. A value of
the wrong JSON type (a number label, a list of finalizers written as a string, a
``generation`` of ``1.5``, a ``creationTimestamp`` that is not RFC 3339) fails that
document: kubectl prints ``unable to decode "FILE": <error>``, sends nothing for it and
goes on with the next document. Only the document's own metadata is checked, so the items
of a ``kind: List`` are not. This module answers with Go's error text, or None.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from typing import Any, Final

from kubelint.apply.values import go_json, json_type


@dataclass(frozen=True, slots=True)
class _Type:
    """A Go type as encoding/json decodes into it."""

    shape: str  # string, int64, bool, time, any, map, slice, struct
    name: str  # as Go's %v of reflect.Type prints it
    element: _Type | None = None
    fields: tuple[tuple[str, _Type], ...] = ()


_STRING: Final = _Type("string", "string")
_UID: Final = _Type("string", "types.UID")
_INT64: Final = _Type("int64", "int64")
_BOOL: Final = _Type("bool", "bool")
_TIME: Final = _Type("time", "v1.Time")
_OWNER: Final = _Type(
    "struct",
    "v1.OwnerReference",
    fields=(
        ("apiVersion", _STRING),
        ("blockOwnerDeletion", _BOOL),
        ("controller", _BOOL),
        ("kind", _STRING),
        ("name", _STRING),
        ("uid", _UID),
    ),
)
_MANAGED: Final = _Type(
    "struct",
    "v1.ManagedFieldsEntry",
    fields=(
        ("apiVersion", _STRING),
        ("fieldsType", _STRING),
        ("fieldsV1", _Type("any", "v1.FieldsV1")),
        ("manager", _STRING),
        ("operation", _Type("string", "v1.ManagedFieldsOperationType")),
        ("subresource", _STRING),
        ("time", _TIME),
    ),
)
_OBJECT_META: Final = _Type(
    "struct",
    "v1.ObjectMeta",
    fields=(
        ("annotations", _Type("map", "map[string]string", _STRING)),
        ("creationTimestamp", _TIME),
        ("deletionGracePeriodSeconds", _INT64),
        ("deletionTimestamp", _TIME),
        ("finalizers", _Type("slice", "[]string", _STRING)),
        ("generateName", _STRING),
        ("generation", _INT64),
        ("labels", _Type("map", "map[string]string", _STRING)),
        ("managedFields", _Type("slice", "[]v1.ManagedFieldsEntry", _MANAGED)),
        ("name", _STRING),
        ("namespace", _STRING),
        ("ownerReferences", _Type("slice", "[]v1.OwnerReference", _OWNER)),
        ("resourceVersion", _STRING),
        ("selfLink", _STRING),
        ("uid", _UID),
    ),
)
_DOCUMENT: Final = _Type(
    "struct", "resource.metadataOnlyObject", fields=(("metadata", _OBJECT_META),)
)

_INT64_RANGE: Final = range(-(2**63), 2**63)


class _Fatal(Exception):
    """An error that stops Go's decoder at once (one from an ``UnmarshalJSON`` method)."""


def decode_error(document: Any) -> str | None:
    """Go's error for the metadata of a manifest document, or None when it decodes.

    ``document`` is the document as YAML read it (integers exact, floats as go-yaml's
    float64), before the JSON round trip, so a number reads as Go's decoder sees its text.
    """
    if not isinstance(document, dict):
        return None
    saved: list[str] = []
    try:
        _decode(document, _DOCUMENT, "metadataOnlyObject", (), saved)
    except _Fatal as exc:
        return str(exc)
    return saved[0] if saved else None


def _type_error(value: str, struct: str, path: tuple[str, ...], type_name: str) -> str:
    field = ".".join(path)
    return (
        f"json: cannot unmarshal {value} into Go struct field {struct}.{field} of type {type_name}"
    )


def _number_text(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    return go_json(value) if math.isfinite(value) else str(value)


def _decode(value: Any, kind: _Type, struct: str, path: tuple[str, ...], saved: list[str]) -> None:
    """Decode ``value`` into ``kind`` as encoding/json does: a type mismatch is saved (the
    first one is reported) and decoding goes on; a time that does not parse stops it."""
    if value is None or kind.shape == "any":
        return
    found = json_type(value)
    if kind.shape == "time":
        if not isinstance(value, str):
            # metav1.Time unmarshals the JSON into a string first
            raise _Fatal(_type_error(found, struct, path, "string"))
        problem = rfc3339_error(value)
        if problem is not None:
            raise _Fatal(problem)
        return
    if kind.shape == "struct":
        if not isinstance(value, dict):
            saved.append(_type_error(found, struct, path, kind.name))
            return
        inner = kind.name.rsplit(".", 1)[-1]
        fields = dict(kind.fields)
        for key in sorted(value):
            if key in fields:
                _decode(value[key], fields[key], inner, (*path, key), saved)
        return
    if kind.shape in ("map", "slice"):
        wanted = dict if kind.shape == "map" else list
        if not isinstance(value, wanted):
            saved.append(_type_error(found, struct, path, kind.name))
            return
        assert kind.element is not None
        items = [value[k] for k in sorted(value)] if isinstance(value, dict) else value
        for item in items:
            _decode(item, kind.element, struct, path, saved)
        return
    expected = {"string": "string", "bool": "bool", "int64": "number"}[kind.shape]
    if found != expected:
        saved.append(_type_error(found, struct, path, kind.name))
    elif kind.shape == "int64":
        text = _number_text(value)
        if not re.fullmatch(r"-?\d+", text) or int(text) not in _INT64_RANGE:
            saved.append(_type_error(f"number {text}", struct, path, kind.name))


_LAYOUT: Final = "2006-01-02T15:04:05Z07:00"


def rfc3339_error(text: str) -> str | None:
    """Go's ``time.Parse(time.RFC3339, text)`` error, or None when it parses."""
    value = text

    def cannot(element: str, rest: str) -> str:
        return (
            f"parsing time {_quote(text)} as {_quote(_LAYOUT)}: cannot parse "
            f"{_quote(rest)} as {_quote(element)}"
        )

    def out_of_range(what: str) -> str:
        return f"parsing time {_quote(text)}: {what} out of range"

    if len(value) < 4 or not _digits(value[:4]):
        return cannot("2006", value)
    year, value = int(value[:4]), value[4:]
    numbers: dict[str, int] = {}
    for prefix, element, fixed, name, limit in (
        ("-", "01", True, "month", None),
        ("-", "02", True, "day", None),
        ("T", "15", False, "hour", 24),
        (":", "04", True, "minute", 60),
        (":", "05", True, "second", 60),
    ):
        if not value.startswith(prefix):
            return cannot(prefix, value)
        value = value[len(prefix) :]
        number, rest = _getnum(value, fixed)
        if number is None:
            return cannot(element, value)
        if name == "month" and not 1 <= number <= 12:
            return out_of_range("month")
        if limit is not None and number >= limit:
            return out_of_range(name)
        numbers[name] = number
        value = rest
    if len(value) >= 2 and value[0] in ".," and _digits(value[1]):
        end = 2
        while end < len(value) and _digits(value[end]):
            end += 1
        value = value[end:]
    if value.startswith("Z"):
        value = value[1:]
    else:
        zone_ok = (
            len(value) >= 6
            and value[3] == ":"
            and value[0] in "+-"
            and _digits(value[1:3])
            and _digits(value[4:6])
        )
        if not zone_ok:
            return cannot("Z07:00", value)
        if int(value[1:3]) > 24:
            return out_of_range("time zone offset hour")
        if int(value[4:6]) > 60:
            return out_of_range("time zone offset minute")
        value = value[6:]
    if value:
        return f"parsing time {_quote(text)}: extra text: {_quote(value)}"
    if not 1 <= numbers["day"] <= calendar.monthrange(year, numbers["month"])[1]:
        return out_of_range("day")
    return None


def _getnum(value: str, fixed: bool) -> tuple[int | None, str]:
    """Go's ``time.getnum``: one or two digits (exactly two when ``fixed``)."""
    if not _digits(value[:1]):
        return None, value
    if not _digits(value[1:2]):
        return (None, value) if fixed else (int(value[0]), value[1:])
    return int(value[:2]), value[2:]


def _digits(text: str) -> bool:
    """ASCII digits only, as Go's ``isDigit``."""
    return bool(text) and all("0" <= c <= "9" for c in text)


def _quote(text: str) -> str:
    """The ``time`` package's quoting of a value in an error: ``"`` and ``\\`` escaped,
    every byte of a non-ASCII or control character as ``\\xHH``."""
    out = ['"']
    for char in text:
        if char < " " or char >= "\x80":
            out.extend(f"\\x{byte:02x}" for byte in char.encode("utf-8", "surrogatepass"))
        else:
            out.append("\\" + char if char in '"\\' else char)
    out.append('"')
    return "".join(out)


_ESCAPES: Final = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
}


def go_quote(text: str) -> str:
    """Go's ``%q`` of a string (``strconv.Quote``)."""
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char.isprintable() and char != "\x7f":
            out.append(char)
        elif ord(char) < 0x80:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    out.append('"')
    return "".join(out)
