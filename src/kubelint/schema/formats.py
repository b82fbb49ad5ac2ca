"""Value syntax that the Kubernetes API server (and the kubelet) enforce.

Each ``check`` function takes one value and returns a list of human-readable problems; an empty
list means the value is valid. The rules follow ``k8s.io/apimachinery`` (``util/validation``,
``api/validate/content`` and ``api/resource``), the CronJob schedule parser (robfig/cron v3) and
the image reference grammar (distribution/reference) that the kubelet applies. Messages are
phrased like the API server's, without its regular expressions, and say what to write instead
where the intent is clear.

Lengths are counted in UTF-8 bytes, as the API server counts them; for the ASCII values that can
be valid this is the number of characters.

Everything here is pure and cheap: the regular expressions are compiled once, at import.
"""

from __future__ import annotations

import decimal
import math
import re
from typing import Final

__all__ = [
    "DEFAULT_KUBERNETES_VERSION",
    "RELAXED_ENV_VAR_NAMES_SINCE",
    "config_map_key",
    "cron_schedule",
    "dns1035_label",
    "dns1123_label",
    "dns1123_subdomain",
    "env_var_name",
    "image_reference",
    "int_or_percent",
    "is_percent",
    "label_value",
    "parse_quantity",
    "port_name",
    "port_number",
    "qualified_name",
    "quantity_suggestion",
    "split_image",
]

DEFAULT_KUBERNETES_VERSION: Final = (1, 37)
"""The Kubernetes minor version assumed where a rule depends on it."""

RELAXED_ENV_VAR_NAMES_SINCE: Final = (1, 32)
"""First version whose API server accepts any printable ASCII but '=' in env var names.

The ``RelaxedEnvironmentVariableValidation`` feature gate was alpha (off) in 1.30 and 1.31,
beta and on by default in 1.32 and 1.33, and GA in 1.34.
"""

_EMPTY: Final = "must not be empty"


def utf8_size(value: str) -> int:
    """Length as the API server measures it: bytes of UTF-8 (an undecodable byte, a lone
    surrogate here, counts three: Go's JSON sends it as U+FFFD)."""
    return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))


def _max_len(limit: int, size: int) -> str:
    return f"must be no more than {limit} characters (it has {size})"


def _found(value: str, allowed: re.Pattern[str]) -> str:
    """Name the first few characters of ``value`` that ``allowed`` (one character) rejects."""
    bad: list[str] = []
    for char in value:
        if not allowed.fullmatch(char) and char not in bad:
            bad.append(char)
            if len(bad) == 3:
                break
    if not bad:
        return ""
    return " (found " + ", ".join(_show(char) for char in bad) + ")"


def _int(digits: str) -> int:
    """``int()`` of a string of ASCII digits with an optional sign, saturating huge values.

    Python refuses to convert strings of more than a few thousand digits; every limit checked
    here is far below 10^30, so a longer number is simply "too large".
    """
    body = digits.lstrip("+-").lstrip("0")
    if len(body) > 30:
        return -(10**30) if digits.startswith("-") else 10**30
    return int(digits)


def _q(text: str) -> str:
    """Quote a value inside a message, shortening a long one."""
    return f"'{text}'" if len(text) <= 60 else f"'{text[:57]}...'"


def _show(char: str) -> str:
    if char.isprintable() and char not in " '":
        return f"'{char}'"
    if char == "'":
        return '"\'"'
    if char == " ":
        return "a space"
    return repr(char) if char.isascii() else f"U+{ord(char):04X}"


# --- DNS names ---------------------------------------------------------------------------------

