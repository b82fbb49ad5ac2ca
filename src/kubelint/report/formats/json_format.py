"""``--output json``: exactly one JSON object with the findings and a summary."""

from __future__ import annotations

import json
from typing import TextIO

from kubelint.report.formats import RenderOptions
from kubelint.report.formats.text import json_safe
from kubelint.report.model import RunResult, Severity


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


def render(result: RunResult, stream: TextIO, options: RenderOptions) -> None:
    """Write the run as one JSON object, finding by finding.

    Compact, from the C encoder; written as it is encoded, so that a run of 60,000
    findings never holds its whole output in memory.
    """
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    lists = [("findings", result.findings)]
    if options.show_suppressed:
        lists.append(("suppressed", result.suppressed))
    stream.write("{")
    for name, findings in lists:
        stream.write(f'"{name}":[')
        separator = ""
        for finding in findings:
            stream.write(separator + json_safe(encode(finding.to_json())))
            separator = ","
        stream.write("],")
    stream.write('"summary":' + encode(summary(result)) + "}\n")
