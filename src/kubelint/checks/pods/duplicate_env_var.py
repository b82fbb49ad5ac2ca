"""KL049 duplicate-env-var: a container sets the same environment variable twice."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load import shapes
from kubelint.load.objects import KubeObject, repeated_names


@object_check("pods.duplicate-env-var")
def duplicate_env_var(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation at each env entry that repeats an earlier name."""
    for base, container in obj.containers(ephemeral=True):
        for index, name, first in repeated_names(container.get("env")):
            yield Violation(
                (*base, "env", index, "name"),
                f'container "{shapes.name(container)}" sets {name} again (first in '
                f"env[{first}]): this later value wins, the first is ignored",
                "remove one of the two definitions",
            )
