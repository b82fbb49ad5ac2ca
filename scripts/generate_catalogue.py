"""Compile the rule files of ``rules/`` into the index a run reads:
``python scripts/generate_catalogue.py`` (``--check``: exit 1 when the index is stale).

A run reads one JSON file instead of parsing some seventy YAML files; the YAML files stay
the source, and a test fails when the index no longer matches them.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Write ``src/kubelint/checks/catalogue.json`` (or check that it is current)."""
    from kubelint.checks.catalogue import compile_index
    from kubelint.checks.index import INDEX_PATH

    text = compile_index(ROOT / "rules")
    if "--check" in sys.argv[1:]:
        current = INDEX_PATH.read_text(encoding="utf-8") if INDEX_PATH.exists() else ""
        return 0 if current == text else 1
    INDEX_PATH.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
