"""KL055 command-line-continuation: shell line continuations folded away by YAML.

A plain (or ``>`` folded) scalar written over several lines is joined by YAML with single
spaces. Lines ending in ``\\`` (a shell line continuation) then become ``... \\ next``:
the shell reads ``\\ `` as an escaped space, so the next line's first word starts with a
space (`` echo``) and is not the command that was meant.

Only the parsed value is available to rules, so the check looks for what the fold
leaves behind: a backslash that stands alone between spaces. An escaped space inside a
word (``My\\ Documents``) is legitimate and is not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load import shapes
from kubelint.load.objects import KubeObject

#: A backslash with blank before it and one space after it, then more text: a folded "\<EOL>".
_FOLDED: Final = re.compile(r"(?:^|[ \t])\\ (?=(\S+))")


@object_check("pods.command-line-continuation")
def command_line_continuation(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Yield a violation at each command/args string that holds a folded continuation."""
    for base, container in obj.containers(ephemeral=True):
        for field in ("command", "args"):
            items = container.get(field)
            if not isinstance(items, list):
                continue
            for index, item in enumerate(items):
                if not isinstance(item, str):
                    continue
                found = _FOLDED.search(item)
                if found is None:
                    continue
                yield Violation(
                    (*base, field, index),
                    f'container "{shapes.name(container)}": {field}[{index}] was written '
                    'over lines ending in "\\", but YAML joins them with spaces: a shell reads '
                    f'"\\ {found.group(1)}" as the word " {found.group(1)}" (an escaped space), '
                    f"not {found.group(1)}",
                    "write the script as a | block scalar (one command per line) and drop the "
                    "trailing backslashes",
                )
