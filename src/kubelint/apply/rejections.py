"""What the API server (or kubectl itself) would refuse in an apply, judged offline.

``kubectl apply`` computes its request on the client and sends it without checking it:
the API server validates the object the request makes (the simulation's ``result``)
against the object it replaces (the live one) and refuses the whole request on any
error. The checks here follow the API server's own validation code (the Go functions are
named in each docstring) of current releases (1.31 and later), for the kinds and versions
served today:

========  =======================  ===========================================================
code      slug                     refused
========  =======================  ===========================================================
KA001     annotations-too-large    annotations over 262144 bytes in total (creates and patches)
KA002     immutable-field          a change to a field that cannot change after creation
KA003     immutable-object         a change to a ConfigMap or Secret marked ``immutable: true``
KA004     namespace-mismatch       kubectl itself: ``--namespace`` differs from the manifest's
KA005     patch-not-mergeable      the server's strategic merge cannot apply kubectl's patch
KA006     api-not-served           kubectl itself: the cluster does not serve the apiVersion
========  =======================  ===========================================================

A check names paths of the object; :func:`to_finding` places them in the manifest file.

Changes are judged as the server judges them, with its semantic equality: null, empty
maps and empty lists equal a missing field, quantities compare by amount. A field the
result lacks (the manifest dropped it since the last apply, so the patch deletes it) is
a change only where no server default can put the old value back: map entries (labels,
selectors, data), list fields, and label selectors. Elsewhere the server may default it
again, and nothing is reported.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from kubelint.apply.client_side.patch_meta import PatchMetaError, SchemaType
from kubelint.apply.model import LAST_APPLIED, SourcedObject
from kubelint.apply.values import JSON, copy, deep_equal, go_json
from kubelint.checks.core_catalog import Rule, RuleDoc
from kubelint.load.paths import Path, locate
from kubelint.report.model import Finding, ObjectRef, Severity
from kubelint.schema.api_server import MAX_ANNOTATIONS_BYTES
from kubelint.schema.formats.quantities import parse_quantity

ANNOTATIONS_TOO_LARGE: Final = "KA001"
IMMUTABLE_FIELD: Final = "KA002"
IMMUTABLE_OBJECT: Final = "KA003"
NAMESPACE_MISMATCH: Final = "KA004"
PATCH_NOT_MERGEABLE: Final = "KA005"
API_NOT_SERVED: Final = "KA006"

#: Refusals by kubectl itself: nothing is sent for the object.
KUBECTL_REFUSALS: Final = frozenset({NAMESPACE_MISMATCH, API_NOT_SERVED})

#: The refusals as catalogue entries (``kubelint explain KA002``, ``docs/rules.md``). They
#: are not ``kubelint check`` rules: only ``kubelint apply`` reports them, always, as errors.
#: Each example is a manifest change against the live object; codes are never reused.
RULES: Final[tuple[Rule, ...]] = (
    Rule(
        ANNOTATIONS_TOO_LARGE,
        "annotations-too-large",
        Severity.ERROR,
        "The object's annotations would add up to more than 262144 bytes.",
        RuleDoc(
            what="Adds up the keys and values, in bytes, of every annotation of the object "
            "the apply writes: the manifest's own, those the live object keeps, and the "
            "`kubectl.kubernetes.io/last-applied-configuration` annotation, in which "
            "client-side apply copies the whole manifest. Reports a total over 262144 bytes "
            "(256 KiB), on creates and patches alike.",
            why="The API server refuses the whole request (`metadata.annotations: Too long: "
            "must have at most 262144 bytes`), so nothing of the object is applied. As the "
            "last-applied annotation is a copy of the whole manifest, any manifest over 256 "
            "KiB trips the limit on its own, without a single annotation of yours: a "
            "ConfigMap with large data (it may hold 1 MiB), a big CustomResourceDefinition.",
            example="# live: none (the object is created)\n"
            "# manifest: 300 KB of data, which kubectl apply copies whole into the\n"
            "# last-applied annotation\n"
            "kind: ConfigMap\n"
            "metadata:\n"
            "  name: dashboards\n"
            "data:\n"
            "  overview.json: |   # 150 KB of JSON\n"
            '    {"panels": [...]}\n'
            "  latency.json: |    # 150 KB of JSON\n"
            '    {"panels": [...]}',
            use_instead="# kubectl apply --server-side -f dashboards.yaml: server-side apply\n"
            "# writes no last-applied copy; or one ConfigMap per dashboard:\n"
            "kind: ConfigMap\n"
            "metadata:\n"
            "  name: dashboard-overview\n"
            "data:\n"
            "  overview.json: |   # 150 KB of JSON\n"
            '    {"panels": [...]}\n'
            "---\n"
            "kind: ConfigMap\n"
            "metadata:\n"
            "  name: dashboard-latency\n"
            "data:\n"
            "  latency.json: |    # 150 KB of JSON\n"
            '    {"panels": [...]}',
        ),
    ),
    Rule(
        IMMUTABLE_FIELD,
        "immutable-field",
        Severity.ERROR,
        "The manifest changes a field that cannot change after the object is created.",
        RuleDoc(
            what="Compares the live object with the object the apply would make, as the API "
            "server's update validation does, and reports a changed field that the server "
            "never lets change: the selector of a Deployment, ReplicaSet or DaemonSet; a "
            "StatefulSet's spec but for replicas, template, update strategy and a few more; "
            "a Job's template, selector, completions, completion mode and failure policies; "
            "a Service's cluster IPs; a PersistentVolumeClaim's spec beyond storage growth; "
            "a Secret's type. Values compare as the server compares them (`1Gi` equals "
            "`1024Mi`), and a field the manifest drops is a change only where no server "
            "default puts it back. docs/apply.md lists every field.",
            why="The API server refuses the whole patch (`field is immutable`), so the apply "
            "fails and none of the manifest's other changes land either. The fix is a "
            "decision to make before the deploy: revert the field, or delete and recreate "
            "the object.",
            example="# live\n"
            "spec:\n"
            "  selector:\n"
            "    matchLabels:\n"
            "      app: web\n"
            "---\n"
            "# manifest\n"
            "spec:\n"
            "  selector:\n"
            "    matchLabels:\n"
            "      app: web\n"
            "      track: stable   # refused: a Deployment's selector is immutable",
            use_instead="# manifest: the selector as it is live; new labels go on the Pods only\n"
            "spec:\n"
            "  selector:\n"
            "    matchLabels:\n"
            "      app: web\n"
            "  template:\n"
            "    metadata:\n"
            "      labels:\n"
            "        app: web\n"
            "        track: stable",
        ),
    ),
    Rule(
        IMMUTABLE_OBJECT,
        "immutable-object",
        Severity.ERROR,
        "The manifest changes a ConfigMap or Secret that is marked `immutable: true`.",
        RuleDoc(
            what="Reports a change to `data` or `binaryData` of a live ConfigMap marked "
            "`immutable: true`, or to the data of such a Secret (`stringData` included, as "
            "the server writes it over `data`), and a manifest that unsets `immutable`.",
            why='The API server refuses the patch ("field is immutable when `immutable` is '
            "set\"), so none of the manifest's changes to the object land: an immutable "
            "ConfigMap or Secret can only be deleted and created again, or succeeded by a "
            "new one under another name.",
            example="# live\n"
            "kind: ConfigMap\n"
            "metadata:\n"
            "  name: settings\n"
            "immutable: true\n"
            "data:\n"
            "  mode: blue\n"
            "---\n"
            "# manifest\n"
            "kind: ConfigMap\n"
            "metadata:\n"
            "  name: settings\n"
            "immutable: true\n"
            "data:\n"
            "  mode: green   # refused",
            use_instead="# manifest: a new ConfigMap under a new name, and the Pods pointed at it\n"
            "kind: ConfigMap\n"
            "metadata:\n"
            "  name: settings-v2\n"
            "immutable: true\n"
            "data:\n"
            "  mode: green",
        ),
    ),
    Rule(
        NAMESPACE_MISMATCH,
        "namespace-mismatch",
        Severity.ERROR,
        "`--namespace` names another namespace than the manifest's `metadata.namespace`.",
        RuleDoc(
            what="Reports a namespaced object whose `metadata.namespace` differs from the "
            "namespace given explicitly with `kubelint apply --namespace` (`-n`), as kubectl "
            "does when it is given the same flag. An object without a namespace goes to the "
            "namespace given; cluster-scoped objects are not concerned.",
            why="kubectl refuses the object before sending anything (`the namespace from the "
            'provided object "prod" does not match the namespace "staging"`) and the '
            "command fails: a manifest pinned to one namespace cannot be deployed to "
            "another by the flag alone.",
            example="# command: kubectl apply -n staging -f web-config.yaml\n"
            "# live: none\n"
            "# manifest\n"
            "kind: ConfigMap\n"
            "metadata:\n"
            "  name: web-config\n"
            "  namespace: prod",
            use_instead="# command: kubectl apply -n staging -f web-config.yaml\n"
            "# manifest: no namespace, so -n decides\n"
            "kind: ConfigMap\n"
            "metadata:\n"
            "  name: web-config",
        ),
    ),
    Rule(
        PATCH_NOT_MERGEABLE,
        "patch-not-mergeable",
        Severity.ERROR,
        "The API server cannot merge the patch kubectl sends into the live object.",
        RuleDoc(
            what="Applies the patch kubectl computes to the live object with the API "
            "server's own strategic merge (k8s.io/apimachinery `StrategicMergeMapPatch`) and "
            "reports the patch when that merge fails. kubectl computes its patch without "
            "applying it, so a patch can be sent that the server cannot merge: a merge list "
            "whose manifest repeats a key (two env vars of the same name) together with "
            "another change to the list makes a `$setElementOrder` list that does not match "
            "the patch's own items.",
            why="kubectl sends the patch and the API server refuses the whole request (`The "
            "order in patch list: ... doesn't match $setElementOrder list: ...`), so none of "
            "the manifest's changes to the object land. The same manifest applies once the "
            "duplicate is gone.",
            example="# live: env has SERVICE_NAME only\n"
            "# manifest\n"
            "env:\n"
            "- name: UDP_ECHO_SERVER\n"
            "- name: SERVICE_NAME\n"
            "  value: v2            # another change to the list\n"
            "- name: UDP_ECHO_SERVER  # the same name again: refused",
            use_instead="# manifest: each name once (the last value is the one a Pod sees)\n"
            "env:\n"
            "- name: SERVICE_NAME\n"
            "  value: v2\n"
            "- name: UDP_ECHO_SERVER",
        ),
    ),
    Rule(
        API_NOT_SERVED,
        "api-not-served",
        Severity.ERROR,
        "The cluster does not serve the manifest's apiVersion for this kind.",
        RuleDoc(
            what="Reports an object whose apiVersion and kind the target Kubernetes version "
            "(`--kubernetes-version`, the newest bundled by default) no longer serves, such "
            "as `extensions/v1beta1` Deployments or `batch/v1beta1` CronJobs. kubectl still "
            "compiles many of these versions in and would send a strategic merge patch to a "
            "cluster that serves them; the report shows that request, and this finding says "
            "that the target cluster gets none.",
            why="kubectl maps every object to a resource of the cluster before it sends "
            "anything; for a version the cluster does not serve it stops on that object "
            '(`resource mapping not found for name: "web" namespace: "" from "web.yaml": no '
            'matches for kind "Deployment" in version "extensions/v1beta1"`), and the '
            "command fails.",
            example="# live: none, or the object as the cluster serves it\n"
            "apiVersion: extensions/v1beta1   # removed in Kubernetes 1.16\n"
            "kind: Deployment\n"
            "metadata:\n"
            "  name: web",
            use_instead="apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web",
        ),
    ),
)

#: code -> slug.
SLUGS: Final[dict[str, str]] = {rule.id: rule.slug for rule in RULES}


def find_rule(key: str) -> Rule | None:
    """The rejection with this code (in any case) or slug."""
    return next((r for r in RULES if key in (r.slug, r.id) or key.upper() == r.id), None)


#: Where in the manifest a finding points: the values :func:`kubelint.load.paths.locate` takes.
AT_KEY: Final = "key"
AT_VALUE: Final = "value"

#: Schema types none of whose fields the server defaults: a field dropped there is gone.
_NO_DEFAULTS: Final = frozenset({"LabelSelector", "LabelSelectorRequirement"})

_REPLACE: Final = (
    "or delete and recreate the object (`kubectl replace --force -f FILE`, or "
    "`kubectl delete` then `kubectl apply`)"
)


@dataclass(frozen=True, slots=True)
class Rejection:
    """One refusal: its code, what is said and why, the remedy, and where.

    ``where`` holds paths of the result object (list steps index the result), best
    first: the finding goes to the first one the manifest has, else to the nearest
    ancestor the manifest has of the first. ``at`` picks the key or the value there.
    """

    code: str
    message: str
    suggestion: str
    where: tuple[Path, ...]
    at: str = AT_KEY

    @property
    def slug(self) -> str:
        """The rule's name."""
        return SLUGS[self.code]


