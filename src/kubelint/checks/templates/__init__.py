"""Templates: check logic written once, instantiated by rules that are data (``rules/*.yaml``).

A template (:class:`~kubelint.checks.templates.base.Template`) has a name, a dataclass of
its parameters, and ``build(params)`` that returns an object check; one module each.
"""

from __future__ import annotations

from kubelint.checks.templates import field
from kubelint.checks.templates.base import Template


def all_templates() -> dict[str, Template]:
    """Every built-in template by name."""
    return {t.name: t for t in (field.TEMPLATE,)}
