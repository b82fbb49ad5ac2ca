"""KL053 job-restart-policy-always: a Job's pods would restart forever."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, doc, object_rule
from kubelint.load.objects import KubeObject
from kubelint.load.paths import AT_PARENT
from kubelint.report.model import Severity


@object_rule(
    "KL053",
    "job-restart-policy-always",
    Severity.ERROR,
    "A Job's or CronJob's pod template has restartPolicy Always, or none (which means Always).",
    doc(
        what="Reports the pod template of a Job, or of a CronJob's jobTemplate, whose "
        "`restartPolicy` is `Always`, or is not set (pod templates default it to Always).",
        why="A Job runs pods to completion; a pod that always restarts never completes. The "
        "API server rejects the object: `spec.template.spec.restartPolicy: Unsupported "
        'value: "Always": supported values: "OnFailure", "Never"`.',
        example="apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n"
        "      containers:\n      - name: task\n        image: busybox:1.36",
        use_instead="apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n"
        "      restartPolicy: Never  # or OnFailure: retry in the same pod\n"
        "      containers:\n      - name: task\n        image: busybox:1.36",
    ),
    kinds=("Job", "CronJob"),
    whole_object=True,
)
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