_DNS1123_LABEL_FMT: Final = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL_RE: Final = re.compile(_DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN_RE: Final = re.compile(
    _DNS1123_LABEL_FMT + r"(?:\." + _DNS1123_LABEL_FMT + r")*"
)
_DNS1035_LABEL_RE: Final = re.compile(r"[a-z](?:[-a-z0-9]*[a-z0-9])?")
_LOWER_DNS_CHAR_RE: Final = re.compile(r"[-a-z0-9]")
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
        return [_EMPTY]
    problems: list[str] = []
    if size > DNS1123_LABEL_MAX_LENGTH:
        problems.append(_max_len(DNS1123_LABEL_MAX_LENGTH, size))
    if not _DNS1123_LABEL_RE.fullmatch(value):
        if _DNS1123_SUBDOMAIN_RE.fullmatch(value):
            problems.append("must not contain dots")
        else:
            guess = _dns_guess(value, dots=False)[:DNS1123_LABEL_MAX_LENGTH].rstrip("-")
            problems.append(
                _DNS1123_LABEL_MSG
                + _found(value, _LOWER_DNS_CHAR_RE)
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
        return [_EMPTY]
    problems: list[str] = []
    if size > DNS1123_SUBDOMAIN_MAX_LENGTH:
        problems.append(_max_len(DNS1123_SUBDOMAIN_MAX_LENGTH, size))
    if not _DNS1123_SUBDOMAIN_RE.fullmatch(value):
        guess = _dns_guess(value, dots=True)
        ok = bool(_DNS1123_SUBDOMAIN_RE.fullmatch(guess)) and len(guess) <= 253
        problems.append(
            _DNS1123_SUBDOMAIN_MSG
            + _found(value, _LOWER_DNS_DOT_CHAR_RE)
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
        return [_EMPTY]
    problems: list[str] = []
    if size > DNS1035_LABEL_MAX_LENGTH:
        problems.append(_max_len(DNS1035_LABEL_MAX_LENGTH, size))
    if not _DNS1035_LABEL_RE.fullmatch(value):
        guess = _dns_guess(value, dots=False)[:DNS1035_LABEL_MAX_LENGTH].rstrip("-")
        problems.append(
            _DNS1035_LABEL_MSG
            + _found(value, _LOWER_DNS_CHAR_RE)
            + _did_you_mean(guess, bool(_DNS1035_LABEL_RE.fullmatch(guess)))
        )
    return problems


# --- Labels, annotations, keys -----------------------------------------------------------------

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
            problems = ["prefix part " + _EMPTY]
    if not name:
        problems.append("name part " + _EMPTY)
        return problems
    size = utf8_size(name)
    if size > QUALIFIED_NAME_MAX_LENGTH:
        problems.append("name part " + _max_len(QUALIFIED_NAME_MAX_LENGTH, size))
    if not _QUALIFIED_NAME_RE.fullmatch(name):
        problems.append("name part " + _QUALIFIED_NAME_MSG + _found(name, _QUALIFIED_CHAR_RE))
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
        problems.append(_max_len(LABEL_VALUE_MAX_LENGTH, size))
    if not _LABEL_VALUE_RE.fullmatch(value):
        problems.append(_LABEL_VALUE_MSG + _found(value, _QUALIFIED_CHAR_RE))
    return problems


_CONFIG_MAP_KEY_RE: Final = re.compile(r"[-._a-zA-Z0-9]+")
_CONFIG_MAP_KEY_CHAR_RE: Final = re.compile(r"[-._a-zA-Z0-9]")
_CONFIG_MAP_KEY_MSG: Final = (
    "must consist of alphanumeric characters, '-', '_' or '.' "
    "(e.g. 'key.name', 'KEY_NAME' or 'key-name')"
)
CONFIG_MAP_KEY_MAX_LENGTH: Final = 253


def _chdir_prefix(value: str) -> list[str]:
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
        return _chdir_prefix(value)
    if not value:
        return [_EMPTY]
    problems: list[str] = []
    if size > CONFIG_MAP_KEY_MAX_LENGTH:
        problems.append(_max_len(CONFIG_MAP_KEY_MAX_LENGTH, size))
    if not _CONFIG_MAP_KEY_RE.fullmatch(value):
        problems.append(_CONFIG_MAP_KEY_MSG + _found(value, _CONFIG_MAP_KEY_CHAR_RE))
    problems.extend(_chdir_prefix(value))
    return problems


# --- Ports ---------------------------------------------------------------------------------------

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
        return [_EMPTY]
    problems: list[str] = []
    size = utf8_size(value)
    if size > PORT_NAME_MAX_LENGTH:
        problems.append(_max_len(PORT_NAME_MAX_LENGTH, size))
    if not _PORT_NAME_CHARSET_RE.fullmatch(value):
        problems.append(
            "must contain only lower case alphanumeric characters (a-z, 0-9) and '-'"
            + _found(value, _LOWER_DNS_CHAR_RE)
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


# --- Environment variables --------------------------------------------------------------------

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
            return [_EMPTY]
        return [
            "must consist only of printable ASCII characters other than '='"
            + _found(value, _RELAXED_ENV_VAR_CHAR_RE)
        ]
    if _ENV_VAR_NAME_RE.fullmatch(value) and not value.startswith("."):
        return []
    if not value:
        return [_EMPTY]
    problems: list[str] = []
    if not _ENV_VAR_NAME_RE.fullmatch(value):
        message = (
            "must consist of alphabetic characters, digits, '_', '-' or '.', and must not "
            "start with a digit (e.g. 'my.env-name', 'MY_ENV.NAME' or 'MyEnvName1')"
        )
        found = _found(value, _ENV_VAR_CHAR_RE)
        if not found and value[0].isdigit():
            found = f" (it starts with '{value[0]}')"
        problems.append(message + found)
        if _RELAXED_ENV_VAR_NAME_RE.fullmatch(value):
            problems[-1] += (
                f"; Kubernetes {RELAXED_ENV_VAR_NAMES_SINCE[0]}.{RELAXED_ENV_VAR_NAMES_SINCE[1]}"
                " and later accept it"
            )
    problems.extend(_chdir_prefix(value))
    return problems


# --- Int-or-percent -------------------------------------------------------------------------------

_PERCENT_RE: Final = re.compile(r"[0-9]+%")
_INT32_MAX: Final = 2**31 - 1


def is_percent(value: str) -> bool:
    """Whether ``value`` is a percentage as IntOrString fields take it: digits then '%'.

    >>> is_percent("25%"), is_percent("25"), is_percent("2.5%")
    (True, False, False)
    """
    return _PERCENT_RE.fullmatch(value) is not None


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
            if max_percent is not None and _int(value[:-1]) > max_percent:
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


# --- Quantities -----------------------------------------------------------------------------------

# The language apimachinery's ParseQuantity accepts: optional sign, digits with an optional
# fraction (either side may be empty), then a decimal SI suffix, a binary SI suffix or a
# decimal exponent.
_QUANTITY_RE: Final = re.compile(
    r"(?P<sign>[+-]?)(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]*))?"
    r"(?:(?P<si>[numkMGTPE]|[KMGTPE]i)|[eE](?P<exp>[+-]?[0-9]+))?"
)
_NUMBER_PREFIX_RE: Final = re.compile(r"[+-]?[0-9]*(?:\.[0-9]*)?")
_SPACE_RE: Final = re.compile(r"\s+")

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
        return None, [_EMPTY + f"; {_QUANTITY_FORMS}"]
    match = _QUANTITY_RE.fullmatch(text)
    if match is None:
        return None, [_quantity_problem(text)]
    sign, int_digits, frac_digits, si, exp_text = match.group("sign", "int", "frac", "si", "exp")
    frac_digits = frac_digits or ""
    si = si or ""
    binary = si in _BINARY_SI
    if exp_text is not None:
        exponent = _int(exp_text)
        if abs(exponent) > _MAX_EXPONENT:
            return None, [f"the exponent must be between -{_MAX_EXPONENT} and {_MAX_EXPONENT}"]
    else:
        exponent = _BINARY_SI[si] if binary else _DECIMAL_SI[si]

    if not int_digits and not frac_digits:
        read_as_zero = _digitless_is_zero(binary, exponent)
        if read_as_zero and not strict:
            return decimal.Decimal(0), []
        if si:
            message = f"has no number before {_q(si)}"
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
    if _SPACE_RE.search(text):
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
    return f"unknown suffix {_q(rest)}" + tail


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
    if _SPACE_RE.search(text):
        joined = _SPACE_RE.sub("", text)
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


# --- CronJob schedules ------------------------------------------------------------------------

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
        return [_EMPTY]
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
            return f"the duration {_q(duration)} must not contain spaces{fix}"
        problem = _go_duration(duration)
        if problem:
            return f"{problem} (e.g. '@every 1h30m'; units are ns, us, ms, s, m and h)"
        return None
    known = " ".join(sorted(_CRON_DESCRIPTORS))
    if spec.lower() in _CRON_DESCRIPTORS:
        return f"unknown descriptor {_q(spec)}: descriptors are case-sensitive, use {spec.lower()}"
    if spec.lower().strip() in _CRON_DESCRIPTORS:
        return f"unknown descriptor {_q(spec)}: remove the surrounding spaces"
    if spec.lower().startswith("@every"):
        return f"unknown descriptor {_q(spec)}: write '@every <duration>', e.g. '@every 1h30m'"
    return f"unknown descriptor {_q(spec)} (known: {known} and @every <duration>)"


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
            return f"{_q(expr)} has too many hyphens"
    if len(range_and_step) > 2:
        return f"{_q(expr)} has too many slashes"
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
        return f"{_q(expr)}: the range starts at {start}, after its end {end}"
    if step == 0:
        return f"{_q(expr)}: the step must be a positive number"
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
        shown = f"{_q(text)}" if text else "an empty value"
        return f"{shown} is not {what}"
    number = _int(text)
    if number > _INT64_MAX or number < -_INT64_MAX - 1:
        return f"{_q(text)} is out of range"
    if number < 0:
        return f"negative number ({number}) not allowed"
    return number


def _go_duration(text: str) -> str | None:
    """Check a Go time.ParseDuration string; the problem, if any."""
    invalid = f"invalid duration {_q(text)}"
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
            return f"missing unit in duration {_q(text)}"
        if unit not in _DURATION_UNITS:
            return f"unknown unit {_q(unit)} in duration {_q(text)}"
        nanos += decimal.Decimal(f"{whole or '0'}.{fraction or '0'}") * _DURATION_UNITS[unit]
        rest = rest[part.end() :]
    limit = _INT64_MAX + 1 if negative else _INT64_MAX
    if int(nanos) > limit:
        return f"duration {_q(text)} is too long (at most about 2562047h)"
    return None


# --- Container images -------------------------------------------------------------------------

_ALNUM: Final = r"[a-z0-9]+"
_SEPARATOR: Final = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT: Final = _ALNUM + r"(?:" + _SEPARATOR + _ALNUM + r")*"
_REMOTE_NAME: Final = _PATH_COMPONENT + r"(?:/" + _PATH_COMPONENT + r")*"
_DOMAIN_COMPONENT: Final = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN_NAME: Final = _DOMAIN_COMPONENT + r"(?:\." + _DOMAIN_COMPONENT + r")*"
_HOST: Final = r"(?:" + _DOMAIN_NAME + r"|\[[a-fA-F0-9:]+\])"
_DOMAIN_AND_PORT: Final = _HOST + r"(?::[0-9]+)?"
_NAME: Final = r"(?:" + _DOMAIN_AND_PORT + r"/)?" + _REMOTE_NAME
_TAG: Final = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_DIGEST: Final = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"

_REFERENCE_RE: Final = re.compile(
    r"(?P<name>" + _NAME + r")(?::(?P<tag>" + _TAG + r"))?(?:@(?P<digest>" + _DIGEST + r"))?"
)
_ANCHORED_NAME_RE: Final = re.compile(r"(?:(" + _DOMAIN_AND_PORT + r")/)?(" + _REMOTE_NAME + r")")
_NAME_RE: Final = re.compile(_NAME)
_TAG_RE: Final = re.compile(_TAG)
_DIGEST_RE: Final = re.compile(_DIGEST)
_IDENTIFIER_RE: Final = re.compile(r"[a-f0-9]{64}")
_DIGEST_LENGTHS: Final[dict[str, int]] = {"sha256": 64, "sha384": 96, "sha512": 128}
_LOWER_HEX_RE: Final = re.compile(r"[a-f0-9]+")
REPOSITORY_NAME_MAX_LENGTH: Final = 255


def split_image(value: str) -> tuple[str, str | None, str | None]:
    """Split an image reference into ``(name, tag, digest)`` as written (not normalised).

    The name keeps its registry host and port; the tag and digest are ``None`` when absent.
    Malformed references are split the same way, on the first '@' and on the last ':' after
    the last '/', so that callers can still point at the part that is wrong.

    >>> split_image("nginx")
    ('nginx', None, None)
    >>> split_image("localhost:5000/a/b:1.0")
    ('localhost:5000/a/b', '1.0', None)
    """
    match = _REFERENCE_RE.fullmatch(value)
    if match:
        return match.group("name"), match.group("tag"), match.group("digest")
    name, at, digest = value.partition("@")
    colon = name.rfind(":")
    tag: str | None = None
    if colon > name.rfind("/"):
        name, tag = name[:colon], name[colon + 1 :]
    return name, tag, digest if at else None


def image_reference(value: str) -> list[str]:
    """Check a container image reference the way the kubelet parses it.

    ``[registry[:port]/]path[:tag][@digest]``: path components of lower case alphanumerics
    joined by '.', '_', '__' or dashes; a tag of at most 128 letters, digits, '_', '.' and
    '-' not starting with '.' or '-'; a digest such as ``sha256:`` and 64 lower case
    hexadecimal digits. The API server itself only refuses an empty image and, in Pods, leading
    or trailing whitespace; any other mistake shows up later, on the node, as
    ``InvalidImageName``.

    >>> image_reference("registry.example.com:5000/team/app:1.2.3")
    []
    >>> image_reference("Nginx")
    ["repository name must be lowercase; did you mean 'nginx'?"]
    """
    if not value:
        return [_EMPTY]
    if value != value.strip():
        return ["must not have leading or trailing whitespace"]
    if _IDENTIFIER_RE.fullmatch(value):
        return [
            "must not be a bare 64-character image ID: name the repository and pin the digest "
            "(e.g. 'nginx@sha256:<id>')"
        ]
    domain, remainder = _split_docker_domain(value)
    remote = remainder.partition(":")[0]
    if remote.lower() != remote:
        return [f"repository name must be lowercase; did you mean '{_lower_image(value)}'?"]
    candidate = domain + "/" + remainder
    match = _REFERENCE_RE.fullmatch(candidate)
    if match is None:
        return [_image_format_problem(value)]
    name_match = _ANCHORED_NAME_RE.fullmatch(match.group("name"))
    path = name_match.group(2) if name_match else match.group("name")
    problems: list[str] = []
    if len(path) > REPOSITORY_NAME_MAX_LENGTH:
        problems.append(
            f"repository name must not be more than {REPOSITORY_NAME_MAX_LENGTH} characters"
        )
    digest = match.group("digest")
    if digest is not None:
        problem = _digest_problem(digest)
        if problem:
            problems.append(problem)
    return problems


def _split_docker_domain(value: str) -> tuple[str, str]:
    """Where the kubelet (distribution/reference) puts the registry of a familiar name."""
    first, slash, rest = value.partition("/")
    if not slash:
        return "docker.io", "library/" + value
    if first == "localhost" or ("." in first or ":" in first) or first.lower() != first:
        domain, remainder = first, rest
    else:
        domain, remainder = "docker.io", value
    if first == "index.docker.io":
        domain = "docker.io"
    if domain == "docker.io" and "/" not in remainder:
        remainder = "library/" + remainder
    return domain, remainder


def _lower_image(value: str) -> str:
    name, tag, digest = split_image(value)
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        name = first + "/" + rest.lower()
    else:
        name = name.lower()
    return name + (f":{tag}" if tag is not None else "") + (f"@{digest}" if digest else "")


def _image_format_problem(value: str) -> str:
    """Say which part of a reference that does not parse is wrong."""
    base = "invalid reference format"
    if "://" in value:
        return f"{base}: remove the scheme ('{value.split('://', 1)[0]}://'), images are not URLs"
    if _SPACE_RE.search(value):
        return f"{base}: must not contain whitespace"
    name, tag, digest = split_image(value)
    if digest is not None and not _DIGEST_RE.fullmatch(digest):
        return (
            f"{base}: the digest {_q(digest)} must be an algorithm, ':' and at least 32 "
            "hexadecimal digits (e.g. 'sha256:' and 64 digits)"
        )
    if tag is not None:
        if not tag:
            return f"{base}: the tag after ':' is empty"
        if len(tag) > 128:
            return f"{base}: the tag must be no more than 128 characters (it has {len(tag)})"
        if not _TAG_RE.fullmatch(tag):
            return (
                f"{base}: the tag {_q(tag)} must consist of letters, digits, '_', '.' or '-' and "
                "must not start with '.' or '-'"
            )
    if not name:
        return f"{base}: the repository name is empty"
    if not _NAME_RE.fullmatch(name):
        if "//" in name or name.startswith("/") or name.endswith("/"):
            return f"{base}: the repository name has an empty path component"
        return (
            f"{base}: the repository name {_q(name)} must be path components of lower case "
            "letters and digits, separated by '/' and joined inside by '.', '_', '__' or "
            "'-', optionally after a registry host[:port]"
        )
    return base


def _digest_problem(digest: str) -> str | None:
    """Check a digest as go-digest does: a known algorithm and the right length of hex."""
    algorithm, _, encoded = digest.partition(":")
    length = _DIGEST_LENGTHS.get(algorithm)
    if length is None:
        return f"unsupported digest algorithm {_q(algorithm)} (use sha256, sha384 or sha512)"
    if len(encoded) != length:
        return f"a {algorithm} digest must have {length} hexadecimal digits (it has {len(encoded)})"
    if not _LOWER_HEX_RE.fullmatch(encoded):
        return f"a {algorithm} digest must use lower case hexadecimal digits"
    return None
