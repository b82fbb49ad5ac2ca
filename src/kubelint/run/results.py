"""What checking one file leaves for the rest of the run: findings, objects, CRDs, facts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from kubelint.checks.api import Fact
from kubelint.config.policy import Suppressions
from kubelint.load.documents import PackedMark
from kubelint.report.model import Finding, ObjectRef
from kubelint.schema.crds import CrdRegistry


class ObjectIdentity(NamedTuple):
    """Who an object is, for checks across the run."""

    group: str
    kind: str
    namespace: str | None
    name: str
    ref: ObjectRef
    path: str
    mark: PackedMark  # of its name (read with loader.mark_of)


@dataclass(slots=True)
class FileResult:
    """The outcome of checking one file.

    While the file is checked, ``suppressed`` holds the findings its objects' ignore
    annotations switch off; :func:`kubelint.run.findings.decide_file` then applies the
    run's policy and the file's inline suppressions to both lists.
    """

    path: str
    findings: list[Finding] = field(default_factory=list)
    documents: int = 0
    objects: list[ObjectIdentity] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    crds: CrdRegistry = field(default_factory=CrdRegistry)
    facts: list[Fact] = field(default_factory=list)
    suppressions: Suppressions | None = None
    suppressed: list[Finding] = field(default_factory=list)
    #: API groups of the custom resources of the file: its findings depend on their CRDs
    crd_groups: set[str] = field(default_factory=set)


class PartResult(NamedTuple):
    """The outcome of checking a part of a big file (see :mod:`kubelint.run.parts`)."""

    result: FileResult
    #: whether the part holds an object: a file without any is not a manifest, and is
    #: checked whole instead (as are parts that are not UTF-8 text)
    manifest: bool
    readable: bool = True
