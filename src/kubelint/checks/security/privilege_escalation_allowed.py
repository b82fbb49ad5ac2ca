"""KL040 privilege-escalation-allowed: allowPrivilegeEscalation is not false."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load import shapes
from kubelint.load.objects import KubeObject


@object_check("security.privilege-escalation-allowed")
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
