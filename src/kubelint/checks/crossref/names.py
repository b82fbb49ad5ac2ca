"""References by name (a ConfigMap, a Secret, a Service...): the objects referred to,
and what to say when a name is missing from the run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final, NamedTuple

from kubelint.schema.suggest import closest, edit_distance


class Named(NamedTuple):
    """An object that others refer to by name; ``keys`` are its data keys (None: unknown;
    a tuple, a third of the memory of a frozenset, for a fact kept to the end of a run)."""

    keys: tuple[str, ...] | None = None
    ports: tuple[tuple[str | None, int | None], ...] = ()  # a Service's (name, port)


def elsewhere(name: str, namespace: str | None, where: Mapping[str, set[str | None]]) -> str | None:
    """When ``name`` is defined only in other namespaces: a sentence saying so."""
    others = sorted(ns or "" for ns in where.get(name, set()) if ns != namespace)
    if not others:
        return None
    return (
        f"it is defined in namespace {', '.join(others)}, but references are namespace-local: "
        f"create it in namespace {namespace} too"
    )


def typo_of(name: str, candidates: Iterable[str]) -> str | None:
    """A name among ``candidates`` that ``name`` is likely a typo of.

    Stricter than a did-you-mean for field names: object names of one app share most
    of their letters (``foo-secret``, ``good-secret``), so one edit is allowed (two for
    long names), and names that differ only in digits (``config-v1``, ``config-v2``)
    are versions, not typos.
    """
    meant = closest(name, candidates)
    if meant is None:
        return None
    if meant.lower() == name.lower():
        return meant
    allowed = 1 if len(name) <= 15 else 2
    if edit_distance(name.lower(), meant.lower(), allowed) > allowed:
        return None
    if _DIGITS.sub("", name) == _DIGITS.sub("", meant):
        return None
    return meant


_DIGITS: Final = re.compile(r"[0-9]")
