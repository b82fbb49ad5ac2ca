"""What both kinds of ``kubectl apply`` are about: the objects read, their identity, and
the outcome of applying one.

Everything under :mod:`kubelint.apply` shares these; they import nothing of it but
:mod:`kubelint.apply.values`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final, Literal

from kubelint.apply.values import JSON
from kubelint.report.model import Finding

DEFAULT_NAMESPACE: Final = "default"

Operation = Literal["create", "patch", "unchanged", "error"]


@dataclass(frozen=True, slots=True, order=True)
class ObjectKey:
    """What kubectl matches an object by."""

    group: str
    kind: str
    namespace: str | None
    name: str


@dataclass(slots=True)
class SourcedObject:
    """A decoded object and where it was read.

    ``source`` (``file:line``) names the object in headlines; ``warnings`` go with
    its outcome. ``path`` (the file as
    displayed), ``node`` (the loaded YAML mapping, whose marks locate its fields, see
    :func:`kubelint.load.paths.locate`) and ``start`` (the 0-based mark of the object)
    place findings in the file; an object not read from a file has none of them.
    """

    value: dict[str, JSON]
    source: str
    path: str | None = None
    node: Any = None
    start: tuple[int, int] = (0, 0)
    #: what kubectl reads silently and a reader should know (a key written twice)
    warnings: list[str] = field(default_factory=list)
    #: kubectl's error for the document before it looks at the object (its metadata does
    #: not decode, see :mod:`kubelint.apply.read.object_meta`): nothing is sent for it
    error: str | None = None


@dataclass(slots=True)
class Outcome:
    """What applying one manifest object does."""

    object: str
    operation: Operation
    source: str
    patch_type: Literal["strategic", "merge"] | None = None
    patch: dict[str, JSON] | None = None
    result: dict[str, JSON] | None = None
    live: dict[str, JSON] | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    #: what the API server (or kubectl) would refuse, at positions in the manifest
    findings: list[Finding] = field(default_factory=list)
    #: the error of the API server's merge of the patch (the request is sent, then refused)
    merge_error: str | None = None
    #: kubectl panics computing the patch: it dies, and applies nothing after this object
    panicked: bool = False

    def as_json(self) -> dict[str, Any]:
        """The entry of ``kubelint apply --output json``."""
        entry: dict[str, Any] = {
            "object": self.object,
            "operation": self.operation,
            "patch": self.patch,
            "result": self.result,
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "patchType": self.patch_type,
            "source": self.source,
            "findings": [f.to_json() for f in self.findings],
        }
        if self.error is not None:
            entry["error"] = self.error
        return entry


class ApplyInputError(Exception):
    """An object kubectl would refuse before computing anything."""


def metadata_of(value: dict[str, JSON]) -> dict[str, JSON]:
    """The object's ``metadata`` mapping (empty when it is not one)."""
    metadata = value.get("metadata")
    return metadata if isinstance(metadata, dict) else {}
