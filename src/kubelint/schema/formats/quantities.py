"""Resource quantities (``500m``, ``1Gi``), parsed as apimachinery's ParseQuantity, and the
suggestion when one is written as people often do (``1GB``).
"""

from __future__ import annotations

import decimal
import math
import re
from typing import Final

from kubelint.schema.formats.text import EMPTY, SPACE_RE, quoted, saturating_int

# The language apimachinery's ParseQuantity accepts: optional sign, digits with an optional
# fraction (either side may be empty), then a decimal SI suffix, a binary SI suffix or a
# decimal exponent.
_QUANTITY_RE: Final = re.compile(
    r"(?P<sign>[+-]?)(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]*))?"
    r"(?:(?P<si>[numkMGTPE]|[KMGTPE]i)|[eE](?P<exp>[+-]?[0-9]+))?"
)
_NUMBER_PREFIX_RE: Final = re.compile(r"[+-]?[0-9]*(?:\.[0-9]*)?")

_DECIMAL_SI: Final[dict[str, int]] = {
    "": 0, "n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
}  # fmt: skip
_BINARY_SI: Final[dict[str, int]] = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_MAX_EXPONENT: Final = 2**31 - 1
_BINARY_CAP: Final = decimal.Decimal(2**63 - 1)
_NANO: Final = decimal.Decimal("1e-9")
_EXACT: Final = decimal.Context(
    prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[]
)

_QUANTITY_FORMS: Final = (
    "a quantity is a number with an optional suffix (n u m k M G T P E, Ki Mi Gi Ti Pi Ei) "
    "or exponent (e3), e.g. 500m, 1.5Gi, 1e3"
)


def parse_quantity(
    value: str | int | float, *, strict: bool = True
) -> tuple[decimal.Decimal | None, list[str]]:
    """Parse a ``resource.Quantity`` (CPU, memory, storage...) as the API server does.

    Returns ``(amount, [])`` with the amount in base units (cores, bytes) when valid, and
    ``(None, problems)`` otherwise. The amount is what the API server stores: rounded up
    (away from zero) to a multiple of 10^-9, and binary-suffixed amounts capped at 2^63-1.

    Numbers are valid quantities (YAML ``cpu: 0.5``). Leading and trailing whitespace is
    accepted, as the API server trims it when decoding. A sign is part of the syntax: whether
    a negative amount is allowed is up to the field (resource requests and limits refuse it).

    With ``strict`` (the default) a quantity without any digit, such as ``Mi``, ``.`` or
    ``+``, is refused: the API server reads most of these as 0, which is never what was
    meant. ``strict=False`` accepts exactly what the API server accepts.

    >>> parse_quantity("1.5Gi")
    (Decimal('1610612736.0'), [])
    >>> parse_quantity("100m")[0]
    Decimal('0.100')
    >>> parse_quantity("1GB")[1]
    ["unknown suffix 'GB': did you mean 1G or 1Gi?"]
    """
    if isinstance(value, bool):
        return None, ["must be a quantity (a number or a string such as '500m'), not a boolean"]
    if isinstance(value, int):
        return decimal.Decimal(value), []
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, ["must be a finite number"]
        text = repr(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None, [f"must be a quantity (a number or a string such as '500m'), not {value!r}"]

    if not text:
        return None, [EMPTY + f"; {_QUANTITY_FORMS}"]
    match = _QUANTITY_RE.fullmatch(text)
    if match is None:
        return None, [_quantity_problem(text)]
    sign, int_digits, frac_digits, si, exp_text = match.group("sign", "int", "frac", "si", "exp")
    frac_digits = frac_digits or ""
    si = si or ""
    binary = si in _BINARY_SI
    if exp_text is not None:
        exponent = saturating_int(exp_text)
        if abs(exponent) > _MAX_EXPONENT:
            return None, [f"the exponent must be between -{_MAX_EXPONENT} and {_MAX_EXPONENT}"]
    else:
        exponent = _BINARY_SI[si] if binary else _DECIMAL_SI[si]

    if not int_digits and not frac_digits:
        read_as_zero = _digitless_is_zero(binary, exponent)
        if read_as_zero and not strict:
            return decimal.Decimal(0), []
        if si:
            message = f"has no number before {quoted(si)}"
        elif exp_text is not None:
            message = "has no number before the exponent"
        else:
            message = "has no digits"
        if read_as_zero:
            message += " (the API server would read it as 0)"
        hint = quantity_suggestion(text)
        return None, [message + (f": {hint}" if hint else f"; {_QUANTITY_FORMS}")]

    number = decimal.Decimal(
        f"{sign}{int_digits or '0'}.{frac_digits}" if frac_digits else f"{sign}{int_digits}"
    )
    if binary:
        amount = _EXACT.multiply(number, decimal.Decimal(1 << exponent))
    else:
        amount = number.scaleb(exponent, _EXACT)
    places = amount.as_tuple().exponent
    if amount and isinstance(places, int) and places < -9:
        amount = amount.quantize(_NANO, rounding=decimal.ROUND_UP, context=_EXACT)
    if binary and abs(amount) > _BINARY_CAP:
        amount = _BINARY_CAP.copy_sign(amount)
    return amount, []


def _digitless_is_zero(binary: bool, exponent: int) -> bool:
    """Whether apimachinery's fast path reads a quantity with no digits (``Mi``) as 0.

    The fast path runs for decimal scales of 10^-9 and up, and for the binary suffixes up to
    Ti; otherwise the slow path fails to parse the empty number and the value is refused.
    """
    if binary:
        return exponent <= 40
    return exponent >= -9


def _quantity_problem(text: str) -> str:
    """Explain why ``text`` (already stripped) is not a quantity."""
    hint = quantity_suggestion(text)
    tail = f": {hint}" if hint else f"; {_QUANTITY_FORMS}"
    if SPACE_RE.search(text):
        return "must not contain spaces" + tail
    if "," in text:
        return "must not contain ','" + tail
    number = _NUMBER_PREFIX_RE.match(text)
    rest = text[number.end() :] if number else text
    if rest.startswith(".") or text.count(".") > 1:
        return "has more than one decimal point" + tail
    if rest and rest[0] in "+-":
        return "has a sign in the middle" + tail
    if rest[:1] in ("e", "E") and re.fullmatch(r"[eE][+-]?", rest):
        return "the exponent has no digits" + tail
    if number and not re.search(r"[0-9]", number.group()):
        return "must start with a number" + tail
    return f"unknown suffix {quoted(rest)}" + tail


_BYTES_SUFFIX_RE: Final = re.compile(r"([kKmMgGtTpPeE])([iI]?)[bB]")
_BINARY_ANY_CASE_RE: Final = re.compile(r"([kKmMgGtTpPeE])[iI]")
_THOUSANDS_RE: Final = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?![0-9,])")
_CPU_WORDS: Final = frozenset({"core", "cores", "cpu", "cpus", "vcpu", "vcpus"})
_MILLI_WORDS: Final = frozenset({"mcpu", "millicore", "millicores", "millicpu", "millicpus"})


