"""Int-or-percent values (``maxUnavailable: 25%``)."""

from __future__ import annotations

import re
from typing import Final

from kubelint.schema.formats.text import saturating_int

_PERCENT_RE: Final = re.compile(r"[0-9]+%")
_INT32_MAX: Final = 2**31 - 1


def int_or_percent(value: object, *, max_percent: int | None = None) -> list[str]:
    """Check an int-or-percent field such as ``maxSurge`` or ``maxUnavailable``.

    A non-negative integer, or a string of digits followed by '%'. A float with no fraction
    counts as its integer, as it does after kubectl's YAML-to-JSON step (``1.0`` becomes
    ``1``). ``max_percent`` bounds percentages (100 for ``maxUnavailable``, ``None`` for
    ``maxSurge``).

    >>> int_or_percent("25%"), int_or_percent(1)
    ([], [])
    >>> int_or_percent("25")  # doctest: +ELLIPSIS
    ["must be a percentage such as '25%' ...; did you mean 25 or '25%'?"]
    """
    if isinstance(value, float) and not isinstance(value, bool) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            return ["must be greater than or equal to 0"]
        if value > _INT32_MAX:
            return [f"must be no more than {_INT32_MAX}"]
        return []
    if isinstance(value, str):
        if _PERCENT_RE.fullmatch(value):
            if max_percent is not None and saturating_int(value[:-1]) > max_percent:
                return [f"must not be greater than {max_percent}%"]
            return []
        message = "must be a percentage such as '25%' (digits followed by '%') or an integer"
        stripped = value.strip()
        if stripped.isascii() and stripped.isdigit() and len(stripped) <= 10:
            number = stripped.lstrip("0") or "0"
            return [message + f"; did you mean {number} or '{number}%'?"]
        if _PERCENT_RE.fullmatch(stripped.replace(" ", "")):
            return [message + f"; did you mean '{stripped.replace(' ', '')}'?"]
        return [message]
    return ["must be an integer or a percentage such as '25%'"]
