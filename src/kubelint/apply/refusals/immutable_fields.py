"""KA002: a change to a field that cannot change after creation (selectors of workloads,
most of a StatefulSet's spec, a Job's selector and modes, a Service's IPs and families, a
PersistentVolumeClaim's spec but its size and a few fields, a Secret's type).

Changes are judged as the server judges them, with its semantic equality: null, empty
maps and empty lists equal a missing field, quantities compare by amount. A field the
result lacks (the manifest dropped it since the last apply, so the patch deletes it) is
a change only where no server default can put the old value back: map entries (labels,
selectors, data), list fields, and label selectors. Elsewhere the server may default it
again, and nothing is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from kubelint.apply.client_side.patch_meta import PatchMetaError, SchemaType
from kubelint.apply.refusals.rejection import REPLACE_REMEDY, Rejection, dotted, refused
from kubelint.apply.refusals.rules import IMMUTABLE_FIELD
from kubelint.apply.values import JSON, copy, deep_equal, go_json
from kubelint.load.paths import Path
from kubelint.schema.formats.quantities import parse_quantity

#: Schema types none of whose fields the server defaults: a field dropped there is gone.
_NO_DEFAULTS: Final = frozenset({"LabelSelector", "LabelSelectorRequirement"})


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


def immutable_field(path: Path, value: JSON, why: str, suggestion: str) -> Rejection:
    """apimachinery ``ValidateImmutableField``: ``<path>: Invalid value: <new>: field is
    immutable`` (the server prints the value as a Go struct; here it is JSON)."""
    shown = go_json(value)
    if len(shown) > 100:  # the server prints the whole Go struct; a template is too long
        shown = "{...}"
    return Rejection(
        IMMUTABLE_FIELD,
        f"{refused('patch')}: {dotted(path)}: Invalid value: {shown}: field is immutable ({why})",
        suggestion,
        (path,),
    )


def _first_change(
    live: JSON, result: JSON, schema: SchemaType | None, path: Path, *, gone: bool = False
) -> tuple[Path, ...] | None:
    """None when unchanged; else where to report: the first change, then the field.
    ``gone``: the field has no default, so the result lacking it is a change."""
    changed = differences(live, result, schema, path, gone=gone)
    if not changed:
        return None
    return (changed[0], path) if changed[0] != path else (path,)


def selector_check(
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
        found = immutable_field(
            path,
            new,
            f"apps/v1 does not let a {kind}'s selector change: it decides which Pods "
            "the object owns",
            f"revert spec.selector to the live value, {REPLACE_REMEDY}",
        )
        return [_moved(found, where)]

    return check


#: ``ValidateStatefulSetUpdate``: the spec fields an update may change.
STATEFULSET_MUTABLE: Final = (
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
)


def statefulset_check(
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
                f"{refused('patch')}: spec: Forbidden: updates to statefulset spec for "
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


def job_check(
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
                    immutable_field(("spec", key), new.get(key), "a Job's " + key, _JOB_REMEDY),
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
                immutable_field(
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
        return [immutable_field(path, after, "a NonIndexed Job's completions", _JOB_REMEDY)]
    if _same_scalar(after, new.get("parallelism")):
        return []
    return [
        Rejection(
            IMMUTABLE_FIELD,
            f"{refused('patch')}: spec.completions: Invalid value: {go_json(after)}: can only "
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


def service_check(
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
        f"{refused('patch')}: spec.clusterIPs[{index}]: Invalid value: {go_json(new)}: "
        f"{problem} (the live Service has {live}; a cluster IP is fixed for the Service's "
        "lifetime)",
        f"remove clusterIP and clusterIPs from the manifest (the server keeps the allocated "
        f"ones) or set them to the live values, {REPLACE_REMEDY}",
        (("spec", "clusterIPs", index), ("spec", "clusterIP"), ("spec", "clusterIPs")),
    )


_BETA_STORAGE_CLASS: Final = "volume.beta.kubernetes.io/storage-class"

#: The one PVC spec field the server defaults on update (SetDefaults_PersistentVolumeClaimSpec);
#: the default storage class is set on create only, by admission.
_PVC_DEFAULTED: Final = frozenset({"volumeMode"})


def pvc_check(
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
                f"{refused('patch')}: spec: Forbidden: spec is immutable after creation "
                "except resources.requests and volumeAttributesClassName for bound claims "
                f"(the manifest changes {dotted(changed[0])}"
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
                f"{refused('patch')}: spec.volumeAttributesClassName: Forbidden: update from "
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
            f"{refused('patch')}: spec.resources.requests.storage: Forbidden: field can not "
            f"be less than status.capacity ({go_json(new)} requested, the volume has "
            f"{go_json(capacity)}; volumes do not shrink)",
            "request at least the live size; a smaller volume needs a new claim",
            (("spec", "resources", "requests", "storage"),),
        )
    ]


def _moved(rejection: Rejection, where: tuple[Path, ...]) -> Rejection:
    return Rejection(rejection.code, rejection.message, rejection.suggestion, where, rejection.at)
