"""Typed reads answer "nothing" for every shape but the one asked for."""

from __future__ import annotations

from typing import Any

import pytest

from kubelint.load import shapes

DOCUMENT: dict[str, Any] = {
    "spec": {"ports": [{"name": "http", "port": 80}, "junk", {"port": True}], "type": ["x"]}
}


def test_reads_at_a_path() -> None:
    assert shapes.at(DOCUMENT, "spec", "ports", 0, "name") == "http"
    assert shapes.at(DOCUMENT, "spec", "ports", 9) is None
    assert shapes.at(DOCUMENT, "spec", "type", "name") is None  # a key into a list
    assert shapes.at(DOCUMENT, "spec", 0) is None  # an index into a mapping
    assert shapes.mapping(DOCUMENT, "spec", "type") == {}
    assert shapes.items(DOCUMENT, "spec", "type") == ["x"]
    assert shapes.items(DOCUMENT, "spec") == []
    assert [i for i, _ in shapes.mappings(DOCUMENT, "spec", "ports")] == [0, 2]
    assert shapes.string(DOCUMENT, "spec", "type") is None
    assert shapes.integer(DOCUMENT, "spec", "ports", 2, "port") is None  # true is no number
    assert shapes.integer(DOCUMENT, "spec", "ports", 0, "port") == 80
    assert shapes.name({"name": {"a": 1}}) == "?"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("8080", 8080), ("http", "http"), ("²", "²"), ("9" * 19, "9" * 19), (True, None), (7, 7)],
)
def test_int_or_string(value: object, expected: object) -> None:
    assert shapes.int_or_string(value) == expected
    spelt = isinstance(value, str) and isinstance(expected, int)
    assert shapes.digits(value) == (expected if spelt else None)
