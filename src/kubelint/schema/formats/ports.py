"""Port numbers and port names (IANA service names)."""

from __future__ import annotations

import re
from typing import Final

from kubelint.schema.formats.names import LOWER_DNS_CHAR_RE
from kubelint.schema.formats.text import EMPTY, found_note, too_long, utf8_size

_PORT_NAME_CHARSET_RE: Final = re.compile(r"[-a-z0-9]+")
_PORT_NAME_LETTER_RE: Final = re.compile(r"[a-z]")
PORT_NAME_MAX_LENGTH: Final = 15


def port_name(value: str) -> list[str]:
    """Check a port name (an IANA_SVC_NAME, RFC 6335).

    At most 15 characters of lower case alphanumerics and '-', with at least one letter, not
    starting or ending with '-' and without '--'.

    >>> port_name("http-metrics")
    []
    >>> port_name("8080")
    ['must contain at least one letter (a-z)']
    """
    if not value:
        return [EMPTY]
    problems: list[str] = []
    size = utf8_size(value)
    if size > PORT_NAME_MAX_LENGTH:
        problems.append(too_long(PORT_NAME_MAX_LENGTH, size))
    if not _PORT_NAME_CHARSET_RE.fullmatch(value):
        problems.append(
            "must contain only lower case alphanumeric characters (a-z, 0-9) and '-'"
            + found_note(value, LOWER_DNS_CHAR_RE)
        )
    if not _PORT_NAME_LETTER_RE.search(value):
        problems.append("must contain at least one letter (a-z)")
    if "--" in value:
        problems.append("must not contain consecutive hyphens")
    if value[0] == "-" or value[-1] == "-":
        problems.append("must not begin or end with a hyphen")
    return problems


def port_number(value: int) -> list[str]:
    """Check a port number: an integer from 1 to 65535.

    >>> port_number(8080)
    []
    >>> port_number(0)
    ['must be between 1 and 65535, inclusive']
    """
    if isinstance(value, bool) or not isinstance(value, int):
        return ["must be an integer between 1 and 65535"]
    if 1 <= value <= 65535:
        return []
    return ["must be between 1 and 65535, inclusive"]
