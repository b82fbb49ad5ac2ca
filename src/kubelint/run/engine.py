"""The check run: files in, findings out.

A run reads every file, validates every object against the bundled schemas (or the
CRDs found in the run), and then checks across objects (duplicates). Files that define
CRDs are checked first so that custom resources anywhere in the run can use them. On
large runs the files are spread over worker processes; results are merged in file
order, so the output never depends on scheduling.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from kubelint.checks.api import Fact, FixSpec, RuleContext, RuleSpec, TextEdit, Violation
from kubelint.checks.api import Fix as RuleFix
from kubelint.checks.core_catalog import Rule, rule
from kubelint.config.policy import Policy, Suppressions, object_ignores
from kubelint.config.rule_sets import EMPTY, RuleSet
from kubelint.load.documents import (
    Document,
    LoadedFile,
    LoadProblem,
    Mark,
    PackedMark,
    decode,
    load_text,
    mark_of,
    pack_mark,
)
from kubelint.load.lines import split_lines
from kubelint.load.objects import KubeObject
from kubelint.load.paths import AT_KEY, AT_VALUE, Path, format_path, locate
from kubelint.load.sources import SourceFile, read_file
from kubelint.load.tokens import NodeText, node_at
from kubelint.report.model import Finding, ObjectRef, RunResult
from kubelint.run import parts as file_parts
from kubelint.run.parts import FilePart
from kubelint.schema import store as schema_store
from kubelint.schema.api_server import build_hooks, name_issues
from kubelint.schema.crds import CrdRegistry, versions_of_crd
from kubelint.schema.suggest import closest
from kubelint.schema.validate import Compiler, Issue, Node, Validator

if TYPE_CHECKING:
    from kubelint.run.workers import WorkerPool


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


class ObjectIdentity(NamedTuple):
    """Who an object is, for checks across the run."""

    group: str
    kind: str
    namespace: str | None
    name: str
    ref: ObjectRef
    path: str
    mark: PackedMark  # of its name (read with loader.mark_of)


@dataclass(slots=True)
class FileResult:
    """The outcome of checking one file."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    documents: int = 0
    objects: list[ObjectIdentity] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    crds: CrdRegistry = field(default_factory=CrdRegistry)
    facts: list[Fact] = field(default_factory=list)
    suppressions: Suppressions | None = None
    suppressed: list[Finding] = field(default_factory=list)
    #: API groups of the custom resources of the file: its findings depend on their CRDs
    crd_groups: set[str] = field(default_factory=set)


#: Client-side configuration files that look like objects but are never applied.
NOT_RESOURCES_GROUPS = frozenset(
    {
        "kustomize.config.k8s.io",
        "kind.x-k8s.io",
        "kubeadm.k8s.io",
        "kubelet.config.k8s.io",
        "kubeproxy.config.k8s.io",
        "kubescheduler.config.k8s.io",
        "apiserver.config.k8s.io",
        "audit.k8s.io",
        "config.kubernetes.io",
        "kpt.dev",
        "cli.kyverno.io",
        "chainsaw.kyverno.io",
        "skaffold",
        "ctlptl.dev",
        "k3d.io",
    }
)

_HELM_DIRECTIVE = re.compile(
    r"\{\{-?\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|include\s|template\s"
    r"|toYaml|tpl\s|\$\.Values|define\s)|\|\s*nindent\b|\|\s*indent\b"
)

EXPORTED_METADATA = (
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "generation",
    "managedFields",
    "selfLink",
)
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


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
        from kubelint.checks import registry

        specs = registry.catalogue(FilePath(d) for d in options.rule_dirs)
        self.policy = options.policy or Policy.build(specs, [], [], {}, {})
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


class _LinesFrom(Sequence[str]):
    """The lines of a part of a file, by the file's line numbers: lines before it are empty."""

    __slots__ = ("_first", "_lines")

    def __init__(self, first: int, lines: list[str]) -> None:
        self._first = first
        self._lines = lines

    def __len__(self) -> int:
        return self._first + len(self._lines)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        return self._lines[index - self._first] if index >= self._first else ""


