"""The source text of a YAML node on its line: its properties, then its scalar.

A parser mark points at the start of a node, which is its first property (an anchor
``&name`` or a tag ``!!bool``, ``!local``, ``!<verbatim>``) when it has any, not the
scalar itself. Whoever edits or quotes a scalar must step over the properties, or the
anchor and the tag end up inside the new text. Blanks are spaces and tabs only, as in
YAML (a form feed or a no-break space belongs to the scalar).
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

_PROPERTY: Final = re.compile(r"(?:&[^ \t,\[\]{}]+|!<[^>]*>|![^ \t,\[\]{}]*)(?:[ \t]+|$)")
"""One anchor or tag, with the blanks that separate it from what follows."""

_PLAIN_PART: Final = r"(?:[^ \t:#,\]\}]|:(?=[^ \t,\]\}])|(?<=[^ \t])#)+"
_PLAIN: Final = re.compile(f"{_PLAIN_PART}(?:[ \\t]+{_PLAIN_PART})*")
"""A plain scalar up to a comment, a ``: `` or a flow indicator."""

_DOUBLE_QUOTED: Final = re.compile(r'"(?:[^"\\]|\\.)*"')
_BLOCK_HEADER: Final = re.compile(r"[|>][0-9+-]*")


class NodeText(NamedTuple):
    """Where a node's parts are on its line (0-based columns)."""

    column: int  # where the node starts: the parser's mark
    tags: tuple[tuple[int, int], ...]  # each tag with its trailing blanks, as (start, end)
    scalar: int  # where the scalar (or alias) starts
    text: str  # the scalar's source text (a block scalar's header); "" when none is here
    closed: bool  # False for a scalar that goes on past this line (quoted, or a block)

    @property
    def end(self) -> int:
        """The column just after the scalar."""
        return self.scalar + len(self.text)


def node_at(line: str, column: int) -> NodeText:
    """The node that starts at ``column`` of ``line`` (a line without its break)."""
    tags: list[tuple[int, int]] = []
    start = column
    while (match := _PROPERTY.match(line, start)) is not None and match.end() > start:
        if line[start] == "!":
            tags.append((start, match.end()))
        start = match.end()
    rest = line[start:]
    if not rest:
        return NodeText(column, tuple(tags), start, "", True)
    if rest[0] in "|>":  # a block scalar: its text starts on the next line
        header = _BLOCK_HEADER.match(rest)
        return NodeText(column, tuple(tags), start, header.group(0) if header else rest[0], False)
    if rest[0] == '"':
        quoted = _DOUBLE_QUOTED.match(rest)
        if quoted is None:
            return NodeText(column, tuple(tags), start, rest.rstrip(), False)
        return NodeText(column, tuple(tags), start, quoted.group(0), True)
    if rest[0] == "'":
        end = rest.find("'", 1)
        while end > 0 and rest[end + 1 : end + 2] == "'":
            end = rest.find("'", end + 2)
        if end < 0:
            return NodeText(column, tuple(tags), start, rest.rstrip(), False)
        return NodeText(column, tuple(tags), start, rest[: end + 1], True)
    plain = _PLAIN.match(rest)
    return NodeText(column, tuple(tags), start, plain.group(0) if plain else "", True)
