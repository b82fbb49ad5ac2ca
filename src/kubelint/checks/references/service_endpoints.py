"""KL060 and KL061: a Service's selector must select pods, and its targetPorts must be
ports those pods declare."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from kubelint.checks.api import CrossViolation, Fact, RuleContext, cross_objects_check
from kubelint.checks.crossref.facts import describe, fields_of
from kubelint.checks.crossref.pod_index import PodIndex, unmatched
from kubelint.checks.crossref.pods import PodPort, Pods, pods_fact
from kubelint.checks.crossref.selectors import Selector, map_selector
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.load.paths import Path
from kubelint.report.model import Severity
from kubelint.schema.suggest import closest


class ServicePort(NamedTuple):
    """One entry of ``spec.ports``: where the Service sends its traffic."""

    position: int  # in spec.ports
    port: int | None
    target: int | str | None  # None: targetPort not set, so it is ``port``
    protocol: str


class ServiceFact(NamedTuple):
    """A Service that selects pods."""

    selector: Selector
    ports: tuple[ServicePort, ...]


def _service(obj: KubeObject) -> tuple[ServiceFact, dict[str, Path]] | None:
    if obj.kind != "Service" or obj.group != "":
        return None
    if obj.get(("spec", "type")) == "ExternalName":
        return None
    parsed = map_selector(obj.get(("spec", "selector")), ("spec", "selector"))
    if parsed is None or parsed[0].empty:
        return None  # no selector: the endpoints are managed by hand (or by a controller)
    selector, paths = parsed
    ports: list[ServicePort] = []
    for index, entry in shapes.mappings(obj.body, "spec", "ports"):
        ports.append(
            ServicePort(
                index,
                shapes.integer(entry, "port"),
                shapes.int_or_string(entry.get("targetPort")),
                shapes.string(entry, "protocol") or "TCP",
            )
        )
        base: Path = ("spec", "ports", index)
        paths[f"port{index}"] = (*base, "targetPort") if "targetPort" in entry else (*base, "port")
    return ServiceFact(selector, tuple(ports)), paths


def collect(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[tuple[Any, dict[str, Path], dict[str, str]]]:
    """Services with a selector, and the pods of every workload."""
    if "service" not in obj.memo:  # one fact for both rules of this module
        obj.memo["service"] = _service(obj)
    service: tuple[ServiceFact, dict[str, Path]] | None = obj.memo["service"]
    if service is not None:
        yield service[0], service[1], fields_of(service[1])
        return
    yield from pods_fact(obj)


@cross_objects_check("references.service-selector-no-match", collect)
def service_selector_no_match(
    facts: list[Fact], options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[CrossViolation]:
    """Services whose selector selects no pods of the run."""
    if not any(isinstance(f.data, ServiceFact) for f in facts):
        return
    pods = PodIndex(facts)
    peers = frozenset(f.path for f in facts if isinstance(f.data, ServiceFact))
    for fact in facts:
        if not isinstance(fact.data, ServiceFact):
            continue
        found = unmatched("selector", fact, fact.data.selector, pods, peers, ctx.strict_refs)
        if found is not None:
            yield CrossViolation(fact, found[2], found[0], found[1])


#: IANA service names, as the API server checks port names.
_PORT_NAME = re.compile(r"(?=[a-z0-9-]{1,15}$)(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?")


def _declared(ports: list[PodPort]) -> str:
    names = sorted(
        {
            f"{p.number} ({p.name})" if p.name and p.number else str(p.name or p.number)
            for p in ports
        }
    )
    return ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")


#: A selection of more workloads than this is kept for the other Services that use it.
_WORTH_KEEPING = 4


class _Selection:
    """The workloads one selector selects in one namespace, and the ports their containers
    declare, summed up once for every Service that uses that selector."""

    __slots__ = (
        "_declared_text",
        "_meant",
        "by_name",
        "declared",
        "mentioned",
        "names",
        "numbers",
        "protocols",
    )

    def __init__(self, selected: tuple[Fact, ...]) -> None:
        self.declared = [
            port for p in selected if isinstance(p.data, Pods) for port in p.data.ports
        ]
        self.by_name: dict[str | None, list[PodPort]] = {}
        for port in self.declared:
            self.by_name.setdefault(port.name, []).append(port)
        self.protocols = {name: {p.protocol for p in ports} for name, ports in self.by_name.items()}
        self.names = [port.name for port in self.declared if port.name]
        self.numbers = {port.number for port in self.declared}
        self.mentioned: set[int] = set()
        for p in selected:
            if isinstance(p.data, Pods):
                self.mentioned.update(p.data.mentioned)
        self._meant: dict[str, str | None] = {}
        self._declared_text: str | None = None

    def meant(self, name: str) -> str | None:
        """The declared port name closest to ``name``."""
        if name not in self._meant:
            self._meant[name] = closest(name, self.names)
        return self._meant[name]

    def declared_text(self) -> str:
        """The declared ports, as the message lists them."""
        if self._declared_text is None:
            self._declared_text = _declared(self.declared)
        return self._declared_text


@cross_objects_check("references.service-target-port-unknown", collect)
def service_target_port_unknown(
    facts: list[Fact], options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[CrossViolation]:
    """Service ports that point at no declared container port."""
    if not any(isinstance(f.data, ServiceFact) for f in facts):
        return
    pods = PodIndex(facts)
    numeric = bool(options["numeric-ports"])
    selections: dict[tuple[Any, ...], _Selection] = {}
    for fact in facts:
        service = fact.data
        if not isinstance(service, ServiceFact):
            continue
        selected = pods.selected(service.selector, fact.namespace)
        key = (service.selector.requirements, fact.namespace)
        selection = selections.get(key)
        if selection is None:
            selection = _Selection(selected)
            if len(selected) > _WORTH_KEEPING:  # Services that share it need not sum it up
                selections[key] = selection
        declared = selection.declared
        who = describe(selected[0]) if len(selected) == 1 else "the selected workloads"
        for port in service.ports:
            target = port.target if port.target is not None else port.port
            mark = f"port{port.position}"
            if isinstance(target, str) and selected:
                if not _PORT_NAME.fullmatch(target) or "--" in target:
                    continue  # not a port name at all (a placeholder?): schema checks say so
                same = selection.by_name.get(target, [])
                if not same:
                    names = selection.names
                    meant = selection.meant(target)
                    yield CrossViolation(
                        fact,
                        mark,
                        f'targetPort "{target}" is not the name of a container port of {who}',
                        f'did you mean "{meant}"?'
                        if meant
                        else (
                            f"declared port names: {', '.join(sorted(set(names)))}"
                            if names
                            else "name the container port, or give the port number"
                        ),
                    )
                elif port.protocol not in selection.protocols[target]:
                    yield CrossViolation(
                        fact,
                        mark,
                        f'targetPort "{target}" is a {same[0].protocol} port of container '
                        f"{same[0].container}, but this Service port is {port.protocol}",
                        f"set protocol: {same[0].protocol}, or declare a {port.protocol} port",
                    )
            elif isinstance(target, int) and numeric and declared:
                if target in selection.numbers or target in selection.mentioned:
                    continue
                what = (
                    f"targetPort {target} is"
                    if port.target is not None
                    else f"port {target} (also the targetPort, as none is set) is"
                )
                yield CrossViolation(
                    fact,
                    mark,
                    f"{what} not a containerPort of {who} (declared: {selection.declared_text()})",
                    "point targetPort at a port the container listens on, or declare it",
                    severity=Severity.WARNING,
                )
