"""What a run checks against: its options, and the per-process context built from them
(schemas, compiled validators, the CRD registry, the enabled rules and their options)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

from kubelint.checks.api import RuleContext, RuleSpec
from kubelint.config.policy import Policy
from kubelint.schema import store as schema_store
from kubelint.schema.api_server import build_hooks
from kubelint.schema.compile import Compiler, Node
from kubelint.schema.crds import CrdRegistry
from kubelint.schema.validate import Validator


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """What a run checks against, and which findings it keeps."""

    kubernetes_version: str
    namespace: str = "default"
    ignore_missing_schemas: bool = False
    jobs: int | None = None  # None: decide from the size of the run
    policy: Policy | None = None  # None: every rule that is on by default
    rule_dirs: tuple[str, ...] = ()
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    strict_refs: bool = False
    #: files beyond these get a finding instead of a check (MB = 10^6 bytes)
    max_file_mb: int = 128
    max_documents: int = 1_000_000


MB = 1_000_000


def catalogue(options: CheckOptions) -> tuple[RuleSpec, ...]:
    """The rules of the run: the built-in ones and those of its rule folders."""
    from kubelint.checks import registry

    return registry.catalogue(FilePath(d) for d in options.rule_dirs)


def run_policy(options: CheckOptions, specs: tuple[RuleSpec, ...] | None = None) -> Policy:
    """The run's policy: the configured one, or every rule that is on by default."""
    if options.policy is not None:
        return options.policy
    return Policy.build(catalogue(options) if specs is None else specs, [], [], {}, {})


def rule_options(spec: RuleSpec, options: CheckOptions) -> dict[str, Any]:
    """A rule's options: its defaults, overridden by the configuration (by id or slug)."""
    configured = options.rule_options.get(spec.id) or options.rule_options.get(spec.slug)
    return {**spec.options, **(configured or {})}


class Context:
    """Per-process state of a run: schemas, compiled validators, the CRD registry."""

    def __init__(self, options: CheckOptions, crds: CrdRegistry | None = None) -> None:
        self.options = options
        self.schemas = schema_store.schemas_for(options.kubernetes_version)
        self.compiler = Compiler(self.schemas.definition, build_hooks())
        self.crds = crds or CrdRegistry()
        self._crd_nodes: dict[tuple[str, str], Node | None] = {}
        self.validator = Validator()
        self.partial_validator = Validator(partial=True)
        specs = catalogue(options)
        self.policy = run_policy(options, specs)
        enabled = [s for s in specs if s.id in self.policy.enabled]
        #: (rule, its merged options) of the object rules and of the cross-object collectors
        self.object_checks = [(s, rule_options(s, options)) for s in enabled if s.check]
        self.collectors = [(s, rule_options(s, options)) for s in enabled if s.collect]
        #: custom resources some rule reads without their CRD: (group, kind)
        self.custom_kinds = {k for s in enabled for k in s.custom_kinds}
        self.rule_context = RuleContext(
            options.kubernetes_version, options.namespace, options.strict_refs
        )
        self._rule_ids: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._fields: dict[tuple[tuple[str, str], ...], Mapping[str, str]] = {}

    def rule_ids(self, *ids: str) -> tuple[str, ...]:
        """``ids`` as one shared tuple (facts of many objects name the same rules)."""
        return self._rule_ids.setdefault(ids, ids)

    def shared_fields(self, fields: Mapping[str, str]) -> Mapping[str, str]:
        """``fields`` as one shared mapping: the fields of facts repeat from object to
        object (``spec.selector.app``), and facts are kept to the end of a run."""
        return self._fields.setdefault(tuple(fields.items()), fields)

    def use_crds(self, crds: CrdRegistry) -> None:
        """Check the next files with these CRDs."""
        self.crds = crds
        self._crd_nodes = {}

    def crd_node(self, api_version: str, kind: str) -> Node | None:
        """The compiled schema of a registered custom resource."""
        key = (api_version, kind)
        if key not in self._crd_nodes:
            crd = self.crds.get(api_version, kind)
            node = None
            if crd is not None and crd.schema is not None:
                node = Compiler(self.schemas.definition, enforce_lists=True).compile(crd.schema)
                _embed_object_meta(node, self.compiler)
            self._crd_nodes[key] = node
        return self._crd_nodes[key]

    def is_cluster_scoped(self, group: str, kind: str) -> bool:
        """Whether objects of this kind have no namespace (bundled schemas, then CRDs)."""
        cluster = schema_store.is_cluster_scoped(group, kind)
        if cluster is None:
            cluster = self.crds.namespaced(group, kind) is False
        return cluster


def _embed_object_meta(node: Node, compiler: Compiler) -> None:
    """Custom resources get the builtin metadata schema and free apiVersion/kind."""
    meta = compiler.definition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
    if node.properties is None:
        node.properties = {}
        node.closed = False
    if meta is not None:
        node.properties["metadata"] = meta
    for key in ("apiVersion", "kind"):
        free = Node()
        free.types = frozenset(("string",))
        node.properties[key] = free
