"""What a HorizontalPodAutoscaler scales: its ``scaleTargetRef``."""

from __future__ import annotations

from typing import NamedTuple

from kubelint.load.objects import KubeObject
from kubelint.load.paths import Path
from kubelint.schema.store import group_of


class ScaleTarget(NamedTuple):
    """An HPA's ``scaleTargetRef``."""

    api_version: str | None
    group: str | None  # None: apiVersion not given
    kind: str
    name: str


def scale_target(obj: KubeObject) -> tuple[ScaleTarget, dict[str, Path]] | None:
    """The target of a HorizontalPodAutoscaler, and where its fields are."""
    if obj.kind != "HorizontalPodAutoscaler" or obj.group != "autoscaling":
        return None
    ref = obj.get(("spec", "scaleTargetRef"))
    if not isinstance(ref, dict):
        return None
    kind, name, api_version = ref.get("kind"), ref.get("name"), ref.get("apiVersion")
    if not isinstance(kind, str) or not isinstance(name, str) or not kind or not name:
        return None
    version = api_version if isinstance(api_version, str) and api_version else None
    base: Path = ("spec", "scaleTargetRef")
    paths: dict[str, Path] = {"name": (*base, "name"), "kind": (*base, "kind")}
    if version is not None:
        paths["apiVersion"] = (*base, "apiVersion")
    target = ScaleTarget(version, group_of(version) if version else None, kind, name)
    return target, paths
