"""Regenerate what is generated from the rule files of ``rules/``: the compiled index a run
reads (``src/kubelint/rules/catalogue.json``) and ``docs/rules.md``:
``python scripts/generate_docs.py`` (``--check``: exit 1 when either is stale)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Write the index, then docs/rules.md from it (or, with --check, exit 1 when stale)."""
    from kubelint.checks.catalogue import compile_index
    from kubelint.checks.registry import builtin_rules
    from kubelint.report.rule_docs import render_catalogue
    from kubelint.rules.index import INDEX_PATH

    check = "--check" in sys.argv[1:]
    stale = False
    for target, text in (
        (INDEX_PATH, lambda: compile_index(ROOT / "rules")),
        (ROOT / "docs" / "rules.md", lambda: render_catalogue(builtin_rules())),
    ):
        wanted = text()
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != wanted:
            stale = True
            if not check:
                target.write_text(wanted, encoding="utf-8")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
