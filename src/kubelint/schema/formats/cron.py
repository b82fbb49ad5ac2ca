"""CronJob schedules, parsed as robfig/cron v3 reads them (five fields or a descriptor,
``@every`` with a Go duration).
"""

from __future__ import annotations

import decimal
import re
from typing import Final

from kubelint.schema.formats.text import EMPTY, quoted, saturating_int

_CRON_FIELDS: Final = (
    ("minute", 0, 59, None),
    ("hour", 0, 23, None),
    ("day-of-month", 1, 31, None),
    (
        "month",
        1,
        12,
        {
            "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
            "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
        },
    ),
    ("day-of-week", 0, 6, {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}),
)  # fmt: skip
_CRON_DESCRIPTORS: Final = frozenset(
    {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)
# Go's strings.Fields splits on unicode.IsSpace.
_GO_SPACE_RE: Final = re.compile(
    "[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+"
)
_GO_INT_RE: Final = re.compile(r"[+-]?[0-9]+")
_INT64_MAX: Final = 2**63 - 1
_DURATION_UNITS: Final[dict[str, int]] = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,  # micro sign
    "\u03bcs": 1_000,  # Greek mu
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_DURATION_PART_RE: Final = re.compile(r"([0-9]*)(?:\.([0-9]*))?([^0-9.]*)")


def cron_schedule(value: str) -> list[str]:
    """Check a CronJob ``spec.schedule`` as the API server does on create.

    Five fields (minute, hour, day of month, month, day of week) with ``*``, ``?``, ranges
    ``a-b``, steps ``/n``, lists ``a,b`` and the names JAN-DEC and SUN-SAT (any case); or one
    of ``@yearly @annually @monthly @weekly @daily @midnight @hourly`` or ``@every
    <duration>`` (a Go duration such as ``1h30m``). Day of week runs 0-6: 7 is refused.
    ``TZ=`` and ``CRON_TZ=`` are refused since 1.27: ``spec.timeZone`` takes the zone.

    Unlike the API server, which stops at the first bad field, this reports every bad field.

    >>> cron_schedule("*/5 * * * 1-5")
    []
    >>> cron_schedule("0 0 * * 7")
    ['day-of-week field: 7 is above the maximum, 6 (Sunday is 0; SUN also works)']
    """
    if not value:
        return [EMPTY]
    problems: list[str] = []
    spec = value
    if "TZ" in value:
        problems.append(
            "must not set a time zone with TZ= or CRON_TZ=: put the zone in spec.timeZone "
            "(e.g. timeZone: Etc/UTC)"
        )
        if value.startswith(("TZ=", "CRON_TZ=")):
            space = value.find(" ")
            if space < 0:
                return problems
            spec = value[space:].strip()
    if spec.startswith("@"):
        problem = _cron_descriptor(spec)
        if problem:
            problems.append(problem)
        return problems
    fields = [field for field in _GO_SPACE_RE.split(spec) if field]
    if len(fields) != 5:
        message = (
            f"must have exactly 5 fields (minute hour day-of-month month day-of-week), "
            f"found {len(fields)}"
        )
        if len(fields) == 6:
            message += ": a seconds field is not supported"
        problems.append(message)
        return problems
    for text, (name, low, high, names) in zip(fields, _CRON_FIELDS, strict=True):
        problem = _cron_field(text, low, high, names)
        if problem:
            problems.append(f"{name} field: {problem}")
    return problems


def _cron_descriptor(spec: str) -> str | None:
    if spec in _CRON_DESCRIPTORS:
        return None
    if spec.startswith("@every "):
        duration = spec[len("@every ") :]
        if _GO_SPACE_RE.search(duration):
            joined = _GO_SPACE_RE.sub("", duration)
            fix = f"; did you mean '@every {joined}'?" if not _go_duration(joined) else ""
            return f"the duration {quoted(duration)} must not contain spaces{fix}"
        problem = _go_duration(duration)
        if problem:
            return f"{problem} (e.g. '@every 1h30m'; units are ns, us, ms, s, m and h)"
        return None
    known = " ".join(sorted(_CRON_DESCRIPTORS))
    if spec.lower() in _CRON_DESCRIPTORS:
        return (
            f"unknown descriptor {quoted(spec)}: descriptors are case-sensitive, use {spec.lower()}"
        )
    if spec.lower().strip() in _CRON_DESCRIPTORS:
        return f"unknown descriptor {quoted(spec)}: remove the surrounding spaces"
    if spec.lower().startswith("@every"):
        return f"unknown descriptor {quoted(spec)}: write '@every <duration>', e.g. '@every 1h30m'"
    return f"unknown descriptor {quoted(spec)} (known: {known} and @every <duration>)"


def _cron_field(text: str, low: int, high: int, names: dict[str, int] | None) -> str | None:
    """Check one field the way robfig/cron's getField does; the first problem, if any."""
    for expr in text.split(","):
        if not expr:
            continue  # robfig splits with FieldsFunc: empty items are dropped
        problem = _cron_range(expr, low, high, names)
        if problem:
            return problem
    return None


def _cron_range(expr: str, low: int, high: int, names: dict[str, int] | None) -> str | None:
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    if low_and_high[0] in ("*", "?"):
        start, end = low, high
    else:
        parsed = _cron_value(low_and_high[0], names)
        if isinstance(parsed, str):
            return parsed
        start = end = parsed
        if len(low_and_high) == 2:
            parsed = _cron_value(low_and_high[1], names)
            if isinstance(parsed, str):
                return parsed
            end = parsed
        elif len(low_and_high) > 2:
            return f"{quoted(expr)} has too many hyphens"
    if len(range_and_step) > 2:
        return f"{quoted(expr)} has too many slashes"
    step = 1
    if len(range_and_step) == 2:
        parsed = _cron_value(range_and_step[1], None)
        if isinstance(parsed, str):
            return parsed
        step = parsed
        if len(low_and_high) == 1:
            end = high  # "N/step" means "N-max/step"
    if start < low:
        return f"{start} is below the minimum, {low}"
    if end > high:
        hint = " (Sunday is 0; SUN also works)" if high == 6 and end == 7 else ""
        return f"{end} is above the maximum, {high}{hint}"
    if start > end:
        return f"{quoted(expr)}: the range starts at {start}, after its end {end}"
    if step == 0:
        return f"{quoted(expr)}: the step must be a positive number"
    return None


def _cron_value(text: str, names: dict[str, int] | None) -> int | str:
    """A number (Go strconv.Atoi syntax) or a name; a problem string if neither."""
    if names is not None:
        named = names.get(text.lower())
        if named is not None:
            return named
    if not _GO_INT_RE.fullmatch(text):
        what = "a number"
        if names is not None:
            first, last = next(iter(names)), next(reversed(names))
            what += f" or a name ({first.upper()}-{last.upper()})"
        shown = f"{quoted(text)}" if text else "an empty value"
        return f"{shown} is not {what}"
    number = saturating_int(text)
    if number > _INT64_MAX or number < -_INT64_MAX - 1:
        return f"{quoted(text)} is out of range"
    if number < 0:
        return f"negative number ({number}) not allowed"
    return number


def _go_duration(text: str) -> str | None:
    """Check a Go time.ParseDuration string; the problem, if any."""
    invalid = f"invalid duration {quoted(text)}"
    rest = text
    negative = False
    if rest[:1] in ("+", "-"):
        negative = rest[0] == "-"
        rest = rest[1:]
    if rest == "0":
        return None
    if not rest:
        return invalid
    nanos = decimal.Decimal(0)
    while rest:
        if not (rest[0] == "." or (rest[0].isascii() and rest[0].isdigit())):
            return invalid
        part = _DURATION_PART_RE.match(rest)
        if part is None:  # pragma: no cover - the pattern matches any string
            return invalid
        whole, fraction, unit = part.group(1), part.group(2), part.group(3)
        if not whole and not fraction:
            return invalid
        if not unit:
            return f"missing unit in duration {quoted(text)}"
        if unit not in _DURATION_UNITS:
            return f"unknown unit {quoted(unit)} in duration {quoted(text)}"
        nanos += decimal.Decimal(f"{whole or '0'}.{fraction or '0'}") * _DURATION_UNITS[unit]
        rest = rest[part.end() :]
    limit = _INT64_MAX + 1 if negative else _INT64_MAX
    if int(nanos) > limit:
        return f"duration {quoted(text)} is too long (at most about 2562047h)"
    return None
