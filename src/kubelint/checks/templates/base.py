"""What a template is: a name, a dataclass of its parameters, and ``build(params)``.

Parameters of users' rules are validated with pydantic (unknown or mistyped ones are
configuration errors); the bundled rules are validated by the test suite and read without
it, so a run does not pay for importing pydantic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kubelint.checks.api import ObjectCheck


@dataclass(frozen=True, slots=True)
class Template:
    """Parameterised check logic."""

    name: str
    description: str
    params: type[Any]  # a dataclass
    build: Callable[[Any], ObjectCheck]

    def parse(self, raw: Any, *, trusted: bool) -> Any:
        """The parameters as the template's dataclass; validated unless ``trusted``."""
        values = {str(k).replace("-", "_"): v for k, v in (raw or {}).items()}
        if trusted:
            return self.params(**values)
        from pydantic import TypeAdapter

        return TypeAdapter(self.params).validate_python(values)
