"""The compiled index of the bundled rule files: what a run reads instead of ``rules/``.

``scripts/generate_catalogue.py`` writes it from ``rules/<family>/<slug>.yaml``; a test
fails when it is stale. Reading one JSON file costs a fraction of parsing every rule
file with kubelint's positioned YAML loader, on every run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from kubelint.checks.catalogue import read_rule_file, rule_paths

#: Where the index lives, next to this module (shipped in the wheel).
INDEX_PATH: Final = Path(__file__).with_name("catalogue.json")


def compile_index(root: Path) -> str:
    """The index of the rule files below ``root``, as JSON text: one entry per file, in
    family and file order, each with its ``family``."""
    entries = []
    for path in rule_paths(root):
        data = read_rule_file(path)
        entries.append({"family": path.parent.name, **data})
    return json.dumps(entries, indent=1, ensure_ascii=False) + "\n"


def read_index() -> list[dict[str, Any]]:
    """The entries of the index (the bundled rule files, parsed)."""
    entries: list[dict[str, Any]] = json.loads(INDEX_PATH.read_text(encoding="utf-8"))
    return entries
