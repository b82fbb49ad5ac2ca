"""Go value semantics used by the apply simulation: JSON text, ``%v`` text, equality, sorting."""

from __future__ import annotations

import pytest

from kubelint.apply.client_side.gosort import slice_stable, sort_by_text
from kubelint.apply.values import (
    GoPanic,
    deep_equal,
    from_yaml,
    go_json,
    go_text,
    scalar_equal,
)


def test_go_json_sorts_keys_and_escapes_html() -> None:
    value = {"b": "<a & b>", "a": [1, True, None], "é": "\u2028"}
    assert go_json(value) == '{"a":[1,true,null],"b":"\\u003ca \\u0026 b\\u003e","é":"\\u2028"}'


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1.5, "1.5"),
        (0.000001, "0.000001"),
        (1e-7, "1e-7"),
        (1e21, "1e+21"),
        (123456789.25, "123456789.25"),
        (-0.5, "-0.5"),
    ],
)
def test_go_json_floats(number: float, text: str) -> None:
    assert go_json(number) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (53, "53"),
        ("53", "53"),
        (True, "true"),
        (None, "<nil>"),
        (1.5, "1.5"),
        (1e6, "1e+06"),
        (123456.0, "123456"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
    ],
)
def test_go_text(value: object, text: str) -> None:
    assert go_text(value) == text


def test_from_yaml_makes_integral_floats_integers() -> None:
    assert from_yaml({"replicas": 3.0, "ratio": 0.5, "big": 1e30}) == {
        "replicas": 3,
        "ratio": 0.5,
        "big": 1e30,
    }
    assert isinstance(from_yaml(3.0), int)


def test_equality_is_typed_like_go() -> None:
    assert not scalar_equal(True, 1)
    assert not scalar_equal(1, 1.0)
    assert scalar_equal("a", "a")
    assert not deep_equal({"a": 1}, {"a": True})
    assert deep_equal({"a": [1, "x"]}, {"a": [1, "x"]})
    with pytest.raises(GoPanic):
        scalar_equal({"a": 1}, {"a": 1})


def test_sort_by_text_reverses_equal_texts_like_go_insertion_sort() -> None:
    items = [("53", "tcp"), ("80", "http"), ("53", "udp")]
    assert sort_by_text(items, lambda item: item[0]) == [
        ("53", "udp"),
        ("53", "tcp"),
        ("80", "http"),
    ]


def test_slice_stable_follows_go_with_a_non_strict_less() -> None:
    order = ["a", "b", "c"]

    def less(x: str, y: str) -> bool:
        if x in order and y in order:
            return order.index(x) < order.index(y)
        return True

    assert slice_stable(["c", "b", "a"], less) == ["a", "b", "c"]
    # "less" is true whenever an item is unknown, so Go's insertion sort swaps "x" left
    # of "b", then swaps "a" left of both: the result is not a sorted order
    assert slice_stable(["b", "x", "a"], less) == ["a", "x", "b"]
    long = [f"k{i:02d}" for i in range(45)][::-1]
    assert slice_stable(long, lambda x, y: x < y) == sorted(long)