class _DocumentChecker:
    """Checks the objects of one document and collects findings."""

    def __init__(
        self, ctx: Context, source: SourceFile, loaded: LoadedFile, result: FileResult
    ) -> None:
        self.ctx = ctx
        self.source = source
        self.loaded = loaded
        self.result = result
        self._lines: Sequence[str] | None = None
        self.object_ignores: RuleSet = EMPTY

    @property
    def lines(self) -> Sequence[str]:
        """The file's lines as the parser counts them (split on first use: most files need
        none); for a part of a file, by the file's line numbers (the lines before the part
        are empty)."""
        if self._lines is None:
            self._lines = split_lines(self.loaded.text)
            if self.loaded.first_line:
                self._lines = _LinesFrom(self.loaded.first_line, self._lines)
        return self._lines

    # -- reporting ---------------------------------------------------------------------
    def report(
        self, slug: str, mark: Mark, message: str, suggestion: str | None = None, **details: Any
    ) -> None:
        """Record a finding of a core rule (by slug); see :meth:`report_rule`."""
        self.report_rule(rule(slug), mark, message, suggestion, **details)

    def report_rule(
        self,
        info: Rule,
        mark: Mark,
        message: str,
        suggestion: str | None = None,
        *,
        field_path: str | None = None,
        obj: ObjectRef | None = None,
        fix: FixSpec | None = None,
        fix_mark: Mark | None = None,
    ) -> None:
        """Record a finding of any rule; the object's ignore annotation applies."""
        line, column = mark
        number = line + 1
        finding = Finding(
            path=self.source.display,
            line=number,
            column=column + 1,
            rule=info.id,
            name=info.slug,
            severity=info.severity,
            message=message,
            suggestion=_shared(suggestion),
            end_line=number,
            end_column=column + 1 + self._token_length(mark),
            field=_shared(field_path),
            object_ref=obj,
            fix=self._text_fix(fix, fix_mark or mark) if fix is not None else None,
        )
        if self.object_ignores.matches(info.id, info.slug):
            self.result.suppressed.append(finding)
        else:
            self.result.findings.append(finding)

    def _text_fix(self, fix: FixSpec, mark: Mark) -> RuleFix | None:
        """A fix as exact text edits; None when the token is not where the fix expects it.

        Only the scalar is replaced: an anchor or tag before it stays outside the new
        text. A fix that quotes a plain scalar means it as a string, which a tag would
        override, so it drops the tags (``!!bool yes`` becomes ``"yes"``).
        """
        node = self._node(mark)
        old = node.text
        if not old or not node.closed or old[0] == "*":  # an alias: fix it at its anchor
            return None
        new = fix.new_text
        edits = [TextEdit(mark[0], node.scalar, old, new)]
        if old[0] in "\"'" and new[:1] not in ("'", '"'):
            edits[0] = edits[0]._replace(new=old[0] + new + old[0])  # keep the user's quoting
        elif old[0] not in "\"'" and new[:1] in ("'", '"'):
            line = self.lines[mark[0]]
            edits[:0] = [TextEdit(mark[0], a, line[a:b], "") for a, b in node.tags]
        return RuleFix(fix.title, tuple(edits), fix.safety)

    def _node(self, mark: Mark) -> NodeText:
        line, column = mark
        if not 0 <= line < len(self.lines):
            return NodeText(column, (), column, "", True)
        return node_at(self.lines[line], column)

    def _token_length(self, mark: Mark) -> int:
        """The length of the token at ``mark``, at least one character, but never past
        the end of its line (a syntax error at the end of a line spans nothing)."""
        line, column = mark
        width = len(self.lines[line]) if 0 <= line < len(self.lines) else column
        return max(0, min(max(1, self._node(mark).end - column), width - column))

    def token(self, mark: Mark) -> str:
        """The source text of the scalar at ``mark`` (past its anchor and tag)."""
        return self._node(mark).text

    # -- documents ---------------------------------------------------------------------
    def check(self, document: Document, is_manifest_file: bool) -> None:
        value = document.value
        for problem in document.problems:
            self.report_problem(problem)
        if value is None:
            return
        if not isinstance(value, dict) or ("apiVersion" not in value and "kind" not in value):
            if is_manifest_file:
                self.report(
                    "missing-type-meta",
                    document.start_mark,
                    "this document is not a Kubernetes object (no apiVersion and kind)",
                    "remove it, or move it to a file of its own",
                )
            return
        self.check_object(value, (), document.start_mark)

    def report_problem(self, problem: LoadProblem) -> None:
        slug = "duplicate-key" if problem.kind == "duplicate-key" else "yaml-syntax"
        suggestion = problem.suggestion
        line = problem.mark[0]
        if suggestion is None and 0 <= line < len(self.lines) and "{{" in self.lines[line]:
            suggestion = "an unrendered template placeholder ({{ }}): render or substitute it first"
        self.report(slug, problem.mark, problem.message, suggestion)

    def check_object(self, root: Any, prefix: Path, start: Mark) -> None:
        obj = _get(root, prefix)
        here = locate(root, prefix, AT_VALUE, start) if prefix else start
        api_version = obj.get("apiVersion")
        kind = obj.get("kind")
        if (
            not isinstance(api_version, str)
            or not api_version
            or not isinstance(kind, str)
            or not kind
        ):
            missing = [
                k
                for k, v in (("apiVersion", api_version), ("kind", kind))
                if not isinstance(v, str) or not v
            ]
            self.report(
                "missing-type-meta",
                here,
                f"the object has no {' and no '.join(missing)}",
                None,
                field_path=format_path(prefix) or None,
            )
            return
        # these repeat from object to object, and objects are kept (references, facts)
        # until the end of a run: one string each
        api_version, kind = sys.intern(api_version), sys.intern(kind)
        group = sys.intern(schema_store.group_of(api_version))
        if group in NOT_RESOURCES_GROUPS or (api_version == "v1" and kind == "Config"):
            self.result.skipped["client-config"] += 1
            return
        metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        name = metadata.get("name") if isinstance(metadata.get("name"), str) else None
        namespace = (
            metadata.get("namespace") if isinstance(metadata.get("namespace"), str) else None
        )
        ref = ObjectRef(api_version, kind, namespace, name)
        schemas = self.ctx.schemas

        # lists of objects: check every item as an object of its own
        items = obj.get("items")
        if (kind == "List" or kind.endswith("List")) and isinstance(items, list) and not name:
            list_definition = schemas.list_definition(api_version, kind)
            if (
                kind == "List"
                or list_definition is not None
                or schemas.kind_definition(api_version, kind[:-4])
            ):
                for index, item in enumerate(items):
                    item_path = (*prefix, "items", index)
                    if isinstance(item, dict):
                        self.check_object(root, item_path, start)
                    else:
                        self.report(
                            "invalid-type",
                            locate(root, item_path, AT_VALUE, start),
                            "a list item must be a Kubernetes object",
                            field_path=format_path(item_path),
                        )
                return

        node, group, meant_version, meant_kind = self._schema_node(
            root, prefix, start, api_version, kind, ref
        )
        if not self.source.partial:  # a patch is not an object of its own
            self.result.objects.append(
                self._identity(group, meant_kind, namespace, name, ref, root, prefix, start)
            )
        if kind == "CustomResourceDefinition" and group == "apiextensions.k8s.io":
            for crd in versions_of_crd(obj):
                self.result.crds.add(crd)
        annotations = metadata.get("annotations")
        self.object_ignores = object_ignores(annotations)
        renames: dict[Path, str] = {}
        if node is not None:
            renames = self._validate(
                node, root, prefix, here, obj, group, kind, name, metadata, ref
            )
        self._check_exported(root, prefix, obj, ref, here)
        # a removed built-in API (extensions/v1beta1 Ingress) is still meant as that kind
        known = (
            node is not None
            or schema_store.is_cluster_scoped(group, meant_kind) is not None
            or (meant_version, meant_kind) in schema_store.removed_apis()
        )
        if (
            known
            or self.ctx.crds.get(meant_version, meant_kind) is not None
            or (group, meant_kind) in self.ctx.custom_kinds
        ):
            view_root = _renamed(root, prefix, renames) if renames else root
            cluster = self._is_cluster_scoped(group, meant_kind)
            kube = KubeObject(
                meant_version,
                meant_kind,
                group,
                name,
                None if cluster else (namespace or self.ctx.options.namespace),
                _get(view_root, prefix),
                self.source.display,
                view_root,
                prefix,
                here,
                annotations if isinstance(annotations, dict) else {},
            )
            self._run_rules(kube, ref)
        self.object_ignores = EMPTY

    def _validate(
        self,
        node: Node,
        root: Any,
        prefix: Path,
        here: Mark,
        obj: dict[str, Any],
        group: str,
        kind: str,
        name: str | None,
        metadata: dict[str, Any],
        ref: ObjectRef,
    ) -> dict[Path, str]:
        """Schema and API-server validation; returns the misspelt keys and what they meant."""
        validator = self.ctx.partial_validator if self.source.partial else self.ctx.validator
        issues = validator.validate(node, obj)
        if self._is_cluster_scoped(group, kind):
            # kubectl drops the namespace of a cluster-scoped object, and so does the server
            issues = [i for i in issues if i.path[:2] != ("metadata", "namespace")]
        if not self.source.partial and name is None and not metadata.get("generateName"):
            if isinstance(obj.get("metadata"), dict):
                issues.append(
                    Issue(
                        "missing-required-field",
                        ("metadata", "name"),
                        'missing required field "name"',
                        None,
                        "parent",
                    )
                )
            elif "metadata" not in obj:
                issues.append(
                    Issue(
                        "missing-required-field",
                        ("metadata",),
                        'missing required field "metadata" (with a name)',
                        None,
                        "parent",
                    )
                )
        if name is not None:
            for problem in name_issues(group, kind, name):
                issues.append(
                    Issue("invalid-name", ("metadata", "name"), f'name "{name}": {problem}')
                )
        renames: dict[Path, str] = {}
        for issue in issues:
            path = (*prefix, *issue.path)
            mark = locate(root, path, issue.at, here)
            message = issue.message
            suggestion = issue.suggestion
            fix: FixSpec | None = None
            slug = issue.rule
            if slug == "yaml-implicit-type":
                token = self.token(mark)
                if token and token[0] not in "\"'":
                    message = f"`{token}` is read by kubectl as {message.split(' as ', 1)[1]}"
                    if token[0] == "*":  # an alias: the value to quote is at its anchor
                        suggestion = f"quote the value of its anchor &{token[1:]}"
                    else:
                        suggestion = f'quote it: "{token}"'
                        fix = FixSpec(f'Quote the value: "{token}"', path, "value", f'"{token}"')
                else:
                    slug = "invalid-type"
            elif slug == "invalid-enum-value" and issue.meant is not None:
                fix = FixSpec(
                    f"Change {self.token(mark)} to {issue.meant}", path, "value", issue.meant
                )
            elif slug == "unknown-field" and issue.meant is not None:
                renames[path] = issue.meant
                fix = FixSpec(f"Rename {path[-1]} to {issue.meant}", path, "key", issue.meant)
            self.report(
                slug, mark, message, suggestion, field_path=format_path(path), obj=ref, fix=fix
            )
        return renames

    def _is_cluster_scoped(self, group: str, kind: str) -> bool:
        cluster = schema_store.is_cluster_scoped(group, kind)
        if cluster is None:
            cluster = self.ctx.crds.namespaced(group, kind) is False
        return cluster

    def _run_rules(self, kube: KubeObject, ref: ObjectRef) -> None:
        """Catalogue rules on one object, and the facts cross-object rules collect from it."""
        ctx = self.ctx
        partial = self.source.partial
        kind = kube.kind
        for spec, options in ctx.object_checks:
            if (spec.kinds and kind not in spec.kinds) or (partial and spec.whole_object):
                continue
            assert spec.check is not None
            try:
                for violation in spec.check(kube, options, ctx.rule_context):
                    self._report_violation(spec, kube, violation, ref)
            except Exception as exc:  # a rule bug must not cost the run
                self.report(
                    "internal-error", kube.start, f"rule {spec.id} failed on this object: {exc!r}"
                )
        facts = self.result.facts
        first = len(facts)  # this object's facts are facts[first:]
        for spec, options in ctx.collectors:
            if partial or (spec.kinds and kind not in spec.kinds):
                continue
            assert spec.collect is not None
            shared_up_to = first  # facts shared with this rule must keep its order
            try:
                for data, paths, texts in spec.collect(kube, options, ctx.rule_context):
                    marks: Mapping[str, PackedMark] = {
                        k: pack_mark(*kube.mark(path)) for k, path in paths.items()
                    } or _NO_MARKS
                    fields = ctx.shared_fields(texts) if texts else _NO_FIELDS
                    index = _same_fact(facts, shared_up_to, data, marks, fields)
                    if index is not None:  # collected by an earlier rule: one fact for both
                        known = facts[index]
                        facts[index] = known._replace(rules=ctx.rule_ids(*known.rules, spec.id))
                        shared_up_to = index + 1
                        continue
                    facts.append(
                        Fact(
                            ctx.rule_ids(spec.id),
                            kube.path,
                            ref,
                            kube.group,
                            kube.kind,
                            kube.namespace,
                            kube.name,
                            data,
                            marks,
                            fields,
                            self.object_ignores,
                        )
                    )
                    shared_up_to = len(facts)
            except Exception as exc:
                self.report(
                    "internal-error", kube.start, f"rule {spec.id} failed on this object: {exc!r}"
                )

    def _report_violation(
        self, spec: RuleSpec, kube: KubeObject, violation: Violation, ref: ObjectRef
    ) -> None:
        path = (*kube.prefix, *violation.path)
        mark = locate(kube.root, path, violation.at, kube.start)
        fix = violation.fix
        if fix is not None:
            fix = fix._replace(path=(*kube.prefix, *fix.path))
        fix_mark = locate(kube.root, fix.path, fix.target, kube.start) if fix is not None else None
        self.report_rule(
            spec.rule,
            mark,
            violation.message,
            violation.suggestion,
            field_path=format_path(path) or None,
            obj=ref,
            fix=fix,
            fix_mark=fix_mark,
        )

    def _schema_node(
        self, root: Any, prefix: Path, start: Mark, api_version: str, kind: str, ref: ObjectRef
    ) -> tuple[Node | None, str, str, str]:
        """The compiled schema for apiVersion/kind, reporting why there is none.

        When apiVersion or kind is a likely typo, the finding names the intended one and
        the object is validated as that, so the rest of it is still checked (once).
        Returns the node, and the API group, apiVersion and kind the object was meant to have.
        """
        schemas = self.ctx.schemas
        group = schema_store.group_of(api_version)
        definition = schemas.kind_definition(api_version, kind)
        if definition is not None:
            return self.ctx.compiler.definition(definition), group, api_version, kind
        if "." in group:  # only such groups can be a CRD's
            self.result.crd_groups.add(group)
        kind_mark = locate(root, (*prefix, "kind"), AT_VALUE, start)
        version_mark = locate(root, (*prefix, "apiVersion"), AT_VALUE, start)
        removed = schema_store.removed_apis().get((api_version, kind))
        target = self.ctx.options.kubernetes_version
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
            self.report(
                "removed-api", version_mark, message, suggestion, field_path="apiVersion", obj=ref
            )
            return None, group, api_version, kind
        if self.ctx.crds.get(api_version, kind) is not None:
            return self.ctx.crd_node(api_version, kind), group, api_version, kind
        if api_version in schemas.kinds:
            gone = _removed_kind(group, kind)
            if gone is not None:
                message = (
                    f"{kind} is not served by {api_version}: "
                    f"{gone.api_version} {kind} was removed in Kubernetes {gone.removed_in}"
                )
                replacement = f"use apiVersion: {gone.replacement}" if gone.replacement else None
                self.report(
                    "removed-api",
                    kind_mark,
                    message,
                    replacement or gone.note,
                    field_path="kind",
                    obj=ref,
                )
                return None, group, api_version, kind
            guess = closest(kind, schemas.kinds[api_version])
            elsewhere = None if guess else _closest_kind_anywhere(schemas, kind)
            hint = f'did you mean "{guess}"?' if guess else None
            if elsewhere:
                homes_of = ", ".join(schemas.api_versions_with_kind(elsewhere))
                hint = f'did you mean "{elsewhere}" ({homes_of})?'
            self.report(
                "unknown-kind",
                kind_mark,
                f'kind "{kind}" does not exist in {api_version}',
                hint,
                field_path="kind",
                obj=ref,
                fix=FixSpec(f"Change kind to {guess}", ("kind",), "value", guess)
                if guess
                else None,
            )
            return self._meant(api_version, guess), group, api_version, guess or kind
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
                    hint = "raise --kubernetes-version, or use an apiVersion this version serves"
                else:
                    message = (
                        f"{api_version} {kind} is no longer served by Kubernetes {target} "
                        f"(last served in {served[-1]})"
                    )
                    hint = f"use apiVersion: {homes[-1]}" if homes else None
                self.report(
                    "unknown-api-version" if hint and "raise" in hint else "removed-api",
                    version_mark,
                    message,
                    hint,
                    field_path="apiVersion",
                    obj=ref,
                )
                return None, group, api_version, kind
            if homes:
                same_group = [h for h in homes if schema_store.group_of(h) == group]
                meant = same_group[-1] if same_group else (closest(api_version, homes) or homes[-1])
                message = f'"{api_version}" is not an API group/version that serves {kind}'
                self.report(
                    "unknown-api-version",
                    version_mark,
                    message,
                    f'did you mean "{meant}"?',
                    field_path="apiVersion",
                    obj=ref,
                    fix=FixSpec(f"Change apiVersion to {meant}", ("apiVersion",), "value", meant),
                )
                return self._meant(meant, kind), schema_store.group_of(meant), meant, kind
            if group in builtin_groups or "." not in group:
                meant_version = closest(api_version, list(schemas.kinds))
                message = (
                    f'"{api_version}" is not an API group/version served by Kubernetes {target}'
                )
                hint = f'did you mean "{meant_version}"?' if meant_version else None
                self.report(
                    "unknown-api-version",
                    version_mark,
                    message,
                    hint,
                    field_path="apiVersion",
                    obj=ref,
                )
                return None, group, api_version, kind
        if not self.ctx.options.ignore_missing_schemas:
            self._report_missing_schema(api_version, kind, group, version_mark, ref)
        return None, group, api_version, kind

    def _meant(self, api_version: str, kind: str | None) -> Node | None:
        """The schema of the kind the user meant, to check the rest of the object."""
        if kind is None:
            return None
        definition = self.ctx.schemas.kind_definition(api_version, kind)
        return self.ctx.compiler.definition(definition) if definition else None

    def _report_missing_schema(
        self, api_version: str, kind: str, group: str, mark: Mark, ref: ObjectRef
    ) -> None:
        known = self.ctx.crds.kinds_in_group(group)
        hint = None
        if known:
            guess = closest(kind, known)
            if guess:
                hint = f'did you mean "{guess}" ({", ".join(known[guess])})?'
            elif kind in known:
                hint = f"the CRD serves {kind} as {', '.join(known[kind])}"
        self.report(
            "missing-schema",
            mark,
            f"no schema for {api_version}, kind {kind}: its CRD is not among the checked files",
            hint or "pass the CRD with --crd, or --ignore-missing-schemas",
            field_path="apiVersion",
            obj=ref,
        )

    def _identity(
        self,
        group: str,
        kind: str,
        namespace: str | None,
        name: str | None,
        ref: ObjectRef,
        root: Any,
        prefix: Path,
        start: Mark,
    ) -> ObjectIdentity:
        cluster = self._is_cluster_scoped(group, kind)
        resolved_ns = None if cluster else (namespace or self.ctx.options.namespace)
        mark = pack_mark(*locate(root, (*prefix, "metadata", "name"), AT_VALUE, start))
        return ObjectIdentity(group, kind, resolved_ns, name or "", ref, self.source.display, mark)

    def _check_exported(
        self, root: Any, prefix: Path, obj: dict[str, Any], ref: ObjectRef, here: Mark
    ) -> None:
        found: list[tuple[Path, str]] = []
        if "status" in obj and obj["status"] not in (None, {}):
            found.append((("status",), "status"))
        metadata = obj.get("metadata")
        if isinstance(metadata, dict):
            for key in EXPORTED_METADATA:
                if metadata.get(key) not in (None, "", [], {}):
                    found.append((("metadata", key), f"metadata.{key}"))
            annotations = metadata.get("annotations")
            if isinstance(annotations, dict) and LAST_APPLIED in annotations:
                found.append(
                    (
                        ("metadata", "annotations", LAST_APPLIED),
                        "the last-applied-configuration annotation",
                    )
                )
        if not found:
            return
        found.sort(key=lambda item: locate(root, (*prefix, *item[0]), AT_KEY, here))
        first_path = (*prefix, *found[0][0])
        names = ", ".join(label for _, label in found)
        self.report(
            "exported-object",
            locate(root, first_path, AT_KEY, here),
            f"this manifest carries fields of a live object ({names}): "
            "it looks exported with `kubectl get -o yaml`",
            "remove status, server-set metadata and the last-applied annotation before applying",
            field_path=format_path(first_path),
            obj=ref,
        )


