"""Qualified names and label values (the keys and values of labels and annotations), and
ConfigMap and Secret data keys.
"""

from __future__ import annotations

import re
from typing import Final

from kubelint.schema.formats.names import dns1123_subdomain
from kubelint.schema.formats.text import EMPTY, found_note, too_long, utf8_size

_QUALIFIED_NAME_FMT: Final = r"(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_QUALIFIED_NAME_RE: Final = re.compile(_QUALIFIED_NAME_FMT)
_LABEL_VALUE_RE: Final = re.compile(r"(?:" + _QUALIFIED_NAME_FMT + r")?")
_QUALIFIED_CHAR_RE: Final = re.compile(r"[-A-Za-z0-9_.]")

_QUALIFIED_NAME_MSG: Final = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc')"
)
_LABEL_VALUE_MSG: Final = (
    "must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345')"
)

QUALIFIED_NAME_MAX_LENGTH: Final = 63
LABEL_VALUE_MAX_LENGTH: Final = 63


def qualified_name(value: str) -> list[str]:
    """Check a qualified name: label keys, annotation keys, finalizers and similar.

    An optional prefix, which must be a DNS subdomain, and '/', then a name of at most 63
    alphanumeric characters, '-', '_' or '.' that starts and ends with an alphanumeric
    character. Every message says which part is wrong: "prefix part ..." or "name part ...".

    >>> qualified_name("app.kubernetes.io/name")
    []
    >>> qualified_name("example.com/")
    ['name part must not be empty']
    """
    slash = value.find("/")
    if slash < 0:
        name = value
        if utf8_size(name) <= QUALIFIED_NAME_MAX_LENGTH and _QUALIFIED_NAME_RE.fullmatch(name):
            return []
        problems: list[str] = []
    else:
        if value.find("/", slash + 1) >= 0:
            return [
                "must contain at most one '/': an optional DNS subdomain prefix, '/', and a "
                "name (e.g. 'example.com/MyName')"
            ]
        prefix, name = value[:slash], value[slash + 1 :]
        if prefix:
            problems = ["prefix part " + problem for problem in dns1123_subdomain(prefix)]
        else:
            problems = ["prefix part " + EMPTY]
    if not name:
        problems.append("name part " + EMPTY)
        return problems
    size = utf8_size(name)
    if size > QUALIFIED_NAME_MAX_LENGTH:
        problems.append("name part " + too_long(QUALIFIED_NAME_MAX_LENGTH, size))
    if not _QUALIFIED_NAME_RE.fullmatch(name):
        problems.append("name part " + _QUALIFIED_NAME_MSG + found_note(name, _QUALIFIED_CHAR_RE))
    return problems


def label_value(value: str) -> list[str]:
    """Check a label value: empty, or at most 63 characters like a qualified name's name part.

    >>> label_value("")
    []
    >>> label_value("v1.2.3")
    []
    """
    size = utf8_size(value)
    if size <= LABEL_VALUE_MAX_LENGTH and _LABEL_VALUE_RE.fullmatch(value):
        return []
    problems: list[str] = []
    if size > LABEL_VALUE_MAX_LENGTH:
        problems.append(too_long(LABEL_VALUE_MAX_LENGTH, size))
    if not _LABEL_VALUE_RE.fullmatch(value):
        problems.append(_LABEL_VALUE_MSG + found_note(value, _QUALIFIED_CHAR_RE))
    return problems


_CONFIG_MAP_KEY_RE: Final = re.compile(r"[-._a-zA-Z0-9]+")
_CONFIG_MAP_KEY_CHAR_RE: Final = re.compile(r"[-._a-zA-Z0-9]")
_CONFIG_MAP_KEY_MSG: Final = (
    "must consist of alphanumeric characters, '-', '_' or '.' "
    "(e.g. 'key.name', 'KEY_NAME' or 'key-name')"
)
CONFIG_MAP_KEY_MAX_LENGTH: Final = 253


def chdir_prefix(value: str) -> list[str]:
    """Keys become file names in volumes: '.', '..' and a '..' prefix are refused."""
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


def config_map_key(value: str) -> list[str]:
    """Check a ConfigMap or Secret ``data`` key (also ``items[].key`` and env ``fromKey``).

    At most 253 characters of alphanumerics, '-', '_' and '.'; not '.' or '..' and not
    starting with '..'. A base64 string pasted as a key (``aHRzMDAwMAo=``) fails on '='.

    >>> config_map_key("application.properties")
    []
    >>> config_map_key("aHRzMDAwMAo=")  # doctest: +ELLIPSIS
    ["must consist of ... (found '=')"]
    """
    size = utf8_size(value)
    if size <= CONFIG_MAP_KEY_MAX_LENGTH and _CONFIG_MAP_KEY_RE.fullmatch(value):
        if value[0] != ".":
            return []
        return chdir_prefix(value)
    if not value:
        return [EMPTY]
    problems: list[str] = []
    if size > CONFIG_MAP_KEY_MAX_LENGTH:
        problems.append(too_long(CONFIG_MAP_KEY_MAX_LENGTH, size))
    if not _CONFIG_MAP_KEY_RE.fullmatch(value):
        problems.append(_CONFIG_MAP_KEY_MSG + found_note(value, _CONFIG_MAP_KEY_CHAR_RE))
    problems.extend(chdir_prefix(value))
    return problems
