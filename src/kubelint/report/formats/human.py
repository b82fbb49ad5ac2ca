"""Human output: grouped by file, ``path:line:column``, the source line with a caret.

Colour (through rich) only on a terminal without ``NO_COLOR``; otherwise plain text,
written without importing rich at all.
"""

from __future__ import annotations

import os
from itertools import groupby
from typing import TextIO

from kubelint.load.files import read_file
from kubelint.load.lines import split_lines
from kubelint.load.sources import STDIN, SourceFile
from kubelint.report.excerpt import excerpt
from kubelint.report.formats import RenderOptions
from kubelint.report.formats.json_format import summary
from kubelint.report.formats.text import printable
from kubelint.report.model import RunResult, Severity

__all__ = ["printable", "render", "use_colour"]

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def use_colour(stream: TextIO) -> bool:
    """Colour only for a terminal, and never when ``NO_COLOR`` is set."""
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _read_lines(source: SourceFile, cache: dict[str, list[str] | None]) -> list[str] | None:
    """The source's lines decoded as the loader decodes them; None for unreadable files."""
    key = source.display
    if key not in cache:
        from kubelint.load.documents import decode

        text: str | None = None
        if source.problem is None and source.skip is None:
            try:
                data = source.data if source.data is not None else read_file(source.location)
                text, _ = decode(data)
            except (OSError, ValueError):
                text = None
        cache[key] = split_lines(text) if text is not None else None
    return cache[key]


def _summary_line(result: RunResult) -> str:
    counts = summary(result)
    parts = [f"{counts['errors']} error(s)", f"{counts['warnings']} warning(s)"]
    if counts["infos"]:
        parts.append(f"{counts['infos']} info")
    skipped = result.skipped
    skipped_text = ""
    if skipped:
        skipped_text = "; skipped: " + ", ".join(f"{n} {why}" for why, n in sorted(skipped.items()))
    checked = f"{result.files} file(s), {result.objects} object(s) checked"
    hidden = f"; {len(result.suppressed)} suppressed" if result.suppressed else ""
    return f"{', '.join(parts)} in {checked}{skipped_text}{hidden}"


def render(result: RunResult, stream: TextIO, options: RenderOptions) -> None:
    """Write findings for people, each with the line it is on."""
    colour = use_colour(stream)
    console = None
    if colour:
        from rich.console import Console

        console = Console(file=stream, highlight=False, soft_wrap=True)
    cache: dict[str, list[str] | None] = {}
    for path, group in groupby(result.findings, key=lambda f: f.path):
        source = options.sources.get(path)
        if source is None:
            source = SourceFile(path, path) if path != STDIN else SourceFile(path, STDIN, data=b"")
        lines = _read_lines(source, cache)
        _emit(console, stream, printable(path), bold=True)
        for finding in group:
            head = printable(
                f"{finding.path}:{finding.line}:{finding.column}: {finding.severity.label} "
                f"{finding.rule} {finding.name}: {finding.message}"
            )
            if console is not None:
                from rich.markup import escape

                console.print(
                    f"{escape(printable(finding.path))}:{finding.line}:{finding.column}: "
                    f"[{_STYLE[finding.severity]}]{finding.severity.label}[/] "
                    f"[dim]{finding.rule} {finding.name}[/]: {escape(printable(finding.message))}"
                )
            else:
                stream.write(head + "\n")
            for shown in excerpt(lines, finding):
                _emit(console, stream, shown)
            if finding.suggestion:
                _emit(console, stream, printable(f"      = {finding.suggestion}"))
        _emit(console, stream, "")
    if options.show_suppressed and result.suppressed:
        _emit(console, stream, f"suppressed ({len(result.suppressed)}):", bold=True)
        for finding in result.suppressed:
            _emit(
                console,
                stream,
                printable(
                    f"  {finding.path}:{finding.line}:{finding.column}: {finding.rule} "
                    f"{finding.name}: {finding.message}"
                ),
            )
    _emit(console, stream, _summary_line(result), bold=True)


def _emit(console: object, stream: TextIO, text: str, *, bold: bool = False) -> None:
    if console is not None:
        from rich.console import Console
        from rich.text import Text

        assert isinstance(console, Console)
        console.print(Text(text, style="bold" if bold else ""))
    else:
        stream.write(text + "\n")
