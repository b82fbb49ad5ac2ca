"""Small helpers for the facts cross-object rules collect: where their marks are, and
how a finding names the object of a fact.
"""

from __future__ import annotations

from collections.abc import Mapping

from kubelint.checks.api import Fact
from kubelint.load.paths import Path, format_path


def fields_of(paths: Mapping[str, Path]) -> dict[str, str]:
    """The field text of every mark."""
    return {key: format_path(path) for key, path in paths.items()}


def describe(fact: Fact) -> str:
    """``Deployment web``."""
    return f"{fact.kind} {fact.name or '<unnamed>'}"
