"""Container image references, as distribution/reference parses them (the grammar the
kubelet applies).
"""

from __future__ import annotations

import re
from typing import Final

from kubelint.schema.formats.text import EMPTY, SPACE_RE, quoted

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
        return [EMPTY]
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
    if SPACE_RE.search(value):
        return f"{base}: must not contain whitespace"
    name, tag, digest = split_image(value)
    if digest is not None and not _DIGEST_RE.fullmatch(digest):
        return (
            f"{base}: the digest {quoted(digest)} must be an algorithm, ':' and at least 32 "
            "hexadecimal digits (e.g. 'sha256:' and 64 digits)"
        )
    if tag is not None:
        if not tag:
            return f"{base}: the tag after ':' is empty"
        if len(tag) > 128:
            return f"{base}: the tag must be no more than 128 characters (it has {len(tag)})"
        if not _TAG_RE.fullmatch(tag):
            return (
                f"{base}: the tag {quoted(tag)} must consist of letters, digits, '_', '.' or '-' "
                "and must not start with '.' or '-'"
            )
    if not name:
        return f"{base}: the repository name is empty"
    if not _NAME_RE.fullmatch(name):
        if "//" in name or name.startswith("/") or name.endswith("/"):
            return f"{base}: the repository name has an empty path component"
        return (
            f"{base}: the repository name {quoted(name)} must be path components of lower case "
            "letters and digits, separated by '/' and joined inside by '.', '_', '__' or "
            "'-', optionally after a registry host[:port]"
        )
    return base


def _digest_problem(digest: str) -> str | None:
    """Check a digest as go-digest does: a known algorithm and the right length of hex."""
    algorithm, _, encoded = digest.partition(":")
    length = _DIGEST_LENGTHS.get(algorithm)
    if length is None:
        return f"unsupported digest algorithm {quoted(algorithm)} (use sha256, sha384 or sha512)"
    if len(encoded) != length:
        return f"a {algorithm} digest must have {length} hexadecimal digits (it has {len(encoded)})"
    if not _LOWER_HEX_RE.fullmatch(encoded):
        return f"a {algorithm} digest must use lower case hexadecimal digits"
    return None