# --- the checks --------------------------------------------------------------------------


def rejections(
    group: str,
    kind: str,
    operation: str,
    live: dict[str, JSON] | None,
    result: dict[str, JSON] | None,
    root: SchemaType | None,
) -> list[Rejection]:
    """Everything the API server would refuse in the request kubectl sends for one object.

    ``operation`` is the simulated one: a create is validated as a create, a patch as an
    update of ``live`` into ``result``; nothing is sent for an unchanged object.
    """
    if result is None or operation not in ("create", "patch"):
        return []
    found = _annotations_size(result, operation)
    check = _UPDATE_CHECKS.get((group, kind))
    if operation == "patch" and live is not None and check is not None:
        found.extend(check(live, result, root))
    return found


def _go_len(text: str) -> int:
    """Go's ``len`` of a string: its UTF-8 bytes (a lone surrogate as U+FFFD's three)."""
    return len(text.encode("utf-8", "surrogatepass"))


def _refused(operation: str) -> str:
    return f"the API server would reject the {operation}"


def _annotations_size(result: dict[str, JSON], operation: str) -> list[Rejection]:
    """apimachinery ``ValidateAnnotationsSize``: the sum of ``len(key) + len(value)`` over
    all annotations, in bytes, may not exceed 262144 (``TotalAnnotationSizeLimitB``).

    Checked on every create and update (``ValidateObjectMeta``/``...Update``), custom
    resources included. kubectl's last-applied annotation is a copy of the whole
    manifest, so a large CustomResourceDefinition or ConfigMap trips it on its own.
    """
    metadata = result.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if not isinstance(annotations, dict):
        return []
    sizes = {k: _go_len(k) + _go_len(v) for k, v in annotations.items() if isinstance(v, str)}
    total = sum(sizes.values())
    if total <= MAX_ANNOTATIONS_BYTES:
        return []
    copy_size = sizes.get(LAST_APPLIED, 0)
    return [
        Rejection(
            ANNOTATIONS_TOO_LARGE,
            f"{_refused(operation)}: metadata.annotations: Too long: must have at most "
            f"{MAX_ANNOTATIONS_BYTES} bytes (the annotations add up to {total} bytes, "
            f"{copy_size} of them in {LAST_APPLIED}, kubectl's copy of the whole manifest)",
            "apply it with `kubectl apply --server-side`, which keeps no last-applied copy "
            "(`kubectl create` and `kubectl replace` write none either)",
            (("metadata",),),
        )
    ]


