"""KL050 duplicate-container-port: a pod declares the same port and protocol twice."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, doc, object_rule
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.report.model import Severity


@object_rule(
    "KL050",
    "duplicate-container-port",
    Severity.WARNING,
    "Two port entries of a pod declare the same containerPort and protocol.",
    doc(
        what="Reports a `ports` entry whose containerPort and protocol (TCP when unset) "
        "were already declared in the pod, in the same container or another one (the "
        "containers of a pod share one network namespace), with the same hostIP and "
        "hostPort, where one of the two has no hostPort, or with the same hostPort where "
        "only one sets a hostIP. This is the check behind the API server's `duplicate`, "
        "`overlapping` and `dangerously ambiguous port definition` warnings.",
        why="The API server creates the pod with a warning, but only one process can listen "
        "on the port, and server-side apply refuses the duplicate list key. The second "
        "entry is usually a copy-paste left over, or meant another port.",
        example="ports:\n- name: http\n  containerPort: 8080\n- name: metrics\n"
        "  containerPort: 8080",
        use_instead="ports:\n- name: http\n  containerPort: 8080\n- name: metrics\n"
        "  containerPort: 9090",
    ),
    kinds=("DeploymentLike",),
)
def duplicate_container_port(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation at each containerPort that repeats an earlier port of the pod."""
    seen: dict[tuple[Any, str], list[tuple[str, Any, Any]]] = {}
    for base, container in obj.containers(ephemeral=True):
        ports = container.get("ports")
        if not isinstance(ports, list):
            continue
        who = shapes.name(container)
        for index, port in enumerate(ports):
            if not isinstance(port, dict):
                continue
            number = port.get("containerPort")
            if not isinstance(number, int) or isinstance(number, bool):
                continue
            protocol = port.get("protocol") or "TCP"
            host_ip, host_port = port.get("hostIP") or "", port.get("hostPort") or 0
            key = (number, str(protocol))
            where = f'container "{who}" ports[{index}]'
            clash = None
            for other, other_ip, other_port in seen.get(key, []):
                if (host_ip, host_port) == (other_ip, other_port):
                    clash = f"is declared again (as in {other})"
                    break
                if not host_port or not other_port:
                    clash = f"overlaps {other} (one of the two has no hostPort)"
                    break
                if host_port == other_port and bool(host_ip) != bool(other_ip):
                    clash = f"is ambiguous with {other} (same hostPort, one without hostIP)"
                    break
            seen.setdefault(key, []).append((where, host_ip, host_port))
            if clash is None:
                continue
            yield Violation(
                (*base, "ports", index, "containerPort"),
                f"{where}: port {number}/{protocol} {clash}",
                "remove the duplicate entry, or change it to the port that was meant",
            )
