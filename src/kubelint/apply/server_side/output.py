"""Output of ``kubelint apply --server-side``: the preview per object, human or JSON.

Both forms say that the preview is computed offline: the human form in its first line,
the JSON form with ``"preview": "offline"`` on every entry.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Final, TextIO

import click

from kubelint.apply.model import Outcome, SourcedObject
from kubelint.apply.render import colour_wanted, render_diff
from kubelint.apply.scopes import Scopes
from kubelint.apply.server_side import field_paths as fp
from kubelint.apply.server_side.field_managers import LAST_APPLIED_PATH
from kubelint.apply.server_side.preview import Change, Conflict, Preview, dumps, preview_all
from kubelint.apply.server_side.smd_types import MISSING
from kubelint.schema.store import KubernetesSchemas

HEADER: Final = "server-side apply preview (computed offline from metadata.managedFields)"

_VERBS: Final = {
    "create": "would be created",
    "apply": "would be applied",
    "unchanged": "unchanged",
    "conflict": "kubectl would fail: conflicts",
    "error": "the API server would refuse it",
}


def run(
    manifests: list[SourcedObject],
    lives: list[SourcedObject],
    schemas: KubernetesSchemas,
    namespace: str,
    manager: str,
    force: bool,
    output: str,
    stopped: list[str] | None = None,
    scopes: Scopes | None = None,
    enforce_namespace: bool = False,
) -> int:
    """Preview every object, write the report, return the exit code (1: kubectl fails).

    ``stopped`` holds kubectl's errors for manifest files it stopped reading."""
    previews, problems = preview_all(
        manifests,
        lives,
        schemas,
        namespace,
        manager,
        force,
        scopes,
        enforce_namespace=enforce_namespace,
    )
    problems = [*(stopped or []), *problems]
    if output == "json":
        sys.stdout.write(dumps(previews))
        for problem in problems:
            sys.stderr.write(f"error: {problem}\n")
    else:
        render_human(previews, problems, sys.stdout, manager, force)
    failed = problems or any(p.operation in ("conflict", "error") for p in previews)
    return 1 if failed else 0


def _short(value: Any) -> str:
    if value is MISSING:
        return "(absent)"
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."


def _owners(conflict: Conflict) -> str:
    return ", ".join(m.describe() for m in conflict.managers)


def render_human(
    previews: list[Preview], problems: list[str], stream: TextIO, manager: str, force: bool
) -> None:
    """The header, then per object: conflicts, changes, removals, ownership, a diff."""
    colour = colour_wanted(stream)

    def style(text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if colour else text

    forcing = "with --force-conflicts" if force else "without --force-conflicts"
    stream.write(style(HEADER, bold=True) + f": field manager {json.dumps(manager)}, {forcing}\n")
    for problem in problems:
        stream.write(style("error", fg="red", bold=True) + f": {problem}\n")
    for item in previews:
        stream.write("\n")
        verb = _VERBS[item.operation]
        if item.operation == "conflict":
            verb += f" ({len(item.conflicts)})"
        stream.write(style(f"{item.object}: {verb}", bold=True) + f"  [{item.source}]\n")
        if item.error:
            stream.write(style("  error", fg="red", bold=True) + f": {item.error}\n")
        for warning in item.warnings:
            stream.write(style("  warning", fg="yellow", bold=True) + f": {warning}\n")
        for line in _lines(item):
            stream.write(f"  {line}\n")
        if item.operation in ("create", "apply") and item.result is not None:
            stream.write(_diff(item, colour))


def _lines(item: Preview) -> list[str]:
    lines: list[str] = []
    for conflict in item.conflicts:
        lines.append(
            f"conflict: {fp.render(conflict.path)}: owned by {_owners(conflict)}; "
            f"live {_short(conflict.live)} -> applied {_short(conflict.applied)}"
        )
    if item.conflicts:
        count = len(item.conflicts)
        lines.append(
            f"kubectl apply --server-side stops here (Apply failed with {count} "
            f"conflict{'s' if count > 1 else ''}): rerun with --force-conflicts to take "
            "the fields over, drop them from the manifest, or give them the live value "
            "to share them"
        )
    for conflict in item.forced:
        lines.append(
            f"- takes {fp.render(conflict.path)} over from {_owners(conflict)} (--force-conflicts)"
        )
    for conflict in item.forgiven:
        lines.append(
            f"- takes {fp.render(conflict.path)} over from {_owners(conflict)} without a "
            "conflict: it still holds its last-applied value (client-side apply upgrade)"
        )
    lines.extend(_change_lines(item.changed, item.removed))
    if item.newly_owned:
        owned = ", ".join(
            fp.render(o.path)
            + (
                f" (shared with {', '.join(m.describe() for m in o.shared_with)})"
                if o.shared_with
                else ""
            )
            for o in item.newly_owned
        )
        lines.append(f"- {json.dumps(item.manager)} newly owns {owned}")
    lines.extend(f"- {note}" for note in item.notes)
    if item.requests:
        lines.append("kubectl sends: " + "; then ".join(r.describe() for r in item.requests))
    return lines


def _change_lines(changed: list[Change], removed: list[Change]) -> list[str]:
    lines: list[str] = []
    for change in changed:
        where = fp.render(change.path)
        if change.path == LAST_APPLIED_PATH:
            lines.append(
                "- rewrites the last-applied-configuration annotation with the manifest (the "
                'server keeps it current for the manager "kubectl")'
            )
        elif change.live is MISSING:
            lines.append(f"- adds {where}: {_short(change.result)}")
        else:
            lines.append(f"- changes {where}: {_short(change.live)} -> {_short(change.result)}")
    by_reason: dict[str, list[str]] = {}
    for change in removed:
        where = f"{fp.render(change.path)} (was {_short(change.live)})"
        by_reason.setdefault(change.reason, []).append(where)
    for reason, paths in by_reason.items():
        lines.append(f"- removes {', '.join(paths)}: {reason}")
    return lines


def _diff(item: Preview, colour: bool) -> str:
    outcome = Outcome(item.object, "patch", item.source, live=item.live, result=item.result)
    return render_diff(outcome, colour)
