"""Compare ``kubelint check --output json`` record by record with a saved run (a developer tool).

For refactors that must change no behaviour: save the findings of a tree before, then
compare after every step. Every finding must be identical, in the same order; the
summary too. Paths are kept as the run printed them, so run both from the same folder.

    python scripts/compare_findings.py save /tmp/before.json            # ../shared/corpus
    python scripts/compare_findings.py compare /tmp/before.json         # exit 1 on a change
    python scripts/compare_findings.py compare /tmp/before.json --tree DIR -- --jobs 1

Arguments after ``--`` are passed to ``kubelint check``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TREE = ROOT.parent / "shared" / "corpus"


def run_check(tree: Path, extra: list[str]) -> dict[str, Any]:
    """The JSON document of ``kubelint check`` on ``tree`` (exit 0 or 1 expected)."""
    command = [sys.executable, "-m", "kubelint", "check", "--output", "json", *extra, str(tree)]
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"kubelint check exited {done.returncode}")
    document: dict[str, Any] = json.loads(done.stdout)
    return document


def differences(before: dict[str, Any], after: dict[str, Any], most: int = 10) -> list[str]:
    """What differs, record by record: at most ``most`` findings, then the summary."""
    found: list[str] = []
    old, new = before.get("findings", []), after.get("findings", [])
    for index in range(max(len(old), len(new))):
        a = old[index] if index < len(old) else None
        b = new[index] if index < len(new) else None
        if a != b:
            found.append(f"finding {index}:\n  before {json.dumps(a)}\n  after  {json.dumps(b)}")
            if len(found) >= most:
                found.append("(more differences not shown)")
                break
    if len(old) != len(new):
        found.append(f"{len(old)} findings before, {len(new)} after")
    rest_old = {k: v for k, v in before.items() if k != "findings"}
    rest_new = {k: v for k, v in after.items() if k != "findings"}
    if rest_old != rest_new:
        found.append(f"summary:\n  before {json.dumps(rest_old)}\n  after  {json.dumps(rest_new)}")
    return found


def main(argv: list[str] | None = None) -> int:
    """``save`` or ``compare``; exit 1 when the findings changed."""
    args = sys.argv[1:] if argv is None else argv
    extra: list[str] = []
    if "--" in args:
        cut = args.index("--")
        args, extra = args[:cut], args[cut + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("file", type=Path, help="the saved run")
    parser.add_argument("--tree", type=Path, default=DEFAULT_TREE)
    options = parser.parse_args(args)
    if not options.tree.is_dir():
        raise SystemExit(f"{options.tree}: no such folder")
    after = run_check(options.tree, extra)
    if options.action == "save":
        options.file.write_text(json.dumps(after), encoding="utf-8")
        print(f"saved {len(after['findings'])} findings of {options.tree} in {options.file}")
        return 0
    before = json.loads(options.file.read_text(encoding="utf-8"))
    found = differences(before, after)
    if found:
        print("\n".join(found))
        return 1
    print(f"identical: {len(after['findings'])} findings, same order, same summary")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