def _child(schema: SchemaType | None, key: str) -> SchemaType | None:
    if schema is None:
        return None
    try:
        return schema.lookup_struct(key)[0]
    except PatchMetaError:
        return None


def _sub(schema: SchemaType | None, *keys: str) -> SchemaType | None:
    for key in keys:
        schema = _child(schema, key)
    return schema


def _get(value: JSON, *keys: str) -> JSON:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _absent(value: JSON) -> bool:
    return value is None or (isinstance(value, dict | list) and not value)


def _same_scalar(old: JSON, new: JSON) -> bool:
    numbers = (int, float)
    if (
        isinstance(old, numbers)
        and isinstance(new, numbers)
        and not isinstance(old, bool)
        and not isinstance(new, bool)
    ):
        return old == new  # a typed Go field holds 1 and 1.0 alike
    return deep_equal(old, new)


def _same_quantity(old: JSON, new: JSON) -> bool:
    if isinstance(old, str | int | float) and isinstance(new, str | int | float):
        before, _ = parse_quantity(old, strict=False)
        after, _ = parse_quantity(new, strict=False)
        if before is not None and after is not None:
            return before == after
    return deep_equal(old, new)


def differences(
    old: JSON,
    new: JSON,
    schema: SchemaType | None,
    path: Path = (),
    defaulted: frozenset[str] | None = None,
    *,
    gone: bool = False,
) -> list[Path]:
    """Paths where ``new`` differs from ``old`` as apimachinery's ``Semantic.DeepEqual``
    sees it, reported only where no server default can make them equal again (see the
    module docstring). Paths index lists of ``new``.

    ``defaulted``, when known, names every field the server defaults in this part of the
    object: a field ``new`` lacks is then a change unless it is one of them. ``gone``
    says that ``new`` lacking this very value is a change (no default restores it).
    """
    if _absent(new):
        if _absent(old):
            return []
        dropped = gone or isinstance(old, list)
        dropped = dropped or (defaulted is not None and bool(path) and path[-1] not in defaulted)
        return [path] if dropped else []
    if _absent(old):
        return [path]
    if schema is not None and schema.name == "Quantity":
        return [] if _same_quantity(old, new) else [path]
    if isinstance(old, dict) and isinstance(new, dict):
        free = schema is not None and (schema.shape == "map" or schema.name in _NO_DEFAULTS)
        found: list[Path] = []
        for key in dict.fromkeys([*new, *old]):
            found.extend(
                differences(
                    old.get(key),
                    new.get(key),
                    _child(schema, key),
                    (*path, key),
                    defaulted,
                    gone=free,
                )
            )
        return found
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return [path]
        element = schema.element() if schema is not None and schema.shape == "slice" else None
        found = []
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            found.extend(differences(before, after, element, (*path, index), defaulted))
        return found
    return [] if _same_scalar(old, new) else [path]


