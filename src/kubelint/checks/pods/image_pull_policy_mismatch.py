"""KL035 image-pull-policy-mismatch: a pull policy that contradicts how the image is named."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.schema.formats.images import image_reference, split_image


@object_check("pods.image-pull-policy-mismatch")
def image_pull_policy_mismatch(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation at each imagePullPolicy that contradicts the container's image."""
    for base, container in obj.containers():
        image = container.get("image")
        policy = container.get("imagePullPolicy")
        if not isinstance(image, str) or not image or not isinstance(policy, str):
            continue
        if image_reference(image):
            continue  # a malformed image or a placeholder: not this rule's finding
        _, tag, digest = split_image(image)
        who = shapes.name(container)
        where = (*base, "imagePullPolicy")
        if policy in ("IfNotPresent", "Never") and not digest and tag in (None, "latest"):
            yield Violation(
                where,
                f'container "{who}": imagePullPolicy {policy} with image "{image}": a node '
                "that has pulled it once keeps running that copy, whatever is pushed later",
                "pin a version tag or a digest, or remove imagePullPolicy (Always is then "
                "the default)",
            )
        elif policy == "Always" and digest and options["digest-always"]:
            yield Violation(
                where,
                f'container "{who}": imagePullPolicy Always with an image pinned by digest: '
                "every start asks the registry for an image that cannot change",
                "use imagePullPolicy: IfNotPresent (the default for a digest), or remove it",
            )
