"""Hostile-input fuzzer for kubelint: mutated manifests through check, --fix, --diff and lsp.

Seeds are real manifests (``../shared/corpus`` when present, and ``tests/fixtures``),
mutated at the byte level, the YAML level and the filesystem level, then run through
``kubelint check`` in every output format and with odd options, ``--diff``, ``--fix`` on a
copy, and (sampled) the language server. Each run is judged by oracles: no traceback, no
internal error (exit 3, KL029), exit codes 0/1 (2 only where a usage error is expected),
UTF-8 output that parses (JSON, SARIF, JUnit), positions inside the file as YAML counts
lines, an excerpt under each finding whose line exists, no hang, bounded memory, fixes
that change only the edited tokens and add no finding, links and modes kept, ``--diff``
writing nothing, and a language server that answers every request and never desyncs.

Runs are forked from this process, which has kubelint imported already (a run costs a
fork, not an interpreter start); ``--subprocess`` runs the real command instead.

    python scripts/fuzz_hostile.py --seed 1 --count 500 --out /tmp/fuzz-out
    python scripts/fuzz_hostile.py --seed 7 --count 200 --kinds fs --out /tmp/fuzz-fs
    python scripts/fuzz_hostile.py --seed 3 --count 100 --kinds lsp --out /tmp/fuzz-lsp

A failing input is kept under ``--out/<class>/<n>/`` with the command, its output and the
oracle that failed; the summary prints one line per failure class. Exit status 1 when
anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import json
import os
import random
import re
import resource
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import traceback
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
FIXTURES = REPO / "tests" / "fixtures"
FORMATS = ("human", "json", "sarif", "junit", "github")
KINDS = ("bytes", "yaml", "fs", "lsp")
TIMEOUT = 60.0
MEMORY_LIMIT = 2 << 30  # address space of a run; RSS over 1 GB is a failure of its own
RSS_LIMIT_KB = 1 << 20
BREAKS = ("\n", "\r\n", "\r", "\x85", "\u2028", "\u2029")
_YAML_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")

# -- seeds ------------------------------------------------------------------------------


def seeds(limit_bytes: int = 200_000) -> list[Path]:
    """Manifest files to mutate, in a fixed order."""
    found: list[Path] = []
    for root in (CORPUS, FIXTURES):
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if (
                path.suffix in (".yaml", ".yml", ".json")
                and path.is_file()
                and not path.is_symlink()
            ):
                with contextlib.suppress(OSError):
                    if path.stat().st_size <= limit_bytes:
                        found.append(path)
    return found


# -- byte-level mutations ------------------------------------------------------------------

ODD_BYTES = [
    b"\x00",
    b"\xef\xbb\xbf",
    b"\x1b",
    b"\x7f",
    b"\x0c",
    b"\x0b",
    b"\t",
    b"\xff",
    b"\xfe",
    b"\xc3",
    b"\xe2\x80",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\xc2\x85",
    b"\xe2\x80\xa8",
    b"\xe2\x80\xa9",
    b"\xe2\x80\xae",
    b"\xef\xbf\xbe",
    b"\r",
    b"\x01",
    b"\xf0\x9f\x98\x80",
    b"\xcc\x81",
]


def _flip(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return b"\x00"
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randint(0, len(data))]


def _insert_odd(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 5)):
        i = rng.randint(0, len(data))
        data = data[:i] + rng.choice(ODD_BYTES) * rng.randint(1, 3) + data[i:]
    return data


def _line_breaks(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    mode = rng.randrange(3)
    if mode == 0:  # one kind of break for the whole file
        brk = rng.choice(BREAKS)
        joined = brk.join(lines)
    else:  # a mix
        joined = "".join(line + rng.choice(BREAKS) for line in lines[:-1]) + lines[-1]
    return joined.encode("utf-8", "surrogateescape")


def _tabs(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(len(lines))
        line = lines[i]
        stripped = line.lstrip(b" ")
        indent = len(line) - len(stripped)
        lines[i] = b"\t" * max(1, indent // 2) + stripped if rng.random() < 0.7 else line + b"\t"
    return b"\n".join(lines)


def _invalid_utf8(rng: random.Random, data: bytes) -> bytes:
    bad = [b"\x80", b"\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xff", b"\xf8\x88\x80\x80\x80"]
    i = rng.randint(0, len(data))
    return data[:i] + rng.choice(bad) + data[i:]


def _recode(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    codec = rng.choice(
        [
            "utf-16",
            "utf-16-le",
            "utf-16-be",
            "utf-32",
            "utf-32-le",
            "utf-32-be",
            "utf-8-sig",
            "latin-1",
        ]
    )
    encoded = text.encode(codec, "replace")
    if rng.random() < 0.3 and codec in ("utf-16-le", "utf-16-be"):  # a BOM of the other order
        encoded = (b"\xff\xfe" if codec.endswith("be") else b"\xfe\xff") + encoded
    if rng.random() < 0.2:
        encoded = encoded[: rng.randint(0, len(encoded))]  # an odd number of bytes
    return encoded


def _long_line(rng: random.Random, data: bytes) -> bytes:
    n = rng.choice([10_000, 100_000, 1_000_000])
    filler = rng.choice([b"a", b"9", b" ", b"\\", b"'", b'"', b"{", b"[", b"#", b"-", b": "])
    i = rng.randint(0, len(data))
    prefix = rng.choice([b"", b"key: ", b"  x: ", b"- "])
    return data[:i] + b"\n" + prefix + filler * (n // len(filler)) + b"\n" + data[i:]


def _deep(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice([100, 499, 500, 501, 2000, 20_000])
    style = rng.randrange(4)
    if style == 0:
        doc = b"[" * depth + b"]" * depth
    elif style == 1:
        doc = b"{a: " * depth + b"1" + b"}" * depth
    elif style == 2:
        doc = (
            b"".join(b"  " * i + b"k:\n" for i in range(min(depth, 3000)))
            + b"  " * min(depth, 3000)
            + b"v\n"
        )
    else:
        doc = b"- " * min(depth, 5000) + b"x\n"
    return data + b"\n---\n" + doc + b"\n"


def _huge_values(rng: random.Random, data: bytes) -> bytes:
    values = [
        b"9" * rng.choice([19, 20, 309, 4300, 4301, 50_000]),
        b"-" + b"9" * 400,
        b"0x" + b"f" * 300,
        b"1e400",
        b"-1e400",
        b".nan",
        b".inf",
        b"0o" + b"7" * 200,
        b"0b" + b"1" * 500,
        b"1" + b"_0" * 2000,
        b"1." + b"0" * 5000 + b"1",
        b"0777777777777777777777777",
        b'"' + b"x" * 2_000_000 + b'"',
        b"9223372036854775808",
        b"-9223372036854775809",
        b"1:2:3:4:5:6:7:8:9",
        b"2024-13-45T99:99:99Z",
        b"~",
        b"!!int 0x" + b"f" * 40,
    ]
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        line = lines[i]
        if b": " in line:
            head = line.split(b": ", 1)[0]
            lines[i] = head + b": " + rng.choice(values)
    return b"\n".join(lines)


def _many_documents(rng: random.Random, data: bytes) -> bytes:
    n = rng.choice([100, 2000, 20_000])
    piece = rng.choice([b"---\n", b"---\n...\n", b"--- \n", b"---\na: 1\n", b"---\n- 1\n"])
    return data + b"\n" + piece * n


def _big(rng: random.Random, data: bytes) -> bytes:
    """Over 2 MB of documents: a file the engine cuts into parts for the workers."""
    if rng.random() < 0.8:
        return data  # rare: such a run costs seconds
    piece = data if data.endswith(b"\n") else data + b"\n"
    return (b"---\n" + piece) * (2_100_000 // max(1, len(piece) + 4) + 1)


def _splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    i = rng.randint(0, len(data))
    j = rng.randint(0, len(other))
    return data[:i] + other[j:]


BYTE_MUTATORS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "flip": _flip,
    "truncate": _truncate,
    "insert-odd": _insert_odd,
    "line-breaks": _line_breaks,
    "tabs": _tabs,
    "invalid-utf8": _invalid_utf8,
    "recode": _recode,
    "long-line": _long_line,
    "deep": _deep,
    "huge-values": _huge_values,
    "many-documents": _many_documents,
    "big": _big,
}

# -- YAML-level mutations ------------------------------------------------------------------

TAGS = [
    "!!binary",
    "!!set",
    "!!omap",
    "!!pairs",
    "!!timestamp",
    "!!python/object:os.system",
    "!!python/name:os.system",
    "!!python/tuple",
    "!custom",
    "!",
    "!!str",
    "!!int",
    "!!bool",
    "!!float",
    "!!null",
    "!!map",
    "!!seq",
    "!<tag:yaml.org,2002:str>",
    "!Ref",
    "!!merge",
    "!<!>",
    "!e!x",
    "!!value",
    "!!yaml",
]
WRONG_VALUES = [
    "null",
    "~",
    "true",
    "yes",
    "off",
    "0",
    "-1",
    "1.5",
    "1e9",
    "0x1F",
    "0o17",
    "[]",
    "{}",
    "[1, [2, {a: b}]]",
    "{a: {b: [c]}}",
    '""',
    "''",
    "'multi\n  line'",
    "|-\n  block",
    ">+\n  folded\n\n",
    ".nan",
    "-.inf",
    "2024-01-01",
    "1:30",
    '"\\x00\\u2028"',
    "!!binary /w==",
    "=",
    "<<",
    "*undefined",
    "- a",
    "? a",
    "'\\t'",
    "\U0001d54f",
    '"\\uD800"',
]


def _lines_with_key(text: str) -> list[int]:
    return [
        i for i, line in enumerate(text.split("\n")) if re.match(r"^\s*(- )?[\w.\-/\"']+:", line)
    ]


def _at_keys(rng: random.Random, text: str, change: Callable[[list[str], int], None]) -> str:
    """``text`` with ``change(lines, i)`` applied at one to three lines that hold a key."""
    lines = text.split("\n")
    candidates = _lines_with_key(text)
    for _ in range(rng.randint(1, 3) if candidates else 0):
        change(lines, rng.choice(candidates))
    return "\n".join(lines)


def _edit_value(rng: random.Random, text: str, make: Callable[[str, str], str]) -> str:
    def change(lines: list[str], i: int) -> None:
        match = re.match(r"^(\s*(?:- )?[\w.\-/\"']+:)(.*)$", lines[i])
        if match:
            lines[i] = make(match.group(1), match.group(2))

    return _at_keys(rng, text, change)


def _anchors(rng: random.Random, text: str) -> str:
    name = rng.choice(["a", "x", "anchor", "a" * 200, "é", "1"])

    def make(key: str, value: str) -> str:
        choice = rng.randrange(5)
        if choice == 0:
            return f"{key} &{name}{value}"
        if choice == 1:
            return f"{key} *{name}"
        if choice == 2:
            return f"{key} &{name} *{name}"
        if choice == 3:
            return f"{key} &{name} {{<<: *{name}}}"
        return f"{key}{value} # &{name}"

    text = _edit_value(rng, text, make)
    if rng.random() < 0.5:  # a definition first, so later aliases resolve
        text = f"x-base: &{name} {{a: 1, b: [1, 2]}}\n" + text
    return text


def _merge_keys(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if re.match(r"^\s+[\w.\-/]+:\s*$", line)]
    if not candidates:
        return text
    i = rng.choice(candidates)
    indent = len(lines[i]) - len(lines[i].lstrip()) + 2
    pad = " " * indent
    kind = rng.randrange(6)
    if kind == 0:
        lines[i] = lines[i].rstrip() + " &m"
        lines.insert(i + 1, f"{pad}<<: *m")  # recursive merge
    elif kind == 1:
        lines.insert(i + 1, f"{pad}<<: [{{a: 1}}, {{a: 2, b: 3}}]")
    elif kind == 2:
        lines.insert(i + 1, f"{pad}<<: 5")
    elif kind == 3:
        lines.insert(i + 1, f"{pad}<<: {{name: merged}}\n{pad}<<: {{name: twice}}")
    elif kind == 4:
        lines.insert(i + 1, f"{pad}'<<': quoted")
    else:
        lines.insert(i + 1, f"{pad}<<: [*undefined]")
    return "\n".join(lines)


def _tags(rng: random.Random, text: str) -> str:
    return _edit_value(rng, text, lambda k, v: f"{k} {rng.choice(TAGS)}{v}")


def _complex_keys(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    candidates = _lines_with_key(text)
    if not candidates:
        return text
    i = rng.choice(candidates)
    indent = " " * (len(lines[i]) - len(lines[i].lstrip()))
    if lines[i].lstrip().startswith("- "):
        indent += "  "
    key = rng.choice(
        ["[a]", "{a: 1}", "[a, [b]]", "|\n" + indent + "  block", "- x", "null", "~", ""]
    )
    lines.insert(i, f"{indent}? {key}\n{indent}: value")
    return "\n".join(lines)


def _flow(rng: random.Random, text: str) -> str:
    try:
        import yaml

        docs = list(yaml.safe_load_all(text))
        return "---\n".join(
            yaml.safe_dump(
                d,
                default_flow_style=True,
                width=rng.choice([20, 80, 10**6]),
                allow_unicode=rng.random() < 0.5,
            )
            for d in docs
        )
    except Exception:
        return text.replace(": ", ": {x: ", 1)


def _block_scalars(rng: random.Random, text: str) -> str:
    indicator = rng.choice(["|", ">", "|-", ">+", "|2", ">1-", "|9", "|+2", "|0", "|10", ">-3"])

    def make(key: str, value: str) -> str:
        indent = " " * (len(key) - len(key.lstrip()) + rng.choice([0, 1, 2, 4]))
        body = value.strip() or "text"
        return f"{key} {indicator}\n{indent}{body}\n{indent}  more\n\n{indent[:-1]}  tail"

    return _edit_value(rng, text, make)


def _doc_markers(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        i = rng.randint(0, len(lines))
        lines.insert(
            i,
            rng.choice(
                [
                    "---",
                    "...",
                    "--- |",
                    "--- >",
                    "---#c",
                    "... #c",
                    "--- !!map",
                    "---\t",
                    "...\t---",
                    "  ---",
                    "--- &a",
                    "--- *a",
                    "--- [a]",
                ]
            ),
        )
    return "\n".join(lines)


def _directives(rng: random.Random, text: str) -> str:
    head = rng.choice(
        [
            "%YAML 1.2\n---\n",
            "%YAML 1.1\n---\n",
            "%YAML 2.0\n---\n",
            "%YAML 1.2\n%YAML 1.2\n---\n",
            "%TAG ! tag:example.com,2000:\n---\n",
            "%TAG !e! tag:e.com:\n---\n",
            "%FOO bar\n---\n",
            "%YAML\n---\n",
            "%TAG !! tag:evil:\n---\n",
            "%\n---\n",
        ]
    )
    if rng.random() < 0.5:
        return head + text
    parts = text.split("\n---\n")
    i = rng.randrange(len(parts))
    parts[i] = head + parts[i]
    return "\n---\n".join(parts)


def _duplicate_keys(rng: random.Random, text: str) -> str:
    def change(lines: list[str], i: int) -> None:
        lines.insert(i + 1, lines[i] if rng.random() < 0.5 else lines[i].split(":")[0] + ": dup")

    return _at_keys(rng, text, change)


def _odd_keys(rng: random.Random, text: str) -> str:
    def make(key: str, value: str) -> str:
        indent = key[: len(key) - len(key.lstrip())]
        if key.lstrip().startswith("- "):
            indent += "- "
        odd = rng.choice(
            [
                "1",
                "0x10",
                "true",
                "yes",
                "null",
                "~",
                "1.5",
                ".inf",
                "''",
                '""',
                "2024-01-01",
                "-",
                "'a: b'",
                '"\\n"',
                "? x",
                "!!int 3",
                "*a",
                "y",
                "n",
            ]
        )
        return f"{indent}{odd}:{value}"

    return _edit_value(rng, text, make)


def _wrong_types(rng: random.Random, text: str) -> str:
    """Values of other types at random paths: parsed, replaced, written back."""
    try:
        import yaml

        docs = list(yaml.safe_load_all(text))
    except Exception:
        return _edit_value(rng, text, lambda k, v: f"{k} {rng.choice(WRONG_VALUES)}")
    replacements: list[Any] = [
        None,
        True,
        False,
        0,
        -1,
        2**70,
        1.5,
        float("nan"),
        "",
        "x" * 300,
        [],
        {},
        [1, "a", None],
        {"a": {"b": [1]}},
        "yes",
        b"\xff\x00",
        "\u2028",
        "a\nb",
        {1: 2, None: 3},
    ]

    def mutate(node: Any, depth: int = 0) -> Any:
        if rng.random() < 0.15 and depth > 0:
            return rng.choice(replacements)
        if isinstance(node, dict):
            return {k: mutate(v, depth + 1) for k, v in node.items()}
        if isinstance(node, list):
            return [mutate(v, depth + 1) for v in node]
        return node

    try:
        return "---\n".join(yaml.safe_dump(mutate(d), allow_unicode=True) for d in docs)
    except Exception:
        return text


def _wrong_values(rng: random.Random, text: str) -> str:
    return _edit_value(rng, text, lambda k, v: f"{k} {rng.choice(WRONG_VALUES)}")


YAML_MUTATORS: dict[str, Callable[[random.Random, str], str]] = {
    "anchors": _anchors,
    "merge-keys": _merge_keys,
    "tags": _tags,
    "complex-keys": _complex_keys,
    "flow": _flow,
    "block-scalars": _block_scalars,
    "doc-markers": _doc_markers,
    "directives": _directives,
    "duplicate-keys": _duplicate_keys,
    "odd-keys": _odd_keys,
    "wrong-types": _wrong_types,
    "wrong-values": _wrong_values,
}

# -- odd options ---------------------------------------------------------------------------

ODD_RULES = [
    "",
    ",",
    ",,KL008",
    "KL",
    "K",
    "kl008",
    "KL999",
    "KA001",
    "unknown-field",
    "🙂",
    "x" * 500,
    "KL0,KL00,KL008",
    "-",
    "--",
    "KL029",
    "internal-error",
    " KL008 ",
    "KL\n08",
]
ODD_VERSIONS = [
    "1.30",
    "1",
    "v1.30",
    "1.99",
    "",
    "1.3O",
    "1.25.0",
    "9" * 50,
    "1.-1",
    "1.24",
    "1.37",
    "1.030",
    "latest",
    "\uff11.\uff13\uff10",
    "1.30\n",
    "-1.30",
]


def odd_options(rng: random.Random) -> tuple[list[str], bool]:
    """Random options, and whether they may be a usage error."""
    args: list[str] = []
    usage = False
    if rng.random() < 0.3:
        args.append("--statistics")
    if rng.random() < 0.3:
        args.append("--show-suppressed")
    if rng.random() < 0.2:
        args += [rng.choice(["--select", "--ignore"]), rng.choice(ODD_RULES)]
        usage = True
    if rng.random() < 0.15:
        args += ["--kubernetes-version", rng.choice(ODD_VERSIONS)]
        usage = True
    if rng.random() < 0.1:
        args += ["--namespace", rng.choice(["", "UPPER", "a" * 300, "ns\n", "-"])]
    if rng.random() < 0.1:
        args += ["--fail-on", rng.choice(["info", "warning", "error"])]
    if rng.random() < 0.1:
        args += ["--max-documents", rng.choice(["1", "2"])]
    if rng.random() < 0.05:
        args += ["--max-file-size", "1"]
    if rng.random() < 0.1:
        args += ["--jobs", "2"]  # worker processes, and big files cut in parts
    if rng.random() < 0.1:
        args.append("--strict-refs")
    if rng.random() < 0.1:
        args.append("--ignore-missing-schemas")
    return args, usage


# -- running kubelint ----------------------------------------------------------------------


@dataclasses.dataclass
class Run:
    """One finished kubelint process."""

    args: list[str]
    code: int | None  # None: killed on timeout
    stdout: bytes
    stderr: bytes
    seconds: float
    max_rss_kb: int


_PRELOADED = False


def preload() -> None:
    """Import what a run uses, so that forked runs start warm."""
    global _PRELOADED
    if _PRELOADED:
        return
    sys.path.insert(0, str(REPO / "src"))
    import importlib

    for name in (
        "kubelint.cli.main",
        "kubelint.run.passes",
        "kubelint.report.fixes",
        "kubelint.report.rewrite",
        "kubelint.report.formats.human",
        "kubelint.report.formats.json_format",
        "kubelint.report.formats.sarif_format",
        "kubelint.report.formats.junit_format",
        "kubelint.report.formats.github_format",
        "kubelint.checks.registry",
        "kubelint.config.config_file",
        "kubelint.schema.store",
        "kubelint.load.sources",
        "kubelint.run.workers",
    ):
        importlib.import_module(name)
    # the rule modules and the schema index: read once here, not in every run
    from kubelint.checks import registry
    from kubelint.schema import store as schema_store

    registry.builtin_rules()
    schema_store.schemas_for(schema_store.latest_version())
    _PRELOADED = True


def run_kubelint(
    args: list[str],
    cwd: Path,
    *,
    stdin: bytes | None = None,
    subprocess_mode: bool = False,
    timeout: float = TIMEOUT,
    unprivileged: bool = False,
    feed: Callable[[], None] | None = None,
) -> Run:
    """Run ``kubelint ARGS`` in ``cwd`` (forked from this process, or as a subprocess)."""
    with tempfile.TemporaryDirectory(prefix="fuzz-io-") as io_dir:
        out_path, err_path, in_path = (Path(io_dir) / n for n in ("out", "err", "in"))
        in_path.write_bytes(stdin or b"")
        out_path.write_bytes(b"")
        err_path.write_bytes(b"")
        started = time.monotonic()
        if subprocess_mode:
            pid = _spawn(args, cwd, in_path, out_path, err_path, unprivileged)
        else:
            preload()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _child(args, cwd, in_path, out_path, err_path, unprivileged)
        feeder = None
        if feed is not None:
            feeder = os.fork()
            if feeder == 0:
                try:
                    feed()
                finally:
                    os._exit(0)
        code, rss = _wait(pid, timeout)
        if feeder is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(feeder, signal.SIGKILL)
            os.waitpid(feeder, 0)
        seconds = time.monotonic() - started
        return Run(args, code, out_path.read_bytes(), err_path.read_bytes(), seconds, rss)


def _limits() -> None:
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _drop_file_powers() -> None:
    """As root, give up the capabilities that ignore file permissions (as ``setpriv
    --bounding-set=-dac_override,-dac_read_search`` does), so that modes bite."""
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [
            ("effective", ctypes.c_uint32),
            ("permitted", ctypes.c_uint32),
            ("inheritable", ctypes.c_uint32),
        ]

    libc = ctypes.CDLL(None, use_errno=True)
    header = Header(0x20080522, 0)
    data = (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    mask = ~((1 << 1) | (1 << 2)) & 0xFFFFFFFF  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
    data[0].effective &= mask
    data[0].permitted &= mask
    data[0].inheritable &= mask
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def _child(
    args: list[str], cwd: Path, stdin: Path, out: Path, err: Path, unprivileged: bool
) -> None:
    try:
        os.setpgid(0, 0)
        _limits()
        fd_in = os.open(stdin, os.O_RDONLY)
        fd_out = os.open(out, os.O_WRONLY | os.O_TRUNC)
        fd_err = os.open(err, os.O_WRONLY | os.O_TRUNC)
        os.dup2(fd_in, 0)
        os.dup2(fd_out, 1)
        os.dup2(fd_err, 2)
        # the streams of a new process on those descriptors (the parent's may be a test
        # runner's capture objects)
        sys.stdin = open(0, closefd=False)  # noqa: SIM115 - the process ends with os._exit
        sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
        if unprivileged and os.geteuid() == 0:
            _drop_file_powers()
        os.chdir(cwd)
        os.environ["KUBELINT_DEBUG"] = "1"
        os.environ["NO_COLOR"] = "1"
        sys.argv = ["kubelint", *args]
        from kubelint.entry import main

        main()
    except BaseException as exc:
        with contextlib.suppress(BaseException):
            sys.stderr.write("FUZZ-CHILD-ESCAPE\n")
            traceback.print_exception(exc)
            sys.stderr.flush()
    finally:
        os._exit(97)


def _spawn(
    args: list[str], cwd: Path, stdin: Path, out: Path, err: Path, unprivileged: bool
) -> int:
    env = {**os.environ, "KUBELINT_DEBUG": "1", "NO_COLOR": "1", "PYTHONPATH": str(REPO / "src")}
    env.pop("PYTHONIOENCODING", None)

    def prepare() -> None:
        os.setpgid(0, 0)
        _limits()
        if unprivileged and os.geteuid() == 0:
            _drop_file_powers()

    with open(stdin, "rb") as fin, open(out, "wb") as fout, open(err, "wb") as ferr:
        process = subprocess.Popen(
            [sys.executable, "-m", "kubelint", *args],
            cwd=cwd,
            stdin=fin,
            stdout=fout,
            stderr=ferr,
            env=env,
            preexec_fn=prepare,
        )
    return process.pid


def _wait(pid: int, timeout: float) -> tuple[int | None, int]:
    deadline = time.monotonic() + timeout
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return _status(status), usage.ru_maxrss
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            return None, usage.ru_maxrss
        time.sleep(0.005)


def _status(status: int) -> int:
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    return -os.WTERMSIG(status)


# -- oracles ---------------------------------------------------------------------------------


class Failure(Exception):
    """An oracle that failed: ``kind`` names the class."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


