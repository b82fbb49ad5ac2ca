"""KL051 duplicate-volume-name: two volumes of a pod with the same name."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, doc, object_rule
from kubelint.load.objects import KubeObject, repeated_names
from kubelint.report.model import Severity


@object_rule(
    "KL051",
    "duplicate-volume-name",
    Severity.ERROR,
    "Two volumes of a pod have the same name.",
    doc(
        what="Reports a volume whose name was already used by an earlier volume of the same "
        "pod spec.",
        why="The API server rejects the object (`spec.volumes[1].name: Duplicate value`). "
        "Volume mounts refer to volumes by name, so the name must say which one is meant.",
        example="volumes:\n- name: config\n  configMap:\n    name: app\n"
        "- name: config\n  secret:\n    secretName: app-tls",
        use_instead="volumes:\n- name: config\n  configMap:\n    name: app\n"
        "- name: tls\n  secret:\n    secretName: app-tls",
    ),
    kinds=("DeploymentLike",),
)
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
