"""load/paths.py on its own: object paths, and from them to file positions."""

from __future__ import annotations

import pytest

from kubelint.load.documents import load_text
from kubelint.load.paths import AT_KEY, AT_PARENT, AT_VALUE, Path, format_path, locate

TEXT = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
    ports: [{containerPort: 80}]
"""


def _root() -> object:
    (document,) = load_text(TEXT).documents
    return document.value


@pytest.mark.parametrize(
    ("path", "at", "mark"),
    [
        (("metadata", "name"), AT_KEY, (3, 2)),
        (("metadata", "name"), AT_VALUE, (3, 8)),
        (("spec", "containers", 0), AT_VALUE, (6, 4)),
        (("spec", "containers", 0, "image"), AT_VALUE, (7, 11)),
        (("spec", "containers", 0, "ports", 0, "containerPort"), AT_VALUE, (8, 28)),
        # missing: the key of the object that should hold it (a list item: the item)
        (("spec", "containers", 0, "resources"), AT_PARENT, (6, 4)),
        (("metadata", "labels"), AT_PARENT, (2, 0)),
        # leaves the tree: the deepest mark reached
        (("spec", "containers", 0, "image", "tag"), AT_VALUE, (7, 11)),
        (("spec", "containers", 5), AT_VALUE, (6, 2)),
    ],
)
def test_locate(path: Path, at: str, mark: tuple[int, int]) -> None:
    assert locate(_root(), path, at, (0, 0)) == mark


def test_a_missing_top_level_field_falls_back() -> None:
    assert locate(_root(), ("status",), AT_PARENT, (9, 9)) == (9, 9)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (("spec", "containers", 0, "image"), "spec.containers[0].image"),
        (
            ("metadata", "annotations", "example.com/team"),
            'metadata.annotations["example.com/team"]',
        ),
        (("data", "a b"), 'data["a b"]'),
        ((0, "kind"), "[0].kind"),
        ((), ""),
    ],
)
def test_format_path(path: Path, text: str) -> None:
    assert format_path(path) == text
