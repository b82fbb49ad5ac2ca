"""Schema selection: apiVersion/kind to a compiled schema, with did-you-mean."""

from __future__ import annotations

import pytest

from kubelint.run.context import CheckOptions, Context
from kubelint.schema.select import SchemaProblem, select_schema
from kubelint.schema.store import latest_version


@pytest.fixture(scope="module")
def context() -> Context:
    return Context(CheckOptions(latest_version(), jobs=1))


def test_a_builtin_kind_has_its_schema(context: Context) -> None:
    chosen = select_schema(context, "apps/v1", "Deployment", latest_version())
    assert chosen.node is not None
    assert chosen.builtin
    assert chosen.problem is None
    assert (chosen.group, chosen.api_version, chosen.kind) == ("apps", "apps/v1", "Deployment")


def test_a_misspelt_kind_is_checked_as_the_kind_meant(context: Context) -> None:
    chosen = select_schema(context, "apps/v1", "Deploymnet", latest_version())
    assert chosen.problem == SchemaProblem(
        "unknown-kind",
        "kind",
        'kind "Deploymnet" does not exist in apps/v1',
        'did you mean "Deployment"?',
        "Deployment",
    )
    assert chosen.node is not None
    assert chosen.kind == "Deployment"
    assert not chosen.builtin


def test_a_kind_in_a_group_elsewhere_names_its_api_versions(context: Context) -> None:
    chosen = select_schema(context, "v1", "Deploymnet", latest_version())
    assert chosen.problem is not None
    assert chosen.problem.field == "kind"
    assert chosen.problem.suggestion is not None
    assert chosen.problem.suggestion.startswith('did you mean "Deployment" (apps/v1')


def test_an_unserved_api_version_is_checked_as_the_one_meant(context: Context) -> None:
    chosen = select_schema(context, "apps/v2", "Deployment", latest_version())
    assert chosen.problem is not None
    assert chosen.problem.field == "apiVersion"
    assert chosen.node is not None
    assert chosen.problem.meant == "apps/v1"
    assert chosen.api_version == "apps/v1"


def test_a_custom_resource_without_its_crd(context: Context) -> None:
    chosen = select_schema(context, "example.com/v1", "Widget", latest_version())
    assert chosen.node is None
    assert chosen.problem is not None
    assert chosen.problem.slug == "missing-schema"
    ignored = select_schema(
        context, "example.com/v1", "Widget", latest_version(), ignore_missing=True
    )
    assert ignored.problem is None
