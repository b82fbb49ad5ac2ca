"""Rule documentation rendered from the catalogue: ``kubelint explain`` and ``docs/rules.md``."""

from __future__ import annotations

from collections.abc import Iterable

from kubelint.rule_api import RuleSpec


def _block(text: str) -> str:
    return "```yaml\n" + text.rstrip("\n") + "\n```\n"


def render_rule(spec: RuleSpec, *, heading: str = "#") -> str:
    """One rule's page: identity, then What it does / Why is this bad / Example / Use instead."""
    rule = spec.rule
    doc = rule.doc
    scope = ", ".join(sorted(spec.kinds)) if spec.kinds else "all kinds"
    state = "" if spec.enabled_by_default else " Off by default (enable it with `select`)."
    lines = [
        f"{heading} {rule.id} {rule.slug}\n",
        f"{rule.summary}\n",
        f"Default severity: **{rule.severity.label}**. Applies to: {scope}.{state}\n",
        f"{heading}# What it does\n",
        f"{doc.what}\n",
        f"{heading}# Why is this bad?\n",
        f"{doc.why}\n",
        f"{heading}# Example\n",
        _block(doc.example),
        f"{heading}# Use instead\n",
        _block(doc.use_instead),
    ]
    if spec.options:
        lines.append(f"{heading}# Options\n")
        lines.extend(f"- `{key}`: default `{value!r}`" for key, value in spec.options.items())
        lines.append("")
    return "\n".join(lines)


def render_catalogue(specs: Iterable[RuleSpec]) -> str:
    """The whole catalogue as Markdown (``docs/rules.md``)."""
    ordered = sorted(specs, key=lambda s: s.id)
    parts = [
        "# Rules\n",
        "Generated from the code by `python scripts/generate_docs.py`; a test fails when this "
        "file is stale. `kubelint explain RULE` prints the same text.\n",
        "| id | slug | severity | summary |",
        "| --- | --- | --- | --- |",
    ]
    for s in ordered:
        anchor = f"{s.id.lower()}-{s.slug}"
        level = s.rule.severity.label
        parts.append(f"| [{s.id}](#{anchor}) | `{s.slug}` | {level} | {s.rule.summary} |")
    parts.append("")
    parts.extend(render_rule(s, heading="##") for s in ordered)
    return "\n".join(parts)
