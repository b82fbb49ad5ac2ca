"""KL048 duplicate-container-name: two containers of a pod with the same name."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load.objects import KubeObject


@object_check("pods.duplicate-container-name")
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
