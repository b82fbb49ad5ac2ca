"""KL041 run-as-root: a container that may run as root (UID 0)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, doc, object_rule
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.report.model import Severity


@object_rule(
    "KL041",
    "run-as-root",
    Severity.WARNING,
    "A container may run as root: runAsNonRoot is not true and runAsUser is not above 0.",
    doc(
        what="Reports containers (init containers included) for which neither the "
        "container's nor the pod's `securityContext` sets `runAsNonRoot: true` or a "
        "`runAsUser` above 0; the container's setting wins over the pod's, as in "
        "Kubernetes. An explicit `runAsUser: 0` or `runAsNonRoot: false` on the container "
        "is reported where it is written. Windows pods (`spec.os.name: windows`) are "
        "skipped.",
        why="Many images run as root unless told otherwise. Root in a container is root "
        "on the node's kernel: a container escape, a writable hostPath or a mounted "
        "socket then gives the attacker the node. With `runAsNonRoot: true` the kubelet "
        "refuses to start a container whose image would run as UID 0.",
        example="spec:\n  containers:\n  - name: web\n    image: registry.example.com/web:2.4.1",
        use_instead="spec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n"
        "  containers:\n  - name: web\n    image: registry.example.com/web:2.4.1",
    ),
    kinds=("DeploymentLike",),
    whole_object=True,
)
def run_as_root(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation for each container that is not made to run as a non-root user."""
    spec = obj.pod_spec()
    spec_path = obj.pod_spec_path
    if spec is None or spec_path is None or _windows(spec):
        return
    pod = spec.get("securityContext")
    pod = pod if isinstance(pod, dict) else {}
    suggestion = "set securityContext.runAsNonRoot: true (and a runAsUser above 0)"
    for base, container in obj.containers():
        own = container.get("securityContext")
        own = own if isinstance(own, dict) else {}
        user = own.get("runAsUser", pod.get("runAsUser"))
        non_root = own.get("runAsNonRoot", pod.get("runAsNonRoot"))
        if isinstance(user, int) and not isinstance(user, bool) and user > 0:
            continue
        who = shapes.name(container)
        if user == 0 and not isinstance(user, bool):
            if "runAsUser" in own:
                yield Violation(
                    (*base, "securityContext", "runAsUser"),
                    f'container "{who}" runs as root (runAsUser: 0)',
                    "set runAsUser to a UID above 0 and runAsNonRoot: true",
                )
            else:
                yield Violation(
                    base,
                    f'container "{who}" runs as root (the pod sets runAsUser: 0)',
                    "set runAsUser to a UID above 0 and runAsNonRoot: true",
                )
            continue
        if non_root is True:
            continue
        if own.get("runAsNonRoot") is False:
            yield Violation(
                (*base, "securityContext", "runAsNonRoot"),
                f'container "{who}" may run as root (runAsNonRoot: false)',
                suggestion,
            )
        else:
            whose = " (the pod sets runAsNonRoot: false)" if non_root is False else ""
            yield Violation(
                base,
                f'container "{who}" may run as root: nothing sets runAsNonRoot: true or a '
                f"runAsUser above 0{whose}",
                suggestion,
            )


def _windows(spec: dict[str, Any]) -> bool:
    os = spec.get("os")
    return isinstance(os, dict) and os.get("name") == "windows"
