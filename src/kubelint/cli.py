"""The ``kubelint`` command. A thin shell: parse options, run the engine, print, exit.

Exit codes: 0 no error-level finding, 1 at least one, 2 usage or configuration error.
Heavy modules are imported inside the commands so that ``kubelint --version`` stays fast.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from kubelint import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class _Group(click.Group):
    """Usage errors exit with 2 and never show a traceback."""

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


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kubelint", message="%(prog)s %(version)s")
def cli() -> None:
    """Lint and validate Kubernetes manifests, offline."""


def _versions() -> list[str]:
    from kubelint.schema_store import available_versions

    return available_versions()


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Choice(["human", "json"]),
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
    "--ignore-missing-schemas", is_flag=True, help="Say nothing of custom resources without a CRD."
)
@click.option(
    "--namespace",
    "-n",
    default="default",
    show_default=True,
    help="Namespace of objects that do not name one.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: one per core on large runs).",
)
def check(
    paths: tuple[str, ...],
    output: str,
    kubernetes_version: str | None,
    crd_paths: tuple[str, ...],
    ignore_missing_schemas: bool,
    namespace: str,
    jobs: int | None,
) -> None:
    """Check manifests: files, directories (recursively) or - for standard input."""
    from kubelint import engine, schema_store, sources
    from kubelint.findings import Severity

    try:
        versions = schema_store.available_versions()
    except schema_store.SchemaDataError as exc:
        raise click.ClickException(str(exc)) from exc
    version = kubernetes_version or schema_store.latest_version()
    if version.startswith("v"):
        version = version[1:]
    if version.count(".") == 2:
        version = version.rsplit(".", 1)[0]
    if version not in versions:
        raise click.BadParameter(
            f"{kubernetes_version!r} is not a bundled version; choose one of {', '.join(versions)}",
            param_hint="--kubernetes-version",
        )
    try:
        files = sources.collect(list(paths))
        crd_files = sources.collect(list(crd_paths)) if crd_paths else []
    except sources.UsageError as exc:
        raise click.UsageError(str(exc)) from exc
    options = engine.CheckOptions(version, namespace, ignore_missing_schemas, jobs)
    result = engine.run(files, options, crd_files)
    out = sys.stdout
    if output == "json":
        from kubelint.formatters import json_format

        json_format.render(result, out)
    else:
        from kubelint.formatters import human

        human.render(result, out, {f.display: f.location for f in files})
    failed = any(f.severity >= Severity.ERROR for f in result.findings)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


def main() -> None:
    """Console-script entry point."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    cli.main(prog_name="kubelint")
