"""KL038 probe-port-unknown: a probe aimed at a port the container does not declare."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.schema.suggest import closest

_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_HANDLERS = ("httpGet", "tcpSocket", "grpc")


@object_check("pods.probe-port-unknown")
def probe_port_unknown(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation at each probe port that the container does not declare."""
    check_numbers = bool(options["check-numbers"])
    for base, container in obj.containers():
        ports = [p for _, p in shapes.mappings(container, "ports")]
        names = [name for p in ports if (name := shapes.string(p, "name")) is not None]
        numbers = {shapes.integer(p, "containerPort") for p in ports}
        who = shapes.name(container)
        for probe in _PROBES:
            for handler in _HANDLERS:
                port = shapes.at(container, probe, handler, "port")
                path = (*base, probe, handler, "port")
                if isinstance(port, str) and port and not (port.isascii() and port.isdigit()):
                    if "$" in port or "{" in port:
                        continue  # a placeholder, substituted before apply
                    if port in names:
                        continue
                    guess = closest(port, names)
                    if guess:
                        hint = f'did you mean "{guess}"?'
                    elif names:
                        hint = f"use one of the declared ports ({', '.join(names)}) or a number"
                    else:
                        hint = (
                            f"declare it in ports (name: {port}, containerPort: <number>), "
                            "or use the number"
                        )
                    yield Violation(
                        path,
                        f'container "{who}": the {probe} port "{port}" is not a port of this '
                        "container, so the probe always fails",
                        hint,
                    )
                elif (
                    check_numbers
                    and isinstance(port, int)
                    and not isinstance(port, bool)
                    and ports
                    and port not in numbers
                ):
                    yield Violation(
                        path,
                        f'container "{who}": the {probe} port {port} is not among the '
                        "container's declared ports",
                        "declare it in ports, or probe a declared port",
                    )
