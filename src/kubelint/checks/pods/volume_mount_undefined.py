"""KL052 volume-mount-undefined: a volumeMount names no volume of the pod."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load import shapes
from kubelint.load.objects import KubeObject
from kubelint.schema.suggest import closest


@object_check("pods.volume-mount-undefined")
def volume_mount_undefined(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation at each mount name that matches no volume."""
    spec = obj.pod_spec()
    if spec is None:
        return
    names = _names(spec.get("volumes"))
    if obj.kind == "StatefulSet":
        templates = obj.get(("spec", "volumeClaimTemplates"))
        if isinstance(templates, list):
            names.extend(
                t["metadata"]["name"]
                for t in templates
                if isinstance(t, dict)
                and isinstance(t.get("metadata"), dict)
                and isinstance(t["metadata"].get("name"), str)
            )
    for base, container in obj.containers(ephemeral=True):
        for field in ("volumeMounts", "volumeDevices"):
            mounts = container.get(field)
            if not isinstance(mounts, list):
                continue
            for index, mount in enumerate(mounts):
                name = mount.get("name") if isinstance(mount, dict) else None
                if not isinstance(name, str) or not name or name in names:
                    continue
                guess = closest(name, names)
                if guess:
                    hint = f'did you mean "{guess}"?'
                elif names:
                    hint = f"mount one of the pod's volumes ({', '.join(names[:6])}) or add it"
                else:
                    hint = f"add a volume named {name} to the pod's volumes"
                yield Violation(
                    (*base, field, index, "name"),
                    f'container "{shapes.name(container)}" mounts volume "{name}", which '
                    "the pod does not define",
                    hint,
                )


def _names(volumes: Any) -> list[str]:
    if not isinstance(volumes, list):
        return []
    return [v["name"] for v in volumes if isinstance(v, dict) and isinstance(v.get("name"), str)]
