"""KL072: a ConfigMap or Secret whose data exceeds the API server's 1 MiB limit.

The sum is the API server's (``ValidateConfigMap`` / ``ValidateSecret``): the byte length
of every value, keys not counted. ConfigMap ``data`` counts as UTF-8 and ``binaryData``
decoded; Secret ``data`` counts decoded, with ``stringData`` merged over it first (the
API server converts ``stringData`` into ``data`` before validating).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Mapping
from typing import Any, Final

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load.objects import KubeObject
from kubelint.load.paths import AT_KEY

MAX_DATA_BYTES: Final = 1024 * 1024  # core.MaxSecretSize, used for ConfigMaps too


def decoded_size(value: str) -> int:
    """Bytes that a base64 value decodes to (an estimate when it is not valid base64)."""
    compact = value.replace("\r", "").replace("\n", "")
    try:
        return len(base64.b64decode(compact, validate=True))
    except (binascii.Error, ValueError):
        return len(compact) * 3 // 4


def _text_size(value: Any) -> int:
    return len(value.encode("utf-8", errors="surrogatepass")) if isinstance(value, str) else 0


def data_size(obj: KubeObject) -> int:
    """The size the API server compares with its limit."""
    if obj.kind == "Secret":
        sizes: dict[str, int] = {}
        data = obj.get(("data",))
        if isinstance(data, dict):
            for key, value in data.items():
                sizes[key] = decoded_size(value) if isinstance(value, str) else 0
        string_data = obj.get(("stringData",))
        if isinstance(string_data, dict):
            for key, value in string_data.items():
                sizes[key] = _text_size(value)
        return sum(sizes.values())
    total = 0
    data = obj.get(("data",))
    if isinstance(data, dict):
        total += sum(_text_size(value) for value in data.values())
    binary = obj.get(("binaryData",))
    if isinstance(binary, dict):
        total += sum(decoded_size(v) for v in binary.values() if isinstance(v, str))
    return total


@object_check("data.configmap-too-large")
def configmap_too_large(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Report ConfigMaps and Secrets over the size limit."""
    limit = int(options["max-bytes"])
    size = data_size(obj)
    if size <= limit:
        return
    fields = ("data", "stringData") if obj.kind == "Secret" else ("data", "binaryData")
    at = next((name for name in fields if isinstance(obj.get((name,)), dict)), "data")
    present = [f"`{name}`" for name in fields if isinstance(obj.get((name,)), dict)]
    verb = "holds" if len(present) == 1 else "hold"
    unit = " (1 MiB)" if limit == MAX_DATA_BYTES else ""
    yield Violation(
        (at,),
        f"{obj.kind} {' and '.join(present)} {verb} {size:,} bytes of data; "
        f"the API server allows at most {limit:,}{unit}",
        "split the data over several objects, or ship large files in the image or a volume",
        at=AT_KEY,
    )
