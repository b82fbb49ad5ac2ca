"""Configuration: ``.kubelint.yaml`` (or ``[tool.kubelint]`` in pyproject.toml), validated.

Found upward from the first checked path. Keys are kebab-case; an unknown key is a usage
error that names the nearest valid one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from kubelint.load.files import read_file
from kubelint.load.sources import shown_path
from kubelint.schema.suggest import closest

CONFIG_NAMES = (".kubelint.yaml", ".kubelint.yml")


class ConfigError(Exception):
    """A configuration file that cannot be used (exit code 2)."""


Level = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Config:
    """Every configuration key (kebab-case in files), with its default."""

    __pydantic_config__ = {"extra": "forbid"}  # noqa: RUF012 - read by pydantic, never mutated

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Level] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    kubernetes_version: str | None = None
    fail_on: Level = "error"
    namespace: str = "default"
    crds: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    strict_refs: bool = False
    ignore_missing_schemas: bool = False
    max_file_size: int | None = None  # MB; None: the engine's default
    max_documents: int | None = None


def _keys() -> list[str]:
    return sorted(f.name.replace("_", "-") for f in fields(Config))


def parse(data: Any, source: str) -> Config:
    """Validate a configuration mapping; errors name the key and the nearest valid one."""
    if data is None:
        return Config()
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the configuration must be a mapping of keys")
    for key in data:
        if key not in _keys():
            guess = closest(str(key), _keys())
            hint = f'; did you mean "{guess}"?' if guess else f" (valid keys: {', '.join(_keys())})"
            raise ConfigError(f'{source}: unknown key "{key}"{hint}')
    values = {str(k).replace("-", "_"): v for k, v in data.items()}
    if isinstance(values.get("kubernetes_version"), int | float):
        values["kubernetes_version"] = str(values["kubernetes_version"])
    from pydantic import TypeAdapter, ValidationError  # only when there is a file to check

    try:
        return TypeAdapter(Config).validate_python(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p).replace("_", "-") for p in error["loc"])
        raise ConfigError(f"{source}: {where}: {error['msg']}") from exc


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start``; never raises.

    A folder that cannot be examined holds no configuration. A ``pyproject.toml`` that
    cannot be read, decoded or parsed while it may configure kubelint is returned all
    the same: :func:`load` then says what is wrong with it.
    """
    try:
        directory = start if os.path.isdir(start) else start.parent
        resolved = Path(os.path.realpath(directory))
    except (OSError, ValueError):
        return None
    for folder in (resolved, *resolved.parents):
        for name in CONFIG_NAMES:
            if os.path.isfile(folder / name):
                return folder / name
        pyproject = folder / "pyproject.toml"
        if os.path.isfile(pyproject) and _may_configure(pyproject):
            return pyproject
    return None


def _text(path: Path, data: bytes) -> str:
    """A TOML file's text: UTF-8, as TOML requires."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "TOML files must be UTF-8"
        ) from exc


def _tool_table(path: Path, text: str) -> Any:
    """``[tool.kubelint]`` of a pyproject.toml's text (None when absent)."""
    import tomllib

    try:
        tool = tomllib.loads(text).get("tool")
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    return tool.get("kubelint") if isinstance(tool, dict) else None


def _may_configure(path: Path) -> bool:
    """Whether a pyproject.toml configures kubelint, or cannot be read well enough to tell."""
    try:
        text = _text(path, read_file(str(path)))
        if "kubelint" not in text:  # most projects' pyproject.toml: no TOML parse needed
            return False
        return _tool_table(path, text) is not None
    except (OSError, ConfigError):
        return True


def load(path: Path) -> Config:
    """Read a configuration file (YAML, or pyproject.toml's ``[tool.kubelint]``).

    A pipe (``--config <(...)``) is read to its end; a device or a socket is refused.
    """
    try:
        data = read_file(str(path), pipes=True)
    except OSError as exc:
        raise ConfigError(f"{shown_path(str(path))}: {exc.strerror or exc}") from exc
    if path.name == "pyproject.toml":
        return parse(_tool_table(path, _text(path, data)), f"{path} [tool.kubelint]")
    from kubelint.load.documents import decode, load_text

    text, problem = decode(data)
    if text is None:
        assert problem is not None
        line, column = problem.mark
        raise ConfigError(f"{path}:{line + 1}:{column + 1}: {problem.message}")
    loaded = load_text(text)
    problems = loaded.problems + [p for d in loaded.documents for p in d.problems]
    if problems:
        first = problems[0]
        raise ConfigError(f"{path}:{first.mark[0] + 1}:{first.mark[1] + 1}: {first.message}")
    values = [d.value for d in loaded.documents if d.value is not None]
    if len(values) > 1:
        raise ConfigError(f"{path}: expected one YAML document")
    return parse(values[0] if values else None, str(path))
