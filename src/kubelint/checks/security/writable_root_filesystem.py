"""KL042 writable-root-filesystem: a container whose root filesystem is writable."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, doc, object_rule
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.report.model import Severity


@object_rule(
    "KL042",
    "writable-root-filesystem",
    Severity.WARNING,
    "A container does not set readOnlyRootFilesystem: true.",
    doc(
        what="Reports containers whose `securityContext.readOnlyRootFilesystem` is not "
        "`true`. Init containers are included unless the option `init-containers` is "
        "false; Windows pods (`spec.os.name: windows`) are skipped.",
        why="A writable root filesystem lets an intruder replace binaries and drop tools "
        "in the container, and lets the application scribble state that vanishes on "
        "restart. With a read-only root, every place the application writes is an "
        "explicit volume (an emptyDir for /tmp, a PersistentVolume for data).",
        example="containers:\n- name: web\n  image: registry.example.com/web:2.4.1",
        use_instead="containers:\n- name: web\n  image: registry.example.com/web:2.4.1\n"
        "  securityContext:\n    readOnlyRootFilesystem: true\n"
        "  volumeMounts:\n  - name: tmp\n    mountPath: /tmp\n"
        "volumes:\n- name: tmp\n  emptyDir: {}",
    ),
    kinds=("DeploymentLike",),
    options={"init-containers": True},
    whole_object=True,
)
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