def yaml_lines(text: str) -> list[str]:
    """Lines as YAML counts them (a final break leaves an empty last line)."""
    return _YAML_BREAK.split(text)


def decode_like_kubectl(data: bytes) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text  # binary: positions are byte-level guesses


_KL029 = re.compile(
    rb"\d: error KL029 internal-error|title=KL029 internal-error"
    rb'|"rule":"KL029"|"ruleId": "KL029"|<error message='
)
_TRACEBACK = re.compile(rb"Traceback \(most recent call last\)|internal error|FUZZ-CHILD-ESCAPE")


def judge_common(run: Run, usage_ok: bool) -> None:
    """Oracles that hold for every run."""
    if run.code is None:
        raise Failure("hang", f"no exit within {TIMEOUT:.0f} s")
    if run.max_rss_kb > RSS_LIMIT_KB:
        raise Failure("memory", f"peak RSS {run.max_rss_kb // 1024} MB")
    match = _TRACEBACK.search(run.stderr) or _TRACEBACK.search(run.stdout)
    if match:
        tail = run.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise Failure("traceback", tail[0][:300])
    if run.code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT) or run.code < 0:
        raise Failure("signal", f"killed by signal {-run.code}")
    if run.code == 3:
        raise Failure("internal-error", run.stdout.decode("utf-8", "replace")[-300:])
    if run.code not in (0, 1, 2):
        raise Failure("exit-code", f"exit {run.code}")
    if run.code == 2 and not usage_ok:
        raise Failure("unexpected-usage-error", run.stderr.decode("utf-8", "replace")[-300:])
    for name, data in (("stdout", run.stdout), ("stderr", run.stderr)):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Failure("not-utf8-output", f"{name}: {exc}") from None
    if _KL029.search(run.stdout):
        raise Failure("internal-error", "KL029 in the output")


