"""One refusal as the checks return it: what is refused, and at which paths of the object
(:mod:`kubelint.apply.refusals.positions` places them in the manifest file)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from kubelint.apply.client_side.patch_meta import SchemaType
from kubelint.apply.values import JSON
from kubelint.load.paths import Path
from kubelint.rules.index import rule

#: Where in the manifest a finding points: the values :func:`kubelint.load.paths.locate` takes.
AT_KEY: Final = "key"
AT_VALUE: Final = "value"

#: The remedy of a change the API server refuses for good: recreate the object.
REPLACE_REMEDY: Final = (
    "or delete and recreate the object (`kubectl replace --force -f FILE`, or "
    "`kubectl delete` then `kubectl apply`)"
)


@dataclass(frozen=True, slots=True)
class Rejection:
    """One refusal: its code, what is said and why, the remedy, and where.

    ``where`` holds paths of the result object (list steps index the result), best
    first: the finding goes to the first one the manifest has, else to the nearest
    ancestor the manifest has of the first. ``at`` picks the key or the value there.
    """

    code: str
    message: str
    suggestion: str
    where: tuple[Path, ...]
    at: str = AT_KEY

    @property
    def slug(self) -> str:
        """The rule's name."""
        return rule(self.code).slug


def refused(operation: str) -> str:
    """The opening of the API server's refusal of a ``create`` or ``patch``."""
    return f"the API server would reject the {operation}"


def dotted(path: Path) -> str:
    """``spec.ports[0].port``: a path as the API server writes it in its messages."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


#: A check of an update: the live object, the result, the result's schema type.
UpdateCheck = Callable[[dict[str, JSON], dict[str, JSON], SchemaType | None], list[Rejection]]
