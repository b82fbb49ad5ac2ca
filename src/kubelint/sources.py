"""Which files a run reads: arguments, directory walks, .gitignore, kustomize patches."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import NamedTuple

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
STDIN = "-"


class SourceFile(NamedTuple):
    """A file to check: the path as shown to the user, and where to read it."""

    display: str
    location: str  # a filesystem path, or "-" for standard input
    partial: bool = False  # a kustomize patch: a fragment of an object


class UsageError(Exception):
    """A command-line input that cannot be used (exit code 2)."""


class _IgnoreRule(NamedTuple):
    regex: re.Pattern[str]
    negate: bool
    dir_only: bool


def _glob_to_regex(pattern: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        elif char == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


@functools.cache
def _read_ignore_file(path: str) -> tuple[_IgnoreRule, ...]:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    rules: list[_IgnoreRule] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        if negate:
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        body = _glob_to_regex(line.lstrip("/"))
        regex = re.compile(("" if anchored else "(?:.*/)?") + body + r"\Z")
        rules.append(_IgnoreRule(regex, negate, dir_only))
    return tuple(rules)


class GitIgnore:
    """The .gitignore files that apply below a directory (nested ones included)."""

    def __init__(self, start: Path) -> None:
        self._layers: list[tuple[str, tuple[_IgnoreRule, ...]]] = []
        root = start.resolve()
        chain = [root, *root.parents]
        for directory in chain:
            if (directory / ".gitignore").is_file():
                self._layers.append(
                    (str(directory), _read_ignore_file(str(directory / ".gitignore")))
                )
            if (directory / ".git").exists():
                break
        self._layers.reverse()

    def child(self, directory: str) -> GitIgnore:
        """The rules for a subdirectory, given resolved (adds its own .gitignore)."""
        ignore_file = os.path.join(directory, ".gitignore")
        if not os.path.isfile(ignore_file):
            return self
        clone = GitIgnore.__new__(GitIgnore)
        clone._layers = [*self._layers, (directory, _read_ignore_file(ignore_file))]
        return clone

    def ignores(self, resolved: str, is_dir: bool) -> bool:
        """Whether git would ignore the resolved path ``resolved``."""
        verdict = False
        for base, rules in self._layers:
            if resolved.startswith(base.rstrip("/") + "/"):
                relative = resolved[len(base.rstrip("/")) + 1 :]
            elif resolved == base:
                relative = "."
            else:
                continue
            for rule in rules:
                if rule.dir_only and not is_dir:
                    continue
                if rule.regex.match(relative):
                    verdict = not rule.negate
        return verdict


def _walk(
    directory: Path, display: str, ignore: GitIgnore, resolved: str | None = None
) -> list[tuple[str, Path, str]]:
    """(shown, path, resolved path) of the manifest files below ``directory``."""
    found: list[tuple[str, Path, str]] = []
    here = resolved if resolved is not None else str(directory.resolve())
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if entry.name == ".git":
            continue
        shown = f"{display.rstrip('/')}/{entry.name}" if display else entry.name
        real = (
            os.path.realpath(entry.path) if entry.is_symlink() else os.path.join(here, entry.name)
        )
        is_dir = entry.is_dir()
        if ignore.ignores(real, is_dir):
            continue
        if is_dir:
            found.extend(_walk(Path(entry.path), shown, ignore.child(real), real))
        elif entry.name.endswith(MANIFEST_SUFFIXES) and entry.is_file():
            found.append((shown, Path(entry.path), real))
    return found


@functools.cache
def _kustomize_patches(directory: str) -> frozenset[str]:
    """Absolute paths of the files a directory's kustomization lists as patches."""
    from kubelint.loader import decode, load_text

    for name in KUSTOMIZATION_NAMES:
        candidate = Path(directory) / name
        if not candidate.is_file():
            continue
        text, problem = decode(candidate.read_bytes())
        if text is None or problem is not None:
            return frozenset()
        patches: set[str] = set()
        for document in load_text(text).documents:
            value = document.value
            if not isinstance(value, dict):
                continue
            entries: list[object] = []
            for key in ("patchesStrategicMerge", "patches", "patchesJson6902"):
                listed = value.get(key)
                if isinstance(listed, list):
                    entries.extend(listed)
            for entry in entries:
                target = entry.get("path") if isinstance(entry, dict) else entry
                if isinstance(target, str) and "\n" not in target:
                    patches.add(str((Path(directory) / target).resolve()))
        return frozenset(patches)
    return frozenset()


def collect(paths: list[str]) -> list[SourceFile]:
    """The files to check for the command-line ``paths``, in a deterministic order."""
    files: list[SourceFile] = []
    seen: set[str] = set()
    for argument in paths:
        if argument == STDIN:
            files.append(SourceFile(STDIN, STDIN))
            continue
        path = Path(argument)
        if path.is_dir():
            walked = _walk(path, argument.rstrip("/") or "/", GitIgnore(path))
        elif path.is_file():
            walked = [(argument, path, str(path.resolve()))]
        else:
            raise UsageError(f"{argument}: no such file or directory")
        for shown, where, key in walked:
            if key in seen:
                continue
            seen.add(key)
            partial = key in _kustomize_patches(os.path.dirname(key))
            files.append(SourceFile(shown, str(where), partial))
    return files
