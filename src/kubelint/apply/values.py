"""JSON values as kubectl's Go code sees them: types, equality, ``%v`` text, encoding.

kubectl decodes manifests into ``map[string]interface{}`` trees whose numbers are
``int64`` when they are integral and ``float64`` otherwise, and compares values with
Go's ``==`` (which never equates ``true`` and ``1``, nor ``1`` and ``1.0``). Python's
``==`` does both, so every comparison in the apply simulation goes through here.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Final, TypeVar, cast

JSON = Any
"""A decoded JSON value: dict, list, str, int, float, bool or None."""

_T = TypeVar("_T")

_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1
_SURROGATES: Final = re.compile("[\ud800-\udfff]")


class GoPanic(Exception):
    """An input that makes kubectl's Go code fail (a panic or an error), with its message."""


class GoJSONError(ValueError):
    """A value Go's encoding/json refuses (``json: unsupported value: NaN``), or JSON text
    it cannot decode; the message is Go's."""


def unsupported_value(value: Any) -> str | None:
    """Go's text for the first NaN or infinity ``json.Marshal`` meets in ``value`` (keys in
    sorted order, as it walks a map), or None when there is none."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "+Inf" if value > 0 else "-Inf"
        return None
    if isinstance(value, dict):
        items: list[Any] = [value[k] for k in sorted(value)]
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in items:
        found = unsupported_value(item)
        if found is not None:
            return found
    return None


def from_yaml(value: Any) -> JSON:
    """A loaded YAML value as kubectl holds it once it has read the manifest.

    Three steps, each Go's: go-yaml resolves a plain number as ``int`` (int64), else
    ``uint64``, else ``float64`` (goyaml.v2 ``resolve``); sigs.k8s.io/yaml writes that
    as JSON (``json.Marshal``: a uint64 exactly, a float64 such as ``1.0`` as ``1``, a
    NaN or infinity refused); kubectl decodes the JSON into its object
    (sigs.k8s.io/json ``UnmarshalCaseSensitivePreserveInts``: int64 when the text is an
    integer that fits, float64 otherwise). So a uint64 above int64's range becomes the
    nearest float64 (18446744073709551615 -> 18446744073709552000), and an integral
    float an int64 when Go's text for it fits int64 (``1e3``, not -9223372036854775809,
    which rounds to -2**63 and is written -9223372036854776000). Raises
    :class:`GoJSONError` for NaN and infinities; the copy also drops the loader's
    position-carrying container types.
    """
    found = unsupported_value(value)
    if found is not None:
        raise GoJSONError(f"json: unsupported value: {found}")
    return _from_yaml(value)


def _from_yaml(value: Any) -> JSON:
    if isinstance(value, dict):
        return {str(k): _from_yaml(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_yaml(v) for v in value]
    if isinstance(value, str):
        # a !!binary value that is not UTF-8 carries its bytes as surrogate escapes; Go's
        # json.Marshal writes each invalid byte as U+FFFD
        return _SURROGATES.sub("\ufffd", value) if _SURROGATES.search(value) else value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if _INT64_MIN <= value <= _INT64_MAX else _int_text_as_float(str(value))
    if isinstance(value, float):
        # json.Marshal writes the shortest text; kubectl's decoder reads a text without a
        # "." (nor an exponent) as an int64 when it fits: 1e3 -> 1000, while -2**63 is
        # written -9223372036854776000 and stays a float64
        text = _go_json_float(value)
        if "." not in text and "e" not in text:
            return _go_int(text)
    return value


def _int_text_as_float(text: str) -> JSON:
    """An integer too large for int64, decoded as Go decodes it: the nearest float64
    (beyond float64's range go-yaml keeps the text as a string)."""
    value = float(text)
    return text if math.isinf(value) else value


def _go_int(text: str) -> JSON:
    value = int(text)
    return value if _INT64_MIN <= value <= _INT64_MAX else _go_float(text)


def _go_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise GoJSONError(f"json: cannot unmarshal number {text} into Go value of type float64")
    return value


def _no_constant(text: str) -> JSON:
    raise GoJSONError(f"invalid character {text[0]!r} looking for beginning of value")


def from_json_text(text: str) -> JSON:
    """Decode JSON as kubectl does (sigs.k8s.io/json ``UnmarshalCaseSensitivePreserveInts``):
    an integer that fits is an int64, any other number the nearest float64.

    Raises ValueError (:class:`GoJSONError` included) where Go fails.
    """
    return json.loads(text, parse_int=_go_int, parse_float=_go_float, parse_constant=_no_constant)


def as_float64(value: JSON) -> JSON:
    """``value`` with every number a float64, as encoding/json decodes into ``interface{}``
    (evanphx/json-patch, which computes the JSON merge patch of a custom resource)."""
    if isinstance(value, dict):
        return {k: as_float64(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_float64(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def round_trip(value: JSON) -> JSON:
    """``value`` written by Go's ``json.Marshal`` and decoded again by kubectl: what a
    receiver of the JSON text holds (float64 text that is integral becomes an int64)."""
    return from_json_text(go_json(value))


def copy(value: _T) -> _T:
    """A deep copy of a JSON tree (faster than :func:`copy.deepcopy`)."""
    return cast(_T, _copy(value))


def _copy(value: JSON) -> JSON:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def prune_nulls(value: JSON) -> None:
    """Delete every null map value of ``value``, in place, at any depth (a null list item
    stays), as evanphx/json-patch prunes added values and kubectl a created object."""
    if isinstance(value, dict):
        for key in list(value):
            if value[key] is None:
                del value[key]
            else:
                prune_nulls(value[key])
    elif isinstance(value, list):
        for item in value:
            prune_nulls(item)


def json_type(value: JSON) -> str:
    """The JSON type of a decoded value: ``null``, ``bool``, ``number``, ``string``,
    ``array`` or ``object`` (as Go's encoding/json decodes into ``interface{}``, an integer
    and a float are both numbers)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def go_type(value: JSON) -> str | None:
    """The Go dynamic type name of a decoded value (None for a JSON null)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list):
        return "slice"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def deep_equal(a: JSON, b: JSON) -> bool:
    """Go's ``reflect.DeepEqual`` on decoded JSON."""
    if go_type(a) != go_type(b):
        return False
    if isinstance(a, dict):
        return len(a) == len(b) and all(k in b and deep_equal(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return False
    return bool(a == b)


_GO_NAMES: Final = {"map": "map[string]interface {}", "slice": "[]interface {}"}


def scalar_equal(a: JSON, b: JSON) -> bool:
    """Go's ``==`` on two ``interface{}`` values holding scalars.

    Comparing a map or a slice this way panics in Go; kubectl then crashes.
    """
    ta, tb = go_type(a), go_type(b)
    if ta in ("map", "slice") or tb in ("map", "slice"):
        if ta == tb:
            raise GoPanic(f"runtime error: comparing uncomparable type {_GO_NAMES[str(ta)]}")
        return False
    return ta == tb and bool(a == b)


def hash_key(value: JSON) -> tuple[str | None, Any]:
    """A key that groups values as a Go ``map[interface{}]`` does."""
    kind = go_type(value)
    if kind in ("map", "slice"):
        raise GoPanic(f"runtime error: hash of unhashable type {_GO_NAMES[kind]}")
    return (kind, value)


def go_text(value: JSON) -> str:
    """``fmt.Sprintf("%v", value)``: how kubectl orders merge keys and scalars."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float_g(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + " ".join(go_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_text(value[k])}" for k in sorted(value)) + "]"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _shortest_digits(value: float) -> tuple[str, int]:
    """Shortest round-trip digits of a finite non-zero float and its decimal point position."""
    sign, digits, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    del sign
    text = "".join(str(d) for d in digits)
    assert isinstance(exponent, int)
    return text, len(text) + exponent


def _go_float_g(value: float) -> str:
    """Go's ``%v`` for a float64 (``strconv.FormatFloat(f, 'g', -1, 64)``)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    digits, point = _shortest_digits(value)
    sign = "-" if value < 0 else ""
    exp = point - 1
    if exp < -4 or exp >= 6:  # strconv's shortest 'g' switches to an exponent at 1e+06
        return sign + _exponent_form(digits, exp)
    return sign + _fixed_form(digits, point)


def _exponent_form(digits: str, exp: int) -> str:
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _fixed_form(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * (-point) + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]


def _go_json_float(value: float) -> str:
    """A float64 as Go's encoding/json writes it."""
    found = unsupported_value(value)
    if found is not None:
        raise GoJSONError(f"json: unsupported value: {found}")
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    digits, point = _shortest_digits(value)
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    if magnitude < 1e-6 or magnitude >= 1e21:
        text = _exponent_form(digits, point - 1)
        # encoding/json shortens a two-digit negative exponent: e-07 -> e-7
        if len(text) >= 4 and text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
            text = text[:-2] + text[-1]
        return sign + text
    return sign + _fixed_form(digits, point)


_HTML_ESCAPES: Final = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}
_LINE_ESCAPES: Final = {"\u2028": "\\u2028", "\u2029": "\\u2029"}


def _go_json_string(text: str) -> str:
    encoded = json.dumps(text, ensure_ascii=False)
    if any(c in encoded for c in "<>&\u2028\u2029"):
        encoded = "".join(_HTML_ESCAPES.get(c) or _LINE_ESCAPES.get(c) or c for c in encoded)
    return encoded


def go_json(value: JSON) -> str:
    """Compact JSON exactly as Go's ``json.Marshal`` writes a ``map[string]interface{}``.

    Keys sorted, ``<``, ``>`` and ``&`` escaped as ``\\u003c`` ..., floats in Go's form.
    """
    parts: list[str] = []
    _encode(value, parts.append)
    return "".join(parts)


def _encode(value: JSON, out: Callable[[str], Any]) -> None:
    if value is None:
        out("null")
    elif value is True:
        out("true")
    elif value is False:
        out("false")
    elif isinstance(value, int):
        out(str(value))
    elif isinstance(value, float):
        out(_go_json_float(value))
    elif isinstance(value, str):
        out(_go_json_string(value))
    elif isinstance(value, list):
        out("[")
        for i, item in enumerate(value):
            if i:
                out(",")
            _encode(item, out)
        out("]")
    elif isinstance(value, dict):
        out("{")
        for i, key in enumerate(sorted(value)):
            if i:
                out(",")
            out(_go_json_string(key))
            out(":")
            _encode(value[key], out)
        out("}")
    else:
        raise TypeError(f"not a JSON value: {type(value).__name__}")


def pretty_json(value: JSON, indent: int = 2) -> str:
    """``json.dumps(value, indent=indent, ensure_ascii=False)``, but with numbers written
    as Go writes them (``1.5e-7``, ``18446744073709552000``), as kubectl sends them."""
    parts: list[str] = []
    _pretty(value, parts.append, indent, 0)
    return "".join(parts)


def _pretty(value: JSON, out: Callable[[str], Any], indent: int, depth: int) -> None:
    if isinstance(value, float) and not isinstance(value, bool):
        out(_go_json_float(value))
    elif isinstance(value, dict) and value:
        inner = "\n" + " " * (indent * (depth + 1))
        out("{")
        for i, (key, item) in enumerate(value.items()):
            out(("," if i else "") + inner + json.dumps(str(key), ensure_ascii=False) + ": ")
            _pretty(item, out, indent, depth + 1)
        out("\n" + " " * (indent * depth) + "}")
    elif isinstance(value, list) and value:
        inner = "\n" + " " * (indent * (depth + 1))
        out("[")
        for i, item in enumerate(value):
            out(("," if i else "") + inner)
            _pretty(item, out, indent, depth + 1)
        out("\n" + " " * (indent * depth) + "]")
    else:
        out(json.dumps(value, ensure_ascii=False))