def parse_output(fmt: str, data: bytes) -> list[dict[str, Any]]:
    """The findings of an output (json and sarif), after checking that it parses."""
    text = data.decode("utf-8")
    if fmt == "json":
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise Failure("bad-json", str(exc)) from None
        if not isinstance(parsed, dict) or "findings" not in parsed or "summary" not in parsed:
            raise Failure("bad-json", "not {findings, summary}")
        findings: list[dict[str, Any]] = parsed["findings"]
        return findings
    if fmt == "sarif":
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise Failure("bad-sarif", str(exc)) from None
        if parsed.get("version") != "2.1.0" or not parsed.get("runs"):
            raise Failure("bad-sarif", "no version 2.1.0 run")
        return []
    if fmt == "junit":
        try:
            root = ET.fromstring(text)
        except ET.ParseError as exc:
            raise Failure("bad-junit", str(exc)) from None
        if root.tag != "testsuites":
            raise Failure("bad-junit", root.tag)
        return []
    return []


def judge_positions(findings: list[dict[str, Any]], files: dict[str, bytes]) -> None:
    """Every finding's line and column lie inside its file as YAML counts lines."""
    cache: dict[str, list[str] | None] = {}
    for finding in findings:
        path = finding.get("path", "")
        data = files.get(path)
        if data is None:
            continue
        if path not in cache:
            text = decode_like_kubectl(data)
            cache[path] = None if text is None else yaml_lines(text)
        lines = cache[path]
        line, column = finding["line"], finding["column"]
        if lines is None:
            if line != 1 and not (isinstance(line, int) and line >= 1):
                raise Failure("position", f"line {line} in an undecodable file")
            continue
        if not (isinstance(line, int) and 1 <= line <= len(lines)):
            raise Failure("position", f"{finding['rule']} line {line} of {len(lines)} lines")
        width = len(lines[line - 1])
        if not (isinstance(column, int) and 1 <= column <= width + 1):
            raise Failure(
                "position", f"{finding['rule']} line {line} column {column}, line length {width}"
            )
        end_line, end_column = finding.get("end_line"), finding.get("end_column")
        if end_line is not None and not (line <= end_line <= len(lines)):
            raise Failure("position", f"{finding['rule']} end line {end_line} of {len(lines)}")
        if (
            end_line is not None
            and end_column is not None
            and (
                end_column > len(lines[end_line - 1]) + 1
                or (end_line == line and end_column < column)
            )
        ):
            raise Failure(
                "position",
                f"{finding['rule']} end {end_line}:{end_column}, start {line}:{column}",
            )


