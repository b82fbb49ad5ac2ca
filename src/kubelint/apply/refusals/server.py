"""What the API server refuses in the request kubectl sends: the checks each request goes
through (by kind), and KA005, a patch its strategic merge cannot apply."""

from __future__ import annotations

from typing import Final

from kubelint.apply.client_side.patch_meta import SchemaType
from kubelint.apply.refusals.annotations import annotations_size
from kubelint.apply.refusals.immutable_fields import (
    job_check,
    pvc_check,
    selector_check,
    service_check,
    statefulset_check,
)
from kubelint.apply.refusals.immutable_objects import configmap_check, secret_check
from kubelint.apply.refusals.rejection import Rejection, UpdateCheck, refused
from kubelint.apply.refusals.rules import PATCH_NOT_MERGEABLE
from kubelint.apply.values import JSON


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
    found = annotations_size(result, operation)
    check = UPDATE_CHECKS.get((group, kind))
    if operation == "patch" and live is not None and check is not None:
        found.extend(check(live, result, root))
    return found


UPDATE_CHECKS: Final[dict[tuple[str, str], UpdateCheck]] = {
    ("apps", "Deployment"): selector_check("Deployment"),
    ("apps", "ReplicaSet"): selector_check("ReplicaSet"),
    ("apps", "DaemonSet"): selector_check("DaemonSet"),
    ("apps", "StatefulSet"): statefulset_check,
    ("batch", "Job"): job_check,
    ("", "Service"): service_check,
    ("", "PersistentVolumeClaim"): pvc_check,
    ("", "ConfigMap"): configmap_check,
    ("", "Secret"): secret_check,
}


def patch_not_mergeable(message: str) -> Rejection:
    """The API server's refusal of a patch its strategic merge cannot apply: its handler
    (apiserver ``strategicPatchObject``) returns the merge's error, a 500 for most merge
    errors (``interpretStrategicMergePatchError`` maps only a few to 400 or 422)."""
    return Rejection(
        PATCH_NOT_MERGEABLE,
        f"{refused('patch')}: the server's strategic merge fails: {message.strip()}",
        "remove the duplicate items of the list (two items with the same merge key) from "
        "the manifest, or make the change in two applies",
        ((),),
    )
