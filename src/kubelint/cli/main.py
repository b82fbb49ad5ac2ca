"""The ``kubelint`` command. A thin shell: parse options, run the engine, print, exit.

Exit codes: 0 no error-level finding, 1 at least one, 2 usage or configuration error, or a
fix that could not be written, 3 internal error (a bug: one line on stderr, the traceback
only with ``KUBELINT_DEBUG=1``). Output is UTF-8 whatever the locale. Heavy modules are
imported inside the commands so that ``kubelint --version`` stays fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import TYPE_CHECKING, Any

import click

from kubelint import __version__
from kubelint.report.formats import FORMATS

if TYPE_CHECKING:
    from kubelint.load.sources import SourceFile
    from kubelint.report.model import RunResult
    from kubelint.rules.rule import Rule

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
DEBUG_VARIABLE = "KUBELINT_DEBUG"


class _Group(click.Group):
    """Usage errors exit with 2, internal errors with 3, neither with a traceback; big
    subcommands load on use."""

    LAZY = {  # noqa: RUF012 - a constant table
        "apply": ("kubelint.apply.command", "apply_command"),
        "lsp": ("kubelint.lsp.command", "lsp_command"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.LAZY:
            import importlib

            module, attribute = self.LAZY[cmd_name]
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, cmd_name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(EXIT_USAGE)
        except click.exceptions.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(EXIT_USAGE)
        except KeyboardInterrupt:
            sys.exit(130)
        except BrokenPipeError:  # the reader went away (``| head``): nothing more to say
            _silence_stdout()
            sys.exit(EXIT_FINDINGS)
        except Exception as exc:  # the last guard: a bug, said in one line
            _internal_error(exc)
            sys.exit(EXIT_INTERNAL)


def _internal_error(exc: BaseException) -> None:
    """One line for an unexpected exception; the traceback too with ``KUBELINT_DEBUG``."""
    if os.environ.get(DEBUG_VARIABLE, "") not in ("", "0"):
        import traceback

        traceback.print_exception(exc)
    shown = repr(exc)
    if len(shown) > 500:
        shown = shown[:497] + "..."
    sys.stderr.write(
        f"kubelint: internal error: {shown} (a bug in kubelint; run again with "
        f"{DEBUG_VARIABLE}=1 to see the traceback)\n"
    )


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def utf8_streams() -> None:
    """Write UTF-8 on stdout and stderr whatever the locale, never failing on a character.

    JSON and SARIF must be UTF-8; the formatters escape what UTF-8 cannot carry, and
    ``backslashreplace`` catches anything else (a lone surrogate becomes ``\\udcff``).
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):  # closed or replaced: leave it
                reconfigure(encoding="utf-8", errors="backslashreplace")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kubelint", message="%(prog)s %(version)s")
def cli() -> None:
    """Lint and validate Kubernetes manifests, offline."""