_HEADER = re.compile(r"^(.*):(\d+):(\d+): (error|warning|info) KL\d+ ")


def judge_excerpts(stdout: bytes, files: dict[str, bytes]) -> None:
    """In human output, a finding on an existing line is followed by that line."""
    out = stdout.decode("utf-8").split("\n")
    counts: dict[str, int | None] = {}
    for i, row in enumerate(out):
        match = _HEADER.match(row)
        if not match or match.group(1) not in files:
            continue
        path = match.group(1)
        if path not in counts:
            text = decode_like_kubectl(files[path])
            counts[path] = None if text is None else len(yaml_lines(text))
        count = counts[path]
        if count is None:
            continue
        line = int(match.group(2))
        if 1 <= line <= count:
            following = out[i + 1] if i + 1 < len(out) else ""
            if not following.startswith(f"{line:>5} | "):
                raise Failure("excerpt", f"no excerpt for line {line}: {following[:80]!r}")


# -- fix oracle --------------------------------------------------------------------------------


def sarif_edits(data: bytes) -> list[tuple[int, int, int]]:
    """(0-based line, start column, end column) of every edit the SARIF log offers."""
    edits = []
    log = json.loads(data.decode("utf-8"))
    for result in log["runs"][0]["results"]:
        for fix in result.get("fixes", []):
            for change in fix["artifactChanges"]:
                for replacement in change["replacements"]:
                    region = replacement["deletedRegion"]
                    edits.append(
                        (
                            region["startLine"] - 1,
                            region["startColumn"] - 1,
                            region["endColumn"] - 1,
                        )
                    )
    return edits


def judge_fix(before: bytes, after: bytes, edits: list[tuple[int, int, int]]) -> None:
    """The fixed file differs from the original only inside edited tokens, line by line."""
    if before == after:
        return
    if before.startswith(b"\xef\xbb\xbf") != after.startswith(b"\xef\xbb\xbf"):
        raise Failure("fix-bom", "the BOM was added or removed")
    old_text, new_text = decode_like_kubectl(before), decode_like_kubectl(after)
    if old_text is None or new_text is None:
        raise Failure("fix-encoding", "a file that is not UTF-8 text was rewritten")
    old_lines = _YAML_BREAK.split(old_text)
    new_lines = _YAML_BREAK.split(new_text)
    if len(old_lines) != len(new_lines):
        raise Failure("fix-lines", f"{len(old_lines)} lines became {len(new_lines)}")
    if _YAML_BREAK.findall(old_text) != _YAML_BREAK.findall(new_text):
        raise Failure("fix-line-breaks", "line breaks changed")
    by_line: dict[int, list[tuple[int, int]]] = {}
    for line, start, end in edits:
        by_line.setdefault(line, []).append((start, end))
    for number, (old, new) in enumerate(zip(old_lines, new_lines, strict=True)):
        if old == new:
            continue
        spans = sorted(by_line.get(number, []))
        if not spans:
            raise Failure("fix-outside-edits", f"line {number + 1} changed without an edit")
        # what lies outside the spans must be kept, in order
        pieces = []
        cursor = 0
        for start, end in spans:
            pieces.append(old[cursor:start])
            cursor = max(cursor, end)
        pieces.append(old[cursor:])
        position = 0
        for piece in pieces:
            found = new.find(piece, position)
            if found < 0 or (position == 0 and piece and found != 0 and pieces[0] == piece):
                raise Failure("fix-outside-edits", f"line {number + 1}: {old!r} -> {new!r}")
            position = found + len(piece)
        if pieces[-1] and not new.endswith(pieces[-1]):
            raise Failure("fix-outside-edits", f"line {number + 1}: {old!r} -> {new!r}")


def new_findings(
    before: list[dict[str, Any]], after: list[dict[str, Any]], path: str
) -> list[dict[str, Any]]:
    """Findings of the fixed file whose line has more of their rule than the original had."""
    counts = Counter((f["rule"], f["line"]) for f in before if f["path"] == path)
    seen: Counter[tuple[str, int]] = Counter()
    added = []
    for finding in after:
        if finding["path"] != path:
            continue
        key = (finding["rule"], finding["line"])
        seen[key] += 1
        if seen[key] > counts[key]:
            added.append(finding)
    return added