#: Shared by the facts without marks or fields (most): one object, pickled once per message.
_NO_MARKS: Mapping[str, PackedMark] = {}
_NO_FIELDS: Mapping[str, str] = {}


def _shared(text: str | None) -> str | None:
    """One string for texts that repeat from finding to finding (fields, suggestions)."""
    return None if text is None else sys.intern(text)


def _same_fact(
    facts: list[Fact],
    start: int,
    data: Any,
    marks: Mapping[str, PackedMark],
    fields: Mapping[str, str],
) -> int | None:
    """The index, from ``start`` on, of a fact holding this very ``data`` at the same marks.

    Rules that read the same thing of an object (the pods of a workload) share one fact.
    """
    for index in range(start, len(facts)):
        fact = facts[index]
        if fact.data is data and fact.marks == marks and fact.fields == fields:
            return index
    return None


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


def _renamed(root: Any, prefix: Path, renames: dict[Path, str]) -> Any:
    """The document as it was meant: misspelt keys renamed (copies along each path)."""
    from kubelint.load.documents import YamlMap, YamlSeq

    def copy(node: Any) -> Any:
        if isinstance(node, YamlMap):
            clone = YamlMap(node)
            clone.marks = dict(node.marks)
            return clone
        if isinstance(node, YamlSeq):
            seq = YamlSeq(node)
            seq.marks = list(node.marks)
            return seq
        return node

    new_root = copy(root)
    for path, meant in sorted(renames.items(), key=lambda item: -len(item[0])):
        node = new_root
        for step in path[:-1]:
            child = copy(node[step])
            node[step] = child
            node = child
        old = path[-1]
        if isinstance(node, YamlMap) and isinstance(old, str) and old in node and meant not in node:
            node[meant] = node.pop(old)
            node.marks[meant] = node.marks.pop(old)
    return new_root


