"""The rules the pipeline reports itself (``stage:`` load, schema or run in their files):
one object each, looked up when this module is imported, so a misspelt name fails here.

Emitters name these objects, never a slug string; findings carry the rule's id and slug.
"""

from __future__ import annotations

from typing import Final

from kubelint.rules.index import rule

YAML_SYNTAX: Final = rule("yaml-syntax")  # KL001
DUPLICATE_KEY: Final = rule("duplicate-key")  # KL002
YAML_IMPLICIT_TYPE: Final = rule("yaml-implicit-type")  # KL003
MISSING_TYPE_META: Final = rule("missing-type-meta")  # KL004
UNKNOWN_API_VERSION: Final = rule("unknown-api-version")  # KL005
UNKNOWN_KIND: Final = rule("unknown-kind")  # KL006
REMOVED_API: Final = rule("removed-api")  # KL007
UNKNOWN_FIELD: Final = rule("unknown-field")  # KL008
INVALID_TYPE: Final = rule("invalid-type")  # KL009
MISSING_REQUIRED_FIELD: Final = rule("missing-required-field")  # KL010
INVALID_ENUM_VALUE: Final = rule("invalid-enum-value")  # KL011
INVALID_QUANTITY: Final = rule("invalid-quantity")  # KL012
INVALID_NAME: Final = rule("invalid-name")  # KL013
INVALID_LABEL: Final = rule("invalid-label")  # KL014
INVALID_ANNOTATION: Final = rule("invalid-annotation")  # KL015
INVALID_DATA_KEY: Final = rule("invalid-data-key")  # KL016
INVALID_VALUE: Final = rule("invalid-value")  # KL017
MISSING_SCHEMA: Final = rule("missing-schema")  # KL018
EXPORTED_OBJECT: Final = rule("exported-object")  # KL019
DUPLICATE_OBJECT: Final = rule("duplicate-object")  # KL020
HELM_TEMPLATE: Final = rule("helm-template")  # KL021
FILE_TOO_LARGE: Final = rule("file-too-large")  # KL028
INTERNAL_ERROR: Final = rule("internal-error")  # KL029
