"""The schema validator on its own: each keyword it implements, one finding per root cause.

Schemas are written inline (the bundled ones are exercised by the rule fixtures and the
corpus); issues are compared by rule, path and where they point, not by wording.
"""

from __future__ import annotations

from typing import Any

import pytest

from kubelint.load.paths import AT_KEY, AT_PARENT, AT_VALUE
from kubelint.schema import store
from kubelint.schema.compile import Compiler, Issue
from kubelint.schema.validate import Validator

CONTAINER: dict[str, Any] = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z]+$"},
        "image": {"type": "string"},
        "replicas": {"type": "integer"},
        "policy": {"type": "string", "enum": ["Always", "Never", "IfNotPresent"]},
        "port": {"x-kubernetes-int-or-string": True},
        "target": {"$ref": "test.IntOrString"},
        "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        "child": {"$ref": "test.Container"},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}
DEFINITIONS: dict[str, dict[str, Any]] = {
    "test.Container": CONTAINER,
    "test.IntOrString": {"type": "string", "format": "int-or-string"},
}


def _issues(
    value: Any, *, partial: bool = False, schema: dict[str, Any] | None = None
) -> list[Issue]:
    compiler = Compiler(DEFINITIONS.get)
    node = compiler.compile(schema) if schema is not None else compiler.definition("test.Container")
    assert node is not None
    return Validator(partial=partial).validate(node, value)


def _brief(issues: list[Issue]) -> list[tuple[str, tuple[str | int, ...], str]]:
    return [(issue.rule, issue.path, issue.at) for issue in issues]


def test_a_valid_value_has_no_issue() -> None:
    assert _issues({"name": "web", "image": "nginx", "replicas": 2, "tags": ["a"]}) == []


# -- type -------------------------------------------------------------------------------


def test_a_value_of_the_wrong_type() -> None:
    assert _brief(_issues({"name": "web", "replicas": "two"})) == [
        ("invalid-type", ("replicas",), AT_VALUE)
    ]
    assert _brief(_issues({"name": "web", "tags": "a"})) == [("invalid-type", ("tags",), AT_VALUE)]


def test_an_unquoted_yaml_scalar_where_a_string_is_wanted() -> None:
    [issue] = _issues({"name": "web", "image": True})
    assert (issue.rule, issue.path, issue.suggestion) == (
        "yaml-implicit-type",
        ("image",),
        "quote it",
    )


def test_null_is_unset_and_an_integral_float_is_an_integer() -> None:
    assert _issues({"name": "web", "image": None, "replicas": 2.0}) == []
    assert _brief(_issues({"name": "web", "replicas": 2.5})) == [
        ("invalid-type", ("replicas",), AT_VALUE)
    ]


# -- required ---------------------------------------------------------------------------


def test_a_missing_required_field_points_at_its_parent() -> None:
    assert _brief(_issues({"image": "nginx"})) == [("missing-required-field", ("name",), AT_PARENT)]


def test_a_partial_object_needs_no_required_field() -> None:
    assert _issues({"image": "nginx"}, partial=True) == []


# -- enum -------------------------------------------------------------------------------


def test_a_value_outside_the_enum_gets_the_closest_one() -> None:
    [issue] = _issues({"name": "web", "policy": "Allways"})
    assert (issue.rule, issue.path) == ("invalid-enum-value", ("policy",))
    assert issue.suggestion == 'did you mean "Always"?'
    assert issue.meant is None  # not the same word: no fix


def test_a_value_that_differs_only_by_case_is_meant() -> None:
    [issue] = _issues({"name": "web", "policy": "never"})
    assert issue.meant == "Never"


# -- unknown fields ---------------------------------------------------------------------


def test_an_unknown_field_points_at_its_key_with_did_you_mean() -> None:
    [issue] = _issues({"name": "web", "imag": "nginx"})
    assert _brief([issue]) == [("unknown-field", ("imag",), AT_KEY)]
    assert issue.suggestion == 'did you mean "image"?'
    assert issue.meant == "image"


def test_an_unknown_field_far_from_any_gets_no_guess() -> None:
    [issue] = _issues({"name": "web", "zzzzzzzz": 1})
    assert issue.suggestion is None
    assert issue.meant is None


