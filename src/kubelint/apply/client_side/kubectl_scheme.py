"""The kinds kubectl 1.37 compiles in, as data (``kubectl_scheme.json``).

kubectl chooses its patch by its own scheme, not by what the cluster serves
(k8s.io/kubectl ``pkg/cmd/apply/patcher.go``, ``Patcher.patchSimple``): a kind its
scheme knows (``scheme.Scheme.New`` succeeds) gets a strategic merge patch built from
the Go type's ``patchStrategy``/``patchMergeKey`` tags; any other kind (a custom
resource, ``apiextensions.k8s.io``, ``apiregistration.k8s.io``) a JSON merge patch.
The scheme still holds versions no current API server serves (``extensions/v1beta1``,
``apps/v1beta1``, ``batch/v1beta1`` ...), so kubectl would patch them strategically if
the cluster served them; a 1.37 cluster does not, and kubectl stops at its REST mapping.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any


@functools.cache
def _data() -> dict[str, Any]:
    path = Path(__file__).with_name("kubectl_scheme.json")
    with path.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


def compiled_in(api_version: str, kind: str) -> bool:
    """Whether kubectl's scheme has a Go type for this apiVersion and kind."""
    return kind in _data()["groupVersions"].get(api_version, ())


def stand_in(api_version: str, kind: str) -> str | None:
    """A served apiVersion of ``kind`` whose type has the same patch tags, for a compiled-in
    kind the bundled schemas do not serve (None: there is none)."""
    found: str | None = _data()["standIns"].get(api_version, {}).get(kind)
    return found


def overrides(api_version: str, kind: str) -> dict[str, Any] | None:
    """Where the old Go type differs from its stand-in's schema, as a partial schema
    (``properties`` to add, or patch tags to replace), or None."""
    found: dict[str, Any] | None = _data()["overrides"].get(f"{api_version}/{kind}")
    return found
