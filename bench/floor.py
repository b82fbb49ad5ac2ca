"""The floor: parse every manifest of a corpus with libyaml and do nothing else.

Run as a script it is the measured "floor" of the benchmark: the least work any linter must do
(find the files, read them, parse the YAML). It prints one JSON object with its counts.
``bench/run.py`` also imports it to list the corpus files and count their documents.

A file whose name ends in ``.yaml``, ``.yml`` or ``.json`` is read, unless it lies under a
``_broken-yaml/`` folder (real files kept because they are *not* valid YAML). A file that does not
parse is counted and skipped.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

SUFFIXES = frozenset({".yaml", ".yml", ".json"})
EXCLUDED_DIRS = frozenset({"_broken-yaml"})


class FloorLoader(yaml.CSafeLoader):
    """libyaml's safe loader, reading the YAML 1.1 ``=`` value tag as a plain string.

    Some real CRDs (prometheus-operator) hold a bare ``=`` scalar, which YAML 1.1 resolves to the
    ``tag:yaml.org,2002:value`` tag; PyYAML has no constructor for it and would fail the file.
    """


def _construct_value(loader: yaml.CSafeLoader, node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    raise yaml.constructor.ConstructorError(
        None,
        None,
        f"expected a scalar for the value tag, found {type(node).__name__}",
        node.start_mark,
    )


FloorLoader.add_constructor("tag:yaml.org,2002:value", _construct_value)


def corpus_files(root: Path) -> list[Path]:
    """Every manifest file under ``root``, sorted, without the ``_broken-yaml/`` folders."""
    found = [
        path
        for path in root.rglob("*")
        if path.suffix.lower() in SUFFIXES
        and not EXCLUDED_DIRS.intersection(path.relative_to(root).parts)
        and path.is_file()
    ]
    return sorted(found)


def load_documents(path: Path) -> list[object] | None:
    """All documents of one file, or None when the file does not parse."""
    try:
        return list(yaml.load_all(path.read_bytes(), Loader=FloorLoader))
    except Exception:  # any parse or construction error: the floor skips the file
        return None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: floor.py CORPUS_DIR", file=sys.stderr)
        return 2
    files = parsed = documents = non_empty = 0
    for path in corpus_files(Path(argv[0])):
        files += 1
        docs = load_documents(path)
        if docs is None:
            continue
        parsed += 1
        documents += len(docs)
        non_empty += sum(doc is not None for doc in docs)
    summary = {
        "files": files,
        "parsed": parsed,
        "failed": files - parsed,
        "documents": documents,
        "non_empty_documents": non_empty,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
