"""KL043 capabilities-added: a container adds Linux capabilities beyond an allowed few."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load import shapes
from kubelint.load.objects import KubeObject


def _normal(capability: str) -> str:
    name = capability.strip().upper()
    return name[4:] if name.startswith("CAP_") else name


@object_check("security.capabilities-added")
def capabilities_added(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation at each added capability that is not allowed."""
    spec = obj.pod_spec()
    if spec is None or _windows(spec):
        return
    allowed = {_normal(str(c)) for c in options.get("allowed") or ()} - {"ALL"}
    for base, container in obj.containers():
        context = container.get("securityContext")
        capabilities = context.get("capabilities") if isinstance(context, dict) else None
        added = capabilities.get("add") if isinstance(capabilities, dict) else None
        if not isinstance(added, list):
            continue
        who = shapes.name(container)
        for index, capability in enumerate(added):
            if not isinstance(capability, str) or _normal(capability) in allowed:
                continue
            what = (
                "every capability (ALL)"
                if _normal(capability) == "ALL"
                else f"the capability {capability}"
            )
            yield Violation(
                (*base, "securityContext", "capabilities", "add", index),
                f'container "{who}" adds {what}',
                "remove it from capabilities.add, or allow it in this rule's options if the "
                "container truly needs it",
            )


def _windows(spec: dict[str, Any]) -> bool:
    os = spec.get("os")
    return isinstance(os, dict) and os.get("name") == "windows"
