"""KL047 host-path-volume: a pod mounts a directory or file of its node."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.load.paths import AT_KEY


def _covered(path: str, allowed: list[str]) -> bool:
    """Whether ``path`` is one of ``allowed`` or below one of them."""
    clean = path.rstrip("/") or "/"
    for entry in allowed:
        root = entry.rstrip("/") or "/"
        if clean == root or clean.startswith(root if root == "/" else root + "/"):
            return True
    return False


@object_check("security.host-path-volume")
def host_path_volume(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation at each hostPath volume whose path is not allowed."""
    spec = obj.pod_spec()
    spec_path = obj.pod_spec_path
    if spec is None or spec_path is None:
        return
    volumes = spec.get("volumes")
    if not isinstance(volumes, list):
        return
    allowed = [str(p) for p in options.get("allowed-paths") or ()]
    for index, volume in enumerate(volumes):
        if not isinstance(volume, dict) or not isinstance(volume.get("hostPath"), dict):
            continue
        path = volume["hostPath"].get("path")
        if isinstance(path, str) and _covered(path, allowed):
            continue
        shown = f" {path}" if isinstance(path, str) else ""
        yield Violation(
            (*spec_path, "volumes", index, "hostPath"),
            f'volume "{shapes.name(volume)}" mounts the node\'s path{shown} (hostPath)',
            "use an emptyDir, a ConfigMap or a PersistentVolumeClaim; if the pod must see "
            "the node, keep the path narrow and mount it readOnly",
            AT_KEY,
        )
