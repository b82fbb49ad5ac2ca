"""Records: the small immutable classes that worker processes send back by the thousand."""

from __future__ import annotations

from typing import Any


class Record:
    """Base of slotted dataclasses that pickle as a call of their constructor.

    Unpickling a slotted dataclass field by field (the default) costs two to three times
    a constructor call with the fields in order, and a corpus run unpickles some 100,000
    findings and facts from its workers. Every field of a subclass must be an ``__init__``
    parameter, in field order.
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        names: tuple[str, ...] = self.__slots__
        return (type(self), tuple(getattr(self, name) for name in names))
