"""KL071: a Secret ``data`` value that the API server cannot decode as base64.

The API server decodes ``data`` values (``[]byte`` fields) with Go's ``encoding/json``,
which uses ``base64.StdEncoding``: the standard alphabet (``+`` and ``/``), ``=`` padding
required, line breaks (``\\r``, ``\\n``) ignored anywhere, every other character (spaces
and tabs included) rejected. Trailing bits are not checked (the encoding is not strict).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load.objects import KubeObject

_ALPHABET: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
_VALID: Final = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


def base64_problem(value: str) -> str | None:
    """Why Go's ``base64.StdEncoding`` rejects ``value``, or None when it decodes."""
    compact = value.replace("\r", "").replace("\n", "")
    if _VALID.fullmatch(compact):
        return None
    for index, char in enumerate(value):
        if char not in _ALPHABET and char not in "=\r\n":
            shown = {" ": "a space", "\t": "a tab"}.get(char, repr(char))
            return f"{shown} at position {index + 1} is not in the standard base64 alphabet"
    body = compact.rstrip("=")
    if "=" in body:
        return "'=' padding in the middle of the data"
    count = f"{len(body)} character{'' if len(body) == 1 else 's'}"
    if len(body) % 4 == 1:
        return f"{count}: no base64 encoding has that length"
    if compact == body:
        return f"{count} without '=' padding (unpadded base64 is rejected)"
    return f"wrong '=' padding after {count}"


@object_check("data.secret-data-not-base64")
def secret_data_not_base64(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Report Secret data values that do not decode as base64."""
    data = obj.get(("data",))
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        if not isinstance(value, str):
            continue  # null is allowed; numbers and booleans are type errors (KL003/KL009)
        problem = base64_problem(value)
        if problem is None:
            continue
        yield Violation(
            ("data", key),
            f'data key "{key}" is not valid base64: {problem}',
            "move the plain value to `stringData` (the API server encodes it), or base64-encode it",
        )
