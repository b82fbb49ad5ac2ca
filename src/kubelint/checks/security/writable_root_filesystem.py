"""KL042 writable-root-filesystem: a container whose root filesystem is writable."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load import shapes
from kubelint.load.objects import KubeObject


@object_check("security.writable-root-filesystem")
def writable_root_filesystem(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation for each container whose root filesystem is writable."""
    spec = obj.pod_spec()
    if spec is None or _windows(spec):
        return
    for base, container in obj.containers(init=bool(options["init-containers"])):
        context = container.get("securityContext")
        context = context if isinstance(context, dict) else {}
        read_only = context.get("readOnlyRootFilesystem")
        if read_only is True:
            continue
        who = shapes.name(container)
        suggestion = (
            "set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where "
            "the container writes"
        )
        if read_only is False:
            yield Violation(
                (*base, "securityContext", "readOnlyRootFilesystem"),
                f'container "{who}" has a writable root filesystem',
                suggestion,
            )
        else:
            yield Violation(
                base,
                f'container "{who}" has a writable root filesystem '
                "(readOnlyRootFilesystem is not set)",
                suggestion,
            )


def _windows(spec: dict[str, Any]) -> bool:
    os = spec.get("os")
    return isinstance(os, dict) and os.get("name") == "windows"
