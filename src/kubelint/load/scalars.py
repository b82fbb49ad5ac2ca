"""Scalar resolution exactly as kubectl's YAML decoder (sigs.k8s.io/yaml, YAML 1.1) does it.

kubectl turns YAML into JSON before anything else sees it. A plain scalar becomes a
boolean for ``y/yes/on`` (and their negatives), a number for anything Go's
``strconv.ParseInt(s, 0, 64)`` accepts (so ``0777`` is octal and ``0x1F`` hex), and
stays a string for timestamps and YAML 1.1 sexagesimals (``1:30``). Map keys are
turned into JSON strings. This module is that mapping, nothing else.

Numbers follow go-yaml v2's ``resolve`` (the decoder sigs.k8s.io/yaml uses, v2.4 as
released: the big-integer branch of an unmerged fork was never shipped): underscores
are dropped, then ``ParseInt(s, 0, 64)``, then ``ParseUint(s, 0, 64)`` (no sign
allowed), then, for decimal-looking text only, ``ParseFloat(s, 64)`` if it succeeds;
anything else stays the string it was written as. So an integer within int64 or uint64
is a Python ``int`` (what Go makes an int), a longer one is a ``float`` while float64
holds it (``99999999999999999999`` is 1e20 to kubectl), and beyond that, like
``1e400``, the plain scalar is a string. The range is judged on the digits before any
conversion, so a 5,000-digit number costs nothing and never meets Python's limit on
converting long digit strings.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from typing import Final

_MISSING: Final = object()

#: Plain scalars looked up as a whole (the resolver's table), by their first character class.
_TABLE: Final[dict[str, object]] = {}
for _words, _value in (
    (("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    (("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    (("", "~", "null", "Null", "NULL"), None),
    ((".nan", ".NaN", ".NAN"), math.nan),
    ((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    (("-.inf", "-.Inf", "-.INF"), -math.inf),
):
    for _word in _words:
        _TABLE[_word] = _value

_GO_INT = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\Z")
_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_DOT_FLOAT = re.compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?\Z")
_INT64_MIN: Final = -(2**63)
_UINT64_MAX: Final = 2**64 - 1

MERGE_KEY: Final = "<<"
YAML_TAG_PREFIX: Final = "tag:yaml.org,2002:"


#: The most digits, leading zeros aside, of a magnitude within uint64, by base.
_MAX_DIGITS: Final = {2: 64, 8: 22, 10: 20, 16: 16}
_INT64_MAX: Final = 2**63 - 1


def _go_int(text: str) -> int | None:
    """Parse like ``strconv.ParseInt(text, 0, 64)`` then ``ParseUint``; None when Go fails."""
    if not _GO_INT.match(text):
        return None
    digits = text.lstrip("+-")
    base, body = 10, digits
    if len(digits) > 1 and digits[0] == "0":
        base = {"x": 16, "X": 16, "o": 8, "O": 8, "b": 2, "B": 2}.get(digits[1], 8)
        body = digits[1:] if base == 8 and digits[1] not in "oO" else digits[2:]
    body = body.lstrip("0") or "0"
    if len(body) > _MAX_DIGITS[base]:
        return None  # beyond uint64: both parsers fail
    number = int(body, base)
    if text[0] == "-":
        return -number if -number >= _INT64_MIN else None
    if number <= _INT64_MAX:
        return number
    return number if text[0] != "+" and number <= _UINT64_MAX else None  # ParseUint: no sign


def resolve_plain(text: str) -> object:
    """The JSON value kubectl gives an untagged plain scalar."""
    found = _TABLE.get(text, _MISSING)
    if found is not _MISSING:
        return found
    first = text[0]
    if first in "0123456789+-":
        plain = text.replace("_", "") if "_" in text else text
        number = _go_int(plain)
        if number is not None:
            return number
        if _YAML_FLOAT.match(plain):
            as_float = float(plain)
            if not math.isinf(as_float):
                return as_float
        return text
    if first == "." and _DOT_FLOAT.match(text):
        as_float = float(text)
        return text if math.isinf(as_float) else as_float  # ParseFloat's range error
    return text


class TagError(ValueError):
    """An explicit tag whose scalar kubectl cannot decode (``!!int abc``)."""


def resolve_tagged(tag: str, text: str) -> object:
    """The value of a scalar with an explicit tag, as kubectl decodes it."""
    if not tag.startswith(YAML_TAG_PREFIX):
        return text  # local tags (!Ref, !) are ignored: the text is the value
    short = tag[len(YAML_TAG_PREFIX) :]
    if short == "str":
        return text
    if short == "binary":
        try:
            raw = base64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise TagError("!!binary value contains invalid base64 data") from exc
        return raw.decode("utf-8", errors="surrogateescape")
    value = resolve_plain(text) if text else None
    if short == "float" and isinstance(value, int) and not isinstance(value, bool):
        if value > _INT64_MAX:  # go-yaml turns only int and int64 into a !!float
            raise TagError(f"cannot decode `{text}` as a !!float")
        return float(value)
    expected: dict[str, tuple[type, ...]] = {
        "int": (int,),
        "float": (float,),
        "bool": (bool,),
        "null": (type(None),),
        "timestamp": (str,),
        "merge": (str,),
    }
    kinds = expected.get(short)
    if kinds is None:
        return text  # !!value, !!yaml and friends: kubectl keeps the text
    if not isinstance(value, kinds) or (short == "int" and isinstance(value, bool)):
        raise TagError(f"cannot decode `{text}` as a !!{short}")
    return value


def json_key(value: object) -> str | None:
    """A mapping key as kubectl writes it into JSON, or None when kubectl rejects it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return _format_float32_g(value)
    return None


def _format_float32_g(value: float) -> str:
    """Go's ``strconv.FormatFloat(v, 'g', -1, 32)``: shortest text that round-trips float32."""
    import struct

    as32 = struct.unpack("f", struct.pack("f", value))[0]
    for digits in range(1, 10):
        text = f"{as32:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == as32:
            break
    mantissa, _, exponent = text.partition("e")
    if exponent:
        sign = exponent[0]
        exponent = exponent[1:].lstrip("0").rjust(2, "0")
        return f"{mantissa}e{sign}{exponent}"
    return text
