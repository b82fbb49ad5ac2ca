"""Regenerate docs/rules.md from the rule catalogue:
``python scripts/generate_docs.py``."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Write docs/rules.md (or, with --check, exit 1 when it is stale)."""
    from kubelint.checks.registry import builtin_rules
    from kubelint.report.rule_docs import render_catalogue

    text = render_catalogue(builtin_rules())
    target = ROOT / "docs" / "rules.md"
    if "--check" in sys.argv[1:]:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        return 0 if current == text else 1
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
