"""KL034 image-latest-tag: a container image without a tag, or with a mutable tag."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.schema.formats.images import image_reference, split_image


@object_check("pods.image-latest-tag")
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
