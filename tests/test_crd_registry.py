"""The CRD registry answers by group and kind from an index kept in step with its versions."""

from __future__ import annotations

from kubelint.schema.crds import CrdRegistry, CrdVersion


def version(group: str, version: str, kind: str, namespaced: bool = True) -> CrdVersion:
    return CrdVersion(group, version, kind, namespaced, None, True)


def test_kinds_and_scope_follow_every_addition() -> None:
    registry = CrdRegistry()
    registry.add(version("example.com", "v1", "Widget"))
    assert registry.kinds_in_group("example.com") == {"Widget": ["example.com/v1"]}
    assert registry.namespaced("example.com", "Widget") is True
    registry.add(version("example.com", "v2", "Widget"))
    registry.add(version("example.com", "v1", "Gadget", namespaced=False))
    assert registry.kinds_in_group("example.com") == {
        "Widget": ["example.com/v1", "example.com/v2"],
        "Gadget": ["example.com/v1"],
    }
    assert registry.namespaced("example.com", "Gadget") is False
    other = CrdRegistry()
    other.add(version("other.io", "v1alpha1", "Thing"))
    registry.merge(other)
    assert registry.kinds_in_group("other.io") == {"Thing": ["other.io/v1alpha1"]}
    assert registry.namespaced("other.io", "Widget") is None
    assert registry.kinds_in_group("missing.io") == {}


def test_answers_are_copies() -> None:
    registry = CrdRegistry()
    registry.add(version("example.com", "v1", "Widget"))
    registry.kinds_in_group("example.com")["Widget"].append("changed")
    assert registry.kinds_in_group("example.com") == {"Widget": ["example.com/v1"]}