# -- filesystem scenarios ------------------------------------------------------------------------


@dataclasses.dataclass
class Scenario:
    """A directory laid out for one input, and how to run kubelint on it."""

    root: Path
    targets: list[str]  # command-line paths, relative to root
    files: dict[str, bytes]  # displayed path -> bytes, for the position oracles
    usage_ok: bool = False  # a usage error (exit 2) is a right answer
    fixable: bool = True  # --fix may run on a copy of it
    unprivileged: bool = False  # run without the power to ignore file modes
    feeds: list[tuple[str, bytes]] = dataclasses.field(default_factory=list)  # FIFOs to write
    name: str = "plain"


ODD_NAMES = [
    "a\nb.yaml",
    "é-ü.yaml",
    "-leading.yaml",
    "--fix.yaml",
    " space .yaml",
    "x.yaml ",
    "ünï\u2028code.yaml",
    "tab\t.yaml",
    'quote".yaml',
    "pct%25.yaml",
    "back\\slash.yaml",
    "colon:comma,.yaml",
    "emoji😀.yaml",
    "x.YAML",
    ".hidden.yaml",
    "\x1b[31m.yaml",
]
GITIGNORES = [
    "*\n!keep.yaml\n",
    "[z-a]\n",
    "a[]b\n",
    "\\\n",
    "**/**/**/**/**/**/**/**/x\n",
    "*a*a*a*a*a*a*a*a*a*a*a*a*b\n",
    "[[:alpha:]\n",
    "[!]-]\n",
    "/\n",
    "!\n",
    "**\n!**/\n",
    "\xff\xfe\n",
    "#\n\\#x\n",
    "a/**/b\n" * 100,
    "[\\\n",
    "*" * 5000 + "\n",
    "x\r\n*.yaml\r\n",
    "\x00\n",
]
CONFIGS = [
    "kubernetes-version: 1.3\n",
    "kubernetes-version: [1]\n",
    "ignore: KL008\n",
    "ignore: [1, null, {}]\n",
    "severity: {KL008: fatal}\n",
    "severity: []\n",
    "options: {capabilities-added: {allowed: 5}}\n",
    "options: []\n",
    "per-file-ignores: {'[z-a]': [KL008]}\n",
    "per-file-ignores: {'**': KL008}\n",
    "fail-on: 3\n",
    "rules: [/nonexistent]\n",
    "crds: [/dev/null]\n",
    "crds: 5\n",
    "max-file-size: -1\n",
    "max-file-size: 1e400\n",
    "max-documents: 99999999999999999999\n",
    "\xff\n",
    "a: [\n",
    "- list\n",
    "",
    "~\n",
    "kubernetes-version: !!binary MQ==\n",
    "per-file-ignores: {'*': [unknown-field]}\nignore: [KL0]\n",
    "&a [*a]\n",
    "unknown-key: 1\n",
    "namespace: {}\n",
    "jobs: 0\n",
    "jobs: 100000\n",
]
PYPROJECTS = [
    "[tool.kubelint]\nkubernetes-version = 1.30\n",
    "[tool.kubelint\n",
    '[tool.kubelint]\nignore = "KL008"\n',
    "[tool.kubelint]\nseverity = 5\n",
    "\xff\xfe[\x00t\x00",
    "[tool]\nkubelint = 5\n",
    '[tool.kubelint]\nfail-on = "x"\n',
    "[tool.kubelint]\nmax-file-size = 1e999\n",
]
KUSTOMIZATIONS = [
    "patches: [1, null, {path: 5}, {path: [x]}, {path: ../../../etc/passwd}]\n",
    "patchesStrategicMerge: [target.yaml, target.yaml, '', /, '\\0']\n",
    "patches: {path: target.yaml}\n",
    "patches: [{path: target.yaml, target: 5}]\n",
    "patchesJson6902: [{path: target.yaml}]\npatches: [{patch: '{'}]\n",
    "resources: [target.yaml]\npatches:\n- path: fifo.yaml\n",
    "- a\n",
    "\xff\n",
    "patches: [{path: 'a\nb.yaml'}]\n",
    "patches: [{path: " + "a/" * 3000 + "}]\n",
]


def build_scenario(rng: random.Random, root: Path, data: bytes, kind: str) -> Scenario:
    """Lay ``data`` out under ``root`` as the scenario ``kind`` asks."""
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    if kind == "plain":
        (root / "input.yaml").write_bytes(data)
        return Scenario(root, ["input.yaml"], {"input.yaml": data}, name=kind)
    if kind == "stdin":
        return Scenario(root, ["-"], {"-": data}, fixable=False, name=kind)
    if kind == "symlink":
        (root / "real").mkdir()
        (root / "real" / "target.yaml").write_bytes(data)
        (root / "link.yaml").symlink_to("real/target.yaml")
        return Scenario(root, ["link.yaml"], {"link.yaml": data}, name=kind)
    if kind == "walk-links":
        (root / "d" / "sub").mkdir(parents=True)
        (root / "other").mkdir()
        (root / "other" / "x.yaml").write_bytes(data)
        (root / "d" / "a.yaml").write_bytes(data)
        (root / "d" / "into-other.yaml").symlink_to("../other/x.yaml")
        (root / "d" / "dangling.yaml").symlink_to("nowhere.yaml")
        (root / "d" / "self.yaml").symlink_to("self.yaml")
        (root / "d" / "sub" / "loop").symlink_to("..")
        (root / "d" / "dirlink").symlink_to("../other")
        os.link(root / "d" / "a.yaml", root / "d" / "hard.yaml")
        files = {
            "d/a.yaml": data,
            "d/into-other.yaml": data,
            "d/hard.yaml": data,
            "d/dirlink/x.yaml": data,
        }
        return Scenario(root, ["d"], files, name=kind)
    if kind == "odd-names":
        (root / "d").mkdir()
        files = {}
        for name in rng.sample(ODD_NAMES, 4):
            (root / "d" / name).write_bytes(data)
            files[f"d/{name}"] = data
        with contextlib.suppress(OSError):
            bad = os.fsencode(str(root / "d")) + b"/bad\xff\xfe.yaml"
            with open(bad, "wb") as handle:
                handle.write(data)
        return Scenario(root, ["d"], files, name=kind)
    if kind == "odd-name-argument":
        name = rng.choice(ODD_NAMES)
        (root / name).write_bytes(data)
        # a leading dash reads as an option: a usage error is right
        return Scenario(root, [name], {name: data}, usage_ok=name.startswith("-"), name=kind)
    if kind == "read-only":
        (root / "d").mkdir()
        (root / "d" / "ro.yaml").write_bytes(data)
        (root / "d" / "unreadable.yaml").write_bytes(data)
        (root / "d" / "locked").mkdir()
        (root / "d" / "locked" / "x.yaml").write_bytes(data)
        os.chmod(root / "d" / "ro.yaml", 0o444)
        os.chmod(root / "d" / "unreadable.yaml", 0o000)
        os.chmod(root / "d" / "locked", 0o000)
        if rng.random() < 0.5:
            os.chmod(root / "d", 0o555)
        return Scenario(root, ["d"], {"d/ro.yaml": data}, unprivileged=True, name=kind)
    if kind == "fifo-walk":
        (root / "d").mkdir()
        (root / "d" / "a.yaml").write_bytes(data)
        os.mkfifo(root / "d" / "pipe.yaml")
        return Scenario(root, ["d"], {"d/a.yaml": data}, name=kind)
    if kind == "fifo-argument":
        os.mkfifo(root / "pipe.yaml")
        return Scenario(
            root,
            ["pipe.yaml"],
            {"pipe.yaml": data},
            fixable=False,
            feeds=[("pipe.yaml", data)],
            name=kind,
        )
    if kind == "gitignore":
        (root / ".git").mkdir()
        text = "".join(rng.sample(GITIGNORES, 3))
        (root / ".gitignore").write_bytes(text.encode("utf-8", "surrogateescape"))
        (root / "sub").mkdir()
        (root / "sub" / ".gitignore").write_bytes(rng.choice(GITIGNORES).encode("utf-8"))
        (root / "sub" / "x.yaml").write_bytes(data)
        (root / "keep.yaml").write_bytes(data)
        return Scenario(root, ["."], {"./sub/x.yaml": data, "./keep.yaml": data}, name=kind)
    if kind == "config":
        (root / "input.yaml").write_bytes(data)
        if rng.random() < 0.7:
            text = rng.choice(CONFIGS)
            (root / ".kubelint.yaml").write_bytes(text.encode("utf-8", "surrogateescape"))
        else:
            text = rng.choice(PYPROJECTS)
            (root / "pyproject.toml").write_bytes(text.encode("utf-8", "surrogateescape"))
        return Scenario(root, ["input.yaml"], {"input.yaml": data}, usage_ok=True, name=kind)
    if kind == "kustomize":
        (root / "target.yaml").write_bytes(data)
        (root / "kustomization.yaml").write_bytes(
            rng.choice(KUSTOMIZATIONS).encode("utf-8", "surrogateescape")
        )
        return Scenario(root, ["."], {"./target.yaml": data}, name=kind)
    raise ValueError(kind)


