"""Output formats: one module per format, each rendering a finished run, behind one registry.

Every format module has ``render(result, stream, options)``; :func:`render` imports the
one asked for on use, so that start-up never pays for the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple, Protocol, TextIO

if TYPE_CHECKING:
    from kubelint.load.sources import SourceFile
    from kubelint.report.model import RunResult


class RenderOptions(NamedTuple):
    """What a format may be asked besides the run: every format gets the same options."""

    #: also list the findings that policy or inline comments switched off
    show_suppressed: bool = False
    #: the run's sources by displayed path, to quote their lines (stdin has no file)
    sources: Mapping[str, SourceFile] = {}


class Format(Protocol):
    """What an output format module provides."""

    def render(self, result: RunResult, stream: TextIO, options: RenderOptions) -> None:
        """Write ``result`` to ``stream``."""


#: format name -> the module that renders it (imported on use)
FORMATS: Mapping[str, str] = {
    "human": "kubelint.report.formats.human",
    "json": "kubelint.report.formats.json_format",
    "sarif": "kubelint.report.formats.sarif_format",
    "junit": "kubelint.report.formats.junit_format",
    "github": "kubelint.report.formats.github_format",
}


def render(name: str, result: RunResult, stream: TextIO, options: RenderOptions) -> None:
    """Write ``result`` to ``stream`` in the format called ``name``."""
    module: Format = importlib.import_module(FORMATS[name])
    module.render(result, stream, options)
