"""KL056 selector-mismatch: a controller's selector does not select its own pods."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load.objects import KubeObject
from kubelint.load.paths import AT_KEY, AT_VALUE, Path, format_path

_LABEL_SELECTOR_KINDS = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"})


def _text(value: Any) -> str | None:
    """A label value as the API server would hold it (None: not a scalar)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _shown(labels: dict[str, Any], key: str) -> str:
    has = f"{key}={labels[key]}" if key in labels else f"no label {key}"
    return f"the template has {has}"


def _failures(selector: dict[str, Any], labels: dict[str, Any]) -> list[tuple[Path, str, str]]:
    """(path in the selector, at, what fails) for each requirement the labels miss."""
    failures: list[tuple[Path, str, str]] = []
    match_labels = selector.get("matchLabels")
    if isinstance(match_labels, dict):
        for key, value in match_labels.items():
            if _text(labels.get(key)) != _text(value):
                failures.append(
                    (("matchLabels", key), AT_KEY, f"{key}={value} ({_shown(labels, key)})")
                )
    expressions = selector.get("matchExpressions")
    if isinstance(expressions, list):
        for index, expression in enumerate(expressions):
            if not isinstance(expression, dict):
                continue
            key, operator = expression.get("key"), expression.get("operator")
            raw = expression.get("values")
            values = [_text(v) for v in raw] if isinstance(raw, list) else []
            if not isinstance(key, str):
                continue
            has = key in labels
            value = _text(labels.get(key))
            if operator == "In":
                ok = has and value in values
            elif operator == "NotIn":
                ok = not has or value not in values
            elif operator == "Exists":
                ok = has
            elif operator == "DoesNotExist":
                ok = not has
            else:
                continue  # an unknown operator is the schema's finding
            if not ok:
                wanted = f"{key} {operator}" + (
                    f" ({', '.join(str(v) for v in values)})" if values else ""
                )
                failures.append(
                    (("matchExpressions", index), AT_VALUE, f"{wanted} ({_shown(labels, key)})")
                )
    return failures


def _selector_path(obj: KubeObject) -> Path | None:
    """Where the selector that must select the object's own pods is, if one must."""
    if obj.kind in _LABEL_SELECTOR_KINDS or obj.kind == "ReplicationController":
        return ("spec", "selector")
    if obj.kind == "Job" and obj.get(("spec", "manualSelector")) is True:
        return ("spec", "selector")
    if obj.kind == "CronJob" and obj.get(("spec", "jobTemplate", "spec", "manualSelector")) is True:
        return ("spec", "jobTemplate", "spec", "selector")
    return None


@object_check("pods.selector-mismatch")
def selector_mismatch(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation when the selector does not select the pod template's labels."""
    selector_path = _selector_path(obj)
    labels_path = obj.pod_labels_path()
    if selector_path is None or labels_path is None:
        return
    selector = obj.get(selector_path)
    if not isinstance(selector, dict):
        return  # a missing selector is the schema's finding (or defaulted, for the others)
    labels = obj.get(labels_path)
    labels = labels if isinstance(labels, dict) else {}
    where = format_path(labels_path)
    if obj.kind == "ReplicationController":
        failures = _failures({"matchLabels": selector}, labels)
        failures = [(path[1:], at, what) for path, at, what in failures]
    else:
        failures = _failures(selector, labels)
        if not failures and obj.kind in _LABEL_SELECTOR_KINDS:
            if not selector.get("matchLabels") and not selector.get("matchExpressions"):
                yield Violation(
                    selector_path,
                    f"the {obj.kind}'s selector is empty: the API server rejects it",
                    f"select the pods by their labels ({where})",
                    AT_KEY,
                )
            return
    if not failures:
        return
    path, at, _ = failures[0]
    listed = "; ".join(what for _, _, what in failures[:3])
    more = f" and {len(failures) - 3} more" if len(failures) > 3 else ""
    yield Violation(
        (*selector_path, *path),
        f"the selector does not select the {obj.kind}'s own pods: it requires {listed}{more}",
        f"make {format_path(selector_path)} and {where} agree (on an existing object change "
        "the labels: its selector is immutable)",
        at,
    )
