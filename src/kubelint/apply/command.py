"""``kubelint apply``: what ``kubectl apply`` would do to the live objects, offline.

    kubelint apply --live LIVE [--live LIVE ...] MANIFEST...

LIVE and MANIFEST are files or directories (``kubectl get -o yaml`` output for the
live state, ``kind: List`` included). Each manifest object is matched with its live
object by API group, kind, namespace and name; without a match it is a create.

Exit codes: 0 every object can be applied, 1 kubectl or the API server would refuse at
least one object (see :mod:`kubelint.apply.refusals`), 2 usage error or unreadable
input.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.core import ParameterSource

from kubelint.apply.client_side.simulate import apply_all
from kubelint.apply.matching import scope_of_run
from kubelint.apply.model import DEFAULT_NAMESPACE, SourcedObject
from kubelint.apply.render import dumps, render_human

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class InputError(click.UsageError):
    """A file that cannot be read or parsed the way kubectl would read it."""


def read_manifests(paths: list[str]) -> tuple[list[SourcedObject], list[str]]:
    """Every object kubectl reads from the files and directories ``paths`` (``List`` kinds
    expanded, each with its loaded YAML node for positions), and kubectl's errors for the
    files it stops reading (see :mod:`kubelint.apply.read.manifests`)."""
    from kubelint.apply.read.manifests import read_file
    from kubelint.load.documents import decode
    from kubelint.load.sources import STDIN, UsageError, collect

    try:
        files = collect(paths)
    except UsageError as exc:
        raise InputError(str(exc)) from exc
    objects: list[SourcedObject] = []
    stopped: list[str] = []
    for source in files:
        try:
            data = (
                sys.stdin.buffer.read()
                if source.location == STDIN
                else Path(source.location).read_bytes()
            )
        except OSError as exc:
            raise InputError(f"{source.display}: {exc.strerror}") from exc
        text, problem = decode(data)
        if text is None:
            message = problem.message if problem else "unreadable"
            raise InputError(f"{source.display}: {message}")
        read = read_file(source.display, text)
        objects.extend(read.objects)
        if read.stopped is not None:
            stopped.append(read.stopped)
    return objects, stopped


def read_objects(paths: list[str]) -> list[SourcedObject]:
    """:func:`read_manifests` for files that must be read whole (the live state): a file
    kubectl would stop reading is an input error."""
    objects, stopped = read_manifests(paths)
    if stopped:
        raise InputError(stopped[0])
    return objects


@click.command("apply")
@click.argument("manifests", nargs=-1, required=True, metavar="MANIFEST...")
@click.option(
    "--live",
    "live_paths",
    multiple=True,
    metavar="LIVE",
    help="Live objects (kubectl get -o yaml output), file or directory; repeatable.",
)
@click.option(
    "--crd",
    "crd_paths",
    multiple=True,
    metavar="FILE|DIR",
    help="CustomResourceDefinitions that tell whether custom resources are namespaced "
    "(repeatable; CRDs among the manifests and live objects count too).",
)
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
    help="Take patch metadata (merge keys, strategies) from this version's schemas.",
)
@click.option(
    "--namespace",
    "-n",
    default=DEFAULT_NAMESPACE,
    show_default=True,
    help="Namespace of namespaced objects that do not name one (kubectl's context namespace).",
)
@click.option(
    "--server-side",
    is_flag=True,
    help="Preview `kubectl apply --server-side` from the live objects' metadata.managedFields.",
)
@click.option(
    "--field-manager",
    default="kubectl",
    show_default=True,
    metavar="NAME",
    help="With --server-side: the field manager that applies.",
)
@click.option(
    "--force-conflicts",
    is_flag=True,
    help="With --server-side: take over fields that other managers own (kubectl's flag).",
)
def apply_command(
    manifests: tuple[str, ...],
    live_paths: tuple[str, ...],
    crd_paths: tuple[str, ...],
    output: str,
    kubernetes_version: str | None,
    namespace: str,
    server_side: bool,
    field_manager: str,
    force_conflicts: bool,
) -> None:
    """Show what `kubectl apply` would do to the live objects, offline (client-side apply;
    with --server-side, a server-side apply from the objects' managedFields)."""
    from kubelint.schema import store as schema_store

    try:
        versions = schema_store.available_versions()
    except schema_store.SchemaDataError as exc:
        raise click.ClickException(str(exc)) from exc
    version = _version(kubernetes_version) if kubernetes_version else schema_store.latest_version()
    if version not in versions:
        raise click.BadParameter(
            f"{kubernetes_version!r} is not a bundled version; choose one of {', '.join(versions)}",
            param_hint="--kubernetes-version",
        )
    manifest_objects, stopped = read_manifests(list(manifests))
    live_objects = read_objects(list(live_paths)) if live_paths else []
    crd_objects = read_objects(list(crd_paths)) if crd_paths else []
    scopes = scope_of_run(manifest_objects, live_objects, crd_objects)
    if force_conflicts and not server_side:
        raise click.UsageError("--force-conflicts only works with --server-side")
    given = click.get_current_context().get_parameter_source("namespace")
    if server_side:
        from kubelint.apply.server_side import output as server_side_output

        sys.exit(
            server_side_output.run(
                manifest_objects,
                live_objects,
                schema_store.schemas_for(version),
                namespace,
                field_manager,
                force_conflicts,
                output,
                stopped,
                scopes,
                given is not ParameterSource.DEFAULT,
            )
        )
    outcomes, problems = apply_all(
        manifest_objects,
        live_objects,
        schema_store.schemas_for(version),
        namespace,
        enforce_namespace=given is not ParameterSource.DEFAULT,
        scopes=scopes,
    )
    problems = [*stopped, *problems]
    if output == "json":
        sys.stdout.write(dumps(outcomes))
        for problem in problems:
            sys.stderr.write(f"error: {problem}\n")
    else:
        render_human(outcomes, problems, sys.stdout)
    failed = problems or any(o.operation == "error" or o.findings for o in outcomes)
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


def _version(text: str) -> str:
    version = text[1:] if text.startswith("v") else text
    return version.rsplit(".", 1)[0] if version.count(".") == 2 else version
