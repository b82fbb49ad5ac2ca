"""schema/api_server.py on its own: what the API server checks beyond the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest

from kubelint.load.paths import AT_KEY, AT_VALUE
from kubelint.schema.api_server import CORE, MAX_ANNOTATIONS_BYTES, META, build_hooks, name_issues
from kubelint.schema.compile import Issue

HOOKS = build_hooks()


def _run(definition: str, field: str, value: Any) -> list[Issue]:
    return list(HOOKS[(definition, field)](value))


def _rule(issue: Issue) -> str:
    return str(getattr(issue.rule, "slug", issue.rule))


def test_a_label_key_and_value_are_checked_apart() -> None:
    issues = _run(META + "ObjectMeta", "labels", {"Bad Key": "ok", "app": "-bad-"})
    assert [(_rule(i), i.path, i.at) for i in issues] == [
        ("invalid-label", ("Bad Key",), AT_KEY),
        ("invalid-label", ("app",), AT_VALUE),
    ]
    assert issues[0].message.startswith('label key "Bad Key": ')


def test_labels_that_are_no_mapping_are_left_to_the_schema() -> None:
    assert _run(META + "ObjectMeta", "labels", ["app"]) == []


def test_annotations_over_the_limit_are_one_issue_on_the_key() -> None:
    big = {"a": "x" * MAX_ANNOTATIONS_BYTES}
    (issue,) = _run(META + "ObjectMeta", "annotations", big)
    assert (_rule(issue), issue.path, issue.at) == ("invalid-annotation", (), AT_KEY)
    assert f"{MAX_ANNOTATIONS_BYTES + 1:,} bytes" in issue.message
    assert _run(META + "ObjectMeta", "annotations", {"a": "x" * (MAX_ANNOTATIONS_BYTES - 1)}) == []


def test_annotation_sizes_count_utf8_bytes() -> None:
    value = "é" * (MAX_ANNOTATIONS_BYTES // 2)  # two bytes each: over the limit with its key
    assert _run(META + "ObjectMeta", "annotations", {"a": value})


@pytest.mark.parametrize(
    ("definition", "field", "value", "valid"),
    [
        (CORE + "ContainerPort", "containerPort", 8080, True),
        (CORE + "ContainerPort", "containerPort", 0, False),
        (CORE + "ContainerPort", "containerPort", 65536, False),
        (CORE + "ContainerPort", "hostPort", 0, True),
        (CORE + "ServicePort", "targetPort", "http", True),
        (CORE + "ServicePort", "targetPort", "Not_A_Name", False),
        (CORE + "ContainerPort", "name", "http-metrics", True),
        (CORE + "ContainerPort", "name", "http-metrics-port", False),  # over 15 characters
        ("io.k8s.api.apps.v1.RollingUpdateDeployment", "maxSurge", "25%", True),
        ("io.k8s.api.apps.v1.RollingUpdateDeployment", "maxSurge", "25", False),
        (CORE + "ConfigMap", "data", {"app.properties": "x"}, True),
        (CORE + "ConfigMap", "data", {"bad/key": "x"}, False),
        (CORE + "Container", "name", "Web", False),
    ],
)
def test_field_hooks(definition: str, field: str, value: Any, valid: bool) -> None:
    assert (_run(definition, field, value) == []) is valid


@pytest.mark.parametrize(
    ("group", "kind", "name", "valid"),
    [
        ("", "ConfigMap", "web.config", True),  # a DNS-1123 subdomain
        ("", "Service", "web.config", False),  # a DNS-1035 label: no dots
        ("", "Service", "1web", False),  # nor a leading digit
        ("", "Namespace", "team-a", True),
        ("rbac.authorization.k8s.io", "ClusterRole", "system:controller:x", True),
        ("rbac.authorization.k8s.io", "Role", "a/b", False),
        ("batch", "CronJob", "c" * 52, True),
        ("batch", "CronJob", "c" * 53, False),
        ("apps", "Deployment", "Web", False),
    ],
)
def test_object_names_by_kind(group: str, kind: str, name: str, valid: bool) -> None:
    assert (name_issues(group, kind, name) == []) is valid
