"""The output of ``kubelint apply`` (client-side): per object, human or JSON.

The human form shows per object a headline, what would be refused (at positions in the
manifest, as ``kubelint check`` shows a finding), the diff of the live object to the
result, warnings and notes; the JSON form is the list of :meth:`Outcome.as_json` entries.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TextIO

import click

from kubelint.apply.model import Outcome
from kubelint.apply.refusals.rules import KUBECTL_REFUSALS
from kubelint.apply.values import pretty_json
from kubelint.load.lines import split_lines
from kubelint.load.objects import LAST_APPLIED
from kubelint.report.excerpt import excerpt
from kubelint.report.formats.text import printable
from kubelint.report.model import Finding


def colour_wanted(stream: TextIO) -> bool:
    """Whether to colour the output: a terminal, and no ``NO_COLOR`` in the environment."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _yaml(value: Any) -> list[str]:
    import yaml

    if value is None:
        return []
    shown = _for_display(value)
    text = yaml.safe_dump(
        shown, sort_keys=True, default_flow_style=False, allow_unicode=True, width=2**31 - 1
    )
    return text.splitlines(keepends=True)


def _for_display(value: Any) -> Any:
    """The object without managedFields and the last-applied annotation (noted instead)."""
    if not isinstance(value, dict):
        return value
    shown = dict(value)
    metadata = shown.get("metadata")
    if isinstance(metadata, dict):
        metadata = dict(metadata)
        metadata.pop("managedFields", None)
        annotations = metadata.get("annotations")
        if isinstance(annotations, dict) and LAST_APPLIED in annotations:
            annotations = {k: v for k, v in annotations.items() if k != LAST_APPLIED}
            if annotations:
                metadata["annotations"] = annotations
            else:
                metadata.pop("annotations")
        shown["metadata"] = metadata
    return shown


def render_diff(outcome: Outcome, colour: bool) -> str:
    """A unified diff of the live object to the result."""
    before = _yaml(outcome.live)
    after = _yaml(outcome.result)
    lines = difflib.unified_diff(before, after, "live", "result", n=3)
    out: list[str] = []
    for line in lines:
        text = line if line.endswith("\n") else line + "\n"
        if colour:
            if line.startswith(("+++", "---")):
                text = click.style(text, bold=True)
            elif line.startswith("@@"):
                text = click.style(text, fg="cyan")
            elif line.startswith("+"):
                text = click.style(text, fg="green")
            elif line.startswith("-"):
                text = click.style(text, fg="red")
        out.append(text)
    return "".join(out)


def _source_lines(path: str, cache: dict[str, list[str] | None]) -> list[str] | None:
    """The lines of a manifest file as the loader decoded them (None: not readable)."""
    if path not in cache:
        from kubelint.load.documents import decode

        try:
            text, _ = decode(Path(path).read_bytes()) if path != "-" else (None, None)
        except OSError:
            text = None
        cache[path] = split_lines(text) if text is not None else None
    return cache[path]


def render_finding(
    finding: Finding, style: Callable[..., str], cache: dict[str, list[str] | None]
) -> str:
    """``path:line:column: error CODE slug: message``, the source line with a caret under
    the column, and ``= suggestion``, as ``kubelint check`` writes a finding."""
    head = (
        f"{finding.path}:{finding.line}:{finding.column}: "
        + style(finding.severity.label, fg="red", bold=True)
        + printable(f" {finding.rule} {finding.name}: {finding.message}")
    )
    out = [head]
    out.extend(excerpt(_source_lines(finding.path, cache), finding, span=False))
    if finding.suggestion:
        out.append(printable(f"      = {finding.suggestion}"))
    return "".join(line + "\n" for line in out)


_VERBS: Final = {
    "create": "would be created",
    "patch": "would be configured",
    "unchanged": "unchanged",
    "error": "kubectl would fail",
}


_PATCH_NAMES: Final = {"strategic": "strategic merge patch", "merge": "JSON merge patch"}


def render_human(outcomes: list[Outcome], problems: list[str], stream: TextIO) -> None:
    """Per object: a headline, what would be refused (with positions in the manifest), the
    diff of live to result, warnings and notes."""
    colour = colour_wanted(stream)

    def style(text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if colour else text

    cache: dict[str, list[str] | None] = {}
    for problem in problems:
        stream.write(style("error", fg="red", bold=True) + f": {problem}\n")
    for index, outcome in enumerate(outcomes):
        if index:
            stream.write("\n")
        verb = _VERBS[outcome.operation]
        if outcome.findings and outcome.operation in ("create", "patch"):
            verb = f"the API server would reject the {outcome.operation}"
            if any(f.rule in KUBECTL_REFUSALS for f in outcome.findings):
                verb = f"kubectl would stop before the {outcome.operation}"
        how = f" ({_PATCH_NAMES[outcome.patch_type]})" if outcome.patch_type else ""
        stream.write(style(f"{outcome.object}: {verb}{how}", bold=True) + f"  [{outcome.source}]\n")
        for finding in outcome.findings:
            stream.write(render_finding(finding, style, cache))
        if outcome.error and not outcome.findings:
            stream.write(style("  error", fg="red", bold=True) + f": {outcome.error}\n")
        for warning in outcome.warnings:
            stream.write(style("  warning", fg="yellow", bold=True) + f": {warning}\n")
        for note in outcome.notes:
            stream.write(f"  - {note}\n")
        if outcome.operation in ("create", "patch") and outcome.result is not None:
            if outcome.operation == "patch":
                stream.write("  - updates the last-applied-configuration annotation\n")
            diff = render_diff(outcome, colour)
            if diff:
                stream.write(diff)


def dumps(outcomes: list[Outcome]) -> str:
    """The ``--output json`` document."""
    return pretty_json([o.as_json() for o in outcomes]) + "\n"
