"""Mapping keys kubectl's YAML reading refuses, with the errors it gives for them.

Two layers refuse keys, with their own words:

* go-yaml v2 decodes a document into ``map[interface{}]interface{}`` and fails at the
  first key (in document order) that is a sequence or a mapping: ``yaml: invalid map
  key: []interface {}{"a", "b"}`` (``decode.go``, ``d.mapping``: ``%#v`` of the key);
* sigs.k8s.io/yaml then turns keys into JSON strings and refuses any that is no string,
  integer, float or boolean, which leaves a null key and an integer that only fits
  uint64: ``unsupported map key of type: uint64, key: 0xffffffffffffffff, value: "b"``
  (``yamlToJSONTarget``, ``%s`` of its type and ``%+#v`` of the key and value).

Values are written as Go's ``%#v`` writes an ``interface{}`` tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from kubelint.apply.read.object_meta import go_quote
from kubelint.apply.values import go_text

_INT64_MAX: Final = 2**63 - 1
_UINT64_MAX: Final = 2**64 - 1
_STR_TAG: Final = "tag:yaml.org,2002:str"

#: a plain key that may be an integer beyond int64: worth composing the document for
_LONG_INT_KEY: Final = re.compile(
    r"(?<![-+0-9_xXoObBa-fA-F])[-+0-9_xXoObBa-fA-F]{18,}[ \t]*:(?:[ \t]|$)", re.MULTILINE
)


def _compose(piece: str) -> Any:
    """The first document of ``piece`` as nodes; a scalar written with a tag is marked
    ``explicit`` (go-yaml, not PyYAML, resolves the others)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(piece, Loader=loader)
    except yaml.YAMLError:
        return None

    def mark(node: Any) -> None:
        if isinstance(node, yaml.ScalarNode):
            index = node.start_mark.index
            setattr(node, "explicit", index < len(piece) and piece[index] == "!")  # noqa: B010

    for _ in _walk_pairs(root, set(), mark):
        pass
    return root


def _scalar(node: Any) -> Any:
    """A scalar node's value as go-yaml decodes it into ``interface{}``."""
    from kubelint.load.scalars import resolve_plain

    if node.style:  # quoted or a block scalar (a plain one has no style)
        return node.value
    if node.tag == _STR_TAG and getattr(node, "explicit", False):
        return node.value
    return resolve_plain(node.value)


def _walk_pairs(node: Any, seen: set[int], visit: Callable[[Any], None] | None = None) -> Any:
    """Every (key, value) node pair of a document, in document order (keys before their
    values, as go-yaml decodes them); ``visit`` is called on every node on the way."""
    import yaml

    if id(node) in seen:
        return
    seen.add(id(node))
    if visit is not None:
        visit(node)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key, value
            yield from _walk_pairs(key, seen, visit)
            yield from _walk_pairs(value, seen, visit)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk_pairs(item, seen, visit)


def go_value(node: Any) -> Any:
    """A composed node as go-yaml decodes it (mappings as lists of pairs)."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        return _Map([(go_value(k), go_value(v)) for k, v in node.value])
    if isinstance(node, yaml.SequenceNode):
        return [go_value(item) for item in node.value]
    return _scalar(node)


class _Map(list[tuple[Any, Any]]):
    """A decoded mapping, its pairs in document order."""


def go_sharp_v(value: Any, top: bool = True) -> str:
    """Go's ``%#v`` of a go-yaml ``interface{}`` value (``top``: not inside a container,
    where a nil interface prints as ``<nil>``)."""
    if value is None:
        return "<nil>" if top else "interface {}(nil)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return hex(value) if value > _INT64_MAX else str(value)
    if isinstance(value, float):
        return go_text(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, _Map):
        pairs = sorted(value, key=_sort_key)
        inner = ", ".join(f"{go_sharp_v(k, False)}:{go_sharp_v(v, False)}" for k, v in pairs)
        return "map[interface {}]interface {}{" + inner + "}"
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(go_sharp_v(v, False) for v in value) + "}"
    return go_quote(str(value))


def _sort_key(pair: tuple[Any, Any]) -> tuple[str, Any]:
    """fmt's map key order for keys of one type (numbers by value, strings by bytes)."""
    key = pair[0]
    if isinstance(key, bool):
        return ("bool", key)
    if isinstance(key, int | float):
        return ("number", key)
    return ("string", str(key).encode("utf-8"))


