"""KL036 liveness-probe-missing and KL037 readiness-probe-missing.

Only long-running containers need probes: the app containers of Deployments,
ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers and of bare Pods that
restart (restartPolicy Always, the default). Jobs, CronJobs, run-to-completion Pods and
init containers are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import ObjectCheck, RuleContext, Violation, object_check
from kubelint.load import shapes
from kubelint.load.objects import KubeObject


def _missing(field: str, what: str, suggestion: str) -> ObjectCheck:
    def check(obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext) -> Iterator[Violation]:
        spec = obj.pod_spec()
        if spec is None or spec.get("restartPolicy", "Always") != "Always":
            return
        for base, container in obj.containers(init=False):
            if container.get(field) is not None:
                continue
            yield Violation(
                base,
                f'container "{shapes.name(container)}" has no {what}',
                suggestion,
            )

    return check


liveness_probe_missing: ObjectCheck = object_check("pods.liveness-probe-missing")(
    _missing(
        "livenessProbe",
        "liveness probe",
        "add a livenessProbe that fails only when a restart would help (e.g. httpGet /healthz)",
    )
)

readiness_probe_missing: ObjectCheck = object_check("pods.readiness-probe-missing")(
    _missing(
        "readinessProbe",
        "readiness probe",
        "add a readinessProbe that succeeds once the container can serve (e.g. httpGet /ready)",
    )
)
