"""Object paths, and from them to file positions: rules speak in paths, the user reads lines."""

from __future__ import annotations

from typing import Any, Final

from kubelint.load.documents import Mark, YamlMap, YamlSeq, mark_of

#: A place inside an object: keys and list indexes from its root.
Path = tuple[str | int, ...]

#: Where a finding points: the key of the field, its value, or the key of the parent object.
AT_KEY: Final = "key"
AT_VALUE: Final = "value"
AT_PARENT: Final = "parent"


def locate(root: Any, path: Path, at: str, fallback: Mark) -> Mark:
    """The 0-based mark of ``path`` in a loaded document.

    ``at`` chooses the key of the last path element, its value, or (for something
    missing) the key of the object that should contain it. When the path leaves the
    loaded tree, the deepest mark reached is returned.
    """
    if at == AT_PARENT:
        path = path[:-1]
        at = AT_KEY
        if not path:
            return fallback
    best = fallback
    node = root
    last = len(path) - 1
    for depth, step in enumerate(path):
        if isinstance(node, YamlMap) and isinstance(step, str) and step in node:
            key_mark, value_mark = node.marks[step]
            if depth == last:
                return mark_of(key_mark if at == AT_KEY else value_mark)
            best = mark_of(value_mark)
            node = node[step]
        elif isinstance(node, YamlSeq) and isinstance(step, int) and 0 <= step < len(node):
            best = mark_of(node.marks[step])
            if depth == last:
                return best
            node = node[step]
        else:
            return best
    return best


def format_path(path: Path) -> str:
    """``("spec", "containers", 0, "image")`` as ``spec.containers[0].image``."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        elif not text:
            text = step
        elif "." in step or "/" in step or " " in step:
            text += f'["{step}"]'
        else:
            text += f".{step}"
    return text
