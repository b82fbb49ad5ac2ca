"""Run kubernetes-validate over many files in one process without letting one file end the run.

Its CLI (``kubernetes-validate FILE...``) calls ``kubernetes_validate.utils.validate_file`` for
each file argument in turn. That is exactly what this driver does, in one process, with the same
options; the only difference is a ``try`` around each call: where the CLI would stop the whole
run (``SystemExit`` on the first file that does not parse, ``KeyError`` on ``*List`` kinds and on
objects named with ``generateName``), the driver counts the file and goes on with the next one.
This measures the tool's real per-file throughput including its imports and start-up.

usage: kv_driver.py [--strict] LIST_FILE   (LIST_FILE: one manifest path per line)

The validation messages go to stdout as the CLI prints them; one JSON summary line goes to
stderr at the end.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    names = [arg for arg in argv if arg != "--strict"]
    if len(names) != 1:
        print("usage: kv_driver.py [--strict] LIST_FILE", file=sys.stderr)
        return 2
    files = [line for line in Path(names[0]).read_text().splitlines() if line]

    import kubernetes_validate.utils as utils  # imported here so its import time is measured

    version = utils.latest_version()
    passed = invalid = errored = parse_aborts = 0
    crashes: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for name in files:
        try:
            rc = utils.validate_file(name, version, strict, True, True)  # quiet, no warnings
        except SystemExit:  # the CLI's "Couldn't parse YAML from file ...": aborts its run
            parse_aborts += 1
            continue
        except Exception as exc:  # the CLI crashes with a traceback here
            kind = type(exc).__name__
            crashes[kind] += 1
            examples.setdefault(kind, name)
            continue
        if rc == 0:
            passed += 1
        if rc & 1:
            invalid += 1
        if rc & 2:
            errored += 1
    summary = {
        "kubernetes_version": version,
        "strict": strict,
        "files": len(files),
        "passed": passed,
        "invalid": invalid,
        "errored": errored,
        "parse_aborts": parse_aborts,
        "crashes": dict(crashes),
        "crash_examples": examples,
    }
    sys.stdout.flush()
    print(json.dumps(summary), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
