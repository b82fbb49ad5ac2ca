"""A rule's identity and documentation, as its rule file states them."""

from __future__ import annotations

from typing import NamedTuple

from kubelint.report.model import Severity


class RuleDoc(NamedTuple):
    """The documentation of a rule, in the catalogue's fixed headings."""

    what: str
    why: str
    example: str
    use_instead: str


class Rule(NamedTuple):
    """A rule's identity and documentation."""

    id: str
    slug: str
    severity: Severity
    summary: str
    doc: RuleDoc
