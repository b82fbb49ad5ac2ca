"""Rules named by a list of entries: ids, slugs, id prefixes (``KL03``) or ``all``.

Inline suppressions (``# kubelint: disable=...``), the ``kubelint.io/ignore`` annotation
and per-file ignores are such lists, written by whoever wrote the file checked: a comment
may list a hundred thousand entries. A :class:`RuleSet` answers whether it names a rule by
looking the rule's id, slug and the prefixes of its id up in sets, in time independent of
the number of entries (matching each entry against each finding made a 400 KB file take
minutes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class RuleSet(NamedTuple):
    """The rules a list of entries names (build it with :meth:`of`)."""

    names: frozenset[str] = frozenset()  # every entry, stripped
    prefixes: frozenset[str] = frozenset()  # the entries in upper case: id prefixes

    @classmethod
    def of(cls, entries: Iterable[str]) -> RuleSet:
        """The set of ``entries`` (blank ones are ignored)."""
        names = frozenset(e for e in (entry.strip() for entry in entries) if e)
        return cls(names, frozenset(e for e in names if e.upper() == e))

    def matches(self, rule_id: str, slug: str) -> bool:
        """Whether an entry is ``all``, the rule's id or slug, or a prefix of its id."""
        names = self.names
        if not names:
            return False
        if rule_id in names or slug in names or "all" in names:
            return True
        prefixes = self.prefixes
        return bool(prefixes) and any(
            rule_id[:end] in prefixes for end in range(1, len(rule_id) + 1)
        )


EMPTY = RuleSet()
