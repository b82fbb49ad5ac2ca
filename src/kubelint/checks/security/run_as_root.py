"""KL041 run-as-root: a container that may run as root (UID 0)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load import shapes
from kubelint.load.objects import KubeObject


@object_check("security.run-as-root")
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
