"""Schema selection: the compiled schema of an apiVersion/kind, with did-you-mean.

When apiVersion or kind is a likely typo, the selection names the intended one and
returns its schema, so that the rest of the object is still checked (once). When there
is no schema, it says why: a removed API, a version not served yet, an unknown kind or
group/version, or a custom resource whose CRD is not among the checked files.
"""

from __future__ import annotations

from typing import Literal, NamedTuple, Protocol

from kubelint.rules.core import (
    MISSING_SCHEMA,
    REMOVED_API,
    UNKNOWN_API_VERSION,
    UNKNOWN_KIND,
)
from kubelint.schema import store as schema_store
from kubelint.schema.compile import Compiler, Node
from kubelint.schema.crds import CrdRegistry
from kubelint.schema.suggest import closest


class SchemaSource(Protocol):
    """Where schemas come from: the bundled ones of a version, and the run's CRDs."""

    @property
    def schemas(self) -> schema_store.KubernetesSchemas: ...
    @property
    def compiler(self) -> Compiler: ...
    @property
    def crds(self) -> CrdRegistry: ...
    def crd_node(self, api_version: str, kind: str) -> Node | None:
        """The compiled schema of a registered custom resource."""


class SchemaProblem(NamedTuple):
    """Why an object's apiVersion/kind has no schema (or not the one written)."""

    slug: str  # the core rule that reports it
    field: Literal["apiVersion", "kind"]  # where the finding points
    message: str
    suggestion: str | None
    #: the value meant instead, when it is certain enough to be a fix
    meant: str | None = None


class Selection(NamedTuple):
    """The schema an object is checked against, and what the object was meant to be."""

    node: Node | None
    group: str
    api_version: str
    kind: str
    problem: SchemaProblem | None = None
    builtin: bool = False  # a bundled schema serves the apiVersion/kind as written


def select_schema(
    source: SchemaSource,
    api_version: str,
    kind: str,
    kubernetes_version: str,
    *,
    ignore_missing: bool = False,
) -> Selection:
    """The compiled schema for ``api_version``/``kind``, and why there is none."""
    schemas = source.schemas
    group = schema_store.group_of(api_version)
    definition = schemas.kind_definition(api_version, kind)
    if definition is not None:
        return Selection(
            source.compiler.definition(definition), group, api_version, kind, None, True
        )
    removed = schema_store.removed_apis().get((api_version, kind))
    target = kubernetes_version
    if removed is not None and schema_store.version_key(
        removed.removed_in
    ) <= schema_store.version_key(target):
        since = f" (deprecated since {removed.deprecated_in})" if removed.deprecated_in else ""
        message = f"{api_version} {kind} was removed in Kubernetes {removed.removed_in}{since}"
        suggestion = (
            f"use apiVersion: {removed.replacement}" if removed.replacement else removed.note
        )
        if removed.replacement and removed.note:
            suggestion = f"{suggestion} ({removed.note})"
        problem = SchemaProblem(REMOVED_API.slug, "apiVersion", message, suggestion)
        return Selection(None, group, api_version, kind, problem)
    if source.crds.get(api_version, kind) is not None:
        return Selection(source.crd_node(api_version, kind), group, api_version, kind)
    if api_version in schemas.kinds:
        return _unknown_kind(source, group, api_version, kind)
    homes = schemas.api_versions_with_kind(kind)
    builtin_groups = schema_store.all_builtin_groups()
    if group in builtin_groups or "." not in group or homes:
        served = schema_store.versions_serving(api_version, kind)
        if served:
            if schema_store.version_key(served[0]) > schema_store.version_key(target):
                message = (
                    f"{api_version} {kind} is not served by Kubernetes {target} "
                    f"(it arrives in {served[0]})"
                )
                hint: str | None = (
                    "raise --kubernetes-version, or use an apiVersion this version serves"
                )
            else:
                message = (
                    f"{api_version} {kind} is no longer served by Kubernetes {target} "
                    f"(last served in {served[-1]})"
                )
                hint = f"use apiVersion: {homes[-1]}" if homes else None
            slug = UNKNOWN_API_VERSION.slug if hint and "raise" in hint else REMOVED_API.slug
            problem = SchemaProblem(slug, "apiVersion", message, hint)
            return Selection(None, group, api_version, kind, problem)
        if homes:
            same_group = [h for h in homes if schema_store.group_of(h) == group]
            meant = same_group[-1] if same_group else (closest(api_version, homes) or homes[-1])
            message = f'"{api_version}" is not an API group/version that serves {kind}'
            problem = SchemaProblem(
                UNKNOWN_API_VERSION.slug, "apiVersion", message, f'did you mean "{meant}"?', meant
            )
            node = _meant(source, meant, kind)
            return Selection(node, schema_store.group_of(meant), meant, kind, problem)
        if group in builtin_groups or "." not in group:
            meant_version = closest(api_version, list(schemas.kinds))
            message = f'"{api_version}" is not an API group/version served by Kubernetes {target}'
            hint = f'did you mean "{meant_version}"?' if meant_version else None
            problem = SchemaProblem(UNKNOWN_API_VERSION.slug, "apiVersion", message, hint)
            return Selection(None, group, api_version, kind, problem)
    missing = None if ignore_missing else _missing_schema(source, api_version, kind, group)
    return Selection(None, group, api_version, kind, missing)


