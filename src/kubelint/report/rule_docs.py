"""Rule documentation rendered from the catalogue: ``kubelint explain`` and ``docs/rules.md``.

One catalogue, two parts in the same page layout: the rules of ``kubelint check``, and the
rules of stage ``apply`` (what ``kubelint apply`` reports as refused), listed under a
heading of their own because check configuration cannot name them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, Final

from kubelint.checks.api import OPTION_TYPE_WORDS, OptionSpec, RuleSpec

#: The heading of the apply rejections in ``docs/rules.md`` and ``kubelint rules``.
APPLY_REJECTIONS: Final = "Apply rejections (kubelint apply)"

_NOT_A_CHECK_RULE: Final = (
    "Reported by `kubelint apply` (client-side apply), always and as an error. Not a "
    "`kubelint check` rule: the check configuration cannot select, ignore or suppress it."
)


def _block(text: str) -> str:
    return "```yaml\n" + text.rstrip("\n") + "\n```\n"


def _page(spec: RuleSpec, about: str, heading: str, options: tuple[OptionSpec, ...]) -> str:
    rule = spec.rule
    doc = rule.doc
    lines = [
        f"{heading} {rule.id} {rule.slug}\n",
        f"{rule.summary}\n",
        f"{about}\n",
        f"{heading}# What it does\n",
        f"{doc.what}\n",
        f"{heading}# Why is this bad?\n",
        f"{doc.why}\n",
        f"{heading}# Example\n",
        _block(doc.example),
        f"{heading}# Use instead\n",
        _block(doc.use_instead),
    ]
    if options:
        lines.append(f"{heading}# Options\n")
        lines.extend(
            f"- `{o.name}` ({OPTION_TYPE_WORDS[o.type]}, default `{_shown(o.default)}`): {o.doc}"
            for o in options
        )
        lines.append("")
    return "\n".join(lines)


def render_rule(spec: RuleSpec, *, heading: str = "#") -> str:
    """One rule's page: identity, then What it does / Why is this bad / Example / Use instead
    (for a rule of ``kubelint apply``, the example is a manifest against its live object)."""
    if not spec.checked:
        return _page(spec, _NOT_A_CHECK_RULE, heading, ())
    scope = ", ".join(sorted(spec.kinds)) if spec.kinds else "all kinds"
    state = "" if spec.enabled_by_default else " Off by default (enable it with `select`)."
    about = f"Default severity: **{spec.rule.severity.label}**. Applies to: {scope}.{state}"
    return _page(spec, about, heading, spec.option_specs)


def _shown(value: Any) -> str:
    """An option value as it is written in a configuration file."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    return json.dumps(value) if isinstance(value, bool) else str(value)


def _anchor(heading: str) -> str:
    """The link target Markdown renderers give a heading."""
    return re.sub(r"[^a-z0-9 -]", "", heading.lower()).replace(" ", "-")


def _table(specs: Iterable[RuleSpec]) -> list[str]:
    rows = ["| id | slug | severity | summary |", "| --- | --- | --- | --- |"]
    for rule in (spec.rule for spec in specs):
        anchor = _anchor(f"{rule.id} {rule.slug}")
        rows.append(
            f"| [{rule.id}](#{anchor}) | `{rule.slug}` | {rule.severity.label} | {rule.summary} |"
        )
    return rows


def render_catalogue(specs: Iterable[RuleSpec]) -> str:
    """The whole catalogue as Markdown (``docs/rules.md``): the check rules, then the
    rules of ``kubelint apply`` under :data:`APPLY_REJECTIONS`."""
    every = sorted(specs, key=lambda s: s.id)
    ordered = [spec for spec in every if spec.checked]
    refusals = [spec for spec in every if not spec.checked]
    parts = [
        "# Rules\n",
        "Generated from the code by `python scripts/generate_docs.py`; a test fails when this "
        "file is stale. `kubelint explain RULE` prints the same text.\n",
    ]
    if refusals:
        parts.append(
            "The rules of `kubelint check` come first. What `kubelint apply` reports as "
            "refused by the API server or kubectl follows under "
            f"[{APPLY_REJECTIONS}](#{_anchor(APPLY_REJECTIONS)}): those are not check "
            "rules.\n"
        )
    parts.extend(_table(ordered))
    parts.append("")
    parts.extend(render_rule(s, heading="##") for s in ordered)
    if refusals:
        parts.append(f"## {APPLY_REJECTIONS}\n")
        parts.append(
            "What the API server (or kubectl itself) would refuse in a `kubelint apply`, "
            "found offline and reported at the manifest's lines. These are not check rules: "
            "`kubelint apply` always reports them, as errors, and `kubelint check` never "
            "does, so its `select`, `ignore`, `severity`, per-file ignores and suppression "
            "comments cannot name them.\n"
        )
        parts.extend(_table(refusals))
        parts.append("")
        parts.extend(render_rule(r, heading="###") for r in refusals)
    return "\n".join(parts)