def _immutable(path: Path, value: JSON, why: str, suggestion: str) -> Rejection:
    """apimachinery ``ValidateImmutableField``: ``<path>: Invalid value: <new>: field is
    immutable`` (the server prints the value as a Go struct; here it is JSON)."""
    shown = go_json(value)
    if len(shown) > 100:  # the server prints the whole Go struct; a template is too long
        shown = "{...}"
    return Rejection(
        IMMUTABLE_FIELD,
        f"{_refused('patch')}: {_dotted(path)}: Invalid value: {shown}: field is immutable ({why})",
        suggestion,
        (path,),
    )


def _dotted(path: Path) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def _first_change(
    live: JSON, result: JSON, schema: SchemaType | None, path: Path, *, gone: bool = False
) -> tuple[Path, ...] | None:
    """None when unchanged; else where to report: the first change, then the field.
    ``gone``: the field has no default, so the result lacking it is a change."""
    changed = differences(live, result, schema, path, gone=gone)
    if not changed:
        return None
    return (changed[0], path) if changed[0] != path else (path,)


def _selector(
    kind: str,
) -> Callable[[dict[str, JSON], dict[str, JSON], SchemaType | None], list[Rejection]]:
    def check(
        live: dict[str, JSON], result: dict[str, JSON], root: SchemaType | None
    ) -> list[Rejection]:
        """The ``apps/v1`` strategies' ``ValidateUpdate``: ``spec.selector`` is immutable
        (``ValidateImmutableField`` on the selector; only the removed extensions/v1beta1
        and apps/v1beta1 let it change)."""
        path: Path = ("spec", "selector")
        new = _get(result, "spec", "selector")
        where = _first_change(
            _get(live, "spec", "selector"), new, _sub(root, "spec", "selector"), path, gone=True
        )
        if where is None:
            return []
        found = _immutable(
            path,
            new,
            f"apps/v1 does not let a {kind}'s selector change: it decides which Pods "
            "the object owns",
            f"revert spec.selector to the live value, {_REPLACE}",
        )
        return [_moved(found, where)]

    return check


def _moved(rejection: Rejection, where: tuple[Path, ...]) -> Rejection:
    return Rejection(rejection.code, rejection.message, rejection.suggestion, where, rejection.at)


#: ``ValidateStatefulSetUpdate``: the spec fields an update may change.
STATEFULSET_MUTABLE: Final = (
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
)


def _statefulset(
    live: dict[str, JSON], result: dict[str, JSON], root: SchemaType | None
) -> list[Rejection]:
    """apps ``ValidateStatefulSetUpdate``: the spec, with the fields of
    :data:`STATEFULSET_MUTABLE` copied from the old object, must equal the old spec.

    One finding per changed field (the server says it once, for ``spec``).
    """
    old, new = _get(live, "spec"), _get(result, "spec")
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    schema = _sub(root, "spec")
    found: list[Rejection] = []
    for key in dict.fromkeys([*new, *old]):
        if key in STATEFULSET_MUTABLE:
            continue
        where = _first_change(
            old.get(key),
            new.get(key),
            _child(schema, key),
            ("spec", key),
            gone=key not in _STATEFULSET_DEFAULTED,
        )
        if where is None:
            continue
        allowed = ", ".join(f"'{k}'" for k in STATEFULSET_MUTABLE[:-1])
        found.append(
            Rejection(
                IMMUTABLE_FIELD,
                f"{_refused('patch')}: spec: Forbidden: updates to statefulset spec for "
                f"fields other than {allowed} and '{STATEFULSET_MUTABLE[-1]}' are forbidden "
                f"(the manifest changes spec.{key})",
                f"revert spec.{key} to the live value, or delete the StatefulSet but keep "
                "its Pods (`kubectl delete statefulset NAME --cascade=orphan`) and apply "
                "again",
                where,
            )
        )
    return found


#: The spec fields outside :data:`STATEFULSET_MUTABLE` that SetDefaults_StatefulSet fills.
_STATEFULSET_DEFAULTED: Final = frozenset({"podManagementPolicy", "revisionHistoryLimit"})

