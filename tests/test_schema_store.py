"""The bundled schema store: the one ``$ref`` resolver, over real and made-up definitions."""

from __future__ import annotations

from typing import Any

import pytest

from kubelint.schema import store
from kubelint.schema.store import Resolved, resolve_ref


def _lookup(definitions: dict[str, dict[str, Any]]) -> Any:
    return definitions.get


def test_a_node_without_ref_is_its_own_end() -> None:
    node = {"type": "string"}
    assert resolve_ref(node, _lookup({})) == Resolved(node, None)


def test_a_ref_ends_at_its_definition_and_names_it() -> None:
    target = {"type": "object", "properties": {}}
    node = {"$ref": "a.B", "description": "the field's own words"}
    resolved = resolve_ref(node, _lookup({"a.B": target}))
    assert resolved == Resolved(target, "a.B")
    assert resolved.schema is target  # the definition itself: the keys beside $ref are not merged


def test_a_chain_is_followed_to_its_last_definition() -> None:
    definitions = {"a": {"$ref": "b"}, "b": {"$ref": "c"}, "c": {"type": "integer"}}
    assert resolve_ref({"$ref": "a"}, _lookup(definitions)) == Resolved({"type": "integer"}, "c")


def test_a_missing_definition_stops_the_chain_where_it_is_named() -> None:
    node = {"$ref": "nowhere"}
    assert resolve_ref(node, _lookup({})) == Resolved(node, None, "nowhere")
    definitions = {"a": {"$ref": "nowhere", "type": "object"}}
    assert resolve_ref({"$ref": "a"}, _lookup(definitions)) == Resolved(
        definitions["a"], "a", "nowhere"
    )


def test_a_cycle_ends_at_the_definition_that_closes_it() -> None:
    definitions = {"a": {"$ref": "b"}, "b": {"$ref": "a"}}
    assert resolve_ref({"$ref": "a"}, _lookup(definitions)) == Resolved({"$ref": "a"}, "b")


@pytest.mark.parametrize("ref", [None, 3, {"$ref": "x"}])
def test_a_ref_that_is_not_a_name_is_not_followed(ref: object) -> None:
    node = {"$ref": ref}
    assert resolve_ref(node, _lookup({"x": {}})) == Resolved(node, None)


def test_the_bundled_schemas_resolve_through_their_own_definitions() -> None:
    schemas = store.schemas_for(store.latest_version())
    pod_spec = schemas.definition("io.k8s.api.core.v1.PodSpec")
    assert pod_spec is not None
    containers = pod_spec["properties"]["containers"]["items"]
    resolved = schemas.resolve(containers)
    assert resolved.name == "io.k8s.api.core.v1.Container"
    assert resolved.schema is schemas.definition("io.k8s.api.core.v1.Container")
    assert resolved.missing is None
    assert schemas.resolve({"$ref": "io.k8s.api.core.v1.NoSuchThing"}).missing == (
        "io.k8s.api.core.v1.NoSuchThing"
    )
