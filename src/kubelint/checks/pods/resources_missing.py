"""KL030-KL033: a container without a CPU or memory request or limit.

Four rules, one per (requests | limits, cpu | memory), so that a team can require
requests everywhere and limits only where it wants them. A request that is not written
but has a limit is not missing: Kubernetes copies the limit into the request.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

from kubelint.checks.api import ObjectCheck, RuleContext, RuleSpec, Violation, doc, object_rule
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.report.model import Severity

_Kind = Literal["requests", "limits"]
_Resource = Literal["cpu", "memory"]

_OPTIONS: Mapping[str, Any] = {"init-containers": True}
_EXAMPLE_VALUE = {"cpu": "250m", "memory": "256Mi"}
_WORD = {"cpu": "CPU", "memory": "memory"}


def _missing(kind: _Kind, resource: _Resource) -> ObjectCheck:
    """The check for one (kind, resource) pair."""
    noun = "request" if kind == "requests" else "limit"

    def check(obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
        for base, container in obj.containers(init=bool(options["init-containers"])):
            resources = container.get("resources")
            resources = resources if isinstance(resources, dict) else {}
            if _set(resources, kind, resource):
                continue
            if kind == "requests" and _set(resources, "limits", resource):
                continue  # the API server defaults the request to the limit
            name = shapes.name(container)
            yield Violation(
                base,
                f'container "{name}" has no {_WORD[resource]} {noun}',
                f"set resources.{kind}.{resource} (e.g. {_EXAMPLE_VALUE[resource]})",
            )

    return check


def _set(resources: dict[str, Any], kind: str, resource: str) -> bool:
    section = resources.get(kind)
    return isinstance(section, dict) and section.get(resource) not in (None, "")


_NO_RESOURCES = """\
containers:
- name: web
  image: nginx:1.27
"""

cpu_requests_missing: RuleSpec = object_rule(
    "KL030",
    "cpu-requests-missing",
    Severity.WARNING,
    "A container has no CPU request.",
    doc(
        what="Reports containers that set neither `resources.requests.cpu` nor "
        "`resources.limits.cpu` (a limit alone also sets the request). Init containers are "
        "included unless the option `init-containers` is false.",
        why="The scheduler places pods by their requests: a container without a CPU request "
        "counts as needing nothing, so nodes get overcommitted and the pod is the first to be "
        "starved (BestEffort QoS). Horizontal pod autoscaling on CPU utilisation needs a "
        "request to compute a percentage.",
        example=_NO_RESOURCES,
        use_instead=_NO_RESOURCES
        + "  resources:\n    requests:\n      cpu: 250m\n      memory: 256Mi\n",
    ),
    kinds=("DeploymentLike",),
    options=_OPTIONS,
    whole_object=True,
)(_missing("requests", "cpu"))

memory_requests_missing: RuleSpec = object_rule(
    "KL031",
    "memory-requests-missing",
    Severity.WARNING,
    "A container has no memory request.",
    doc(
        what="Reports containers that set neither `resources.requests.memory` nor "
        "`resources.limits.memory` (a limit alone also sets the request). Init containers "
        "are included unless the option `init-containers` is false.",
        why="Without a memory request the scheduler counts the container as needing no "
        "memory: nodes get overcommitted, and under memory pressure the kubelet evicts "
        "pods that use more than they requested first.",
        example=_NO_RESOURCES,
        use_instead=_NO_RESOURCES + "  resources:\n    requests:\n      memory: 256Mi\n",
    ),
    kinds=("DeploymentLike",),
    options=_OPTIONS,
    whole_object=True,
)(_missing("requests", "memory"))

cpu_limit_missing: RuleSpec = object_rule(
    "KL032",
    "cpu-limit-missing",
    Severity.WARNING,
    "A container has no CPU limit.",
    doc(
        what="Reports containers without `resources.limits.cpu`. Init containers are "
        "included unless the option `init-containers` is false.",
        why="A container without a CPU limit may use every idle core of its node, so its "
        "speed depends on its neighbours and a runaway process slows the other pods down. "
        "Some teams prefer no CPU limits (throttling hurts latency): disable this rule "
        "then, and keep KL030.",
        example=_NO_RESOURCES
        + "  resources:\n    requests:\n      cpu: 100m\n    limits:\n      memory: 200Mi\n",
        use_instead=_NO_RESOURCES + "  resources:\n    requests:\n      cpu: 100m\n"
        "    limits:\n      cpu: 500m\n      memory: 200Mi\n",
    ),
    kinds=("DeploymentLike",),
    options=_OPTIONS,
    whole_object=True,
)(_missing("limits", "cpu"))

memory_limit_missing: RuleSpec = object_rule(
    "KL033",
    "memory-limit-missing",
    Severity.WARNING,
    "A container has no memory limit.",
    doc(
        what="Reports containers without `resources.limits.memory`. Init containers are "
        "included unless the option `init-containers` is false.",
        why="Memory cannot be throttled: a container without a limit can grow until the "
        "node runs out, and the kernel's OOM killer then picks a victim among all the "
        "node's pods. With a limit only the leaking container is restarted.",
        example=_NO_RESOURCES + "  resources:\n    requests:\n      memory: 256Mi\n",
        use_instead=_NO_RESOURCES
        + "  resources:\n    requests:\n      memory: 256Mi\n    limits:\n      memory: 512Mi\n",
    ),
    kinds=("DeploymentLike",),
    options=_OPTIONS,
    whole_object=True,
)(_missing("limits", "memory"))
