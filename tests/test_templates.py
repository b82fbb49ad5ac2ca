"""The ``field`` template: conditions compare as JSON does, and messages take any value."""

from __future__ import annotations

from typing import Any

from kubelint.checks.api import RuleContext
from kubelint.checks.templates.field import TEMPLATE
from kubelint.load.objects import KubeObject


def _messages(params: dict[str, Any], body: dict[str, Any]) -> list[str]:
    check = TEMPLATE.build(TEMPLATE.parse(params, trusted=False))
    obj = KubeObject("v1", "Pod", "", "p", "default", body, "p.yaml")
    return [v.message for v in check(obj, {}, RuleContext("1.30", "default"))]


def test_forbid_and_allow_compare_as_json() -> None:
    params = {"target": "pod-spec", "path": "hostIPC", "forbid": [True], "message": "m {value}"}
    assert _messages(params, {"spec": {"hostIPC": True}}) == ["m True"]
    assert _messages(params, {"spec": {"hostIPC": 1}}) == []  # 1 is not true
    allow = {"path": "spec.replicas", "allow": [1, 2], "message": "{value} {path}"}
    assert _messages(allow, {"spec": {"replicas": 1.0}}) == []  # 1.0 is 1
    assert _messages(allow, {"spec": {"replicas": True}}) == ["True spec.replicas"]


def test_messages_take_values_of_any_shape() -> None:
    params = {"path": "metadata.name", "pattern": "^[a-z]+$", "message": "{value:>3}|"}
    assert _messages(params, {"metadata": {"name": 7}}) == ["  7|"]
    assert _messages(params, {"metadata": {"name": {"a": [1]}}}) == ["{'a': [1]}|"]
