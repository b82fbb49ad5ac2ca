"""The rule catalogue: every rule's id, slug, default severity and documentation.

Ids (``KL`` + three digits) are never reused. KL001-KL029 are the core checks made by
the loader and the schema validator; the rule catalogue proper starts at KL030.
Each doc follows the same headings: what it does, why it is bad, an example, and what
to write instead; ``kubelint explain`` and ``docs/rules.md`` render them.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from kubelint.report.model import Severity


class RuleDoc(NamedTuple):
    """The documentation of a rule, in the catalogue's fixed headings."""

    what: str
    why: str
    example: str
    use_instead: str


class Rule(NamedTuple):
    """A rule's identity and documentation."""

    id: str
    slug: str
    severity: Severity
    summary: str
    doc: RuleDoc


def _rule(rule_id: str, slug: str, severity: Severity, summary: str, **doc: str) -> Rule:
    return Rule(rule_id, slug, severity, summary, RuleDoc(**doc))


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

CORE_RULES: tuple[Rule, ...] = (
    _rule(
        "KL001",
        "yaml-syntax",
        E,
        "The file is not valid YAML, or cannot be read as text.",
        what="Reports YAML syntax errors, files that are not UTF-8 text, binary files, alias "
        "bombs, recursive or undefined aliases and absurdly deep nesting, at the line and "
        "column where the parser stopped. The other documents of the file are still checked.",
        why="kubectl cannot decode the file, so nothing in it is applied.",
        example="metadata:\n  name: web\n   labels:   # indented one space too far\n    app: web",
        use_instead="metadata:\n  name: web\n  labels:\n    app: web",
    ),
    _rule(
        "KL002",
        "duplicate-key",
        E,
        "A mapping sets the same key twice.",
        what="Reports the second occurrence of a key in the same mapping.",
        why="kubectl keeps the last value and applies it without a word: its YAML reader "
        "(sigs.k8s.io/yaml, go-yaml's non-strict decoding) turns the file into JSON, which "
        "has no duplicates left. Its client-side duplicate check (`NoDoubleKeySchema`, "
        "labels and annotations only) runs on that JSON, and only against servers without "
        "field validation; a 1.37 API server validates the JSON kubectl sends "
        "(`fieldValidation=Strict`), which has none either. So the first value is lost "
        "silently, and one of the two was a mistake.",
        example="spec:\n  selector:\n    app: a\n  selector:\n    app: b",
        use_instead="spec:\n  selector:\n    app: a",
    ),
    _rule(
        "KL003",
        "yaml-implicit-type",
        E,
        "An unquoted value that YAML reads as a boolean or number where a string is needed.",
        what="Reports plain scalars such as `yes`, `on`, `true`, `1.0` or `0777` in fields "
        "that take a string (env values, labels, annotations, ConfigMap data).",
        why="kubectl reads YAML 1.1: `yes`/`no`/`on`/`off`/`y`/`n` are booleans and `0777` is "
        "the number 511. The API server then rejects a boolean or number where it expects a "
        "string, or the string you get is not the one you wrote.",
        example="env:\n- name: DEBUG\n  value: yes",
        use_instead='env:\n- name: DEBUG\n  value: "yes"',
    ),
    _rule(
        "KL004",
        "missing-type-meta",
        E,
        "A document in a manifest file lacks apiVersion or kind, or is not an object.",
        what="Reports documents that have only one of `apiVersion` and `kind`, or that are "
        "scalars or lists in a file whose other documents are Kubernetes objects. Files in "
        "which no document has `apiVersion`/`kind` (values files, CI configuration) are "
        "skipped and counted instead.",
        why="kubectl cannot decode an object without both fields and stops there.",
        example="kind: ConfigMap\nmetadata:\n  name: settings",
        use_instead="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings",
    ),
    _rule(
        "KL005",
        "unknown-api-version",
        E,
        "The apiVersion is not served by Kubernetes.",
        what="Reports an apiVersion that no bundled Kubernetes version serves for the kind "
        "and that no CRD in the run defines, with the nearest real one.",
        why="The API server answers `no matches for kind` and the object is not applied.",
        example="apiVersion: app/v1\nkind: Deployment",
        use_instead="apiVersion: apps/v1\nkind: Deployment",
    ),
    _rule(
        "KL006",
        "unknown-kind",
        E,
        "The kind does not exist in that apiVersion.",
        what="Reports a kind that the apiVersion does not serve, with the nearest kind.",
        why="The API server answers `no matches for kind` and the object is not applied.",
        example="apiVersion: batch/v1\nkind: Jon",
        use_instead="apiVersion: batch/v1\nkind: Job",
    ),
    _rule(
        "KL007",
        "removed-api",
        E,
        "The apiVersion was removed from Kubernetes.",
        what="Reports an apiVersion/kind that was removed in or before the target Kubernetes "
        "version (`--kubernetes-version`), saying when, and what replaces it.",
        why="Clusters of that version no longer serve it: the apply fails.",
        example="apiVersion: extensions/v1beta1\nkind: Deployment",
        use_instead="apiVersion: apps/v1\nkind: Deployment",
    ),
    _rule(
        "KL008",
        "unknown-field",
        E,
        "A field that the schema does not have.",
        what="Reports keys that do not exist at that place in the object's schema, with the "
        "nearest field name. When the misspelt field was a required one, the missing-field "
        "error is folded into this one.",
        why="kubectl's strict field validation rejects unknown fields; with validation off "
        "the API server drops them silently, so the setting you wrote has no effect.",
        example="spec:\n  template:\n    spec:\n      conatiners:\n      - name: app",
        use_instead="spec:\n  template:\n    spec:\n      containers:\n      - name: app",
    ),
    _rule(
        "KL009",
        "invalid-type",
        E,
        "A value of the wrong type.",
        what="Reports values whose JSON type differs from the schema: a mapping where a list "
        "is expected, a string where a number is expected, and so on. Nothing below a value "
        "of the wrong type is reported.",
        why="The API server cannot decode the object and rejects it.",
        example="spec:\n  replicas: three",
        use_instead="spec:\n  replicas: 3",
    ),
    _rule(
        "KL010",
        "missing-required-field",
        E,
        "A required field is absent.",
        what="Reports required fields that are missing, at the key of the object that lacks "
        "them (e.g. a pod spec without `containers`, an object without `metadata.name`). "
        "Files listed as patches in a kustomization are partial and exempt.",
        why="The API server rejects the object with `Required value`.",
        example="spec:\n  template:\n    spec:\n      restartPolicy: Never",
        use_instead="spec:\n  template:\n    spec:\n      restartPolicy: Never\n"
        "      containers:\n      - name: app\n        image: busybox:1.36",
    ),
    _rule(
        "KL011",
        "invalid-enum-value",
        E,
        "A value outside the field's allowed set.",
        what="Reports values of enumerated fields (imagePullPolicy, restartPolicy, protocol, "
        "Service type, ...) that are not allowed, with the intended spelling (case matters).",
        why="The API server rejects the object with `Unsupported value`.",
        example="imagePullPolicy: always",
        use_instead="imagePullPolicy: Always",
    ),
    _rule(
        "KL012",
        "invalid-quantity",
        E,
        "A resource quantity with invalid syntax.",
        what="Reports resource quantities (`cpu`, `memory`, storage sizes) that the API "
        "server cannot parse, such as `1GB`, `1gi` or `500 m`.",
        why="The object is rejected; and `1GB`-style units are a common confusion between "
        "decimal (`G`) and binary (`Gi`) suffixes.",
        example="resources:\n  limits:\n    memory: 1GB",
        use_instead="resources:\n  limits:\n    memory: 1Gi",
    ),
    _rule(
        "KL013",
        "invalid-name",
        E,
        "A name that breaks Kubernetes naming rules.",
        what="Reports object names, container, port and volume names that are not valid "
        "DNS-1123 labels or subdomains (or DNS-1035 labels for Services) as the kind needs.",
        why="The API server rejects the object; names end up in DNS records and labels.",
        example="metadata:\n  name: My_App",
        use_instead="metadata:\n  name: my-app",
    ),
    _rule(
        "KL014",
        "invalid-label",
        E,
        "A label key or value with invalid syntax.",
        what="Reports label keys (optional DNS prefix, `/`, name of at most 63 characters) "
        "and values (at most 63 characters, alphanumerics, `-`, `_`, `.`) that are invalid, "
        "in metadata and in selectors.",
        why="The API server rejects the object.",
        example="labels:\n  app name: web",
        use_instead="labels:\n  app-name: web",
    ),
    _rule(
        "KL015",
        "invalid-annotation",
        E,
        "An annotation key with invalid syntax, or annotations too large.",
        what="Reports annotation keys that are not qualified names and annotation sets over "
        "the 256 KiB limit.",
        why="The API server rejects the object.",
        example="annotations:\n  my annotation: x",
        use_instead="annotations:\n  example.com/my-annotation: x",
    ),
    _rule(
        "KL016",
        "invalid-data-key",
        E,
        "A ConfigMap or Secret key with invalid characters.",
        what="Reports keys of ConfigMap `data`/`binaryData` and Secret `data`/`stringData` "
        "outside `[-._a-zA-Z0-9]`, longer than 253 characters, or `.`/`..`.",
        why="The API server rejects the object; keys become file names when mounted.",
        example="data:\n  aHRzMDAwMAo=: MTIzNDU2Cg==",
        use_instead="data:\n  username: MTIzNDU2Cg==",
    ),
    _rule(
        "KL017",
        "invalid-value",
        E,
        "A value that breaks a schema constraint.",
        what="Reports values outside a field's range or format (int32 overflow, patterns, "
        "lengths, item counts, duplicate entries of set-like lists in custom resources, "
        "invalid ports, percentages, cron schedules) that the API server validates.",
        why="The API server rejects the object.",
        example="ports:\n- containerPort: 70000",
        use_instead="ports:\n- containerPort: 7000",
    ),
    _rule(
        "KL018",
        "missing-schema",
        W,
        "No schema is known for a custom resource.",
        what="Reports custom resources whose CRD is neither among the checked files nor "
        "given with `--crd`, so their content cannot be validated. "
        "`--ignore-missing-schemas` silences it.",
        why="An unvalidated object can hide every other mistake in it.",
        example="apiVersion: example.com/v1\nkind: Widget",
        use_instead="kubelint check --crd crds/ manifests/",
    ),
    _rule(
        "KL019",
        "exported-object",
        W,
        "The manifest carries server-set fields from `kubectl get -o yaml`.",
        what="Reports `status`, `metadata.resourceVersion`, `uid`, `creationTimestamp`, "
        "`generation`, `managedFields`, `selfLink` and the "
        "`kubectl.kubernetes.io/last-applied-configuration` annotation in a manifest.",
        why="They belong to a live object. Applying them pins a stale resourceVersion (update "
        "conflicts), writes an old last-applied configuration that decides what the next "
        "apply deletes, and makes diffs noisy.",
        example='metadata:\n  name: web\n  resourceVersion: "81237"\n  uid: 5c1d...\n'
        "status:\n  replicas: 2",
        use_instead="metadata:\n  name: web",
    ),
    _rule(
        "KL020",
        "duplicate-object",
        W,
        "Two documents define the same object.",
        what="Reports an object whose API group, kind, namespace and name were already defined "
        "earlier in the run (objects without a namespace are in `--namespace`).",
        why="Applying both makes the second silently overwrite the first.",
        example="# a.yaml and b.yaml both:\nkind: Deployment\nmetadata:\n  name: web",
        use_instead="Keep one definition, or give the objects different names or namespaces.",
    ),
    _rule(
        "KL021",
        "helm-template",
        N,
        "A template file (`{{ }}`) was skipped.",
        what="Notes files that contain Helm/Go template directives and were therefore not "
        "checked as manifests.",
        why="Templates are not manifests until rendered; their findings would be noise.",
        example="image: {{ .Values.image }}",
        use_instead="helm template ./chart | kubelint check -",
    ),
    _rule(
        "KL028",
        "file-too-large",
        E,
        "A file over the size or document limit of the run was not checked.",
        what="Reports a file bigger than `max-file-size` (default 128 MB) or holding more than "
        "`max-documents` documents (default 1,000,000, counted by their `---` lines), instead "
        "of checking it. Set the limits in `.kubelint.yaml` or with `--max-file-size` and "
        "`--max-documents`. Files up to the default size are checked fully; a big file is "
        "checked in parts, on every core, with memory that grows with its findings.",
        why="A file that size is rarely a manifest written by hand (a log, a dump, generated "
        "output), and checking it takes memory in proportion: the limit turns an exhausted "
        "machine into a finding. A file that was not checked cannot be trusted either.",
        example="kubelint check dump-of-every-namespace.yaml   # 300 MB",
        use_instead="Split the file, or raise the limit: `--max-file-size 400`.",
    ),
    _rule(
        "KL029",
        "internal-error",
        E,
        "kubelint failed while checking an object.",
        what="Reports that a rule raised an unexpected error on an object; the rest of the run "
        "goes on. This is a bug in kubelint: please report it with the object.",
        why="A check that did not run cannot vouch for the object.",
        example="(any object that triggers a bug)",
        use_instead="Report the bug; silence with `ignore: [KL029]` meanwhile.",
    ),
)


@functools.cache
def rules_by_key() -> dict[str, Rule]:
    """Every rule by id and by slug."""
    table: dict[str, Rule] = {}
    for rule in CORE_RULES:
        table[rule.id] = rule
        table[rule.slug] = rule
    return table


def rule(key: str) -> Rule:
    """The rule with this id or slug."""
    return rules_by_key()[key]
