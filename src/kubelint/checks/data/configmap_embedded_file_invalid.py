"""KL070: a ConfigMap key named like a JSON or YAML file whose content does not parse."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from kubelint.checks.api import RuleContext, Violation, object_check
from kubelint.load.documents import LoadProblem, YamlMap, YamlSeq, load_text, mark_of
from kubelint.load.lines import position, split_lines
from kubelint.load.objects import KubeObject
from kubelint.load.paths import AT_KEY, AT_VALUE

_DUPLICATE = re.compile(r'^duplicate key "(?P<key>.*)" \(first set at line (?P<line>\d+)\)')
_SYNTAX_PREFIX = "YAML syntax error: "


@object_check("data.configmap-embedded-file-invalid")
def configmap_embedded_file_invalid(
    obj: KubeObject, options: Mapping[str, Any], ctx: RuleContext
) -> Iterator[Violation]:
    """Report embedded JSON/YAML files of a ConfigMap that do not parse."""
    data = obj.get(("data",))
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        if not isinstance(key, str) or not isinstance(value, str) or not value.strip():
            continue
        lower = key.lower()
        if lower.endswith(".json"):
            language = "JSON"
            problem = _json_problem(value)
        elif lower.endswith((".yaml", ".yml")):
            language = "YAML"
            problem = _yaml_problem(value)
        else:
            continue
        if problem is None:
            continue
        if options["skip-templates"] and "{{" in value:
            continue
        line, reason, first = problem
        to_file = _file_lines(obj, key, value)
        where = f"at line {to_file(line)}" if to_file else f"at line {line} of the value"
        if first is not None:
            reason += f" (first set at line {to_file(first) if to_file else first})"
        yield Violation(
            ("data", key),
            f'key "{key}" holds invalid {language} {where}: {reason}',
            f"fix the {language} text, or rename the key if the file is not {language}",
            at=AT_KEY,
        )


#: A parse problem: 1-based line in the value, the reason, and a related line (or None).
Problem = tuple[int, str, int | None]


def _json_problem(text: str) -> Problem | None:
    """The first JSON error, or None."""
    try:
        json.loads(text, parse_int=str)  # numbers stay text: any length is valid JSON
    except json.JSONDecodeError as exc:  # its lineno counts only \n; the file counts as YAML
        return position(text, exc.pos)[0] + 1, exc.msg, None
    except RecursionError:
        return 1, "nested too deeply", None
    return None


def _yaml_problem(text: str) -> Problem | None:
    """The first YAML problem (syntax, duplicate key, bad tag), or None."""
    loaded = load_text(text)
    problems: list[LoadProblem] = [*loaded.problems]
    for document in loaded.documents:
        problems.extend(document.problems)
    if not problems:
        return None
    first = min(problems, key=lambda p: p.mark)
    duplicate = _DUPLICATE.match(first.message)
    if duplicate is not None:
        # the loader's message speaks of kubectl; inside a file only the duplicate matters
        return first.mark[0] + 1, f'duplicate key "{duplicate["key"]}"', int(duplicate["line"])
    return first.mark[0] + 1, first.message.removeprefix(_SYNTAX_PREFIX), None


def _file_lines(obj: KubeObject, key: str, value: str) -> Callable[[int], int] | None:
    """A function from lines of the value's content to 1-based lines of the file, or None.

    Rules see the loaded document, not its text, so the style of the scalar is inferred:
    a value with line breaks that fits between its key and the next node of the document
    is a literal (``|``) block, whose content starts on the line after the key; a value
    without line breaks followed directly by the next line is a one-line scalar. Anything
    else (folded or multi-line quoted scalars) gets positions inside the value.
    """
    value_line = obj.mark(("data", key), AT_VALUE)[0]
    following = _next_line(obj.root, value_line)
    content_lines = len(split_lines(value.rstrip("\n")))
    if len(split_lines(value)) > 1:
        if following is not None and following < value_line + content_lines + 1:
            return None
        return lambda line: value_line + line + 1
    if following == value_line + 1:
        return lambda line: value_line + line
    return None


def _next_line(root: Any, after: int) -> int | None:
    """The first line after ``after`` on which a node of the document starts."""
    best: int | None = None
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, YamlMap):
            for name, (key_mark, value_mark) in node.marks.items():
                for raw in (key_mark, value_mark):
                    line = mark_of(raw)[0]
                    if line > after and (best is None or line < best):
                        best = line
                stack.append(node.get(name))
        elif isinstance(node, YamlSeq):
            for raw in node.marks:
                line = mark_of(raw)[0]
                if line > after and (best is None or line < best):
                    best = line
            stack.extend(node)
    return best