def _get(root: Any, path: Path) -> Any:
    node = root
    for step in path:
        node = node[step]
    return node


def check_source(source: SourceFile, ctx: Context, data: bytes | None = None) -> FileResult:
    """Check one file. Never raises for bad input: problems become findings.

    The run's policy (selection, severities, per-path ignores) and the file's inline
    suppressions are applied here, so every rule gets them for free.
    """
    result = FileResult(source.display)
    text: str | None = None
    try:
        text = _check_source(source, ctx, data, result)
    except Exception as exc:  # a bug must cost one file, never the run
        result.findings.append(
            _file_finding(source, "internal-error", f"kubelint failed on this file: {exc!r}")
        )
    _decide(result, ctx.policy, Suppressions.parse(text) if text else Suppressions({}, ()))
    return result


def _decide(result: FileResult, policy: Policy, suppressions: Suppressions) -> None:
    """Apply the run's policy and the file's inline suppressions to ``result``."""
    result.suppressions = suppressions
    kept: list[Finding] = []
    suppressed = [g for f in result.suppressed if (g := policy.apply(f)) is not None]
    for finding in result.findings:
        decided = policy.apply(finding)
        if decided is None:
            continue
        (suppressed if suppressions.suppresses(decided) else kept).append(decided)
    result.findings = kept
    result.suppressed = suppressed


