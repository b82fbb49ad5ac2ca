"""KL038 probe-port-unknown: a probe aimed at a port the container does not declare."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, doc, object_rule
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.report.model import Severity
from kubelint.schema.suggest import closest

_PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
_HANDLERS = ("httpGet", "tcpSocket", "grpc")


@object_rule(
    "KL038",
    "probe-port-unknown",
    Severity.ERROR,
    "A liveness, readiness or startup probe names a port the container does not declare.",
    doc(
        what="Reports the `port` of a probe's `httpGet`, `tcpSocket` or `grpc` handler when "
        "it is a name that is not among the container's `ports[].name`. With the option "
        "`check-numbers` (off by default), a port number that the container does not list "
        "in `ports[].containerPort` is reported too, when the container lists any port.",
        why="The kubelet resolves a named probe port in the container's own ports only. "
        "When the name is missing (a typo, or a port declared in another container) the "
        "probe fails every time: a failing liveness probe restarts the container forever, "
        "a failing readiness probe keeps the pod out of its Services. Numbers are not "
        "reported by default because `ports` is informational: a process may serve a "
        "health endpoint on a port it does not declare, and the probe works.",
        example="ports:\n- name: http\n  containerPort: 8080\n"
        "livenessProbe:\n  httpGet:\n    path: /healthz\n    port: htpp",
        use_instead="ports:\n- name: http\n  containerPort: 8080\n"
        "livenessProbe:\n  httpGet:\n    path: /healthz\n    port: http",
    ),
    kinds=("DeploymentLike",),
    options={"check-numbers": False},
    whole_object=True,  # a kustomize patch may probe ports its base declares
)
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
