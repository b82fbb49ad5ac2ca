"""The rules of the refusals, by name: their files are ``rules/apply/<slug>.yaml``.

Looked up when this module is imported, so a misspelt name fails there; the refusals
carry the rule's code (what a finding holds).
"""

from __future__ import annotations

from typing import Final

from kubelint.rules.index import rule

ANNOTATIONS_TOO_LARGE: Final = rule("annotations-too-large").id
IMMUTABLE_FIELD: Final = rule("immutable-field").id
IMMUTABLE_OBJECT: Final = rule("immutable-object").id
NAMESPACE_MISMATCH: Final = rule("namespace-mismatch").id
PATCH_NOT_MERGEABLE: Final = rule("patch-not-mergeable").id
API_NOT_SERVED: Final = rule("api-not-served").id

#: Refusals by kubectl itself: nothing is sent for the object.
KUBECTL_REFUSALS: Final = frozenset({NAMESPACE_MISMATCH, API_NOT_SERVED})
