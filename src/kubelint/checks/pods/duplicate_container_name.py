"""KL048 duplicate-container-name: two containers of a pod with the same name."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, doc, object_rule
from kubelint.load.objects import KubeObject
from kubelint.report.model import Severity


@object_rule(
    "KL048",
    "duplicate-container-name",
    Severity.ERROR,
    "Two containers of a pod have the same name.",
    doc(
        what="Reports a container whose name was already used by another container of the "
        "same pod. Init containers, containers and ephemeral containers share one name "
        "space.",
        why='The API server rejects the object (`Duplicate value: "web"`): container names '
        "identify containers in logs, exec, probes' events and restarts.",
        example="initContainers:\n- name: web\n  image: busybox:1.36\n"
        "containers:\n- name: web\n  image: registry.example.com/web:2.4.1",
        use_instead="initContainers:\n- name: init-web\n  image: busybox:1.36\n"
        "containers:\n- name: web\n  image: registry.example.com/web:2.4.1",
    ),
    kinds=("DeploymentLike",),
)
def duplicate_container_name(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation at the name of each container that repeats an earlier name."""
    seen: dict[str, str] = {}
    for base, container in obj.containers(ephemeral=True):
        name = container.get("name")
        if not isinstance(name, str) or not name:
            continue
        where = f"{base[-2]}[{base[-1]}]"
        first = seen.get(name)
        if first is None:
            seen[name] = where
            continue
        yield Violation(
            (*base, "name"),
            f'container name "{name}" is already used by {first}: the API server rejects the pod',
            "give each container (init containers included) a name of its own",
        )
