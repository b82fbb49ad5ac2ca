"""The objects of one manifest file: type meta, ``List`` expansion, schema selection and
validation, misspelt keys read as meant, exported objects, then the rules."""

from __future__ import annotations

import sys
from typing import Any

from kubelint.checks.api import FixSpec
from kubelint.config.policy import object_ignores
from kubelint.config.rule_sets import EMPTY, RuleSet
from kubelint.load.documents import Document, LoadedFile, Mark, YamlMap, YamlSeq, pack_mark
from kubelint.load.objects import LAST_APPLIED, KubeObject
from kubelint.load.paths import AT_KEY, AT_VALUE, Path, format_path, locate
from kubelint.load.sources import SourceFile
from kubelint.report.model import Finding, ObjectRef
from kubelint.rules.core import (
    EXPORTED_OBJECT,
    INVALID_NAME,
    INVALID_TYPE,
    MISSING_REQUIRED_FIELD,
    MISSING_TYPE_META,
    UNKNOWN_FIELD,
)
from kubelint.rules.index import rule
from kubelint.rules.rule import Rule
from kubelint.run.context import Context
from kubelint.run.findings import FindingBuilder
from kubelint.run.object_rules import run_rules
from kubelint.run.results import FileResult, ObjectIdentity
from kubelint.schema import store as schema_store
from kubelint.schema.api_server import name_issues
from kubelint.schema.compile import Issue, Node
from kubelint.schema.crds import versions_of_crd
from kubelint.schema.select import select_schema

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

EXPORTED_METADATA = (
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "generation",
    "managedFields",
    "selfLink",
)


class ManifestChecker:
    """Checks the objects of one loaded manifest file into its :class:`FileResult`."""

    def __init__(
        self, ctx: Context, source: SourceFile, loaded: LoadedFile, result: FileResult
    ) -> None:
        self.ctx = ctx
        self.source = source
        self.result = result
        self.build = FindingBuilder(source.display, loaded)
        self.object_ignores: RuleSet = EMPTY

    # -- reporting ---------------------------------------------------------------------
    def keep(self, finding: Finding) -> None:
        """Record a finding; those the object's ignore annotation names are set aside for
        the policy (:func:`kubelint.run.findings.decide_file`) to count as suppressed."""
        if self.object_ignores.matches(finding.rule, finding.name):
            self.result.suppressed.append(finding)
        else:
            self.result.findings.append(finding)

    def report(
        self, info: Rule, mark: Mark, message: str, suggestion: str | None = None, **details: Any
    ) -> None:
        """Record a finding of a core rule at ``mark``."""
        self.keep(self.build.at(info, mark, message, suggestion, **details))

    # -- documents ---------------------------------------------------------------------
    def check(self, document: Document) -> None:
        """Check one document of a manifest file."""
        value = document.value
        for problem in document.problems:
            self.keep(self.build.yaml_problem(problem))
        if value is None:
            return
        if not isinstance(value, dict) or ("apiVersion" not in value and "kind" not in value):
            self.report(
                MISSING_TYPE_META,
                document.start_mark,
                "this document is not a Kubernetes object (no apiVersion and kind)",
                "remove it, or move it to a file of its own",
            )
            return
        self.check_object(value, (), document.start_mark)

    def check_object(self, root: Any, prefix: Path, start: Mark) -> None:
        """Check the object at ``prefix`` in the document ``root`` (every item of a List)."""
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
                MISSING_TYPE_META,
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
        if self._check_list(root, prefix, start, obj, api_version, kind, name):
            return

        chosen = select_schema(
            self.ctx,
            api_version,
            kind,
            self.ctx.options.kubernetes_version,
            ignore_missing=self.ctx.options.ignore_missing_schemas,
        )
        if not chosen.builtin and "." in group:  # only such groups can be a CRD's
            self.result.crd_groups.add(group)
        problem = chosen.problem
        if problem is not None:
            field = problem.field
            meant = problem.meant
            self.report(
                rule(problem.slug),
                locate(root, (*prefix, field), AT_VALUE, start),
                problem.message,
                problem.suggestion,
                field_path=field,
                obj=ref,
                fix=FixSpec(f"Change {field} to {meant}", (field,), "value", meant)
                if meant is not None
                else None,
            )
        node, group, meant_version, meant_kind = chosen[:4]
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
            cluster = self.ctx.is_cluster_scoped(group, meant_kind)
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
            found = run_rules(
                self.ctx,
                self.build,
                kube,
                ref,
                partial=self.source.partial,
                ignored=self.object_ignores,
                facts=self.result.facts,
            )
            for finding in found:
                self.keep(finding)
        self.object_ignores = EMPTY

    def _check_list(
        self,
        root: Any,
        prefix: Path,
        start: Mark,
        obj: dict[str, Any],
        api_version: str,
        kind: str,
        name: str | None,
    ) -> bool:
        """Check every item of a list of objects as an object of its own; returns whether
        the object is such a list."""
        items = obj.get("items")
        if not ((kind == "List" or kind.endswith("List")) and isinstance(items, list)) or name:
            return False
        schemas = self.ctx.schemas
        if not (
            kind == "List"
            or schemas.list_definition(api_version, kind) is not None
            or schemas.kind_definition(api_version, kind[:-4])
        ):
            return False
        for index, item in enumerate(items):
            item_path = (*prefix, "items", index)
            if isinstance(item, dict):
                self.check_object(root, item_path, start)
            else:
                self.report(
                    INVALID_TYPE,
                    locate(root, item_path, AT_VALUE, start),
                    "a list item must be a Kubernetes object",
                    field_path=format_path(item_path),
                )
        return True

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
        if self.ctx.is_cluster_scoped(group, kind):
            # kubectl drops the namespace of a cluster-scoped object, and so does the server
            issues = [i for i in issues if i.path[:2] != ("metadata", "namespace")]
        if not self.source.partial and name is None and not metadata.get("generateName"):
            if isinstance(obj.get("metadata"), dict):
                issues.append(
                    Issue(
                        MISSING_REQUIRED_FIELD.slug,
                        ("metadata", "name"),
                        'missing required field "name"',
                        None,
                        "parent",
                    )
                )
            elif "metadata" not in obj:
                issues.append(
                    Issue(
                        MISSING_REQUIRED_FIELD.slug,
                        ("metadata",),
                        'missing required field "metadata" (with a name)',
                        None,
                        "parent",
                    )
                )
        if name is not None:
            for problem in name_issues(group, kind, name):
                issues.append(
                    Issue(INVALID_NAME.slug, ("metadata", "name"), f'name "{name}": {problem}')
                )
        renames: dict[Path, str] = {}
        for issue in issues:
            path = (*prefix, *issue.path)
            if issue.rule == UNKNOWN_FIELD.slug and issue.meant is not None:
                renames[path] = issue.meant
            self.keep(self.build.schema_issue(issue, path, locate(root, path, issue.at, here), ref))
        return renames

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
        cluster = self.ctx.is_cluster_scoped(group, kind)
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
            EXPORTED_OBJECT,
            locate(root, first_path, AT_KEY, here),
            f"this manifest carries fields of a live object ({names}): "
            "it looks exported with `kubectl get -o yaml`",
            "remove status, server-set metadata and the last-applied annotation before applying",
            field_path=format_path(first_path),
            obj=ref,
        )


def _renamed(root: Any, prefix: Path, renames: dict[Path, str]) -> Any:
    """The document as it was meant: misspelt keys renamed (copies along each path)."""

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
