"""The merge step against ``kubectl patch --local``, for patches kubectl apply never writes.

The conformance suite covers the patches that apply produces; these cases feed the
merge the other directives and corners a patch can hold (``$patch: replace`` and
``delete`` on maps and lists, ``$retainKeys``, ``$deleteFromPrimitiveList``, nulls inside
added values, server-only items around a ``$setElementOrder``, several deletions and
additions in one list) and compare with the real kubectl, offline.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from kubelint.apply.client_side.json_merge import apply_merge_patch
from kubelint.apply.client_side.merge import apply_strategic_patch
from kubelint.apply.client_side.patch_meta import root_type
from kubelint.schema.store import latest_version, schemas_for
from test_apply_conformance import canonical, kubectl_or_skip


def deployment(pod_spec: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": pod_spec},
            **spec,
        },
    }


def env(*names: str) -> list[dict[str, str]]:
    return [{"name": n, "value": n.lower()} for n in names]


def pod(containers: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"containers": containers, **extra}


def patch_pod(pod_patch: dict[str, Any]) -> dict[str, Any]:
    return {"spec": {"template": {"spec": pod_patch}}}


WEB = {"name": "web", "image": "nginx:1.25", "env": env("A", "B", "C", "D")}

#: name -> (patch type, live object, patch)
CASES: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "replace-directive-on-map": (
        "strategic",
        deployment(pod([WEB], nodeSelector={"a": "1", "b": "2"})),
        patch_pod({"nodeSelector": {"$patch": "replace", "c": "3"}}),
    ),
    "delete-directive-on-map": (
        "strategic",
        deployment(
            pod([WEB]),
            strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
        ),
        {"spec": {"strategy": {"$patch": "delete"}}},
    ),
    "replace-directive-in-list": (
        "strategic",
        deployment(pod([WEB, {"name": "side", "image": "busybox"}])),
        patch_pod({"containers": [{"$patch": "replace"}, {"name": "only", "image": "x"}]}),
    ),
    "retain-keys": (
        "strategic",
        deployment(
            pod([WEB]),
            strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
        ),
        {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}},
    ),
    "delete-from-primitive-list": (
        "strategic",
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "default", "finalizers": ["a", "b", "c"]},
        },
        {"metadata": {"$deleteFromPrimitiveList/finalizers": ["b"], "finalizers": ["d"]}},
    ),
    "nulls-in-added-values-dropped": (
        "strategic",
        deployment(pod([WEB])),
        patch_pod({"nodeSelector": {"a": "1", "b": None}, "dnsPolicy": None}),
    ),
    "server-only-items-around-set-element-order": (
        "strategic",
        deployment(pod([{**WEB, "env": env("A", "B", "C", "D", "E")}])),
        patch_pod(
            {
                "containers": [
                    {
                        "name": "web",
                        "$setElementOrder/env": [{"name": "D"}, {"name": "X"}, {"name": "A"}],
                        "env": [{"name": "X", "value": "x"}, {"name": "B", "$patch": "delete"}],
                    }
                ]
            }
        ),
    ),
    "several-deletions-and-additions": (
        "strategic",
        deployment(pod([WEB])),
        patch_pod(
            {
                "containers": [
                    {
                        "name": "web",
                        "$setElementOrder/env": [
                            {"name": "B"},
                            {"name": "X"},
                            {"name": "D"},
                            {"name": "Y"},
                            {"name": "Z"},
                        ],
                        "env": [
                            {"name": "X", "value": "x"},
                            {"name": "Y", "value": "y"},
                            {"name": "Z", "value": "z"},
                            {"name": "A", "$patch": "delete"},
                            {"name": "C", "$patch": "delete"},
                        ],
                    }
                ]
            }
        ),
    ),
    "list-without-set-element-order": (
        "strategic",
        deployment(pod([WEB])),
        patch_pod({"containers": [{"name": "side", "image": "busybox"}]}),
    ),
    "type-change-replaces": (
        "strategic",
        deployment(pod([{**WEB, "args": ["a"]}])),
        patch_pod({"containers": [{"name": "web", "args": "not-a-list"}]}),
    ),
    "merge-patch-nulls": (
        "merge",
        {
            "apiVersion": "example.com/v1",
            "kind": "Widget",
            "metadata": {"name": "w", "namespace": "default"},
            "spec": {"x": [1, None, {"a": None, "b": 1}], "y": {"z": 1}, "s": "v"},
        },
        {
            "spec": {
                "y": {"z": None, "n": {"k": None, "j": 2}},
                "q": [None, {"a": None}],
                "s": {"now": "map", "gone": None},
            }
        },
    ),
}


@pytest.fixture(scope="module")
def kubectl_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    kubectl = kubectl_or_skip(tmp_path_factory)
    # nothing listens there: patch --local must not need a server
    kubeconfig = kubectl.kubeconfig("http://127.0.0.1:9", "offline")
    work = tmp_path_factory.mktemp("merge-cases")

    def run(name: str) -> Any:
        patch_type, live, patch = CASES[name]
        live_file, patch_file = work / f"{name}.live.json", work / f"{name}.patch.json"
        live_file.write_text(json.dumps(live), encoding="utf-8")
        patch_file.write_text(json.dumps(patch), encoding="utf-8")
        done = kubectl.run(
            kubeconfig,
            "patch",
            "--local",
            "-f",
            str(live_file),
            "--type",
            patch_type,
            "--patch-file",
            str(patch_file),
            "-o",
            "json",
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(zip(CASES, pool.map(run, CASES), strict=True))


@pytest.mark.parametrize("name", list(CASES))
def test_merge_matches_kubectl_patch_local(name: str, kubectl_results: dict[str, Any]) -> None:
    patch_type, live, patch = CASES[name]
    if patch_type == "strategic":
        root = root_type(schemas_for(latest_version()), live["apiVersion"], live["kind"])
        assert root is not None
        result = apply_strategic_patch(live, patch, root)
    else:
        result = apply_merge_patch(live, patch)
    assert canonical(result) == canonical(kubectl_results[name])


def test_merge_leaves_its_inputs_alone(tmp_path: Path) -> None:
    _, live, patch = CASES["several-deletions-and-additions"]
    before = (canonical(live), canonical(patch))
    root = root_type(schemas_for(latest_version()), "apps/v1", "Deployment")
    assert root is not None
    apply_strategic_patch(live, patch, root)
    assert (canonical(live), canonical(patch)) == before


def test_a_patch_that_adds_and_deletes_the_same_values_is_flagged() -> None:
    """apimachinery's mergeMap walks the patch map in Go's random order: with both
    ``$deleteFromPrimitiveList/finalizers`` and ``finalizers`` holding a value, the
    server keeps or drops it at random (``kubectl patch --local`` does both)."""
    from kubelint.apply.client_side.simulate import map_order_warnings

    patch = {
        "metadata": {
            "$deleteFromPrimitiveList/finalizers": ["kubernetes"],
            "finalizers": ["kubernetes"],
        },
        "spec": {"$deleteFromPrimitiveList/args": ["a"], "args": ["b"]},
    }
    [warning] = map_order_warnings(patch)
    assert warning.startswith("metadata.finalizers: ")


def test_a_directive_kubectl_computes_too_is_flagged() -> None:
    """kubectl's diffMaps walks the manifest in Go's random order: a
    ``$setElementOrder/containers`` written in the manifest and computed by kubectl with
    another value ends up in the patch one way or the other (seen both ways with the real
    kubectl); one the patch carries unchanged is no collision."""
    from kubelint.apply.client_side.simulate import directive_collisions

    order = [{"name": "a"}, {"name": "b"}]
    modified = {"spec": {"$setElementOrder/containers": order, "containers": [{"name": "a"}]}}
    patch = {
        "spec": {"$setElementOrder/containers": [{"name": "a"}], "containers": [{"name": "a"}]}
    }
    [warning] = directive_collisions(modified, patch)
    assert warning.startswith("spec.$setElementOrder/containers: ")
    assert directive_collisions(modified, {"spec": {"$setElementOrder/containers": order}}) == []
