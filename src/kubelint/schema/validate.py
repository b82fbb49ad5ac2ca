"""Structural validation of an object against a compiled schema, one finding per root cause.

Validation walks the value and the :class:`~kubelint.schema.compile.Node` together and
yields :class:`~kubelint.schema.compile.Issue` records addressed by object path; the run
turns paths into file positions.

Root causes are kept single: a value of the wrong type is not also searched for
unknown fields, an unknown field is not descended into, and a missing required field
that a misspelt sibling was meant to be is folded into the unknown-field finding.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any, Final

from kubelint.load.paths import AT_KEY, AT_PARENT, AT_VALUE, Path
from kubelint.rules.core import (
    INVALID_ENUM_VALUE,
    INVALID_QUANTITY,
    INVALID_TYPE,
    INVALID_VALUE,
    MISSING_REQUIRED_FIELD,
    UNKNOWN_FIELD,
    YAML_IMPLICIT_TYPE,
)
from kubelint.schema.compile import Issue, Node
from kubelint.schema.suggest import closest

_INT32: Final = (-(2**31), 2**31 - 1)
_INT64: Final = (-(2**63), 2**63 - 1)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return type(value).__name__


def _matches_type(value: Any, wanted: str) -> bool:
    if wanted == "object":
        return isinstance(value, dict)
    if wanted == "array":
        return isinstance(value, list)
    if wanted == "string":
        return isinstance(value, str)
    if wanted == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if wanted == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if wanted == "number":
        return isinstance(value, int | float)
    return True


_ARTICLE: Final = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
}


def _describe(types: frozenset[str]) -> str:
    return " or ".join(_ARTICLE.get(t, t) for t in sorted(types))


class Validator:
    """Validates values against compiled nodes. ``partial`` skips required-field checks."""

    def __init__(self, *, partial: bool = False) -> None:
        self.partial = partial

    def validate(self, node: Node, value: Any, path: Path = ()) -> list[Issue]:
        """All issues of ``value`` against ``node``."""
        out: list[Issue] = []
        self._check(node, value, path, out)
        return out

    def _check(self, node: Node, value: Any, path: Path, out: list[Issue]) -> None:
        if value is None:
            return  # null is "unset" to the API server's decoder
        special = node.special
        if special is not None:
            self._check_special(node, special, value, path, out)
            return
        types = node.types
        if types is not None and not any(_matches_type(value, t) for t in types):
            out.append(_type_issue(types, value, path))
            return
        if isinstance(value, float) and not math.isfinite(value):
            out.append(Issue(INVALID_VALUE.slug, path, f"{value} is not a number JSON can carry"))
            return
        if node.enum is not None and value not in node.enum:
            out.append(_enum_issue(node, value, path))
        if isinstance(value, dict):
            self._check_object(node, value, path, out)
        elif isinstance(value, list):
            self._check_array(node, value, path, out)
        elif isinstance(value, str):
            self._check_string(node, value, path, out)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self._check_number(node, value, path, out)
        if node.value_check is not None:
            out.extend(_rebase(node.value_check(value), path))
        if (
            node.all_of is None
            and node.any_of is None
            and node.one_of is None
            and node.not_ is None
        ):
            return
        if isinstance(value, dict) and node.raw_properties:
            value = _with_defaults(node, value)
        if node.all_of is not None:
            for branch in node.all_of:
                self._check(branch, value, path, out)
        if node.any_of is not None and not any(
            not self.validate(b, value, path) for b in node.any_of
        ):
            out.append(_combinator_issue("any", node.any_of, self, value, path))
        if node.one_of is not None:
            passing = sum(1 for b in node.one_of if not self.validate(b, value, path))
            if passing != 1:
                out.append(_combinator_issue("one", node.one_of, self, value, path, passing))
        if node.not_ is not None and not self.validate(node.not_, value, path):
            out.append(
                Issue(INVALID_VALUE.slug, path, "this value is of a shape the schema forbids")
            )

    def _check_special(
        self, node: Node, special: str, value: Any, path: Path, out: list[Issue]
    ) -> None:
        if special == "any":
            return
        if special == "int-or-string":
            if isinstance(value, bool) or not isinstance(value, int | str | float):
                out.append(_type_issue(frozenset(("integer", "string")), value, path))
            elif isinstance(value, float) and not value.is_integer():
                out.append(Issue(INVALID_TYPE.slug, path, f"{value} is not an integer or a string"))
        elif special == "quantity":
            from kubelint.schema.formats.quantities import parse_quantity

            if isinstance(value, bool) or not isinstance(value, int | float | str):
                out.append(
                    Issue(
                        INVALID_QUANTITY.slug,
                        path,
                        f"a quantity must be a string or a number, not {_type_name(value)}",
                    )
                )
            else:
                _, problems = parse_quantity(value)
                if problems:
                    hint = _quantity_hint(problems)
                    reason = problems[0].split(": did you mean")[0].split("; did you mean")[0]
                    out.append(
                        Issue(
                            INVALID_QUANTITY.slug,
                            path,
                            f"{value!r} is not a valid quantity: {reason}",
                            hint,
                        )
                    )
        elif special == "date-time" and not isinstance(value, str):
            out.append(_type_issue(frozenset(("string",)), value, path))
        if node.value_check is not None:
            out.extend(_rebase(node.value_check(value), path))

    def _check_object(
        self, node: Node, value: dict[str, Any], path: Path, out: list[Issue]
    ) -> None:
        properties = node.properties
        prop = node.prop
        folded: set[str] = set()
        checks = node.field_checks
        key_check = node.key_check
        for key, item in value.items():
            sub = prop(key) if properties is not None else None
            child_path = (*path, key)
            if key_check is not None:
                out.extend(_rebase(key_check(key), child_path))
            if sub is not None:
                self._check(sub, item, child_path, out)
                if checks is not None and item is not None:
                    check = checks.get(key)
                    if check is not None:
                        out.extend(_rebase(check(item), child_path))
            elif node.additional is not None:
                self._check(node.additional, item, child_path, out)
            elif node.closed and properties is not None:
                candidates = [p for p in node.property_names() if p not in value]
                guess = closest(key, candidates)
                message = f'unknown field "{key}"'
                if guess is not None and guess in node.required and not self.partial:
                    folded.add(guess)
                    message += f' ("{guess}" is required here and missing)'
                meant = prop(guess) if guess is not None else None
                out.append(
                    Issue(
                        UNKNOWN_FIELD.slug,
                        child_path,
                        message,
                        f'did you mean "{guess}"?' if guess else None,
                        AT_KEY,
                        guess if meant is not None else None,
                    )
                )
                if meant is not None:
                    # check the content as the field that was meant: its own mistakes still count
                    self._check(meant, item, child_path, out)
        if not self.partial:
            for name in node.required:
                if value.get(name) is None and name not in folded:
                    out.append(
                        Issue(
                            MISSING_REQUIRED_FIELD.slug,
                            (*path, name),
                            f'missing required field "{name}"',
                            None,
                            AT_PARENT,
                        )
                    )
        count = len(value)
        if node.min_props is not None and count < node.min_props:
            out.append(Issue(INVALID_VALUE.slug, path, f"needs at least {node.min_props} entries"))
        if node.max_props is not None and count > node.max_props:
            out.append(Issue(INVALID_VALUE.slug, path, f"allows at most {node.max_props} entries"))

    def _check_array(self, node: Node, value: list[Any], path: Path, out: list[Issue]) -> None:
        items = node.items
        if items is not None:
            for index, item in enumerate(value):
                self._check(items, item, (*path, index), out)
        count = len(value)
        if node.min_items is not None and count < node.min_items:
            out.append(
                Issue(
                    INVALID_VALUE.slug, path, f"needs at least {node.min_items} items, has {count}"
                )
            )
        if node.max_items is not None and count > node.max_items:
            out.append(
                Issue(
                    INVALID_VALUE.slug, path, f"allows at most {node.max_items} items, has {count}"
                )
            )
        if node.enforce_lists and node.list_type in ("set", "map"):
            seen: dict[Any, int] = {}
            for index, item in enumerate(value):
                if node.list_type == "map":
                    if not isinstance(item, dict):
                        continue
                    # keys are compared after defaulting, as the API server does
                    defaults = items.raw_properties or {} if items is not None else {}
                    identity: Any = tuple(
                        _hashable(item[k] if k in item else _default_of(defaults.get(k)))
                        for k in node.map_keys
                    )
                else:
                    identity = _hashable(item)
                if identity in seen:
                    out.append(
                        Issue(
                            INVALID_VALUE.slug,
                            (*path, index),
                            f"duplicate entry (same as item {seen[identity]})",
                        )
                    )
                else:
                    seen[identity] = index

    def _check_string(self, node: Node, value: str, path: Path, out: list[Issue]) -> None:
        length = len(value)
        if node.min_length is not None and length < node.min_length:
            out.append(
                Issue(
                    INVALID_VALUE.slug, path, f"must be at least {node.min_length} characters long"
                )
            )
        if node.max_length is not None and length > node.max_length:
            out.append(
                Issue(
                    INVALID_VALUE.slug,
                    path,
                    f"must be at most {node.max_length} characters long, is {length}",
                )
            )
        if node.pattern is not None and not node.pattern.search(value):
            out.append(
                Issue(
                    INVALID_VALUE.slug,
                    path,
                    f"{value!r} does not match the pattern {node.pattern.pattern!r}",
                )
            )
        if node.fmt == "byte" and not _is_base64(value):
            out.append(Issue(INVALID_VALUE.slug, path, "must be base64-encoded data"))

    def _check_number(self, node: Node, value: float, path: Path, out: list[Issue]) -> None:
        if node.fmt in ("int32", "int64") and float(value).is_integer():
            low, high = _INT32 if node.fmt == "int32" else _INT64
            if not low <= value <= high:
                out.append(
                    Issue(INVALID_VALUE.slug, path, f"{value} is out of range for {node.fmt}")
                )
        integer_only = node.types is not None and "number" not in node.types
        if integer_only and isinstance(value, float) and not value.is_integer():
            out.append(Issue(INVALID_TYPE.slug, path, f"{value} is not an integer"))
        if node.minimum is not None and (
            value < node.minimum or (node.exclusive_min and value == node.minimum)
        ):
            out.append(
                Issue(
                    INVALID_VALUE.slug,
                    path,
                    f"must be {'greater than' if node.exclusive_min else 'at least'} "
                    f"{node.minimum}",
                )
            )
        if node.maximum is not None and (
            value > node.maximum or (node.exclusive_max and value == node.maximum)
        ):
            out.append(
                Issue(
                    INVALID_VALUE.slug,
                    path,
                    f"must be {'less than' if node.exclusive_max else 'at most'} {node.maximum}",
                )
            )
        if node.multiple_of and value % node.multiple_of:
            out.append(Issue(INVALID_VALUE.slug, path, f"must be a multiple of {node.multiple_of}"))


def _default_of(schema: Any) -> Any:
    return schema.get("default") if isinstance(schema, dict) else None


def _with_defaults(node: Node, value: dict[str, Any]) -> dict[str, Any]:
    """The object as the API server sees it after defaulting (for combinator checks)."""
    raw = node.raw_properties or {}
    missing = {
        key: sub["default"]
        for key, sub in raw.items()
        if key not in value and isinstance(sub, dict) and "default" in sub
    }
    return {**missing, **value} if missing else value


def _rebase(issues: Iterator[Issue], path: Path) -> Iterator[Issue]:
    for issue in issues:
        yield Issue(
            issue.rule, (*path, *issue.path), issue.message, issue.suggestion, issue.at, issue.meant
        )


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


_BASE64: Final = re.compile(r"[A-Za-z0-9+/]*={0,2}\Z")


def _is_base64(value: str) -> bool:
    # Go's base64 decoder (used for []byte fields) skips only \r and \n
    compact = value.replace("\r", "").replace("\n", "")
    return len(compact) % 4 == 0 and bool(_BASE64.match(compact))


def _type_issue(types: frozenset[str], value: Any, path: Path) -> Issue:
    if types == frozenset(("string",)) and isinstance(value, bool | int | float):
        return Issue(
            YAML_IMPLICIT_TYPE.slug,
            path,
            f"YAML reads this unquoted value as {_ARTICLE[_type_name(value)]} "
            f"({_json_text(value)}), "
            "but the field takes a string; the API server rejects it",
            "quote it",
        )
    return Issue(
        INVALID_TYPE.slug,
        path,
        f"expected {_describe(types)}, got {_ARTICLE.get(_type_name(value), _type_name(value))}",
    )


def _json_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _enum_issue(node: Node, value: Any, path: Path) -> Issue:
    allowed = ", ".join(str(v) for v in node.enum or ())
    guess: str | None = None
    same_but_case = False
    if isinstance(value, str) and node.enum_lower:
        guess = node.enum_lower.get(value.lower())
        same_but_case = guess is not None
        guess = guess or closest(value, list(node.enum_lower.values()))
    shown = repr(value) if isinstance(value, str) else _json_text(value)
    return Issue(
        INVALID_ENUM_VALUE.slug,
        path,
        f"{shown} is not one of: {allowed}",
        f'did you mean "{guess}"?' if guess else None,
        AT_VALUE,
        guess if same_but_case else None,
    )


def _combinator_issue(
    kind: str,
    branches: tuple[Node, ...],
    validator: Validator,
    value: Any,
    path: Path,
    passing: int = 0,
) -> Issue:
    if kind == "one" and passing > 1:
        return Issue(
            INVALID_VALUE.slug, path, "matches more than one of the allowed shapes (oneOf)"
        )
    details = [issue.message for b in branches for issue in validator.validate(b, value, path)[:1]]
    hint = f" ({'; '.join(details[:3])})" if details else ""
    return Issue(INVALID_VALUE.slug, path, f"matches none of the allowed shapes{hint}")


def _quantity_hint(problems: list[str]) -> str | None:
    for problem in problems:
        if "did you mean" in problem:
            return problem[problem.index("did you mean") :]
    return None


def walk_paths(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every (path, value) pair below ``value`` (depth-first, pre-order)."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_paths(item, (*path, index))
