"""Templates: check logic written once, instantiated by rules that are data (``rules/*.yaml``).

A template has a name, a pydantic model of its parameters, and ``build(params)`` that
returns an object check. Unknown or mistyped parameters are configuration errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from kubelint.rule_api import ObjectCheck


@dataclass(frozen=True, slots=True)
class Template:
    """Parameterised check logic."""

    name: str
    description: str
    params: type[BaseModel]
    build: Callable[[Any], ObjectCheck]


def all_templates() -> dict[str, Template]:
    """Every built-in template by name."""
    from kubelint.templates import field

    return {t.name: t for t in (field.TEMPLATE,)}
