"""KL062: an Ingress backend must be a Service of its namespace, and a port of that Service."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from kubelint.checks.api import CrossViolation, Fact, RuleContext, cross_objects_check
from kubelint.checks.crossref.facts import fields_of
from kubelint.checks.crossref.names import elsewhere, typo_of
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.load.paths import Path
from kubelint.report.model import Severity
from kubelint.schema.suggest import closest


class Backend(NamedTuple):
    """One backend of an Ingress: a Service name and port, with mark keys."""

    service: str
    port: int | str | None
    name_mark: str
    port_mark: str


class ServicePorts(NamedTuple):
    """The ports of a Service: (name, port, targetPort) each."""

    ports: tuple[tuple[str | None, int | None, int | str | None], ...]


class IngressFact(NamedTuple):
    """The Service backends of an Ingress."""

    backends: tuple[Backend, ...]


def _backend(value: Any, path: Path, index: int, paths: dict[str, Path]) -> Backend | None:
    """A v1 (``service.name``/``service.port``) or v1beta1 (``serviceName``) backend."""
    if not isinstance(value, dict):
        return None
    service = value.get("service")
    if isinstance(service, dict):
        name, name_path = service.get("name"), (*path, "service", "name")
        port_value = service.get("port")
        port: Any = None
        port_path: Path = (*path, "service", "port")
        if isinstance(port_value, dict):
            for key in ("number", "name"):
                if key in port_value:
                    port, port_path = port_value[key], (*port_path, key)
                    break
    else:
        name, name_path = value.get("serviceName"), (*path, "serviceName")
        port, port_path = value.get("servicePort"), (*path, "servicePort")
    if not isinstance(name, str) or not name:
        return None
    port = shapes.int_or_string(port)
    paths[f"name{index}"] = name_path
    paths[f"port{index}"] = port_path
    return Backend(name, port, f"name{index}", f"port{index}")


def collect(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[tuple[Any, dict[str, Path], dict[str, str]]]:
    """Ingress backends, and the ports of every Service."""
    if obj.kind == "Service" and obj.group == "":
        ports = tuple(
            (
                shapes.string(p, "name"),
                shapes.integer(p, "port"),
                shapes.int_or_string(p.get("targetPort")),
            )
            for _, p in shapes.mappings(obj.body, "spec", "ports")
        )
        yield ServicePorts(ports), {}, {}
        return
    if obj.kind != "Ingress":
        return
    paths: dict[str, Path] = {}
    found: list[Backend] = []
    candidates: list[tuple[Any, Path]] = [
        (obj.get(("spec", "defaultBackend")), ("spec", "defaultBackend")),
        (obj.get(("spec", "backend")), ("spec", "backend")),
    ]
    for i, rule in enumerate(shapes.items(obj.body, "spec", "rules")):
        for j, entry in shapes.mappings(rule, "http", "paths"):
            backend_path: Path = ("spec", "rules", i, "http", "paths", j, "backend")
            candidates.append((entry.get("backend"), backend_path))
    for value, path in candidates:
        backend = _backend(value, path, len(found), paths)
        if backend is not None:
            found.append(backend)
    if found:
        yield IngressFact(tuple(found)), paths, fields_of(paths)


#: A Service port: (name, port, targetPort).
Port = tuple[str | None, int | None, int | str | None]


class _Ports:
    """The ports of one Service, looked up by number and by name."""

    __slots__ = ("_meant", "_ports", "_text", "names", "numbers", "targets")

    def __init__(self, ports: list[Port]) -> None:
        self._ports = ports
        self.numbers = {number for _, number, _ in ports}
        named = [name for name, _, _ in ports if name]
        self.names = set(named)
        #: the port whose targetPort is each value (the first such port), when it has a number
        self.targets: dict[int | str, int] = {}
        first: dict[int | str, int | None] = {}
        for _, number, target in ports:
            if target is not None and target not in first:
                first[target] = number
        self.targets = {t: n for t, n in first.items() if n is not None}
        self._meant: dict[str, str | None] = {}
        self._text: str | None = None

    def meant(self, name: str) -> str | None:
        """The port name closest to ``name``."""
        if name not in self._meant:
            self._meant[name] = closest(name, [n for n, _, _ in self._ports if n])
        return self._meant[name]

    def text(self) -> str:
        """The ports, as the message lists them."""
        if self._text is None:
            self._text = _port_text(self._ports)
        return self._text


def _quoted(port: int | str) -> str:
    return f'"{port}"' if isinstance(port, str) else str(port)


def _port_text(ports: list[Port]) -> str:
    return ", ".join(
        f"{number} ({name})" if name and number else str(name or number)
        for name, number, _ in ports
    )


@cross_objects_check("references.ingress-backend-missing", collect)
def ingress_backend_missing(
    facts: list[Fact], options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[CrossViolation]:
    """Ingress backends that point at no Service (or no port of it) in the run."""
    if not any(isinstance(f.data, IngressFact) for f in facts):
        return
    #: the ports of each Service; defined twice: either definition may win, so the ports of both
    services: dict[tuple[str | None, str], list[Port]] = {}
    by_namespace: dict[str | None, set[str]] = {}
    where: dict[str, set[str | None]] = {}
    in_file: dict[tuple[str | None, str], set[str]] = {}  # the Services of each namespace and file
    for fact in facts:
        if isinstance(fact.data, ServicePorts) and fact.name:
            in_file.setdefault((fact.namespace, fact.path), set()).add(fact.name)
            services.setdefault((fact.namespace, fact.name), []).extend(fact.data.ports)
            by_namespace.setdefault(fact.namespace, set()).add(fact.name)
            where.setdefault(fact.name, set()).add(fact.namespace)
    typos: dict[tuple[str | None, str], str | None] = {}
    summaries: dict[tuple[str | None, str], _Ports] = {}
    for fact in facts:
        if not isinstance(fact.data, IngressFact):
            continue
        for backend in fact.data.backends:
            service = services.get((fact.namespace, backend.service))
            if service is None:
                typo = (fact.namespace, backend.service)
                if typo not in typos:
                    typos[typo] = typo_of(backend.service, by_namespace.get(fact.namespace, set()))
                meant = typos[typo]
                other = elsewhere(backend.service, fact.namespace, where)
                # Ingresses often route to Services installed otherwise (by an operator, a
                # chart, kubectl expose): only a file that holds Services speaks for its app
                own = sorted(in_file.get((fact.namespace, fact.path), ()))
                if not (ctx.strict_refs or meant or other or own):
                    continue  # the cluster may have it
                if meant:
                    hint = f'did you mean "{meant}"?'
                elif other:
                    hint = other
                elif own:
                    shown = ", ".join(own[:6]) + (", ..." if len(own) > 6 else "")
                    hint = f"the Services of namespace {fact.namespace} in this file: {shown}"
                else:
                    hint = "add the Service to the run, or fix the name"
                yield CrossViolation(
                    fact,
                    backend.name_mark,
                    f'Service "{backend.service}" is not in namespace {fact.namespace} in this run',
                    hint,
                    severity=Severity.ERROR if ctx.strict_refs else None,
                )
                continue
            if backend.port is None or not service:
                continue
            key = (fact.namespace, backend.service)
            summary = summaries.get(key)
            if summary is None:
                summary = summaries[key] = _Ports(service)
            if backend.port in (
                summary.numbers if isinstance(backend.port, int) else summary.names
            ):
                continue
            meant = summary.meant(backend.port) if isinstance(backend.port, str) else None
            target_of = summary.targets.get(backend.port)
            if meant:
                hint = f'did you mean "{meant}"?'
            elif target_of is not None:
                hint = (
                    f"{_quoted(backend.port)} is the targetPort (on the pods) of Service port "
                    f"{target_of}: a backend names the Service's port"
                )
            else:
                hint = "use one of the Service's ports"
            yield CrossViolation(
                fact,
                backend.port_mark,
                f"port {_quoted(backend.port)} is not a port of Service {backend.service} "
                f"(ports: {summary.text()})",
                hint,
            )