class PartResult(NamedTuple):
    """The outcome of checking a part of a big file (see :mod:`kubelint.run.parts`)."""

    result: FileResult
    #: whether the part holds an object: a file without any is not a manifest, and is
    #: checked whole instead (as are parts that are not UTF-8 text)
    manifest: bool
    readable: bool = True


def check_part(part: FilePart, ctx: Context, data: bytes | None = None) -> PartResult:
    """Check the documents of a part of a big file (its bytes are ``data``, or read from
    the file), as they are checked in the whole file: every position is the file's.

    Inline suppressions apply within the part; :func:`merge_parts` applies those of the
    other parts.
    """
    source = part.source
    result = FileResult(source.display)
    text: str | None = None
    manifest = False
    try:
        if data is None:
            data = _content(source)[part.start : part.end]
        text = decode(data)[0]
        if text is None:
            return PartResult(result, manifest=False, readable=False)
        manifest = _check_loaded(
            source, ctx, load_text(text, first_line=part.first_line), result, part=True
        )
    except OSError:
        return PartResult(result, manifest=False, readable=False)
    except Exception as exc:  # a bug must cost one file, never the run
        result.findings.append(
            _file_finding(source, "internal-error", f"kubelint failed on this file: {exc!r}")
        )
    suppressions = Suppressions.parse(text) if text else Suppressions({}, ())
    if part.first_line and suppressions.lines:
        lines = {line + part.first_line: entries for line, entries in suppressions.lines.items()}
        suppressions = Suppressions(lines, suppressions.file)
    _decide(result, ctx.policy, suppressions)
    return PartResult(result, manifest)


