"""A node's text on its line: anchors and tags first, then the scalar."""

from __future__ import annotations

import pytest
import yaml

from kubelint.load.tokens import node_at


@pytest.mark.parametrize(
    ("line", "tags", "scalar"),
    [
        ("a: yes", [], "yes"),
        ("a: &flag yes", [], "yes"),
        ("a: !!bool yes", ["!!bool "], "yes"),
        ("a: &x !!bool yes  # note", ["!!bool "], "yes"),
        ("a: !!bool\t&x  yes", ["!!bool\t"], "yes"),
        ("a: !<tag:yaml.org,2002:bool> yes", ["!<tag:yaml.org,2002:bool> "], "yes"),
        ("a: !local 'it''s'", ["!local "], "'it''s'"),
        ('a: ! "q \\" q" # c', ["! "], '"q \\" q"'),
        ("a: [&q on, x]", [], "on"),
        ("a: {b: !t no}", ["!t "], "no"),
        ("a: *ref", [], "*ref"),
        ("a: &x", [], ""),
        ("a: x:y #z #w", [], "x:y"),
        ("a: x\xa0y", [], "x\xa0y"),
    ],
)
def test_properties_come_before_the_scalar(line: str, tags: list[str], scalar: str) -> None:
    mark = _node_mark(line, line.index(scalar, 3))
    node = node_at(line, mark)
    assert [line[a:b] for a, b in node.tags] == tags
    assert node.text == scalar
    assert line[node.scalar : node.end] == scalar
    assert node.closed


def _node_mark(line: str, scalar: int) -> int:
    """The parser's mark of the node whose scalar is at column ``scalar``."""
    return max(
        event.start_mark.column
        for event in yaml.parse(line, Loader=yaml.CSafeLoader)
        if isinstance(event, yaml.ScalarEvent | yaml.AliasEvent)
        and event.start_mark.column <= scalar
    )


@pytest.mark.parametrize("line", ['a: "goes on', "a: 'goes on"])
def test_a_quoted_scalar_that_goes_on_is_open(line: str) -> None:
    node = node_at(line, 3)
    assert not node.closed
    assert node.text == line[3:]


@pytest.mark.parametrize(
    ("line", "header"), [("a: |", "|"), ("a: >-  # c", ">-"), ("a: |2+", "|2+")]
)
def test_a_block_scalar_starts_on_the_next_line(line: str, header: str) -> None:
    node = node_at(line, 3)
    assert not node.closed
    assert node.text == header
