"""The KA codes of the refusals, and their entries in the rule catalogue."""

from __future__ import annotations

from typing import Final

from kubelint.checks.core_catalog import Rule, RuleDoc
from kubelint.report.model import Severity

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