def test_a_misspelt_required_field_is_one_finding() -> None:
    [issue] = _issues({"nme": "web"})
    assert _brief([issue]) == [("unknown-field", ("nme",), AT_KEY)]
    assert '"name" is required here and missing' in issue.message


def test_the_meant_field_still_checks_its_content() -> None:
    assert _brief(_issues({"name": "web", "replica": "two"})) == [
        ("unknown-field", ("replica",), AT_KEY),
        ("invalid-type", ("replica",), AT_VALUE),
    ]


def test_an_unknown_field_is_not_searched_inside() -> None:
    assert _brief(_issues({"name": "web", "zzzzzzzz": {"also": {"unknown": 1}}})) == [
        ("unknown-field", ("zzzzzzzz",), AT_KEY)
    ]


# -- pattern ----------------------------------------------------------------------------


def test_a_string_that_does_not_match_the_pattern() -> None:
    assert _brief(_issues({"name": "Web_1"})) == [("invalid-value", ("name",), AT_VALUE)]


# -- int-or-string ----------------------------------------------------------------------


@pytest.mark.parametrize("port", [8080, "http", 80.0])
def test_int_or_string_takes_either(port: object) -> None:
    assert _issues({"name": "web", "port": port}) == []


@pytest.mark.parametrize("port", [True, ["http"], {"a": 1}, 1.5])
def test_int_or_string_refuses_anything_else(port: object) -> None:
    assert [issue.rule for issue in _issues({"name": "web", "port": port})] == ["invalid-type"]


def test_the_int_or_string_definition_by_name() -> None:
    compiler = Compiler(store.schemas_for(store.latest_version()).definition)
    node = compiler.compile(
        {"properties": {"p": {"$ref": "io.k8s.apimachinery.pkg.util.intstr.IntOrString"}}}
    )
    assert Validator().validate(node, {"p": 80}) == []
    assert Validator().validate(node, {"p": "http"}) == []
    assert [i.rule for i in Validator().validate(node, {"p": False})] == ["invalid-type"]


# -- preserve-unknown-fields ------------------------------------------------------------


def test_preserve_unknown_fields_takes_any_key() -> None:
    assert _issues({"name": "web", "extra": {"anything": {"goes": [1, "x"]}}}) == []


def test_a_schema_without_properties_closes_nothing() -> None:
    assert _issues({"a": 1}, schema={"type": "object"}) == []


# -- one finding per root cause ---------------------------------------------------------


def test_a_mapping_of_the_wrong_type_is_one_finding() -> None:
    """A list where the object goes: not also its unknown fields and missing name."""
    assert _brief(_issues({"name": "web", "child": [{"imag": 1}]})) == [
        ("invalid-type", ("child",), AT_VALUE)
    ]


def test_every_root_cause_is_reported_once() -> None:
    value = {"nme": "web", "replicas": "x", "child": {"name": "a", "imge": "b"}, "tags": [1]}
    assert sorted(_brief(_issues(value))) == sorted(
        [
            ("unknown-field", ("nme",), AT_KEY),
            ("invalid-type", ("replicas",), AT_VALUE),
            ("unknown-field", ("child", "imge"), AT_KEY),
            ("yaml-implicit-type", ("tags", 0), AT_VALUE),
        ]
    )


# -- $ref -------------------------------------------------------------------------------


def test_a_definition_that_contains_itself_is_compiled_once() -> None:
    compiler = Compiler(DEFINITIONS.get)
    node = compiler.definition("test.Container")
    assert node is not None
    child = node.prop("child")
    assert child is node
    deep = {"name": "a", "child": {"name": "b", "child": {"name": "c", "replica": 1}}}
    assert _brief(Validator().validate(node, deep)) == [
        ("unknown-field", ("child", "child", "replica"), AT_KEY)
    ]


def test_a_ref_to_no_definition_is_validated_as_the_node_itself() -> None:
    node = Compiler(DEFINITIONS.get).compile({"$ref": "test.Nothing", "type": "string"})
    assert [i.rule for i in Validator().validate(node, 3)] == ["yaml-implicit-type"]
