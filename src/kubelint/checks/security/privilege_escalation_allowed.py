"""KL040 privilege-escalation-allowed: allowPrivilegeEscalation is not false."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, doc, object_rule
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.report.model import Severity


@object_rule(
    "KL040",
    "privilege-escalation-allowed",
    Severity.WARNING,
    "A container does not set allowPrivilegeEscalation: false.",
    doc(
        what="Reports containers (init containers included) whose "
        "`securityContext.allowPrivilegeEscalation` is not `false`: unset (which means "
        "true) or true. Privileged containers are left to KL039, and Windows pods "
        "(`spec.os.name: windows`) are skipped: the field does not exist there.",
        why="Unless it is false, a process in the container can gain more privileges than "
        "its parent, through setuid or setgid binaries or file capabilities (`no_new_privs` "
        "is not set). An attacker with a shell as an unprivileged user can then become "
        "root in the container, one step closer to the node.",
        example="containers:\n- name: web\n  image: registry.example.com/web:2.4.1",
        use_instead="containers:\n- name: web\n  image: registry.example.com/web:2.4.1\n"
        "  securityContext:\n    allowPrivilegeEscalation: false",
    ),
    kinds=("DeploymentLike",),
    whole_object=True,
)
def privilege_escalation_allowed(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation for each container that may escalate privileges."""
    spec = obj.pod_spec()
    if spec is None or _windows(spec):
        return
    for base, container in obj.containers():
        context = container.get("securityContext")
        context = context if isinstance(context, dict) else {}
        if context.get("privileged") is True:
            continue
        allowed = context.get("allowPrivilegeEscalation")
        if allowed is False:
            continue
        who = shapes.name(container)
        if allowed is True:
            path = (*base, "securityContext", "allowPrivilegeEscalation")
            message = f'container "{who}" allows privilege escalation'
        else:
            path = base
            message = (
                f'container "{who}" does not set allowPrivilegeEscalation: false, so its '
                "processes may gain privileges (setuid binaries)"
            )
        yield Violation(path, message, "set securityContext.allowPrivilegeEscalation: false")


def _windows(spec: dict[str, Any]) -> bool:
    os = spec.get("os")
    return isinstance(os, dict) and os.get("name") == "windows"
