"""KL050 duplicate-container-port: a pod declares the same port and protocol twice."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load import shapes
from kubelint.load.objects import KubeObject


@object_check("pods.duplicate-container-port")
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