_JOB_IMMUTABLE: Final = (
    "selector",
    "completionMode",
    "podFailurePolicy",
    "backoffLimitPerIndex",
    "managedBy",
    "successPolicy",
)
_JOB_REMEDY: Final = (
    "revert the change, or delete the Job and apply it again "
    "(`kubectl replace --force -f FILE`): a Job runs its template once, so a new run is a "
    "new Job"
)


def _job(
    live: dict[str, JSON], result: dict[str, JSON], root: SchemaType | None
) -> list[Rejection]:
    """batch ``ValidateJobSpecUpdate``: ``selector``, ``completionMode``,
    ``podFailurePolicy``, ``backoffLimitPerIndex``, ``managedBy`` and ``successPolicy``
    are immutable; so is ``template`` (``validatePodTemplateUpdate``), except that a Job
    that is suspended and has never started (no ``status.startTime``) may change its
    node selector, tolerations, node affinity, scheduling gates and the template's labels
    and annotations; ``completions`` is immutable (``validateCompletions``) except in an
    Indexed Job, where it may change together with ``parallelism`` (equal to it).
    """
    old, new = _get(live, "spec"), _get(result, "spec")
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    schema = _sub(root, "spec")
    found: list[Rejection] = []
    for key in _JOB_IMMUTABLE:
        default = "NonIndexed" if key == "completionMode" else None
        value = new.get(key, default)
        where = _first_change(
            old.get(key, default), value, _child(schema, key), ("spec", key), gone=True
        )
        if where is not None:
            found.append(
                _moved(
                    _immutable(("spec", key), new.get(key), "a Job's " + key, _JOB_REMEDY),
                    where,
                )
            )
    found.extend(_job_completions(old, new))
    template = old.get("template")
    if old.get("suspend") is True and _get(live, "status", "startTime") is None:
        template = _with_scheduling_directives(template, new.get("template"))
    where = _first_change(
        template, new.get("template"), _child(schema, "template"), ("spec", "template")
    )
    if where is not None:
        found.append(
            _moved(
                _immutable(
                    ("spec", "template"),
                    new.get("template"),
                    "a Job's pod template cannot change once the Job exists",
                    _JOB_REMEDY,
                ),
                where,
            )
        )
    return found


def _job_completions(old: dict[str, JSON], new: dict[str, JSON]) -> list[Rejection]:
    before, after = old.get("completions"), new.get("completions")
    if after is None or _same_scalar(before, after):
        return []
    path: Path = ("spec", "completions")
    if new.get("completionMode") != "Indexed":
        return [_immutable(path, after, "a NonIndexed Job's completions", _JOB_REMEDY)]
    if _same_scalar(after, new.get("parallelism")):
        return []
    return [
        Rejection(
            IMMUTABLE_FIELD,
            f"{_refused('patch')}: spec.completions: Invalid value: {go_json(after)}: can only "
            "be modified in tandem with spec.parallelism",
            "set spec.parallelism to the same value as spec.completions",
            (path,),
        )
    ]


