"""``kubelint apply``: what ``kubectl apply`` would do to the live objects, offline.

    kubelint apply --live LIVE [--live LIVE ...] MANIFEST...

LIVE and MANIFEST are files or directories (``kubectl get -o yaml`` output for the
live state, ``kind: List`` included). Each manifest object is matched with its live
object by API group, kind, namespace and name; without a match it is a create.

Exit codes: 0 every object can be applied, 1 kubectl or the API server would refuse at
least one object (see :mod:`kubelint.apply.rejections`), 2 usage error or unreadable
input.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TextIO

import click
from click.core import ParameterSource

from kubelint.apply.rejections import KUBECTL_REFUSALS
from kubelint.apply.simulate import (
    DEFAULT_NAMESPACE,
    LAST_APPLIED,
    Outcome,
    SourcedObject,
    apply_all,
    dumps,
    scope_of_run,
)
from kubelint.load.lines import split_lines
from kubelint.report.excerpt import excerpt
from kubelint.report.model import Finding

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class InputError(click.UsageError):
    """A file that cannot be read or parsed the way kubectl would read it."""


def read_manifests(paths: list[str]) -> tuple[list[SourcedObject], list[str]]:
    """Every object kubectl reads from the files and directories ``paths`` (``List`` kinds
    expanded, each with its loaded YAML node for positions), and kubectl's errors for the
    files it stops reading (see :mod:`kubelint.apply.manifests`)."""
    from kubelint.apply.manifests import read_file
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


def _colour_wanted(stream: TextIO) -> bool:
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
    from kubelint.report.formats.human import printable

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
    colour = _colour_wanted(stream)

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
        from kubelint.apply import server_side_output

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
