"""KL030-KL033: a container without a CPU or memory request or limit.

Four rules, one per (requests | limits, cpu | memory), so that a team can require
requests everywhere and limits only where it wants them. A request that is not written
but has a limit is not missing: Kubernetes copies the limit into the request.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

from kubelint.checks.api import ObjectCheck, RuleContext, Violation, object_check
from kubelint.load import shapes
from kubelint.load.objects import KubeObject

_Kind = Literal["requests", "limits"]
_Resource = Literal["cpu", "memory"]

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


cpu_requests_missing: ObjectCheck = object_check("pods.cpu-requests-missing")(
    _missing("requests", "cpu")
)

memory_requests_missing: ObjectCheck = object_check("pods.memory-requests-missing")(
    _missing("requests", "memory")
)

cpu_limit_missing: ObjectCheck = object_check("pods.cpu-limit-missing")(_missing("limits", "cpu"))

memory_limit_missing: ObjectCheck = object_check("pods.memory-limit-missing")(
    _missing("limits", "memory")
)
