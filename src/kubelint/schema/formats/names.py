"""DNS names: RFC 1123 labels and subdomains and RFC 1035 labels, the names of most
objects, and what was meant when a name breaks them.
"""

from __future__ import annotations

import re
from typing import Final

from kubelint.schema.formats.text import EMPTY, found_note, too_long, utf8_size

_DNS1123_LABEL_FMT: Final = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL_RE: Final = re.compile(_DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN_RE: Final = re.compile(
    _DNS1123_LABEL_FMT + r"(?:\." + _DNS1123_LABEL_FMT + r")*"
)
_DNS1035_LABEL_RE: Final = re.compile(r"[a-z](?:[-a-z0-9]*[a-z0-9])?")
LOWER_DNS_CHAR_RE: Final = re.compile(r"[-a-z0-9]")
_LOWER_DNS_DOT_CHAR_RE: Final = re.compile(r"[-a-z0-9.]")
_NOT_DNS_RUN_RE: Final = re.compile(r"[^-a-z0-9.]+")

_DNS1123_LABEL_MSG: Final = (
    "must consist of lower case alphanumeric characters or '-', and must start and end with an "
    "alphanumeric character (e.g. 'my-name' or '123-abc')"
)
_DNS1123_SUBDOMAIN_MSG: Final = (
    "must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'example.com')"
)
_DNS1035_LABEL_MSG: Final = (
    "must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name' or 'abc-123')"
)

DNS1123_LABEL_MAX_LENGTH: Final = 63
DNS1123_SUBDOMAIN_MAX_LENGTH: Final = 253
DNS1035_LABEL_MAX_LENGTH: Final = 63


def _dns_guess(value: str, dots: bool) -> str:
    """A likely intended DNS name: lower case, other characters turned into '-'."""
    guess = _NOT_DNS_RUN_RE.sub("-", value.lower())
    if not dots:
        guess = guess.replace(".", "-")
    return guess.strip("-.")


def _did_you_mean(guess: str, valid: bool) -> str:
    return f"; did you mean '{guess}'?" if valid and guess else ""


def dns1123_label(value: str) -> list[str]:
    """Check an RFC 1123 label: most object names, namespaces, container and port-less names.

    At most 63 characters of lower case alphanumerics and '-', starting and ending with an
    alphanumeric character.

    >>> dns1123_label("my-app")
    []
    >>> dns1123_label("my.app")
    ['must not contain dots']
    """
    size = utf8_size(value)
    if size <= DNS1123_LABEL_MAX_LENGTH and _DNS1123_LABEL_RE.fullmatch(value):
        return []
    if not value:
        return [EMPTY]
    problems: list[str] = []
    if size > DNS1123_LABEL_MAX_LENGTH:
        problems.append(too_long(DNS1123_LABEL_MAX_LENGTH, size))
    if not _DNS1123_LABEL_RE.fullmatch(value):
        if _DNS1123_SUBDOMAIN_RE.fullmatch(value):
            problems.append("must not contain dots")
        else:
            guess = _dns_guess(value, dots=False)[:DNS1123_LABEL_MAX_LENGTH].rstrip("-")
            problems.append(
                _DNS1123_LABEL_MSG
                + found_note(value, LOWER_DNS_CHAR_RE)
                + _did_you_mean(guess, bool(_DNS1123_LABEL_RE.fullmatch(guess)))
            )
    return problems


def dns1123_subdomain(value: str) -> list[str]:
    """Check an RFC 1123 subdomain: the names of most kinds (Deployment, ConfigMap, ...).

    At most 253 characters; dot-separated RFC 1123 labels.

    >>> dns1123_subdomain("example.com")
    []
    """
    size = utf8_size(value)
    if size <= DNS1123_SUBDOMAIN_MAX_LENGTH and _DNS1123_SUBDOMAIN_RE.fullmatch(value):
        return []
    if not value:
        return [EMPTY]
    problems: list[str] = []
    if size > DNS1123_SUBDOMAIN_MAX_LENGTH:
        problems.append(too_long(DNS1123_SUBDOMAIN_MAX_LENGTH, size))
    if not _DNS1123_SUBDOMAIN_RE.fullmatch(value):
        guess = _dns_guess(value, dots=True)
        ok = bool(_DNS1123_SUBDOMAIN_RE.fullmatch(guess)) and len(guess) <= 253
        problems.append(
            _DNS1123_SUBDOMAIN_MSG
            + found_note(value, _LOWER_DNS_DOT_CHAR_RE)
            + _did_you_mean(guess, ok)
        )
    return problems


def dns1035_label(value: str) -> list[str]:
    """Check an RFC 1035 label: Service names (they become DNS names and env var prefixes).

    Like :func:`dns1123_label` but it must start with a letter.

    >>> dns1035_label("web")
    []
    >>> len(dns1035_label("1web"))
    1
    """
    size = utf8_size(value)
    if size <= DNS1035_LABEL_MAX_LENGTH and _DNS1035_LABEL_RE.fullmatch(value):
        return []
    if not value:
        return [EMPTY]
    problems: list[str] = []
    if size > DNS1035_LABEL_MAX_LENGTH:
        problems.append(too_long(DNS1035_LABEL_MAX_LENGTH, size))
    if not _DNS1035_LABEL_RE.fullmatch(value):
        guess = _dns_guess(value, dots=False)[:DNS1035_LABEL_MAX_LENGTH].rstrip("-")
        problems.append(
            _DNS1035_LABEL_MSG
            + found_note(value, LOWER_DNS_CHAR_RE)
            + _did_you_mean(guess, bool(_DNS1035_LABEL_RE.fullmatch(guess)))
        )
    return problems
