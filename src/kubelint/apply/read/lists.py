"""List documents (``kind: List``, ``ConfigMapList`` ...) as kubectl opens them into their
items."""

from __future__ import annotations

from typing import Final

from kubelint.apply.values import JSON
from kubelint.load.paths import Path


def list_items(value: JSON, path: Path = ()) -> list[tuple[JSON, Path]]:
    """A list document as its items, as kubectl reads it, each with its path in ``value``
    (``("items", 0)`` ...); else ``[(value, path)]``.

    kubectl's decoder takes any document with a list (or null) ``items`` for a list,
    whatever its kind (apimachinery ``unstructuredJSONScheme.decode``); an item with
    neither kind nor apiVersion gets the list's apiVersion and its kind less ``List``
    (``decodeToList``: the items of a typed list such as a ``ConfigMapList``). The items
    are not lists themselves: one whose ``items`` is a list fails the whole document (see
    :func:`nested_list_error`), and one with ``items: null`` is an object.
    """
    if not isinstance(value, dict) or not isinstance(value.get("items", 0), list | None):
        return [(value, path)]
    kind = _text(value.get("kind"))
    out: list[tuple[JSON, Path]] = []
    for index, item in enumerate(value["items"] or ()):
        typed = isinstance(item, dict) and not _text(item.get("kind"))
        if typed and not _text(item.get("apiVersion")):
            item = {
                **item,
                "kind": kind.removesuffix("List"),
                "apiVersion": _text(value.get("apiVersion")),
            }
        out.append((item, (*path, "items", index)))
    return out


NESTED_LIST_ERROR: Final = "*unstructured.Unstructured is not a list: no Items field in this object"
"""kubectl's error for a list item that is a list itself."""


def nested_list_error(value: JSON) -> str | None:
    """kubectl's error for a list document one of whose items has a list ``items``.

    cli-runtime's ``FlattenListVisitor`` takes an item for a list when its ``items`` is a
    list (``Unstructured.IsList``), but the item was decoded as a plain ``Unstructured``,
    which ``meta.ExtractList`` cannot open: the document fails whole, nothing of it is
    sent, and kubectl reads on.
    """
    items = list_items(value)
    if len(items) == 1 and not items[0][1]:
        return None
    for item, _ in items:
        if isinstance(item, dict) and isinstance(item.get("items"), list):
            return NESTED_LIST_ERROR
    return None


def _text(value: JSON) -> str:
    """A string field as unstructured's getters read it: anything else is ``""``."""
    return value if isinstance(value, str) else ""
