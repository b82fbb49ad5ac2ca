"""KL053 job-restart-policy-always: a Job's pods would restart forever."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load.objects import KubeObject
from kubelint.load.paths import AT_PARENT


@object_check("pods.job-restart-policy-always")
def job_restart_policy_always(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation when the Job's pods would have restartPolicy Always."""
    spec = obj.pod_spec()
    spec_path = obj.pod_spec_path
    if spec is None or spec_path is None:
        return
    policy = spec.get("restartPolicy")
    suggestion = "set restartPolicy: Never (a new pod per retry) or OnFailure (retry in place)"
    if policy == "Always":
        yield Violation(
            (*spec_path, "restartPolicy"),
            f"a {obj.kind}'s pods cannot have restartPolicy Always: the API server rejects it",
            suggestion,
        )
    elif policy is None:
        yield Violation(
            (*spec_path, "restartPolicy"),
            f"the {obj.kind}'s pod template sets no restartPolicy, so it defaults to Always, "
            "which the API server rejects for Jobs",
            suggestion,
            AT_PARENT,
        )
