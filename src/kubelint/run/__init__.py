"""The check run: one file to findings, the passes over a run, workers, cross-object rules.

The language server reads a run's parts by these names; everything else imports the module
that defines what it needs (``run.passes.run``, ``run.context.CheckOptions``...).
"""

from kubelint.run.context import CheckOptions, Context
from kubelint.run.cross_objects import across_objects
from kubelint.run.files import check_source
from kubelint.run.results import FileResult

__all__ = ["CheckOptions", "Context", "FileResult", "across_objects", "check_source"]