def _unknown_kind(source: SchemaSource, group: str, api_version: str, kind: str) -> Selection:
    """A kind that a served apiVersion does not have: removed from it, or misspelt."""
    schemas = source.schemas
    gone = _removed_kind(group, kind)
    if gone is not None:
        message = (
            f"{kind} is not served by {api_version}: "
            f"{gone.api_version} {kind} was removed in Kubernetes {gone.removed_in}"
        )
        replacement = f"use apiVersion: {gone.replacement}" if gone.replacement else None
        problem = SchemaProblem(REMOVED_API.slug, "kind", message, replacement or gone.note)
        return Selection(None, group, api_version, kind, problem)
    guess = closest(kind, schemas.kinds[api_version])
    elsewhere = None if guess else _closest_kind_anywhere(schemas, kind)
    hint = f'did you mean "{guess}"?' if guess else None
    if elsewhere:
        homes_of = ", ".join(schemas.api_versions_with_kind(elsewhere))
        hint = f'did you mean "{elsewhere}" ({homes_of})?'
    message = f'kind "{kind}" does not exist in {api_version}'
    problem = SchemaProblem(UNKNOWN_KIND.slug, "kind", message, hint, guess)
    return Selection(_meant(source, api_version, guess), group, api_version, guess or kind, problem)


def _missing_schema(source: SchemaSource, api_version: str, kind: str, group: str) -> SchemaProblem:
    """A custom resource without its CRD; did-you-mean from the CRDs of its group."""
    known = source.crds.kinds_in_group(group)
    hint = None
    if known:
        guess = closest(kind, known)
        if guess:
            hint = f'did you mean "{guess}" ({", ".join(known[guess])})?'
        elif kind in known:
            hint = f"the CRD serves {kind} as {', '.join(known[kind])}"
    return SchemaProblem(
        MISSING_SCHEMA.slug,
        "apiVersion",
        f"no schema for {api_version}, kind {kind}: its CRD is not among the checked files",
        hint or "pass the CRD with --crd, or --ignore-missing-schemas",
    )


def _meant(source: SchemaSource, api_version: str, kind: str | None) -> Node | None:
    """The schema of the kind the user meant, to check the rest of the object."""
    if kind is None:
        return None
    definition = source.schemas.kind_definition(api_version, kind)
    return source.compiler.definition(definition) if definition else None


def _removed_kind(group: str, kind: str) -> schema_store.RemovedApi | None:
    """The newest removed apiVersion of ``group`` that served ``kind``."""
    gone = [
        r
        for (gv, k), r in schema_store.removed_apis().items()
        if k == kind and schema_store.group_of(gv) == group
    ]
    return max(gone, key=lambda r: schema_store.version_key(r.removed_in)) if gone else None


def _closest_kind_anywhere(schemas: schema_store.KubernetesSchemas, kind: str) -> str | None:
    every = {k for kinds in schemas.kinds.values() for k in kinds}
    return closest(kind, every)
