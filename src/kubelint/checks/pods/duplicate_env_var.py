"""KL049 duplicate-env-var: a container sets the same environment variable twice."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, doc, object_rule
from kubelint.load import shapes
from kubelint.load.objects import KubeObject, repeated_names
from kubelint.report.model import Severity


@object_rule(
    "KL049",
    "duplicate-env-var",
    Severity.WARNING,
    "A container's env sets the same variable twice.",
    doc(
        what="Reports an `env` entry whose name was already set by an earlier entry of the "
        "same container.",
        why="The API server accepts the object (it only warns), and the container gets the "
        "last value: the first definition is silently ignored. Usually one of the two was "
        "left behind by an edit, or a merge of two sources.",
        example='env:\n- name: LOG_LEVEL\n  value: info\n- name: PORT\n  value: "8080"\n'
        "- name: LOG_LEVEL\n  value: debug",
        use_instead='env:\n- name: LOG_LEVEL\n  value: debug\n- name: PORT\n  value: "8080"',
    ),
    kinds=("DeploymentLike",),
)
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
