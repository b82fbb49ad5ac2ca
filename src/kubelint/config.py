"""Configuration: ``.kubelint.yaml`` (or ``[tool.kubelint]`` in pyproject.toml), validated.

Found upward from the first checked path. Keys are kebab-case; an unknown key is a usage
error that names the nearest valid one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from kubelint.suggest import closest

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
    """The nearest configuration file at or above ``start``."""
    directory = start if start.is_dir() else start.parent
    for folder in (directory.resolve(), *directory.resolve().parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
    return None


def _has_tool_section(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return False
    if "kubelint" not in text:  # most projects' pyproject.toml: no TOML parse needed
        return False
    import tomllib

    try:
        return "kubelint" in tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:
        return False


def load(path: Path) -> Config:
    """Read a configuration file (YAML, or pyproject.toml's ``[tool.kubelint]``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from exc
    if path.name == "pyproject.toml":
        import tomllib

        try:
            data = tomllib.loads(text).get("tool", {}).get("kubelint")
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        return parse(data, f"{path} [tool.kubelint]")
    from kubelint.loader import load_text

    loaded = load_text(text)
    problems = loaded.problems + [p for d in loaded.documents for p in d.problems]
    if problems:
        first = problems[0]
        raise ConfigError(f"{path}:{first.mark[0] + 1}:{first.mark[1] + 1}: {first.message}")
    values = [d.value for d in loaded.documents if d.value is not None]
    if len(values) > 1:
        raise ConfigError(f"{path}: expected one YAML document")
    return parse(values[0] if values else None, str(path))