FS_KINDS = [
    "symlink",
    "walk-links",
    "odd-names",
    "odd-name-argument",
    "read-only",
    "fifo-walk",
    "fifo-argument",
    "gitignore",
    "config",
    "kustomize",
    "stdin",
]


def _feeder(root: Path, feeds: list[tuple[str, bytes]]) -> Callable[[], None] | None:
    """Write each FIFO's data once a reader opens it (the reader may never come)."""
    if not feeds:
        return None

    def feed() -> None:
        for name, data in feeds:
            deadline = time.monotonic() + 10
            fd = -1
            while time.monotonic() < deadline:
                try:
                    fd = os.open(root / name, os.O_WRONLY | os.O_NONBLOCK)
                    break
                except OSError:  # no reader yet
                    time.sleep(0.01)
            if fd < 0:
                continue
            os.set_blocking(fd, True)
            with contextlib.suppress(OSError):
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            os.close(fd)

    return feed


# -- one input ------------------------------------------------------------------------------------


@dataclasses.dataclass
class Outcome:
    label: str
    failure: Failure | None
    run: Run | None


def check_input(
    rng: random.Random, scenario: Scenario, subprocess_mode: bool, with_fix: bool
) -> Iterator[Outcome]:
    """Run one laid-out input through check (every format), --diff and --fix."""
    stdin = scenario.files.get("-") if scenario.targets == ["-"] else None
    fmts = list(FORMATS)
    rng.shuffle(fmts)
    for fmt in fmts:
        extra, odd = odd_options(rng)
        args = ["check", "-o", fmt, *extra, *scenario.targets]
        run = run_kubelint(
            args,
            scenario.root,
            stdin=stdin,
            subprocess_mode=subprocess_mode,
            unprivileged=scenario.unprivileged,
            feed=_feeder(scenario.root, scenario.feeds),
        )
        try:
            judge_common(run, scenario.usage_ok or odd)
            if run.code != 2:
                findings = parse_output(fmt, run.stdout)
                judge_positions(findings, scenario.files)
                if fmt == "human":
                    judge_excerpts(run.stdout, scenario.files)
            failure = None
        except Failure as exc:
            failure = exc
        yield Outcome(f"check -o {fmt}", failure, run)
    if not with_fix or not scenario.fixable:
        return
    yield from _fix_runs(scenario, subprocess_mode)