def invalid_key_error(piece: str) -> tuple[str, tuple[int, int]] | None:
    """go-yaml's or sigs.k8s.io/yaml's error for the first key of ``piece`` kubectl
    refuses and the key's 0-based mark in the piece, or None when it refuses none (or the
    piece does not compose)."""
    import yaml

    root = _compose(piece)
    if root is None:
        return None
    pairs = list(_walk_pairs(root, set()))
    for key, _ in pairs:
        if isinstance(key, yaml.MappingNode | yaml.SequenceNode):
            return f"yaml: invalid map key: {go_sharp_v(go_value(key))}", _mark(key)
    for key, value in pairs:
        if not isinstance(key, yaml.ScalarNode):
            continue
        decoded = _scalar(key)
        if decoded is None:
            kind = "%!s(<nil>)"
        elif isinstance(decoded, int) and not isinstance(decoded, bool):
            if not _INT64_MAX < decoded <= _UINT64_MAX:
                continue
            kind = "uint64"
        else:
            continue
        return (
            f"unsupported map key of type: {kind}, key: {go_sharp_v(decoded)}, "
            f"value: {go_sharp_v(go_value(value))}"
        ), _mark(key)
    return None


def _mark(node: Any) -> tuple[int, int]:
    return node.start_mark.line, node.start_mark.column


def may_have_uint64_key(piece: str) -> bool:
    """A cheap test before :func:`invalid_key_error` on a piece the loader accepted: only
    an integer key beyond int64 is refused there."""
    return _LONG_INT_KEY.search(piece) is not None


#: a plain key that may be a float: worth composing the document for
_FLOAT_KEY: Final = re.compile(
    r"(?<![-+.0-9_eE])[-+]?[0-9_]*(?:[0-9]\.[0-9_]*|\.[0-9]|[0-9][eE][-+]?[0-9])[0-9_eE+-]*"
    r"[ \t]*:(?:[ \t]|$)",
    re.MULTILINE,
)


def float32_key(value: float) -> str:
    """A float key as sigs.k8s.io/yaml writes it: ``strconv.FormatFloat(v, 'g', -1, 32)``,
    the shortest digits of the float32, in exponent form when the exponent is below -4 or
    at least 6 (``1000.0`` is ``1000``, ``1234567.0`` is ``1.234567e+06``)."""
    import struct

    as32 = struct.unpack("f", struct.pack("f", value))[0]
    if as32 == 0:
        return "-0" if str(as32).startswith("-") else "0"
    for digits in range(1, 10):
        text = f"{abs(as32):.{digits - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == abs(as32):
            break
    mantissa, _, exponent = text.partition("e")
    exp = int(exponent)
    shown = mantissa.replace(".", "").rstrip("0") or "0"
    sign = "-" if as32 < 0 else ""
    if exp < -4 or exp >= 6:
        body = shown[0] + ("." + shown[1:] if len(shown) > 1 else "")
        return f"{sign}{body}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    point = exp + 1
    if point <= 0:
        return sign + "0." + "0" * (-point) + shown
    if point >= len(shown):
        return sign + shown + "0" * (point - len(shown))
    return sign + shown[:point] + "." + shown[point:]


def float_key_names(piece: str, first_line: int) -> dict[tuple[int, int], str]:
    """The JSON names sigs.k8s.io/yaml gives the plain float keys of ``piece``, by their
    0-based mark in the file (the piece starting at ``first_line``)."""
    import math

    import yaml

    if _FLOAT_KEY.search(piece) is None:
        return {}
    root = _compose(piece)
    if root is None:
        return {}
    names: dict[tuple[int, int], str] = {}
    for key, _ in _walk_pairs(root, set()):
        if not isinstance(key, yaml.ScalarNode):
            continue
        decoded = _scalar(key)
        if isinstance(decoded, float) and math.isfinite(decoded):
            line, column = _mark(key)
            names[(line + first_line, column)] = float32_key(decoded)
    return names


def rename_keys(value: Any, node: Any, names: dict[tuple[int, int], str]) -> Any:
    """``value`` (the loaded ``node`` as kubectl holds it) with the keys written at a
    mark of ``names`` renamed, at any depth."""
    from kubelint.load.documents import YamlMap, YamlSeq, mark_of

    if isinstance(value, dict) and isinstance(node, YamlMap):
        out = {}
        for key, item in value.items():
            marks = node.marks.get(key)
            name = names.get(mark_of(marks[0])) if marks is not None else None
            out[name or key] = rename_keys(item, node.get(key), names)
        return out
    if isinstance(value, list) and isinstance(node, YamlSeq):
        return [rename_keys(v, n, names) for v, n in zip(value, node, strict=False)]
    return value


def slash_escape(piece: str) -> tuple[int, int] | None:
    """The 0-based mark in ``piece`` of the first ``\\/`` escape of a double-quoted
    scalar: YAML 1.2 has it, go-yaml v2 (YAML 1.1) stops there with ``found unknown
    escape character``."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for token in yaml.scan(piece, Loader=loader):
            if not isinstance(token, yaml.ScalarToken) or token.style != '"':
                continue
            text = piece[token.start_mark.index : token.end_mark.index]
            index = 0
            while index < len(text):
                if text[index] == "\\":
                    if text[index + 1 : index + 2] == "/":
                        offset = token.start_mark.index + index
                        before = piece[:offset]
                        line = before.count("\n")
                        return line, offset - (before.rfind("\n") + 1)
                    index += 2
                    continue
                index += 1
    except yaml.YAMLError:
        return None
    return None
