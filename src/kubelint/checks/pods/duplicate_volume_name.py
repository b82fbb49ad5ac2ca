"""KL051 duplicate-volume-name: two volumes of a pod with the same name."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load.objects import KubeObject, repeated_names


@object_check("pods.duplicate-volume-name")
def duplicate_volume_name(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation at the name of each volume that repeats an earlier name."""
    spec = obj.pod_spec()
    spec_path = obj.pod_spec_path
    if spec is None or spec_path is None:
        return
    for index, name, first in repeated_names(spec.get("volumes")):
        yield Violation(
            (*spec_path, "volumes", index, "name"),
            f'volume name "{name}" is already used by volumes[{first}]: the API server '
            "rejects the pod",
            "rename one of the two volumes (and the volumeMounts that mean it)",
        )