def quantity_suggestion(value: str) -> str | None:
    """A hint at what a malformed quantity was meant to be, or ``None`` without a good guess.

    >>> quantity_suggestion("1GB")
    'did you mean 1G or 1Gi?'
    >>> quantity_suggestion("1gi")
    'suffixes are case-sensitive: did you mean 1Gi?'
    """
    text = value.strip()
    if SPACE_RE.search(text):
        joined = SPACE_RE.sub("", text)
        if _QUANTITY_RE.fullmatch(joined) and re.search(r"[0-9]", joined):
            return f"did you mean {joined}?"
        return quantity_suggestion(joined) if joined != text else None
    if "," in text:
        # "1,000" is a thousand; "1,5" is one and a half.
        thousands = _THOUSANDS_RE.match(text)
        fixed = text.replace(",", "") if thousands else text.replace(",", ".", 1)
        if fixed != text and _QUANTITY_RE.fullmatch(fixed):
            return f"did you mean {fixed}?"
        return quantity_suggestion(fixed) if "," not in fixed else None
    number_match = _NUMBER_PREFIX_RE.match(text)
    number = number_match.group() if number_match else ""
    rest = text[len(number) :]
    if not re.search(r"[0-9]", number):
        if rest and (rest in _DECIMAL_SI or rest in _BINARY_SI):
            return f"did you mean {'-' if number.startswith('-') else ''}1{rest}?"
        return None
    bytes_suffix = _BYTES_SUFFIX_RE.fullmatch(rest)
    if bytes_suffix:
        prefix, binary = bytes_suffix.groups()
        upper = prefix.upper()
        if binary:
            return f"did you mean {number}{upper}i?"
        decimal_prefix = "k" if upper == "K" else upper
        return f"did you mean {number}{decimal_prefix} or {number}{upper}i?"
    if _BINARY_ANY_CASE_RE.fullmatch(rest):
        return f"suffixes are case-sensitive: did you mean {number}{rest[0].upper()}i?"
    if rest == "K":
        return f"the decimal kilo suffix is a lower case k: did you mean {number}k or {number}Ki?"
    if rest in ("g", "t", "p"):
        return f"suffixes are case-sensitive: did you mean {number}{rest.upper()}?"
    lower = rest.lower()
    if lower in ("b", "byte", "bytes"):
        return f"bytes take no suffix: did you mean {number}?"
    if lower in _CPU_WORDS:
        return f"CPU is counted in cores without a unit: did you mean {number}?"
    if lower in _MILLI_WORDS:
        return f"did you mean {number}m?"
    return None