def merge_parts(parts: list[PartResult]) -> FileResult | None:
    """The result of a file from those of its parts, in order; None when the file must be
    checked whole (a part could not be read as text, or no part holds an object)."""
    if not all(p.readable for p in parts) or not any(p.manifest for p in parts):
        return None
    merged = FileResult(parts[0].result.path)
    lines: dict[int, tuple[str, ...]] = {}
    file_wide: list[str] = []
    for part in parts:
        result = part.result
        merged.findings.extend(result.findings)
        merged.suppressed.extend(result.suppressed)
        merged.documents += result.documents
        merged.objects.extend(result.objects)
        merged.skipped.update(result.skipped)
        merged.crds.merge(result.crds)
        merged.facts.extend(result.facts)
        merged.crd_groups.update(result.crd_groups)
        if result.suppressions is not None:
            file_wide.extend(result.suppressions.file)
            for line, entries in result.suppressions.lines.items():
                lines[line] = lines.get(line, ()) + entries
    merged.suppressions = Suppressions(lines, tuple(file_wide))
    if len(parts) > 1 and (file_wide or lines):
        # a comment of one part may switch off a finding of another (disable-file)
        findings, merged.findings = merged.findings, []
        for finding in findings:
            hidden = merged.suppressions.suppresses(finding)
            (merged.suppressed if hidden else merged.findings).append(finding)
    return merged


def _check_source(
    source: SourceFile, ctx: Context, data: bytes | None, result: FileResult
) -> str | None:
    """The body of :func:`check_source`; returns the file's text when it could be read."""
    if source.problem is not None:  # a folder the walk could not read
        result.findings.append(_file_finding(source, "yaml-syntax", source.problem))
        return None
    if source.skip is not None:  # not a regular file: never opened
        result.skipped["not-a-regular-file"] += 1
        return None
    try:
        if data is None:
            data = _content(source)
    except OSError as exc:
        result.findings.append(
            _file_finding(source, "yaml-syntax", f"cannot read the file: {exc.strerror or exc}")
        )
        return None
    refused = _over_limits(source, len(data), data, ctx.options)
    if refused is not None:
        result.findings.extend(refused.findings)
        result.skipped.update(refused.skipped)
        return None
    text, problem = decode(data)
    if text is None:
        assert problem is not None
        result.findings.append(
            _file_finding(source, "yaml-syntax", problem.message, problem.mark, problem.suggestion)
        )
        return None
    has_template = "{{" in text
    if has_template and _HELM_DIRECTIVE.search(text):
        result.skipped["helm-template"] += 1
        result.findings.append(
            _file_finding(
                source,
                "helm-template",
                "a Helm template: skipped (render it first, e.g. `helm template`)",
            )
        )
        return text
    loaded = load_text(text)
    if has_template and loaded.problems:
        result.skipped["helm-template"] += 1
        result.findings.append(
            _file_finding(
                source,
                "helm-template",
                "contains {{ }} templating and is not valid YAML: skipped as a template",
            )
        )
        return text
    _check_loaded(source, ctx, loaded, result)
    return text


def _check_loaded(
    source: SourceFile, ctx: Context, loaded: LoadedFile, result: FileResult, part: bool = False
) -> bool:
    """Check the documents of a file (or of a ``part`` of one, which is checked as a
    manifest); returns whether they hold an object."""
    checker = _DocumentChecker(ctx, source, loaded, result)
    for problem in loaded.problems:
        checker.report_problem(problem)
    documents = [d for d in loaded.documents if d.value is not None or d.problems]
    result.documents = len(documents)
    is_manifest = any(
        isinstance(d.value, dict) and ("apiVersion" in d.value or "kind" in d.value)
        for d in documents
    )
    if not is_manifest and not part:
        # not a manifest (values file, CI config...): only say why it could not be read
        broken = [p for d in documents for p in d.problems if p.kind == "syntax"]
        for problem in broken:
            checker.report_problem(problem)
        if documents and not loaded.problems and not broken:
            result.skipped["not-kubernetes"] += 1
        return False
    for document in documents:
        checker.check(document, True)
    return is_manifest


def _content(source: SourceFile) -> bytes:
    """The bytes of a source: read when the run began (stdin, a pipe), or from its file."""
    if source.data is not None:
        return source.data
    return read_file(source.location)


def _file_finding(
    source: SourceFile, slug: str, message: str, mark: Mark = (0, 0), suggestion: str | None = None
) -> Finding:
    info = rule(slug)
    return Finding(
        source.display,
        mark[0] + 1,
        mark[1] + 1,
        info.id,
        info.slug,
        info.severity,
        message,
        suggestion,
    )


# -- runs ---------------------------------------------------------------------------------

_CRD_MARKER = re.compile(rb"^kind:\s*[\"']?CustomResourceDefinition\b", re.MULTILINE)
_API_VERSION = re.compile(rb"apiVersion[\"']?\s*:\s*[\"']?([^\s\"',#}/]+)/")


def _scan(source: SourceFile, builtin: AbstractSet[str]) -> tuple[bool, bool]:
    """Whether a file defines CRDs, and whether it may hold custom resources (an
    apiVersion of a group with a dot that no bundled schema serves), from its bytes."""
    if source.skip is not None or source.problem is not None:
        return False, False
    try:
        data = _content(source)
    except OSError:
        return False, False
    defines = _CRD_MARKER.search(data) is not None
    custom = any(
        b"." in group and group.decode("utf-8", "replace") not in builtin
        for group in set(_API_VERSION.findall(data))
    )
    return defines, custom


def _jobs_for(sources: list[SourceFile], options: CheckOptions) -> int:
    if options.jobs is not None:
        return max(1, options.jobs)
    sizes = [_size(s) for s in sources]
    # a big file is cut in parts for the workers; many small files are spread over them
    big = max(sizes, default=0) >= file_parts.SPLIT_BYTES
    if sum(sizes) < 2_000_000 or (len(sources) < 16 and not big):
        return 1
    from kubelint.run.workers import cpu_count

    return max(1, min(cpu_count(), 8))


