"""KL034 image-latest-tag: a container image without a tag, or with a mutable tag."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, doc, object_rule
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.report.model import Severity
from kubelint.schema.formats.images import image_reference, split_image


@object_rule(
    "KL034",
    "image-latest-tag",
    Severity.WARNING,
    "A container image has no tag (so it means :latest) or uses :latest.",
    doc(
        what="Reports container images written without a tag or digest, which the kubelet "
        "reads as `:latest`, and images whose tag is one of the option `mutable-tags` "
        "(default: `latest`). Images pinned by digest (`@sha256:...`) are fine, with or "
        "without a tag.",
        why="`:latest` names whatever was pushed last: two nodes can run different code "
        "under the same manifest, a restart can silently upgrade a pod, and a rollback to "
        "the previous manifest does not bring the previous image back.",
        example="containers:\n- name: job\n  image: busybox",
        use_instead="containers:\n- name: job\n  image: busybox:1.36.1\n"
        "# or pinned exactly:\n"
        "# image: busybox@sha256:7c3c3cea5d4d6133d6a694d23382f6a7b32652f23855abdba3eb039ca5995447",
    ),
    kinds=("DeploymentLike",),
    options={"mutable-tags": ["latest"]},
)
def image_latest_tag(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation at each image that has no tag or a mutable one, and no digest."""
    mutable = {str(tag) for tag in options.get("mutable-tags") or ()}
    for base, container in obj.containers():
        image = container.get("image")
        if not isinstance(image, str) or not image or image_reference(image):
            continue  # no image, or a malformed one or a placeholder: not this rule's finding
        name, tag, digest = split_image(image)
        if digest:
            continue
        who = shapes.name(container)
        if tag is None:
            yield Violation(
                (*base, "image"),
                f'container "{who}": image "{image}" has no tag, so it means {name}:latest',
                f"pin a version tag ({name}:<version>) or a digest ({name}@sha256:...)",
            )
        elif tag in mutable:
            yield Violation(
                (*base, "image"),
                f'container "{who}": image "{image}" uses the mutable tag :{tag}',
                f"pin a version tag ({name}:<version>) or a digest ({name}@sha256:...)",
            )
