"""The compiled index of the bundled rule files, and the rules the pipeline reports itself.

A run reads this JSON file (``catalogue.json``, next to this module) instead of parsing
every file of ``rules/`` with kubelint's positioned YAML loader.
``scripts/generate_docs.py`` writes it (:func:`kubelint.checks.catalogue.compile_index`)
and a test fails when it is stale.

The stages that report rules of their own (loading, the schema, the run, apply) name them
with :func:`rule`, at import: a misspelt slug fails when the module is imported.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from kubelint.report.model import Severity
from kubelint.rules.rule import Rule, RuleDoc

#: Where the index lives, next to this module (shipped in the wheel).
INDEX_PATH: Final = Path(__file__).with_name("catalogue.json")


@functools.cache
def read_index() -> tuple[dict[str, Any], ...]:
    """The entries of the index: the bundled rule files, parsed, each with its ``family``."""
    entries: list[dict[str, Any]] = json.loads(INDEX_PATH.read_text(encoding="utf-8"))
    return tuple(entries)


def rule_of(data: Mapping[str, Any]) -> Rule:
    """The identity and documentation a rule file states."""
    doc = data["doc"]
    return Rule(
        data["id"],
        data["slug"],
        Severity.parse(data["severity"]),
        data["summary"],
        RuleDoc(doc["what"], doc["why"], doc["example"], doc["use-instead"]),
    )


@functools.cache
def _by_key() -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for entry in read_index():
        found = rule_of(entry)
        table[found.id] = table[found.slug] = found
    return table


def rule(key: str) -> Rule:
    """The bundled rule with this slug or id; a KeyError names a key no rule file has."""
    try:
        return _by_key()[key]
    except KeyError:
        raise KeyError(f"no rule file of rules/ is {key!r}") from None
