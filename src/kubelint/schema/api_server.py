"""What the API server validates beyond the OpenAPI schema: names, labels, keys, ports.

Each hook is attached to a (definition, property) pair and yields issues relative to
that property. Object names depend on the kind and are checked by :func:`name_issues`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final

from kubelint.load.paths import AT_KEY, AT_VALUE
from kubelint.rules.core import (
    INVALID_ANNOTATION,
    INVALID_DATA_KEY,
    INVALID_LABEL,
    INVALID_NAME,
    INVALID_VALUE,
)
from kubelint.schema.compile import FieldHooks, Issue
from kubelint.schema.formats.labels import config_map_key, label_value, qualified_name
from kubelint.schema.formats.names import dns1035_label, dns1123_label, dns1123_subdomain
from kubelint.schema.formats.percent import int_or_percent
from kubelint.schema.formats.ports import port_name, port_number
from kubelint.schema.formats.text import utf8_size

META: Final = "io.k8s.apimachinery.pkg.apis.meta.v1."
CORE: Final = "io.k8s.api.core.v1."

MAX_ANNOTATIONS_BYTES: Final = 256 * 1024


def _labels(value: Any) -> Iterator[Issue]:
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        for problem in qualified_name(key):
            yield Issue(INVALID_LABEL.slug, (key,), f'label key "{key}": {problem}', None, AT_KEY)
        if isinstance(item, str):
            for problem in label_value(item):
                yield Issue(
                    INVALID_LABEL.slug, (key,), f'label value "{item}": {problem}', None, AT_VALUE
                )


def _annotations(value: Any) -> Iterator[Issue]:
    if not isinstance(value, dict):
        return
    total = 0
    for key, item in value.items():
        for problem in qualified_name(key):
            yield Issue(
                INVALID_ANNOTATION.slug, (key,), f'annotation key "{key}": {problem}', None, AT_KEY
            )
        total += utf8_size(key) + (utf8_size(item) if isinstance(item, str) else 0)
    if total > MAX_ANNOTATIONS_BYTES:
        yield Issue(
            INVALID_ANNOTATION.slug,
            (),
            f"annotations total {total:,} bytes; "
            f"the API server allows at most {MAX_ANNOTATIONS_BYTES:,}",
            "move large data into a ConfigMap, or use server-side apply (no last-applied copy)",
            AT_KEY,
        )


def _data_keys(value: Any) -> Iterator[Issue]:
    if not isinstance(value, dict):
        return
    for key in value:
        for problem in config_map_key(key):
            yield Issue(INVALID_DATA_KEY.slug, (key,), f'data key "{key}": {problem}', None, AT_KEY)


def _string_check(
    rule: str, what: str, check: Callable[[str], list[str]]
) -> Callable[[Any], Iterator[Issue]]:
    def run(value: Any) -> Iterator[Issue]:
        if isinstance(value, str):
            for problem in check(value):
                yield Issue(rule, (), f'{what} "{value}": {problem}')

    return run


def _port_number(value: Any) -> Iterator[Issue]:
    if isinstance(value, int) and not isinstance(value, bool):
        for problem in port_number(value):
            yield Issue(INVALID_VALUE.slug, (), f"port {value}: {problem}")


def _host_port(value: Any) -> Iterator[Issue]:
    if value != 0:  # 0 means "no host port"
        yield from _port_number(value)


def _int_or_port_name(value: Any) -> Iterator[Issue]:
    if isinstance(value, str):
        for problem in port_name(value):
            yield Issue(INVALID_VALUE.slug, (), f'port name "{value}": {problem}')
    else:
        yield from _port_number(value)


def _int_or_percent(value: Any) -> Iterator[Issue]:
    for problem in int_or_percent(value):
        yield Issue(INVALID_VALUE.slug, (), problem)


def build_hooks() -> FieldHooks:
    """The property hooks, keyed by (definition name, property)."""
    dns_label = _string_check(INVALID_NAME.slug, "name", dns1123_label)
    hooks: FieldHooks = {
        (META + "ObjectMeta", "labels"): _labels,
        (META + "ObjectMeta", "annotations"): _annotations,
        (META + "ObjectMeta", "namespace"): _string_check(
            INVALID_NAME.slug, "namespace", dns1123_label
        ),
        (META + "LabelSelector", "matchLabels"): _labels,
        (CORE + "ConfigMap", "data"): _data_keys,
        (CORE + "ConfigMap", "binaryData"): _data_keys,
        (CORE + "Secret", "data"): _data_keys,
        (CORE + "Secret", "stringData"): _data_keys,
        (CORE + "Container", "name"): dns_label,
        (CORE + "EphemeralContainer", "name"): dns_label,
        (CORE + "Volume", "name"): dns_label,
        (CORE + "VolumeMount", "name"): dns_label,
        (CORE + "ContainerPort", "name"): _string_check(INVALID_NAME.slug, "port name", port_name),
        (CORE + "ContainerPort", "containerPort"): _port_number,
        (CORE + "ContainerPort", "hostPort"): _host_port,
        (CORE + "ServicePort", "port"): _port_number,
        (CORE + "ServicePort", "name"): _string_check(
            INVALID_NAME.slug, "port name", dns1123_label
        ),
        (CORE + "ServicePort", "targetPort"): _int_or_port_name,
        (CORE + "HTTPGetAction", "port"): _int_or_port_name,
        (CORE + "TCPSocketAction", "port"): _int_or_port_name,
        ("io.k8s.api.apps.v1.RollingUpdateDeployment", "maxSurge"): _int_or_percent,
        ("io.k8s.api.apps.v1.RollingUpdateDeployment", "maxUnavailable"): _int_or_percent,
        ("io.k8s.api.apps.v1.RollingUpdateDaemonSet", "maxUnavailable"): _int_or_percent,
        ("io.k8s.api.apps.v1.RollingUpdateDaemonSet", "maxSurge"): _int_or_percent,
        ("io.k8s.api.policy.v1.PodDisruptionBudgetSpec", "minAvailable"): _int_or_percent,
        ("io.k8s.api.policy.v1.PodDisruptionBudgetSpec", "maxUnavailable"): _int_or_percent,
    }
    return hooks


#: Kinds whose names follow another rule than a DNS-1123 subdomain.
_NAME_RULES: Final[dict[str, tuple[str, Callable[[str], list[str]]]]] = {
    "Service": ("a DNS-1035 label", dns1035_label),
    "Namespace": ("a DNS-1123 label", dns1123_label),
}
_PATH_SEGMENT_KINDS: Final = frozenset(("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"))


def _path_segment(value: str) -> list[str]:
    if value in (".", ".."):
        return [f'may not be "{value}"']
    return [f'may not contain "{c}"' for c in "/%" if c in value]


def name_issues(group: str, kind: str, name: str) -> list[str]:
    """Problems of ``metadata.name`` for an object of this kind (empty when valid)."""
    if group == "rbac.authorization.k8s.io" and kind in _PATH_SEGMENT_KINDS:
        return _path_segment(name)
    rule = _NAME_RULES.get(kind) if group == "" else None
    if rule is not None:
        return rule[1](name)
    problems = dns1123_subdomain(name)
    if not problems and kind == "CronJob" and group == "batch" and len(name) > 52:
        problems = ["must be no more than 52 characters (the Job names derived from it add 11)"]
    return problems