def _snapshot(root: Path) -> dict[str, tuple[int, bytes | str]]:
    """Every entry under root: its mode and content (or link target)."""
    state: dict[str, tuple[int, bytes | str]] = {}
    for here, dirs, names in os.walk(root):
        for name in [*dirs, *names]:
            path = os.path.join(here, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                state[path] = (info.st_mode, os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                try:
                    with open(path, "rb") as handle:
                        state[path] = (info.st_mode, handle.read())
                except OSError:
                    state[path] = (info.st_mode, "unreadable")
            else:
                state[path] = (info.st_mode, "")
    return state


def _fix_runs(scenario: Scenario, subprocess_mode: bool) -> Iterator[Outcome]:
    before = _snapshot(scenario.root)
    diff = run_kubelint(
        ["check", "--diff", *scenario.targets],
        scenario.root,
        subprocess_mode=subprocess_mode,
        unprivileged=scenario.unprivileged,
    )
    try:
        judge_common(diff, scenario.usage_ok)
        if _snapshot(scenario.root) != before:
            raise Failure("diff-wrote", "--diff changed the files")
        failure = None
    except Failure as exc:
        failure = exc
    yield Outcome("check --diff", failure, diff)
    sarif = run_kubelint(
        ["check", "-o", "sarif", *scenario.targets],
        scenario.root,
        subprocess_mode=subprocess_mode,
        unprivileged=scenario.unprivileged,
    )
    original = run_kubelint(
        ["check", "-o", "json", *scenario.targets],
        scenario.root,
        subprocess_mode=subprocess_mode,
        unprivileged=scenario.unprivileged,
    )
    fixed = run_kubelint(
        ["check", "--fix", "-o", "json", *scenario.targets],
        scenario.root,
        subprocess_mode=subprocess_mode,
        unprivileged=scenario.unprivileged,
    )
    try:
        judge_common(fixed, scenario.usage_ok or scenario.unprivileged)
        if original.code == 2 or fixed.code == 2 or sarif.code == 2:
            yield Outcome("check --fix", None, fixed)
            return
        after = _snapshot(scenario.root)
        edits = sarif_edits(sarif.stdout)
        for path, (mode, content) in before.items():
            now = after.get(path)
            if now is None:
                raise Failure("fix-lost-file", path)
            if stat.S_IFMT(now[0]) != stat.S_IFMT(mode) or stat.S_IMODE(now[0]) != stat.S_IMODE(
                mode
            ):
                raise Failure("fix-mode", f"{path}: {oct(mode)} -> {oct(now[0])}")
            if isinstance(content, str) or isinstance(now[1], str):
                if content != now[1]:
                    raise Failure("fix-link", f"{path}: {content!r} -> {now[1]!r}")
                continue
            judge_fix(content, now[1], edits)
        if set(after) - set(before):
            raise Failure("fix-left-files", ", ".join(sorted(set(after) - set(before)))[:300])
        rechecked = run_kubelint(
            ["check", "-o", "json", *scenario.targets],
            scenario.root,
            subprocess_mode=subprocess_mode,
            unprivileged=scenario.unprivileged,
        )
        judge_common(rechecked, scenario.usage_ok)
        old = parse_output("json", original.stdout)
        new = parse_output("json", rechecked.stdout)
        for path in scenario.files:
            added = new_findings(old, new, path)
            if added:
                first = added[0]
                raise Failure(
                    "fix-new-finding",
                    f"{first['rule']} line {first['line']}: {first['message']}"[:300],
                )
        failure = None
    except Failure as exc:
        failure = exc
    yield Outcome("check --fix", failure, fixed)


# -- language server ----------------------------------------------------------------------------


class LspSession:
    """A ``kubelint lsp`` subprocess spoken to without threads (select on its output)."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kubelint", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            env=env,
            preexec_fn=_limits,
        )
        assert self.process.stdout is not None
        self.fd = self.process.stdout.fileno()
        os.set_blocking(self.fd, False)
        self.buffer = bytearray()
        self.root: str | None = None  # the workspace folder's URI
        self.next_id = 1

    def send_raw(self, data: bytes) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(data)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise Failure("lsp-died", f"writing: {exc}") from None

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _message(self, deadline: float) -> dict[str, Any]:
        length: int | None = None
        while True:
            if length is None:
                end = self.buffer.find(b"\r\n\r\n")
                if end >= 0:
                    head = bytes(self.buffer[:end])
                    del self.buffer[: end + 4]
                    for line in head.split(b"\r\n"):
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value)
                    if length is None:
                        raise Failure("lsp-bad-frame", f"header without length: {head[:200]!r}")
            if length is not None and len(self.buffer) >= length:
                body = bytes(self.buffer[:length])
                del self.buffer[:length]
                try:
                    parsed: dict[str, Any] = json.loads(body)
                except ValueError as exc:
                    raise Failure("lsp-bad-frame", str(exc)) from None
                return parsed
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if length is not None:  # keep the frame whole for the next call
                    raise Failure("lsp-no-answer", "a message arrived only in part")
                raise TimeoutError
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                chunk = os.read(self.fd, 1 << 20)
                if not chunk:
                    raise Failure("lsp-died", f"output closed, status {self.process.poll()}")
                self.buffer += chunk

    def request(
        self, method: str, params: Any, timeout: float = 30.0, *, notes: list[dict[str, Any]]
    ) -> dict[str, Any]:
        msg_id = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return self.answer(msg_id, timeout, notes=notes)

    def answer(
        self, msg_id: Any, timeout: float = 30.0, *, notes: list[dict[str, Any]]
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = self._message(deadline)
            except TimeoutError:
                raise Failure(
                    "lsp-no-answer", f"no answer to {msg_id} within {timeout:.0f} s"
                ) from None
            if "method" in message:
                notes.append(message)
                if "id" in message:  # a request of the server's: answer null
                    self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                continue
            if message.get("id") == msg_id:
                return message

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self.log.close()


def _lsp_lines(text: str) -> list[str]:
    """Lines as the protocol counts them: \\n, \\r\\n and \\r only."""
    return re.split("\r\n|\r|\n", text)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _random_position(rng: random.Random, lines: list[str]) -> dict[str, int]:
    roll = rng.random()
    if roll < 0.1:
        return {
            "line": rng.choice([len(lines), len(lines) + 5, 2**31 - 1, 0]),
            "character": rng.choice([0, 10**6, 2**31 - 1]),
        }
    line = rng.randrange(len(lines))
    width = _utf16_len(lines[line])
    char = rng.randint(0, width + (3 if roll < 0.2 else 0))
    return {"line": line, "character": char}


def _judge_diagnostics(notes: list[dict[str, Any]], uri: str, history: dict[int, str]) -> None:
    """Diagnostics lie inside the version of the document they were computed for."""
    for note in notes:
        if note.get("method") != "textDocument/publishDiagnostics":
            continue
        params = note.get("params", {})
        if params.get("uri") != uri:
            continue
        version = params.get("version")
        if version in history:
            text = history[version]
        elif version is None and len(history) == 1:
            text = next(iter(history.values()))
        else:
            continue  # which text it speaks of is unknown
        lines = _lsp_lines(text)
        for diagnostic in params.get("diagnostics", []):
            for end in ("start", "end"):
                pos = diagnostic["range"][end]
                if not 0 <= pos["line"] < len(lines):
                    raise Failure(
                        "lsp-diagnostic-range", f"{end} line {pos['line']} of {len(lines)}"
                    )
                if not 0 <= pos["character"] <= _utf16_len(lines[pos["line"]]):
                    raise Failure(
                        "lsp-diagnostic-range",
                        f"{end} character {pos['character']} of {_utf16_len(lines[pos['line']])}",
                    )


def lsp_input(rng: random.Random, session: LspSession, text: str, index: int) -> list[str]:
    """Open ``text`` in the server, edit it, ask at random places; returns what was done."""
    notes: list[dict[str, Any]] = []
    root = session.root
    in_root = [f"{root}/doc{index}.yaml", f"{root}/d/a.yaml"] if root else []
    uri = rng.choice(
        [
            *in_root,
            f"file:///fuzz/doc{index}.yaml",
            f"untitled:Untitled-{index}",
            f"file:///fuzz/d%20{index}/x.yaml",
            f"file:///fuzz/%C3%A9{index}.yml",
            f"file:///fuzz/%FF{index}.yaml",
            f"file:///fuzz/a%0Ab{index}.yaml",
        ]
    )
    texts = {uri: text}
    history = {1: text}
    done = [f"open {uri}"]
    session.send(
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {
                "textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
            },
        }
    )
    version = 1
    for _ in range(rng.randint(3, 10)):
        roll = rng.random()
        lines = _lsp_lines(texts[uri])
        if roll < 0.3:
            version += 1
            start, end = _random_position(rng, lines), _random_position(rng, lines)
            if (start["line"], start["character"]) > (end["line"], end["character"]):
                start, end = end, start
            new = rng.choice(
                [
                    "",
                    "x",
                    ": ",
                    "\n",
                    "\r\n",
                    "\u2028",
                    "---\n",
                    "  - a\n",
                    "😀",
                    "{",
                    "kind: Jon\n",
                    "\t",
                    "&a *a",
                    "\x00",
                ]
            )
            change: dict[str, Any] = {"text": new}
            if rng.random() < 0.9:
                change["range"] = {"start": start, "end": end}
            else:
                texts[uri] = new
            session.send(
                {
                    "jsonrpc": "2.0",
                    "method": "textDocument/didChange",
                    "params": {
                        "textDocument": {"uri": uri, "version": version},
                        "contentChanges": [change],
                    },
                }
            )
            if "range" in change:
                texts[uri] = _apply_change(texts[uri], start, end, new)
            history[version] = texts[uri]
            done.append(f"change {start}-{end} {new!r}")
            continue
        target = (
            uri
            if rng.random() < 0.85
            else rng.choice(
                [
                    "file:///never-opened.yaml",
                    "bogus",
                    "",
                    "file:///fuzz/%zz.yaml",
                    "http://x/y.yaml",
                ]
            )
        )
        position = _random_position(rng, lines)
        method = rng.choice(
            ["textDocument/hover", "textDocument/completion", "textDocument/codeAction"]
        )
        params: dict[str, Any] = {"textDocument": {"uri": target}, "position": position}
        if method == "textDocument/codeAction":
            params = {
                "textDocument": {"uri": target},
                "range": {"start": position, "end": _random_position(rng, lines)},
                "context": {"diagnostics": []},
            }
        done.append(f"{method} {target} {position}")
        answer = session.request(method, params, notes=notes)
        error = answer.get("error")
        if error and error.get("code") == -32603:
            raise Failure("lsp-internal-error", f"{method}: {error.get('message', '')[:200]}")
    if rng.random() < 0.3:  # a malformed frame, then the server must still answer
        junk = rng.choice(
            [
                b"Content-Length: 5\r\n\r\n{bad}",
                b"Content-Length: 2\r\n\r\n[]",
                b"Content-Length: 3\r\n\r\nnul",
                b"garbage\r\n\r\n",
                b'Content-Length: 100\r\n\r\n{"jsonrpc": "2.0", "method": "x"}',
                b"Content-Length: -1\r\n\r\n",
                b"Content-Length: 99999999999999\r\n\r\n",
            ]
        )
        if b"99999999999999" in junk or b"-1" in junk:
            junk = b'Content-Length: 12\r\n\r\n{"a": [1,2]}'
        session.send_raw(junk)
        done.append(f"junk {junk!r}")
        for attempt in range(3):  # a wrong length may swallow the first message after it
            try:
                session.request(
                    "textDocument/hover",
                    {
                        "textDocument": {"uri": "file:///never-opened.yaml"},
                        "position": {"line": 0, "character": 0},
                    },
                    timeout=10,
                    notes=notes,
                )
                break
            except Failure as exc:
                if exc.kind != "lsp-no-answer" or attempt == 2:
                    raise Failure("lsp-desync", f"no answer after {junk!r}") from None
    # let diagnostics arrive, then judge them
    with contextlib.suppress(Failure):
        session.request(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}},
            notes=notes,
        )
    _judge_diagnostics(notes, uri, history)
    session.send(
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didClose",
            "params": {"textDocument": {"uri": uri}},
        }
    )
    return done


def _offset(text: str, position: dict[str, int]) -> int:
    """The offset of a protocol position, clamped as editors and the server do."""
    starts = [0] + [m.end() for m in re.finditer("\r\n|\r|\n", text)]
    line = position["line"]
    if line >= len(starts):
        return len(text)
    start = starts[line]
    end = starts[line + 1] if line + 1 < len(starts) else len(text)
    body = text[start:end].rstrip("\r\n")
    units = 0
    for i, char in enumerate(body):
        if units >= position["character"]:
            return start + i
        units += 2 if ord(char) > 0xFFFF else 1
    return start + len(body)


def _apply_change(text: str, start: dict[str, int], end: dict[str, int], new: str) -> str:
    a, b = _offset(text, start), _offset(text, end)
    return text[:a] + new + text[max(a, b) :]


def _lsp_log_failure(log_path: Path) -> Failure | None:
    data = log_path.read_bytes()
    if b"Traceback" in data:
        return Failure("lsp-traceback", data.decode("utf-8", "replace")[-300:])
    return None


# -- the campaign ------------------------------------------------------------------------------


@dataclasses.dataclass
class Stats:
    inputs: Counter[str] = dataclasses.field(default_factory=Counter)
    runs: Counter[str] = dataclasses.field(default_factory=Counter)
    failures: dict[str, list[str]] = dataclasses.field(default_factory=dict)


def _save(
    out: Path,
    failure: Failure,
    label: str,
    scenario: Scenario | None,
    run: Run | None,
    data: bytes,
    note: str,
    stats: Stats,
) -> None:
    kind_dir = out / failure.kind
    kind_dir.mkdir(parents=True, exist_ok=True)
    number = len(list(kind_dir.iterdir()))
    if number >= 20:  # enough examples of one class
        stats.failures.setdefault(failure.kind, []).append(failure.detail)
        return
    case = kind_dir / f"{number:03d}"
    case.mkdir()
    (case / "input.bin").write_bytes(data)
    lines = [f"oracle: {failure.kind}: {failure.detail}", f"run: {label}", f"input: {note}"]
    if scenario is not None:
        lines.append(f"scenario: {scenario.name} targets={scenario.targets!r}")
    if run is not None:
        lines.append(f"args: {run.args!r}")
        lines.append(
            f"exit: {run.code}  seconds: {run.seconds:.1f}  rss: {run.max_rss_kb // 1024} MB"
        )
        (case / "stdout").write_bytes(run.stdout[-200_000:])
        (case / "stderr").write_bytes(run.stderr[-200_000:])
    (case / "README").write_text(
        "\n".join(lines) + "\n", encoding="utf-8", errors="backslashreplace"
    )
    stats.failures.setdefault(failure.kind, []).append(failure.detail)


def mutate(rng: random.Random, pool: list[Path], kind: str) -> tuple[bytes, str]:
    """A mutated input and a note of how it was made."""
    seed = rng.choice(pool)
    data = seed.read_bytes()
    notes = [str(seed.relative_to(seed.parents[1]) if len(seed.parents) > 1 else seed)]
    if kind in ("bytes", "fs", "lsp") and rng.random() < (1.0 if kind == "bytes" else 0.5):
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            name = rng.choice(list(BYTE_MUTATORS))
            if name == "many-documents" and rng.random() < 0.5:
                other = rng.choice(pool).read_bytes()
                data = _splice(rng, data, other)
                notes.append("splice")
                continue
            data = BYTE_MUTATORS[name](rng, data)
            notes.append(name)
    else:
        text = data.decode("utf-8", "replace")
        for _ in range(rng.choice([1, 1, 2, 3])):
            name = rng.choice(list(YAML_MUTATORS))
            text = YAML_MUTATORS[name](rng, text)
            notes.append(name)
        data = text.encode("utf-8", "surrogatepass")
    return data, " + ".join(notes)


def campaign(
    seed: int,
    count: int,
    out: Path,
    kinds: tuple[str, ...] = ("bytes", "yaml", "fs"),
    *,
    subprocess_mode: bool = False,
    lsp_every: int = 10,
    fix_every: int = 2,
    pool: list[Path] | None = None,
    verbose: bool = False,
    max_bytes: int | None = None,
) -> Stats:
    """Run ``count`` inputs; failing ones are kept under ``out``."""
    rng = random.Random(seed)
    pool = pool if pool is not None else seeds()
    if not pool:
        raise SystemExit("no seed manifests found")
    out.mkdir(parents=True, exist_ok=True)
    stats = Stats()
    work = Path(tempfile.mkdtemp(prefix="fuzz-work-"))
    os.chmod(work, 0o755)
    session: LspSession | None = None
    checked_kinds = [k for k in kinds if k != "lsp"]
    try:
        for number in range(count):
            kind = rng.choice(checked_kinds) if checked_kinds else "lsp"
            data, note = mutate(rng, pool, kind)
            if max_bytes is not None:
                data = data[:max_bytes]
            stats.inputs[kind] += 1
            root = work / f"case{number}"
            scenario_kind = (
                rng.choice(FS_KINDS)
                if kind == "fs"
                else rng.choice(["plain"] * 8 + ["stdin", "symlink"])
            )
            try:
                scenario = build_scenario(rng, root, data, scenario_kind)
            except OSError as exc:
                if verbose:
                    print(f"[{number}] scenario {scenario_kind} not built: {exc}", flush=True)
                continue
            stats.inputs[f"scenario:{scenario_kind}"] += 1
            with_fix = number % fix_every == 0
            for outcome in check_input(rng, scenario, subprocess_mode, with_fix):
                stats.runs[outcome.label.split(" -o")[0]] += 1
                if outcome.failure is not None:
                    _save(
                        out,
                        outcome.failure,
                        outcome.label,
                        scenario,
                        outcome.run,
                        data,
                        note,
                        stats,
                    )
                    if verbose:
                        print(
                            f"[{number}] FAIL {outcome.failure} ({note}; {scenario_kind})",
                            flush=True,
                        )
            if "lsp" in kinds and number % lsp_every == 0:
                if session is not None and stats.inputs["lsp-documents"] % 40 == 39:
                    session = _end_lsp(session, stats, out)  # a new one, maybe a new folder
                if session is None:
                    session = _start_lsp(rng, work, stats, out, data, note)
                if session is not None:
                    session = _lsp_step(rng, session, data, number, stats, out, note, work)
            _remove(root)
            if verbose and number % 25 == 0:
                counts = {k: len(v) for k, v in stats.failures.items()}
                print(f"[{number}] {dict(stats.inputs)} failures={counts}", flush=True)
    finally:
        if session is not None:
            _end_lsp(session, stats, out)
        _remove(work)
    return stats


def _end_lsp(session: LspSession, stats: Stats, out: Path) -> None:
    """Stop a session; a traceback in its log is a failure."""
    session.stop()
    failure = _lsp_log_failure(session.log_path)
    if failure is not None:
        _save(out, failure, "lsp log", None, None, b"", "", stats)


def _start_lsp(
    rng: random.Random, work: Path, stats: Stats, out: Path, data: bytes, note: str
) -> LspSession | None:
    session = LspSession(work / f"lsp-{time.monotonic_ns()}.log")
    notes: list[dict[str, Any]] = []
    root = None
    if rng.random() < 0.7:  # a workspace folder laid out with hostile files, to be indexed
        folder = work / f"workspace-{time.monotonic_ns()}"
        kinds = ["walk-links", "odd-names", "fifo-walk", "gitignore", "kustomize", "config"]
        kind = rng.choice(kinds)
        with contextlib.suppress(OSError):
            build_scenario(rng, folder, data, kind)
            root = folder.as_uri()
            stats.inputs[f"lsp-workspace:{kind}"] += 1
    session.root = root
    try:
        session.request(
            "initialize",
            {"processId": None, "rootUri": root, "capabilities": {}},
            timeout=60,
            notes=notes,
        )
        session.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    except Failure as exc:
        _save(out, exc, "lsp initialize", None, None, data, note, stats)
        session.stop()
        return None
    return session


def _lsp_step(
    rng: random.Random,
    session: LspSession,
    data: bytes,
    number: int,
    stats: Stats,
    out: Path,
    note: str,
    work: Path,
) -> LspSession | None:
    text = data.decode("utf-8", "replace")
    stats.inputs["lsp-documents"] += 1
    try:
        done = lsp_input(rng, session, text, number)
        stats.runs["lsp requests"] += sum(1 for d in done if d.startswith("textDocument/"))
        failure = _lsp_log_failure(session.log_path)
        if failure is not None:
            raise failure
        return session
    except Failure as exc:
        _save(out, exc, "lsp", None, None, data, note + f"; lsp steps in {exc.kind}", stats)
        log = session.log_path
        session.stop()
        kind_dir = out / exc.kind
        with contextlib.suppress(OSError):
            latest = sorted(kind_dir.iterdir())[-1]
            shutil.copy(log, latest / "server.log")
        return None


def _remove(path: Path) -> None:
    """Remove a scenario, whatever modes it was left with."""
    if not (path.exists() or path.is_symlink()):
        return
    for here, dirs, _ in os.walk(path):
        for name in dirs:
            full = os.path.join(here, name)
            if not os.path.islink(full):
                with contextlib.suppress(OSError):
                    os.chmod(full, 0o755)
    shutil.rmtree(path, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"))
    parser.add_argument(
        "--kinds", default="bytes,yaml,fs,lsp", help="comma-separated: " + ",".join(KINDS)
    )
    parser.add_argument(
        "--lsp-every", type=int, default=10, help="an LSP session step every N inputs"
    )
    parser.add_argument("--fix-every", type=int, default=2, help="--diff/--fix every N inputs")
    parser.add_argument("--subprocess", action="store_true", help="run the real command, not forks")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    kinds = tuple(k for k in args.kinds.split(",") if k)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown kinds: {', '.join(sorted(unknown))}")
    started = time.monotonic()
    stats = campaign(
        args.seed,
        args.count,
        args.out,
        kinds,
        subprocess_mode=args.subprocess,
        lsp_every=args.lsp_every,
        fix_every=args.fix_every,
        verbose=args.verbose,
    )
    print(f"{args.count} inputs in {time.monotonic() - started:.0f} s: {dict(stats.inputs)}")
    print(f"runs: {dict(stats.runs)}")
    for kind, details in sorted(stats.failures.items()):
        print(f"FAIL {kind}: {len(details)}  e.g. {details[0][:200]}")
    if not stats.failures:
        print("no failures")
    digest = hashlib.sha256(json.dumps(sorted(stats.failures)).encode()).hexdigest()[:12]
    print(f"failure classes digest {digest}; inputs kept under {args.out}")
    return 1 if stats.failures else 0


if __name__ == "__main__":
    sys.exit(main())
