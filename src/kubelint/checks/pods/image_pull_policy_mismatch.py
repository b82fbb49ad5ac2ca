"""KL035 image-pull-policy-mismatch: a pull policy that contradicts how the image is named."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, doc, object_rule
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.report.model import Severity
from kubelint.schema.formats.images import image_reference, split_image


@object_rule(
    "KL035",
    "image-pull-policy-mismatch",
    Severity.WARNING,
    "imagePullPolicy IfNotPresent/Never with a :latest image, or Always with a digest.",
    doc(
        what="Reports `imagePullPolicy: IfNotPresent` or `Never` on a container whose image "
        "is untagged or `:latest` (and not pinned by digest); and `imagePullPolicy: Always` "
        "on an image pinned by digest, unless the option `digest-always` is false.",
        why="A node that already holds `app:latest` never pulls it again under IfNotPresent "
        "or Never: pods keep starting the image the node pulled first, and different nodes "
        "run different code from the same manifest. (Without a pull policy Kubernetes "
        "chooses Always for `:latest`, which is why writing IfNotPresent is the mistake.) "
        "The opposite mismatch is cheaper but still a cost: a digest can never change, so "
        "Always only adds a registry round trip to every container start, and a registry "
        "outage then stops pods from starting on nodes that have the image. Images loaded "
        "into a local cluster by hand (kind, minikube) are the one legitimate use of Never "
        "with `:latest`: disable the rule for those files.",
        example="containers:\n- name: web\n  image: registry.example.com/web:latest\n"
        "  imagePullPolicy: IfNotPresent",
        use_instead="containers:\n- name: web\n  image: registry.example.com/web:2.4.1\n"
        "  imagePullPolicy: IfNotPresent",
    ),
    kinds=("DeploymentLike",),
    options={"digest-always": True},
)
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
