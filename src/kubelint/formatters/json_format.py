"""``--output json``: exactly one JSON object with the findings and a summary."""

from __future__ import annotations

import json
from typing import TextIO

from kubelint.engine import RunResult
from kubelint.findings import Severity


def summary(result: RunResult) -> dict[str, object]:
    """Counts of the run, as printed in every output format."""
    counts = dict.fromkeys(Severity, 0)
    for finding in result.findings:
        counts[finding.severity] += 1
    return {
        "files": result.files,
        "documents": result.documents,
        "objects": result.objects,
        "skipped": dict(sorted(result.skipped.items())),
        "errors": counts[Severity.ERROR],
        "warnings": counts[Severity.WARNING],
        "infos": counts[Severity.INFO],
        "suppressed": len(result.suppressed),
    }


def render(result: RunResult, stream: TextIO, *, show_suppressed: bool = False) -> None:
    """Write the run as one JSON object."""
    payload: dict[str, object] = {
        "findings": [f.to_json() for f in result.findings],
        "summary": summary(result),
    }
    if show_suppressed:
        payload["suppressed"] = [f.to_json() for f in result.suppressed]
    # compact: the C encoder is many times faster than an indented dump on large runs
    stream.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n")