class _Checker:
    """Checks batches of files: in worker processes on large runs, else in this one."""

    def __init__(self, options: CheckOptions, jobs: int) -> None:
        self._options = options
        self._crds = CrdRegistry()
        self._pool: WorkerPool | None = None
        if jobs > 1:
            from kubelint.run.workers import WorkerPool  # multiprocessing: only for large runs

            self._pool = WorkerPool(jobs, options, Context, _check_task)
        self._context: Context | None = None
        self._policy: Policy | None = None

    def use_crds(self, crds: CrdRegistry) -> None:
        """Check the next batches with these CRDs."""
        self._crds = crds
        if self._pool is not None:
            self._pool.use_crds(crds)
        if self._context is not None:
            self._context.use_crds(crds)

    def check(self, sources: list[SourceFile]) -> list[FileResult]:
        """The results of ``sources``, in order.

        A file over the limits of the run gets a finding instead of a check; a big file
        is checked in parts (see :mod:`kubelint.run.parts`), spread over the workers.
        """
        tasks: list[tuple[SourceFile | FilePart, bytes | None]] = []
        sizes: list[int] = []
        plans: list[FileResult | range] = []  # per source: its result, or its tasks
        for source in sources:
            data = source.data
            size = _size(source)
            first = len(tasks)
            # bytes read when the run began travel with the task, once, not in its source
            bare = source._replace(data=None) if data is not None else source
            refused = _over_limits(source, size, None, self._options)
            if refused is None and size >= file_parts.SPLIT_BYTES:
                whole = data if data is not None else _read_or_none(source)
                if whole is not None:
                    refused = _over_limits(source, size, whole, self._options)
                    parts = file_parts.cut(bare, whole) if refused is None else []
                    if len(parts) > 1:
                        for part in parts:
                            piece = whole[part.start : part.end] if data is not None else None
                            tasks.append((part, piece))
                            sizes.append(part.end - part.start)
                del whole
            if refused is not None:
                plans.append(self._decided(refused))
                continue
            if len(tasks) == first:
                tasks.append((bare, data))
                sizes.append(size)
            plans.append(range(first, len(tasks)))
        done = self._run(tasks, sizes)
        results: list[FileResult] = []
        for source, plan in zip(sources, plans, strict=True):
            if isinstance(plan, FileResult):
                results.append(plan)
                continue
            outcomes = done[plan.start : plan.stop]
            if not isinstance(outcomes[0], PartResult):
                results.append(outcomes[0])
                continue
            merged = merge_parts(outcomes)
            if merged is None:  # not a manifest after all, or not text: check it whole
                (merged,) = self._run([(source._replace(data=None), source.data)], [0])
            results.append(merged)
        return results

    def _run(
        self, tasks: list[tuple[SourceFile | FilePart, bytes | None]], sizes: list[int]
    ) -> list[Any]:
        """The outcomes of checking whole files and parts of files, in order."""
        if self._pool is not None and len(tasks) > 1:
            outcomes: list[Any] = self._pool.check(tasks, sizes)
            return outcomes
        if self._context is None:
            self._context = Context(self._options, self._crds)
        return [_check_task(task, self._context, data) for task, data in tasks]

    def _decided(self, result: FileResult) -> FileResult:
        """``result``, a file not checked, with the run's policy applied."""
        if self._policy is None:
            self._policy = _policy(self._options)
        _decide(result, self._policy, Suppressions({}, ()))
        return result

    def close(self) -> None:
        """Stop the workers, if any."""
        if self._pool is not None:
            self._pool.close()


def _size(source: SourceFile) -> int:
    if source.data is not None:
        return len(source.data)
    if source.skip is not None or source.problem is not None:
        return 0
    try:
        return os.path.getsize(source.location)
    except OSError:
        return 0


def _read_or_none(source: SourceFile) -> bytes | None:
    try:
        return _content(source)
    except OSError:
        return None  # checked whole, which reports why it cannot be read


def _check_task(
    task: SourceFile | FilePart, ctx: Context, data: bytes | None
) -> FileResult | PartResult:
    """Check a whole file, or a part of a big one (what a worker is given)."""
    if isinstance(task, FilePart):
        return check_part(task, ctx, data)
    return check_source(task, ctx, data)


def _over_limits(
    source: SourceFile, size: int, data: bytes | None, options: CheckOptions
) -> FileResult | None:
    """A result with a finding instead of a check, for a file over the limits of the run
    (``data``, when given, is counted in documents); None when it is within them."""
    message = None
    if size > options.max_file_mb * MB:
        message = (
            f"the file is {size / MB:,.1f} MB, over the limit of {options.max_file_mb:,} MB: "
            "it was not checked"
        )
        hint = "split it, or raise the limit (max-file-size in .kubelint.yaml, --max-file-size)"
    elif data is not None and (count := file_parts.documents(data)) > options.max_documents:
        message = (
            f"the file holds {count:,} documents (--- lines), over the limit of "
            f"{options.max_documents:,}: it was not checked"
        )
        hint = "split it, or raise the limit (max-documents in .kubelint.yaml, --max-documents)"
    if message is None:
        return None
    result = FileResult(source.display)
    result.skipped["too-large"] += 1
    result.findings.append(_file_finding(source, "file-too-large", message, suggestion=hint))
    return result


def _check_all(
    checker: _Checker,
    sources: list[SourceFile],
    options: CheckOptions,
    crd_sources: list[SourceFile],
) -> list[FileResult]:
    """The two passes of :func:`run`."""
    registry = CrdRegistry()
    if crd_sources:
        for result in checker.check(crd_sources):
            registry.merge(result.crds)
        checker.use_crds(registry)
    builtin = schema_store.schemas_for(options.kubernetes_version).groups
    scans = [_scan(s, builtin) for s in sources]
    if any(defines for defines, _ in scans):
        first = [i for i, (defines, custom) in enumerate(scans) if defines or not custom]
    else:  # no CRD in the run: one pass
        first = list(range(len(sources)))
    results: list[FileResult | None] = [None] * len(sources)
    checked = checker.check([sources[i] for i in first])
    for index, result in zip(first, checked, strict=True):
        results[index] = result
    defined = CrdRegistry()
    for done in results:
        if done is not None:
            defined.merge(done.crds)
    groups = {crd.group for crd in defined.versions.values()}
    second = [i for i, r in enumerate(results) if r is None or (groups and r.crd_groups & groups)]
    if second:
        if groups:
            registry.merge(defined)
            checker.use_crds(registry)
        redone = checker.check([sources[i] for i in second])
        for index, result in zip(second, redone, strict=True):
            results[index] = result
    return [r for r in results if r is not None]