def _split_list(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Choice(list(FORMATS)),
    default="human",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--kubernetes-version",
    "-k",
    "kubernetes_version",
    metavar="1.NN",
    help="Validate against this Kubernetes version (default: the newest bundled).",
)
@click.option(
    "--crd",
    "crd_paths",
    multiple=True,
    metavar="FILE|DIR",
    help="CustomResourceDefinitions to validate custom resources with (repeatable).",
)
@click.option(
    "--ignore-missing-schemas",
    is_flag=True,
    default=None,
    help="Say nothing of custom resources without a CRD.",
)
@click.option(
    "--namespace",
    "-n",
    default=None,
    help="Namespace of objects that do not name one (default: default).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Configuration file (default: .kubelint.yaml or pyproject.toml found upward).",
)
@click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Only these rules (ids, slugs or id prefixes; comma-separated, repeatable).",
)
@click.option("--ignore", multiple=True, metavar="RULES", help="Not these rules.")
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    metavar="DIR",
    help="Directories of custom rules (YAML, the built-in rules' format).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Exit 1 when a finding at or above this severity remains (default: error).",
)
@click.option(
    "--strict-refs",
    is_flag=True,
    default=None,
    help="A reference to an object not in the run is an error.",
)
@click.option("--show-suppressed", is_flag=True, help="Also list findings that were suppressed.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule.")
@click.option("--fix", "apply_fixes", is_flag=True, help="Apply safe fixes to the files, in place.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Show the safe fixes as a diff; write nothing."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: one per core on large runs).",
)
@click.option(
    "--max-file-size",
    type=click.IntRange(min=1),
    default=None,
    metavar="MB",
    help="Files bigger than this are reported, not checked (default: 128).",
)
@click.option(
    "--max-documents",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Files of more documents are reported, not checked (default: 1000000).",
)
def check(
    paths: tuple[str, ...],
    output: str,
    kubernetes_version: str | None,
    crd_paths: tuple[str, ...],
    ignore_missing_schemas: bool | None,
    namespace: str | None,
    config_path: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rule_dirs: tuple[str, ...],
    fail_on: str | None,
    strict_refs: bool | None,
    show_suppressed: bool,
    statistics: bool,
    apply_fixes: bool,
    show_diff: bool,
    jobs: int | None,
    max_file_size: int | None,
    max_documents: int | None,
) -> None:
    """Check manifests: files, directories (recursively) or - for standard input."""
    from pathlib import Path

    from kubelint.config import config_file as config_module
    from kubelint.config import options as run_options
    from kubelint.load import sources
    from kubelint.report.formats.text import printable
    from kubelint.report.model import Severity
    from kubelint.rules.core import INTERNAL_ERROR
    from kubelint.run.context import MB
    from kubelint.run.passes import run
    from kubelint.schema import store as schema_store

    try:
        found = (
            Path(config_path)
            if config_path
            else config_module.find_config(Path(paths[0]) if paths[0] != "-" else Path.cwd())
        )
        config = config_module.load(found) if found else config_module.Config()
    except config_module.ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    base = found.parent if found else Path.cwd()
    overrides = run_options.Overrides(
        kubernetes_version,
        namespace,
        ignore_missing_schemas,
        jobs,
        tuple(_split_list(select)),
        tuple(_split_list(ignore)),
        tuple(rule_dirs),
        strict_refs,
        max_file_size,
        max_documents,
    )
    try:
        options, problems = run_options.check_options(config, base, overrides)
    except schema_store.SchemaDataError as exc:
        raise click.ClickException(str(exc)) from exc
    for problem in problems:
        if problem.setting == "kubernetes-version":
            raise click.BadParameter(problem.message, param_hint="--kubernetes-version")
        where = f"{found}: " if found and problem.setting == "options" else ""
        raise click.UsageError(where + problem.message)
    streams = sources.Streams(limit=options.max_file_mb * MB)
    try:
        files = sources.collect(list(paths), streams)
        crd_files = sources.collect([*(str(base / c) for c in config.crds), *crd_paths], streams)
    except sources.UsageError as exc:
        raise click.UsageError(str(exc)) from exc
    for source in files:
        if source.skip is not None:
            sys.stderr.write(f"{printable(source.display)}: skipped: {source.skip}\n")
    result = run(files, options, crd_files)
    unwritten = False
    if apply_fixes or show_diff:
        changed, unwritten = _fix(result, files, options, write=apply_fixes and not show_diff)
        if show_diff:
            sys.exit(EXIT_FINDINGS if changed else EXIT_OK)
        if changed:
            result = run(files, options, crd_files)
    _render(output, result, files, show_suppressed, statistics)
    if unwritten:  # a fix that could not be written: the run did not do what was asked
        sys.exit(EXIT_USAGE)
    if any(f.rule == INTERNAL_ERROR.id for f in result.findings):
        sys.exit(EXIT_INTERNAL)  # a bug cost a file or a rule: CI must tell it from findings
    threshold = Severity.parse(fail_on or config.fail_on)
    failed = any(f.severity >= threshold for f in result.findings)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


def _render(
    output: str,
    result: RunResult,
    files: list[SourceFile],
    show_suppressed: bool,
    statistics: bool,
) -> None:
    from kubelint.report import formats

    out = sys.stdout
    options = formats.RenderOptions(show_suppressed, {f.display: f for f in files})
    formats.render(output, result, out, options)
    if statistics:
        from collections import Counter

        counts = Counter((f.rule, f.name) for f in result.findings)
        stream = sys.stderr if output != "human" else out
        for (rule_id, slug), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            stream.write(f"{count:>6}  {rule_id}  {slug}\n")