def _with_scheduling_directives(old: JSON, new: JSON) -> JSON:
    """The old template with what a suspended, never started Job may change taken from
    the new one (``validatePodTemplateUpdate`` with AllowMutableSchedulingDirectives)."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return old
    merged = copy(old)
    new_meta, new_spec = new.get("metadata"), new.get("spec")
    new_meta = new_meta if isinstance(new_meta, dict) else {}
    new_spec = new_spec if isinstance(new_spec, dict) else {}
    meta = merged.setdefault("metadata", {})
    spec = merged.setdefault("spec", {})
    if not isinstance(meta, dict) or not isinstance(spec, dict):
        return old
    for holder, source, key in (
        (meta, new_meta, "labels"),
        (meta, new_meta, "annotations"),
        (spec, new_spec, "nodeSelector"),
        (spec, new_spec, "tolerations"),
        (spec, new_spec, "schedulingGates"),
    ):
        _take(holder, source, key)
    old_affinity, new_affinity = spec.get("affinity"), new_spec.get("affinity")
    if isinstance(old_affinity, dict) and new_affinity is None:
        rest = {k: v for k, v in old_affinity.items() if k != "nodeAffinity"}
        if all(_absent(v) for v in rest.values()):
            spec.pop("affinity")
        else:
            spec["affinity"] = rest
    elif isinstance(new_affinity, dict):
        kept = dict(old_affinity) if isinstance(old_affinity, dict) else {}
        kept.pop("nodeAffinity", None)
        if "nodeAffinity" in new_affinity:
            kept["nodeAffinity"] = copy(new_affinity["nodeAffinity"])
        spec["affinity"] = kept
    return merged


def _take(holder: dict[str, JSON], source: dict[str, JSON], key: str) -> None:
    if key in source:
        holder[key] = copy(source[key])
    else:
        holder.pop(key, None)


def _service(
    live: dict[str, JSON], result: dict[str, JSON], root: SchemaType | None
) -> list[Rejection]:
    """core ``ValidateServiceUpdate`` (``validateUpgradeDowngradeClusterIPs``), after what
    the service registry does first (``beginUpdate``): ``patchAllocatedValues`` keeps the
    live cluster IPs when the new object has none (so a manifest without ``clusterIP``
    never changes it) and ``normalizeClusterIPs`` keeps ``clusterIP`` and ``clusterIPs``
    in step. Then the primary cluster IP may not change, nor may a kept one, unless the
    Service is or becomes an ExternalName, or stays headless (``clusterIP: None``).
    ``type`` defaults to ClusterIP.
    """
    del root
    old_spec, new_spec = _get(live, "spec"), _get(result, "spec")
    if not isinstance(old_spec, dict) or not isinstance(new_spec, dict):
        return []
    old_type = old_spec.get("type") or "ClusterIP"
    new_type = new_spec.get("type") or "ClusterIP"
    if "ExternalName" in (old_type, new_type):
        return []
    old_ip, old_ips = _ip(old_spec.get("clusterIP")), _ips(old_spec.get("clusterIPs"))
    new_ip, new_ips = _ip(new_spec.get("clusterIP")), _ips(new_spec.get("clusterIPs"))
    if old_ip and not old_ips:  # defaultOnRead of the stored object
        old_ips = [old_ip]
    # patchAllocatedValues
    new_ip = new_ip or old_ip
    if not new_ips and old_ips:
        new_ips = list(old_ips)
    # normalizeClusterIPs
    if old_ip != new_ip and old_ips == new_ips:
        new_ips = [] if old_ip and not new_ip else [new_ip]
    if old_ip == "None" and new_ip == "None":
        return []
    return [
        _cluster_ip(problem, index, new_ips, old_ips)
        for problem, index in _ip_problems(old_ips, new_ips, new_spec.get("ipFamilyPolicy"))
    ]


def _ip(value: JSON) -> str:
    return value if isinstance(value, str) else ""


def _ips(value: JSON) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _ip_problems(old: list[str], new: list[str], policy: JSON) -> list[tuple[str, int]]:
    if len(old) == len(new):
        return [("may not change once set", i) for i, ip in enumerate(old) if ip != new[i]]
    if len(old) > len(new):
        found: list[tuple[str, int]] = []
        if not new:
            found.append(("primary clusterIP can not be unset", 0))
        elif new[0] != old[0]:
            found.append(("may not change once set", 0))
        if len(new) == 1 and policy != "SingleStack":
            found.append(
                (
                    "`ipFamilyPolicy` must be set to 'SingleStack' when releasing the "
                    "secondary clusterIP",
                    0,
                )
            )
        return found
    return [("may not change once set", 0)] if old and new[0] != old[0] else []


def _cluster_ip(problem: str, index: int, new: list[str], old: list[str]) -> Rejection:
    live = ", ".join(old) or "none"
    return Rejection(
        IMMUTABLE_FIELD,
        f"{_refused('patch')}: spec.clusterIPs[{index}]: Invalid value: {go_json(new)}: "
        f"{problem} (the live Service has {live}; a cluster IP is fixed for the Service's "
        "lifetime)",
        f"remove clusterIP and clusterIPs from the manifest (the server keeps the allocated "
        f"ones) or set them to the live values, {_REPLACE}",
        (("spec", "clusterIPs", index), ("spec", "clusterIP"), ("spec", "clusterIPs")),
    )


_BETA_STORAGE_CLASS: Final = "volume.beta.kubernetes.io/storage-class"

#: The one PVC spec field the server defaults on update (SetDefaults_PersistentVolumeClaimSpec);
#: the default storage class is set on create only, by admission.
_PVC_DEFAULTED: Final = frozenset({"volumeMode"})


def _pvc(
    live: dict[str, JSON], result: dict[str, JSON], root: SchemaType | None
) -> list[Rejection]:
    """core ``ValidatePersistentVolumeClaimUpdate``: the spec is immutable except

    * ``volumeName``, which may be set once (the binder does);
    * ``storageClassName``, which may be set where it was unset (and matches the beta
      storage-class annotation, if any);
    * ``resources.requests.storage`` of a *bound* claim (the status is the live one): it
      may grow (volume expansion), and shrink only while it stays above
      ``status.capacity`` (recovery from a failed expansion, on by default since 1.32);
    * ``volumeAttributesClassName``, which may change but not go back to unset or empty.
    """
    old, new = _get(live, "spec"), _get(result, "spec")
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    old, new = copy(old), copy(new)
    found: list[Rejection] = []
    if not old.get("volumeName"):
        _take(old, new, "volumeName")
    annotations = _get(live, "metadata", "annotations")
    beta = annotations.get(_BETA_STORAGE_CLASS) if isinstance(annotations, dict) else None
    new_class = new.get("storageClassName")
    # an unset class may be set once (validateStorageClassUpgradeFromNil)
    if old.get("storageClassName") is None and new_class is not None and beta in (None, new_class):
        old["storageClassName"] = new_class
    old_size, new_size = (
        _get(old, "resources", "requests", "storage"),
        _get(new, "resources", "requests", "storage"),
    )
    bound = _get(live, "status", "phase") == "Bound"
    requests = _get(new, "resources", "requests")
    if bound and isinstance(requests, dict):
        if old_size is None:
            requests.pop("storage", None)
        else:
            requests["storage"] = old_size
    old_vac = old.pop("volumeAttributesClassName", None)
    new_vac = new.pop("volumeAttributesClassName", None)
    changed = differences(old, new, _sub(root, "spec"), ("spec",), _PVC_DEFAULTED)
    if changed:
        found.append(
            Rejection(
                IMMUTABLE_FIELD,
                f"{_refused('patch')}: spec: Forbidden: spec is immutable after creation "
                "except resources.requests and volumeAttributesClassName for bound claims "
                f"(the manifest changes {_dotted(changed[0])}"
                + ("" if bound else "; the claim is not bound")
                + ")",
                "revert the field; a claim can only grow its resources.requests.storage "
                "once bound; anything else needs a new claim",
                (changed[0],),
            )
        )
    found.extend(_pvc_shrink(old_size, new_size, _get(live, "status", "capacity", "storage")))
    if old_vac is not None and (new_vac is None or new_vac == ""):
        what = "nil" if new_vac is None else "an empty string"
        found.append(
            Rejection(
                IMMUTABLE_FIELD,
                f"{_refused('patch')}: spec.volumeAttributesClassName: Forbidden: update from "
                f"non-nil value to {what} is forbidden",
                "keep spec.volumeAttributesClassName set (to the live value or another class)",
                (("spec", "volumeAttributesClassName"), ("spec",)),
            )
        )
    return found


def _pvc_shrink(old: JSON, new: JSON, capacity: JSON) -> list[Rejection]:
    if old is None or new is None or capacity is None:
        return []
    amounts = [parse_quantity(v, strict=False)[0] for v in (old, new, capacity)]
    before, after, held = amounts
    if before is None or after is None or held is None or after >= before or after > held:
        return []
    return [
        Rejection(
            IMMUTABLE_FIELD,
            f"{_refused('patch')}: spec.resources.requests.storage: Forbidden: field can not "
            f"be less than status.capacity ({go_json(new)} requested, the volume has "
            f"{go_json(capacity)}; volumes do not shrink)",
            "request at least the live size; a smaller volume needs a new claim",
            (("spec", "resources", "requests", "storage"),),
        )
    ]


def _immutable_flag(
    kind: str, live: dict[str, JSON], result: dict[str, JSON], data: tuple[str, ...]
) -> list[Rejection]:
    if live.get("immutable") is not True:
        return []
    remedy = (
        f"an immutable {kind} cannot change: create one under a new name (a name with a "
        "content hash, as kustomize's generators make) and point its users at it, "
        f"{_REPLACE}"
    )
    found: list[Rejection] = []
    if result.get("immutable") is not True:
        found.append(
            Rejection(
                IMMUTABLE_OBJECT,
                f"{_refused('patch')}: immutable: Forbidden: field is immutable when "
                "`immutable` is set",
                remedy,
                (("immutable",),),
            )
        )
    for field in data:
        changed = _data_changes(kind, field, live, result)
        if changed:
            found.append(
                Rejection(
                    IMMUTABLE_OBJECT,
                    f"{_refused('patch')}: {field}: Forbidden: field is immutable when "
                    f"`immutable` is set (the manifest changes {_dotted(changed[0])})",
                    remedy,
                    (changed[0], (field,)),
                )
            )
    return found


def _data_changes(
    kind: str, field: str, live: dict[str, JSON], result: dict[str, JSON]
) -> list[Path]:
    old, new = live.get(field), result.get(field)
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    if kind == "Secret":
        old_bytes = {k: _secret_bytes(v) for k, v in old.items()}
        new_bytes = {k: _secret_bytes(v) for k, v in new.items()}
        strings = result.get("stringData")
        if isinstance(strings, dict):  # conversion writes stringData over data
            for key, value in strings.items():
                if isinstance(value, str):
                    new_bytes[key] = value.encode("utf-8", "surrogatepass")
            return [
                (("stringData", k) if k in strings else (field, k))
                for k in _changed_keys(old_bytes, new_bytes)
            ]
        return [(field, k) for k in _changed_keys(old_bytes, new_bytes)]
    return [(field, k) for k in _changed_keys(old, new)]


def _changed_keys(old: dict[str, object], new: dict[str, object]) -> list[str]:
    """Keys added, removed or changed (Go's ``reflect.DeepEqual`` on the two maps)."""
    return [
        k for k in dict.fromkeys([*new, *old]) if k not in old or k not in new or old[k] != new[k]
    ]


def _secret_bytes(value: JSON) -> object:
    if not isinstance(value, str):
        return value
    try:
        return base64.b64decode(value.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        return value


def _configmap(
    live: dict[str, JSON], result: dict[str, JSON], root: SchemaType | None
) -> list[Rejection]:
    """core ``ValidateConfigMapUpdate``: once ``immutable: true``, ``immutable`` cannot be
    unset and ``data`` and ``binaryData`` cannot change (Go's ``reflect.DeepEqual``)."""
    del root
    return _immutable_flag("ConfigMap", live, result, ("data", "binaryData"))


def _secret(
    live: dict[str, JSON], result: dict[str, JSON], root: SchemaType | None
) -> list[Rejection]:
    """core ``ValidateSecretUpdate``: ``type`` is immutable (a missing type defaults to
    Opaque); once ``immutable: true``, ``immutable`` cannot be unset and the data cannot
    change (``stringData`` is written over ``data`` before validation)."""
    del root
    found: list[Rejection] = []
    old_type = live.get("type") or "Opaque"
    new_type = result.get("type") or "Opaque"
    if new_type != old_type:
        found.append(
            _immutable(
                ("type",),
                new_type,
                f"the live Secret is of type {old_type}",
                f"set type back to {old_type}, {_REPLACE}",
            )
        )
    return found + _immutable_flag("Secret", live, result, ("data",))


_UpdateCheck = Callable[[dict[str, JSON], dict[str, JSON], SchemaType | None], list[Rejection]]

_UPDATE_CHECKS: Final[dict[tuple[str, str], _UpdateCheck]] = {
    ("apps", "Deployment"): _selector("Deployment"),
    ("apps", "ReplicaSet"): _selector("ReplicaSet"),
    ("apps", "DaemonSet"): _selector("DaemonSet"),
    ("apps", "StatefulSet"): _statefulset,
    ("batch", "Job"): _job,
    ("", "Service"): _service,
    ("", "PersistentVolumeClaim"): _pvc,
    ("", "ConfigMap"): _configmap,
    ("", "Secret"): _secret,
}


def namespace_mismatch(manifest_namespace: str, namespace: str) -> Rejection:
    """kubectl's own refusal (resource.Builder's ``RequireNamespace``) when ``--namespace``
    is given and a namespaced object of the manifest names another namespace: kubectl
    sends nothing for that object and fails the command."""
    return Rejection(
        NAMESPACE_MISMATCH,
        f"kubectl would refuse it before sending anything: the namespace from the provided "
        f'object "{manifest_namespace}" does not match the namespace "{namespace}". You '
        f"must pass '--namespace={manifest_namespace}' to perform this operation.",
        f"pass --namespace={manifest_namespace} (or none), or remove metadata.namespace "
        f"from the manifest to apply it to {namespace}",
        (("metadata", "namespace"),),
        AT_VALUE,
    )


# --- from paths to file positions --------------------------------------------------------


def _in_manifest(result: JSON, manifest: JSON, path: Path, schema: SchemaType | None) -> Path:
    """``path`` (list steps index ``result``) as a path of ``manifest``, cut short where the
    manifest has no such field. Items of merge lists are found by their merge key."""
    out: list[str | int] = []
    merge_key = ""
    for step in path:
        if isinstance(step, str):
            if not isinstance(manifest, dict) or step not in manifest:
                break
            schema, merge_key = _field_type(schema, step)
            result = result.get(step) if isinstance(result, dict) else None
            manifest = manifest[step]
            out.append(step)
            continue
        index = _item_index(result, manifest, step, merge_key)
        if index is None:
            break
        result, manifest = result[step], manifest[index]
        merge_key = ""
        out.append(index)
    return tuple(out)


def _field_type(schema: SchemaType | None, key: str) -> tuple[SchemaType | None, str]:
    """The type of field ``key`` (the item type for a list) and the list's merge key."""
    if schema is None:
        return None, ""
    try:
        sub, meta = schema.lookup_struct(key)
    except PatchMetaError:
        return None, ""
    if sub.shape == "slice":
        return sub.element(), meta.merge_key
    return sub, ""


def _item_index(result: JSON, manifest: JSON, step: int, merge_key: str) -> int | None:
    """Which item of the manifest's list is item ``step`` of the result's."""
    if not isinstance(manifest, list) or not isinstance(result, list):
        return None
    if not 0 <= step < len(result):
        return None
    item = result[step]
    if not merge_key or not isinstance(item, dict) or merge_key not in item:
        return step if not merge_key and step < len(manifest) else None
    return next(
        (
            i
            for i, candidate in enumerate(manifest)
            if isinstance(candidate, dict) and deep_equal(candidate.get(merge_key), item[merge_key])
        ),
        None,
    )


def to_finding(
    manifest: SourcedObject,
    rejection: Rejection,
    result: JSON,
    root: SchemaType | None,
    object_ref: ObjectRef | None = None,
) -> Finding:
    """The rejection as a finding at its place in the manifest file (1-based)."""
    candidates = [_in_manifest(result, manifest.value, p, root) for p in rejection.where]
    complete = [c for c, p in zip(candidates, rejection.where, strict=True) if len(c) == len(p)]
    path = complete[0] if complete else candidates[0]
    at = rejection.at if complete else AT_KEY
    line, column = manifest.start
    if manifest.node is not None and path:
        line, column = locate(manifest.node, path, at, manifest.start)
    return Finding(
        path=manifest.path or manifest.source,
        line=line + 1,
        column=column + 1,
        rule=rejection.code,
        name=rejection.slug,
        severity=Severity.ERROR,
        message=rejection.message,
        suggestion=rejection.suggestion,
        field=_dotted(rejection.where[0]),
        object_ref=object_ref,
    )


def patch_not_mergeable(message: str) -> Rejection:
    """The API server's refusal of a patch its strategic merge cannot apply: its handler
    (apiserver ``strategicPatchObject``) returns the merge's error, a 500 for most merge
    errors (``interpretStrategicMergePatchError`` maps only a few to 400 or 422)."""
    return Rejection(
        PATCH_NOT_MERGEABLE,
        f"{_refused('patch')}: the server's strategic merge fails: {message.strip()}",
        "remove the duplicate items of the list (two items with the same merge key) from "
        "the manifest, or make the change in two applies",
        ((),),
    )


def api_not_served(
    api_version: str,
    kind: str,
    name: str,
    namespace: str,
    source: str,
    version: str,
    replacement: str | None,
) -> Rejection:
    """kubectl's own refusal (cli-runtime ``mapper.infoForData``) of a kind the cluster does
    not serve: its REST mapping fails with a ``NoKindMatchError``, nothing is sent for the
    object and the command fails. ``namespace`` is the manifest's own (``""`` if none)."""
    instead = f"use {replacement}" if replacement else f"find the API that replaces {kind}"
    return Rejection(
        API_NOT_SERVED,
        f"kubectl would stop before sending anything: resource mapping not found for name: "
        f'"{name}" namespace: "{namespace}" from "{source}": no matches for kind "{kind}" in '
        f'version "{api_version}" (Kubernetes {version} does not serve {api_version} {kind})',
        f"{instead}; the request shown is the one kubectl sends to a cluster that still "
        f"serves {api_version}",
        (("apiVersion",),),
        AT_VALUE,
    )


def api_unknown(
    api_version: str,
    kind: str,
    name: str,
    namespace: str,
    source: str,
    served: list[str],
) -> Rejection:
    """kubectl's refusal of an apiVersion and kind no cluster with these APIs serves (a
    version of a built-in group that does not exist, an unknown kind in it, or a version
    that a custom resource's CRD at hand does not serve): its REST mapping fails, nothing
    is sent for the object (``served``: the apiVersions that do serve the kind)."""
    instead = f"use {' or '.join(served)}" if served else f"check the apiVersion and kind of {kind}"
    return Rejection(
        API_NOT_SERVED,
        f"kubectl would stop before sending anything: resource mapping not found for name: "
        f'"{name}" namespace: "{namespace}" from "{source}": no matches for kind "{kind}" in '
        f'version "{api_version}"',
        f"{instead}; kubectl sends nothing for this object",
        (("apiVersion",),),
        AT_VALUE,
    )
