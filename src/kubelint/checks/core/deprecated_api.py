"""KL073: an apiVersion that the target Kubernetes serves but that is deprecated or going away.

APIs already removed at the target version are KL007 (removed-api), an error; this rule
looks ahead, as Pluto does: what still applies today but breaks on a later upgrade.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

from kubelint.checks.api import FixSpec, RuleContext, Violation, object_check
from kubelint.load.objects import KubeObject
from kubelint.schema import store as schema_store

#: How the bundled schemas mark a deprecated kind (``Deprecated: This API is deprecated in
#: v1.33+. Use discoveryv1.EndpointSlice.``).
_SCHEMA_DEPRECATION: Final = re.compile(
    r"Deprecated: This API is deprecated in v(?P<since>\d+\.\d+)\+\.?\s*(?P<advice>[^\n]*)"
)


@object_check("core.deprecated-api")
def deprecated_api(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Report served-but-deprecated APIs and APIs removed after the target version."""
    target = ctx.kubernetes_version
    schemas = schema_store.schemas_for(target)
    definition = schemas.kind_definition(obj.api_version, obj.kind)
    if definition is None:
        return  # not served here: the core checks say why (KL005-KL007)
    target_key = schema_store.version_key(target)
    removed = schema_store.removed_apis().get((obj.api_version, obj.kind))
    if removed is None or schema_store.version_key(removed.removed_in) <= target_key:
        yield from _deprecated_in_schema(obj, schemas.definition(definition) or {}, target)
        return
    deprecated = removed.deprecated_in
    since = (
        f"deprecated since Kubernetes {deprecated} and "
        if deprecated is not None and schema_store.version_key(deprecated) <= target_key
        else ""
    )
    message = (
        f"{obj.api_version} {obj.kind} is {since}to be removed in Kubernetes {removed.removed_in} "
        f"(checked against {target})"
    )
    fix = None
    replacement = removed.replacement
    if replacement is not None:
        served = schemas.kind_definition(replacement, obj.kind) is not None
        if served:
            suggestion = f"use apiVersion: {replacement}"
            fix = FixSpec(
                f"Change apiVersion to {replacement}",
                ("apiVersion",),
                "value",
                replacement,
                # the versions differ in fields: only a person can tell the edit is enough
                "unsafe",
            )
        else:
            arrives = [
                v
                for v in schema_store.versions_serving(replacement, obj.kind)
                if schema_store.version_key(v) > target_key
            ]
            when = f" (served from Kubernetes {arrives[0]})" if arrives else ""
            suggestion = f"move to apiVersion: {replacement}{when} before upgrading"
        if removed.note:
            suggestion = f"{suggestion}; {removed.note}"
    else:
        suggestion = removed.note or "plan its replacement before upgrading"
    yield Violation(("apiVersion",), message, suggestion, fix=fix)


def _deprecated_in_schema(
    obj: KubeObject, definition: Mapping[str, Any], target: str
) -> Iterator[Violation]:
    """A kind that the target version serves and whose schema says it is deprecated."""
    description = definition.get("description")
    found = _SCHEMA_DEPRECATION.search(description) if isinstance(description, str) else None
    if found is None:
        return
    since = found["since"]
    advice = found["advice"].strip().rstrip(".")
    yield Violation(
        ("apiVersion",),
        f"{obj.api_version} {obj.kind} is deprecated since Kubernetes {since} "
        f"(checked against {target})",
        advice[:1].lower() + advice[1:] if advice else "plan its replacement",
    )