def run(
    sources: list[SourceFile], options: CheckOptions, crd_sources: Iterable[SourceFile] = ()
) -> RunResult:
    """Check ``sources``; ``crd_sources`` only contribute CRDs (their findings are dropped).

    Custom resources are checked against the CRDs of the whole run. The first pass checks
    the files that define CRDs and those that hold no custom resources; the second, with
    every CRD known, the files that may hold custom resources (their apiVersions tell),
    and any file of the first pass that turned out to hold some. Both use every core on
    a large run.
    """
    checker = _Checker(options, _jobs_for(sources, options))
    try:
        ordered = _check_all(checker, sources, options, list(crd_sources))
    finally:
        checker.close()
    findings = [f for r in ordered for f in r.findings]
    suppressed = [f for r in ordered for f in r.suppressed]
    kept, dropped = across_objects(ordered, options)
    findings.extend(kept)
    suppressed.extend(dropped)
    skipped: Counter[str] = Counter()
    for result in ordered:
        skipped.update(result.skipped)

    documents = sum(r.documents for r in ordered)
    objects = sum(len(r.objects) for r in ordered)
    del ordered  # what only the cross-object step needed: facts, objects
    _sort(findings, sources)
    _sort(suppressed, sources)
    return RunResult(findings, len(sources), documents, objects, skipped, suppressed)


def _sort(findings: list[Finding], sources: list[SourceFile]) -> None:
    """Sort by file (in run order), line, column and rule, in place.

    Two stable sorts with flat keys: a tuple key per finding would cost a run of half a
    million findings some 50 MB more at its peak.
    """
    findings.sort(key=attrgetter("rule"))
    findings.sort(key=lambda f: _order(sources, f.path) << 64 | f.line << 32 | f.column)


def across_objects(
    results: list[FileResult], options: CheckOptions
) -> tuple[list[Finding], list[Finding]]:
    """Findings of cross-object rules, after policy and suppressions: (kept, suppressed)."""
    from kubelint.checks import registry

    specs = registry.catalogue(FilePath(d) for d in options.rule_dirs)
    policy = _policy(options)
    context = RuleContext(options.kubernetes_version, options.namespace, options.strict_refs)
    raw: list[tuple[Finding, RuleSet]] = [(f, EMPTY) for f in _duplicate_objects(results)]
    facts_by_rule: dict[str, list[Fact]] = {}
    for result in results:
        for fact in result.facts:
            for rule_id in fact.rules:
                facts_by_rule.setdefault(rule_id, []).append(fact)
    for spec in specs:
        if spec.cross_check is None or spec.id not in policy.enabled:
            continue
        try:
            violations = list(
                spec.cross_check(
                    facts_by_rule.get(spec.id, []), rule_options(spec, options), context
                )
            )
        except Exception as exc:  # a rule bug must not cost the run
            info = rule("internal-error")
            where = results[0].path if results else "-"
            raw.append(
                (
                    Finding(
                        where,
                        1,
                        1,
                        info.id,
                        info.slug,
                        info.severity,
                        f"rule {spec.id} failed across objects: {exc!r}",
                    ),
                    EMPTY,
                )
            )
            continue
        for violation in violations:
            fact = violation.fact
            line, column = mark_of(fact.marks.get(violation.mark_key, 0))
            raw.append(
                (
                    Finding(
                        fact.path,
                        line + 1,
                        column + 1,
                        spec.id,
                        spec.slug,
                        violation.severity or spec.rule.severity,
                        violation.message,
                        violation.suggestion,
                        field=fact.fields.get(violation.mark_key),
                        object_ref=fact.object_ref,
                    ),
                    fact.ignored,
                )
            )
    by_path = {r.path: r.suppressions for r in results}
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding, ignored in raw:
        decided = policy.apply(finding)
        if decided is None:
            continue
        inline = by_path.get(finding.path)
        hidden = ignored.matches(decided.rule, decided.name) or (
            inline is not None and inline.suppresses(decided)
        )
        (suppressed if hidden else kept).append(decided)
    return kept, suppressed


def _policy(options: CheckOptions) -> Policy:
    """The run's policy: the configured one, or every rule that is on by default."""
    from kubelint.checks import registry

    specs = registry.catalogue(FilePath(d) for d in options.rule_dirs)
    return options.policy or Policy.build(specs, [], [], {}, {})


def _order(sources: list[SourceFile], path: str) -> int:
    positions = _order_cache.get(id(sources))
    if positions is None:
        positions = {s.display: i for i, s in enumerate(sources)}
        _order_cache.clear()
        _order_cache[id(sources)] = positions
    return positions.get(path, len(sources))


_order_cache: dict[int, dict[str, int]] = {}


def _duplicate_objects(results: list[FileResult]) -> list[Finding]:
    seen: dict[tuple[str, str, str | None, str], ObjectIdentity] = {}
    findings: list[Finding] = []
    info = rule("duplicate-object")
    for result in results:
        for identity in result.objects:
            if not identity.name:
                continue
            key = (identity.group, identity.kind, identity.namespace, identity.name)
            first = seen.get(key)
            if first is None:
                seen[key] = identity
                continue
            where = f"{first.path}:{mark_of(first.mark)[0] + 1}"
            scope = f"{identity.namespace}/{identity.name}" if identity.namespace else identity.name
            line, column = mark_of(identity.mark)
            findings.append(
                Finding(
                    identity.path,
                    line + 1,
                    column + 1,
                    info.id,
                    info.slug,
                    info.severity,
                    f"{identity.kind} {scope} is already defined at {where}; "
                    "applying both makes this one overwrite it",
                    "keep one definition, or rename one of them",
                    field="metadata.name",
                    object_ref=identity.ref,
                )
            )
    return findings
