"""KL036 liveness-probe-missing and KL037 readiness-probe-missing.

Only long-running containers need probes: the app containers of Deployments,
ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers and of bare Pods that
restart (restartPolicy Always, the default). Jobs, CronJobs, run-to-completion Pods and
init containers are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import ObjectCheck, RuleContext, RuleSpec, Violation, doc, object_rule
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.report.model import Severity

_KINDS = ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController", "Pod")


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


_CONTAINER = """\
containers:
- name: web
  image: registry.example.com/web:2.4.1
  ports:
  - name: http
    containerPort: 8080
"""

liveness_probe_missing: RuleSpec = object_rule(
    "KL036",
    "liveness-probe-missing",
    Severity.WARNING,
    "A long-running container has no liveness probe.",
    doc(
        what="Reports app containers without `livenessProbe` in Deployments, ReplicaSets, "
        "StatefulSets, DaemonSets, ReplicationControllers and Pods whose restartPolicy is "
        "Always. Jobs, CronJobs, Pods that run to completion and init containers are not "
        "checked.",
        why="Without a liveness probe the kubelet restarts a container only when its process "
        "exits. A process that deadlocks or stops serving but stays alive keeps its pod "
        "Running, and nothing recovers it.",
        example=_CONTAINER,
        use_instead=_CONTAINER
        + "  livenessProbe:\n    httpGet:\n      path: /healthz\n      port: http\n"
        "    periodSeconds: 10\n    failureThreshold: 3\n",
    ),
    kinds=_KINDS,
    whole_object=True,
)(
    _missing(
        "livenessProbe",
        "liveness probe",
        "add a livenessProbe that fails only when a restart would help (e.g. httpGet /healthz)",
    )
)

readiness_probe_missing: RuleSpec = object_rule(
    "KL037",
    "readiness-probe-missing",
    Severity.WARNING,
    "A long-running container has no readiness probe.",
    doc(
        what="Reports app containers without `readinessProbe` in Deployments, ReplicaSets, "
        "StatefulSets, DaemonSets, ReplicationControllers and Pods whose restartPolicy is "
        "Always. Jobs, CronJobs, Pods that run to completion and init containers are not "
        "checked.",
        why="Without a readiness probe a pod counts as ready as soon as its containers have "
        "started: Services send it traffic before the application listens, and a rolling "
        "update moves on (and removes old pods) before the new ones can serve.",
        example=_CONTAINER,
        use_instead=_CONTAINER
        + "  readinessProbe:\n    httpGet:\n      path: /ready\n      port: http\n"
        "    periodSeconds: 5\n",
    ),
    kinds=_KINDS,
    whole_object=True,
)(
    _missing(
        "readinessProbe",
        "readiness probe",
        "add a readinessProbe that succeeds once the container can serve (e.g. httpGet /ready)",
    )
)
