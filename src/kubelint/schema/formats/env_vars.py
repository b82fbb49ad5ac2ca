"""Environment variable names, which the API server checks more leniently from
Kubernetes 1.32 on.
"""

from __future__ import annotations

import re
from typing import Final

from kubelint.schema.formats.labels import chdir_prefix
from kubelint.schema.formats.text import EMPTY, found_note

DEFAULT_KUBERNETES_VERSION: Final = (1, 37)
"""The Kubernetes minor version assumed where a rule depends on it."""

RELAXED_ENV_VAR_NAMES_SINCE: Final = (1, 32)
"""First version whose API server accepts any printable ASCII but '=' in env var names.

The ``RelaxedEnvironmentVariableValidation`` feature gate was alpha (off) in 1.30 and 1.31,
beta and on by default in 1.32 and 1.33, and GA in 1.34.
"""

_ENV_VAR_NAME_RE: Final = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
_ENV_VAR_CHAR_RE: Final = re.compile(r"[-._a-zA-Z0-9]")
_RELAXED_ENV_VAR_NAME_RE: Final = re.compile(r"[\x20-\x3c\x3e-\x7e]+")
_RELAXED_ENV_VAR_CHAR_RE: Final = re.compile(r"[\x20-\x3c\x3e-\x7e]")


def env_var_name(
    value: str, *, kubernetes_version: tuple[int, int] = DEFAULT_KUBERNETES_VERSION
) -> list[str]:
    """Check an environment variable name (``env[].name``).

    From Kubernetes 1.32 (:data:`RELAXED_ENV_VAR_NAMES_SINCE`) any printable ASCII character
    except '=' is allowed, spaces included. Before that a name must consist of letters, digits,
    '_', '-' and '.', must not start with a digit and must not be '.', '..' or start with '..'.
    Clusters of 1.30 and 1.31 that turned the alpha feature gate on accept the relaxed names
    too; they are judged by the older rule here.

    >>> env_var_name("MY_VAR")
    []
    >>> env_var_name("1ST:VAR", kubernetes_version=(1, 31))  # doctest: +ELLIPSIS
    ["must consist of ... (found ':'); Kubernetes 1.32 and later accept it"]
    """
    if kubernetes_version >= RELAXED_ENV_VAR_NAMES_SINCE:
        if _RELAXED_ENV_VAR_NAME_RE.fullmatch(value):
            return []
        if not value:
            return [EMPTY]
        return [
            "must consist only of printable ASCII characters other than '='"
            + found_note(value, _RELAXED_ENV_VAR_CHAR_RE)
        ]
    if _ENV_VAR_NAME_RE.fullmatch(value) and not value.startswith("."):
        return []
    if not value:
        return [EMPTY]
    problems: list[str] = []
    if not _ENV_VAR_NAME_RE.fullmatch(value):
        message = (
            "must consist of alphabetic characters, digits, '_', '-' or '.', and must not "
            "start with a digit (e.g. 'my.env-name', 'MY_ENV.NAME' or 'MyEnvName1')"
        )
        found = found_note(value, _ENV_VAR_CHAR_RE)
        if not found and value[0].isdigit():
            found = f" (it starts with '{value[0]}')"
        problems.append(message + found)
        if _RELAXED_ENV_VAR_NAME_RE.fullmatch(value):
            problems[-1] += (
                f"; Kubernetes {RELAXED_ENV_VAR_NAMES_SINCE[0]}.{RELAXED_ENV_VAR_NAMES_SINCE[1]}"
                " and later accept it"
            )
    problems.extend(chdir_prefix(value))
    return problems
