"""Every rule tolerates every shape: values of the wrong type never make a rule fail.

Real objects (the rule fixtures, the seeds, the examples and a fixture that sets every
field the rules read) get random parts replaced by a string, a number, a boolean,
null, a list or a mapping; every registered rule runs on them, cross-object rules
included, and the CRDs of a file are used for its custom resources. Not one
``internal-error`` finding may come out. The seed is fixed, so a failure is
reproducible; ``KUBELINT_FUZZ_ROUNDS`` runs more rounds locally.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest

from kubelint.checks import registry
from kubelint.config.policy import Policy
from kubelint.load.documents import load_text
from kubelint.load.sources import SourceFile
from kubelint.run.context import CheckOptions, Context
from kubelint.run.cross_objects import across_objects
from kubelint.run.files import check_source
from kubelint.schema.crds import CrdRegistry
from kubelint.schema.store import latest_version

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROUNDS = int(os.environ.get("KUBELINT_FUZZ_ROUNDS", "1200"))

#: What a subtree is replaced with: every JSON shape, and values that trip parsers (a
#: huge number as text, a non-ASCII digit, a percent sign alone, control characters).
SHAPES: list[Any] = [
    "text",
    "",
    "9" * 5000,
    "²",
    "%",
    "1e99999",
    "\x00\x1b",
    "{{ x }}",
    "a:b/c@d",
    0,
    7,
    -1,
    2**64 - 1,
    2.5,
    True,
    False,
    None,
    [],
    ["a", 1, None],
    [{"name": "x"}, [1]],
    {},
    {"name": "x", "key": 1},
    {"a": {"b": [True]}},
]


def _documents(path: Path) -> list[Any]:
    loaded = load_text(path.read_text(encoding="utf-8"))
    return [json.loads(json.dumps(d.value, default=str)) for d in loaded.documents if d.value]


def _files() -> list[list[Any]]:
    paths = [
        *sorted((FIXTURES / "rules").rglob("*.yaml")),
        *sorted((FIXTURES / "seeds").glob("*.yaml")),
        *sorted((FIXTURES / "hostile" / "type-confusion").glob("*.yaml")),
        *sorted((ROOT / "examples").glob("*.yaml")),
    ]
    found = [docs for docs in map(_documents, paths) if docs]
    assert len(found) > 40
    return found


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


def _replace(target: Any, rng: random.Random) -> None:
    """Replace one to three random subtrees of ``target`` (never ``target`` itself)."""
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _paths(target) if p]
        if not paths:
            break
        path = rng.choice(paths)
        parent = target
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = json.loads(json.dumps(rng.choice(SHAPES)))


def _internal_errors(context: Context, documents: list[Any]) -> list[str]:
    """The internal-error messages of checking ``documents`` as one file, with its CRDs."""
    text = "\n---\n".join(json.dumps(d) for d in documents)
    source = SourceFile("fuzz.yaml", "fuzz.yaml")
    result = check_source(source, context, text.encode())
    if len(result.crds):  # the file's custom resources, checked with its CRDs
        context.use_crds(result.crds)
        result = check_source(source, context, text.encode())
        context.use_crds(CrdRegistry())
    kept, _ = across_objects([result], context.options)
    return [f.message[:160] for f in [*result.findings, *kept] if f.rule == "KL029"]


@pytest.fixture(scope="module")
def context() -> Context:
    specs = registry.builtin_rules()
    policy = Policy.build(specs, ["KL"], [], {}, {})  # every rule, off-by-default ones too
    return Context(CheckOptions(latest_version(), policy=policy, jobs=1))


def _report(failures: dict[str, str]) -> str:
    return "\n\n".join(f"{message}\n  in {document}" for message, document in failures.items())


def test_no_rule_fails_on_values_of_the_wrong_type(context: Context) -> None:
    rng = random.Random(20261206)
    files = _files()
    failures: dict[str, str] = {}
    for _ in range(ROUNDS):
        documents = json.loads(json.dumps(rng.choice(files)))
        changed = rng.choice(documents)
        _replace(changed, rng)
        for message in _internal_errors(context, documents):
            failures.setdefault(message, json.dumps(changed)[:600])
    assert not failures, _report(failures)


def test_crd_schemas_of_any_shape_are_read(context: Context) -> None:
    rng = random.Random(20261207)
    crd, resource = _documents(FIXTURES / "hostile" / "type-confusion" / "objects.yaml")[:2]
    failures: dict[str, str] = {}
    for _ in range(ROUNDS // 4):
        documents = json.loads(json.dumps([crd, resource]))
        _replace(documents[0]["spec"]["versions"][0]["schema"], rng)
        for message in _internal_errors(context, documents):
            failures.setdefault(message, json.dumps(documents[0])[:600])
    assert not failures, _report(failures)