def _fix(result: Any, files: list[Any], options: Any, *, write: bool) -> tuple[bool, bool]:
    """Plan (and with ``write``, apply) the safe fixes of every file.

    Returns whether any file changes (or would), and whether a fix could not be written.
    A file reached twice (through a link, or two hard links) is fixed once.
    """
    import os

    from kubelint.report import fixes as fixing
    from kubelint.report import rewrite
    from kubelint.run.context import Context
    from kubelint.run.cross_objects import across_objects
    from kubelint.run.files import check_source

    context = Context(options)
    by_path: dict[str, list[Any]] = {}
    for finding in result.findings:
        by_path.setdefault(finding.path, []).append(finding)
    changed = failed = False
    done: set[tuple[int, int]] = set()
    for source in files:
        findings = by_path.get(source.display)
        if not findings or source.data is not None or source.problem is not None:
            continue  # standard input and pipes are not written back
        try:
            info = os.stat(source.location)
        except OSError:
            pass
        else:
            if (info.st_dev, info.st_ino) in done:
                continue
            done.add((info.st_dev, info.st_ino))

        def recheck(text: str, source: Any = source) -> list[Any]:
            checked = check_source(source, context, text.encode("utf-8"))
            return [*checked.findings, *across_objects([checked], options)[0]]

        planned = fixing.plan(source.display, source.location, findings, recheck)
        for fix, reason in planned.skipped:
            edit = fix.edits[0]
            sys.stderr.write(
                f"{source.display}:{edit.line + 1}:{edit.column + 1}: "
                f"fix left out ({fix.title}): {reason}\n"
            )
        if planned.refused:
            sys.stderr.write(f"{source.display}: {planned.refused}\n")
            continue
        if not planned.changed:
            continue
        changed = True
        if not write:
            sys.stdout.write(planned.diff())
            continue
        try:
            rewrite.replace_content(source.location, planned.raw, planned.encoded())
        except rewrite.WriteError as exc:
            sys.stderr.write(f"{source.display}: not fixed, the file is unchanged: {exc}\n")
            failed = True
            continue
        titles = "; ".join(fix.title for fix in planned.applied)
        sys.stderr.write(f"{source.display}: fixed {len(planned.applied)}: {titles}\n")
    return changed, failed


@cli.command("rules")
@click.option(
    "--rules", "rule_dirs", multiple=True, metavar="DIR", help="Also these rule directories."
)
def list_rules(rule_dirs: tuple[str, ...]) -> None:
    """List the rule catalogue, then the rejections that kubelint apply reports."""
    from pathlib import Path

    from kubelint.checks import registry
    from kubelint.report.rule_docs import APPLY_REJECTIONS

    try:
        specs = registry.catalogue(Path(d) for d in rule_dirs)
    except registry.RuleDefinitionError as exc:
        raise click.UsageError(str(exc)) from exc
    for spec in specs:
        if spec.checked:
            state = "" if spec.enabled_by_default else "  (off by default)"
            sys.stdout.write(_rule_line(spec.rule) + state + "\n")
    sys.stdout.write(f"\n{APPLY_REJECTIONS}, not selectable in kubelint check:\n")
    for spec in specs:
        if not spec.checked:
            sys.stdout.write(_rule_line(spec.rule) + "\n")


def _rule_line(rule: Rule) -> str:
    return f"{rule.id}  {rule.slug:<34} {rule.severity.label:<8} {rule.summary}"


@cli.command()
@click.argument("rule")
@click.option(
    "--rules", "rule_dirs", multiple=True, metavar="DIR", help="Also these rule directories."
)
def explain(rule: str, rule_dirs: tuple[str, ...]) -> None:
    """Show a rule's documentation (by id or slug)."""
    from pathlib import Path

    from kubelint.checks import registry
    from kubelint.report.rule_docs import render_rule
    from kubelint.schema.suggest import closest

    try:
        specs = registry.catalogue(Path(d) for d in rule_dirs)
    except registry.RuleDefinitionError as exc:
        raise click.UsageError(str(exc)) from exc
    spec = registry.find(specs, rule) or registry.find(specs, rule.upper())
    if spec is not None:
        sys.stdout.write(render_rule(spec))
        return
    every = sorted(specs, key=lambda s: not s.checked)  # check's rules first, then apply's
    guess = closest(rule, [s.slug for s in every] + [s.id for s in every])
    hint = f'; did you mean "{guess}"?' if guess else ""
    raise click.UsageError(f'no rule "{rule}"{hint}')


def main() -> None:
    """Console-script entry point."""
    utf8_streams()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    cli.main(prog_name="kubelint")
