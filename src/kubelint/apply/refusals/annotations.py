"""KA001: annotations over the API server's size limit (kubectl's last-applied copy of the
whole manifest counts)."""

from __future__ import annotations

from kubelint.apply.refusals.rejection import Rejection, refused
from kubelint.apply.refusals.rules import ANNOTATIONS_TOO_LARGE
from kubelint.apply.values import JSON
from kubelint.load.objects import LAST_APPLIED
from kubelint.schema.api_server import MAX_ANNOTATIONS_BYTES


def _go_len(text: str) -> int:
    """Go's ``len`` of a string: its UTF-8 bytes (a lone surrogate as U+FFFD's three)."""
    return len(text.encode("utf-8", "surrogatepass"))


def annotations_size(result: dict[str, JSON], operation: str) -> list[Rejection]:
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
            f"{refused(operation)}: metadata.annotations: Too long: must have at most "
            f"{MAX_ANNOTATIONS_BYTES} bytes (the annotations add up to {total} bytes, "
            f"{copy_size} of them in {LAST_APPLIED}, kubectl's copy of the whole manifest)",
            "apply it with `kubectl apply --server-side`, which keeps no last-applied copy "
            "(`kubectl create` and `kubectl replace` write none either)",
            (("metadata",),),
        )
    ]
