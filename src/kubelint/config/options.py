"""From a configuration and command-line overrides to the options of a check run.

``kubelint check`` and the language server build their :class:`~kubelint.run.context.CheckOptions`
here, so that an editor shows exactly what the command line reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from kubelint.checks import registry
from kubelint.checks.api import RuleSpec, option_problem
from kubelint.config import policy
from kubelint.config.config_file import Config
from kubelint.run.context import CheckOptions
from kubelint.schema import store as schema_store
from kubelint.schema.suggest import closest


def normalise_version(text: str) -> str:
    """``v1.30.2`` / ``1.30.2`` / ``1.30`` -> ``1.30``."""
    version = text[1:] if text.startswith("v") else text
    return version.rsplit(".", 1)[0] if version.count(".") == 2 else version


class Overrides(NamedTuple):
    """What the command line says over the configuration (None and empty: nothing)."""

    kubernetes_version: str | None = None
    namespace: str | None = None
    ignore_missing_schemas: bool | None = None
    jobs: int | None = None
    select: tuple[str, ...] = ()  # replaces the configuration's selection
    ignore: tuple[str, ...] = ()  # adds to the configuration's
    rule_dirs: tuple[str, ...] = ()  # adds to the configuration's
    strict_refs: bool | None = None
    max_file_size: int | None = None  # MB
    max_documents: int | None = None


class OptionsProblem(NamedTuple):
    """A setting that cannot be used: which one (``kubernetes-version``, ``rules``), and why."""

    setting: str
    message: str


def check_options(
    config: Config, base: Path, overrides: Overrides | None = None
) -> tuple[CheckOptions, list[OptionsProblem]]:
    """The options of a run, and the settings that could not be used.

    ``base`` is the folder relative paths of the configuration start from. A setting that
    cannot be used keeps its default (the newest bundled version, the default rules), so a
    caller may go on with the defaults, as the language server does, or stop.
    Raises :class:`kubelint.schema.store.SchemaDataError` when the bundled schemas are broken.
    """
    given = overrides or Overrides()
    problems: list[OptionsProblem] = []
    versions = schema_store.available_versions()
    version = schema_store.latest_version()
    requested = given.kubernetes_version or config.kubernetes_version
    if requested:
        wanted = normalise_version(requested)
        if wanted in versions:
            version = wanted
        else:
            problems.append(
                OptionsProblem(
                    "kubernetes-version",
                    f"{requested!r} is not a bundled version; choose one of {', '.join(versions)}",
                )
            )
    rule_dirs = (*(str(base / d) for d in config.rules), *given.rule_dirs)
    chosen: policy.Policy | None = None
    specs = registry.builtin_rules()  # what runs when the user's rules cannot be read
    try:
        specs = registry.catalogue(Path(d) for d in rule_dirs)
        chosen = policy.Policy.build(
            specs,
            list(given.select) or list(config.select),
            [*config.ignore, *given.ignore],
            dict(config.severity),
            dict(config.per_file_ignores),
        )
    except (registry.RuleDefinitionError, policy.SelectionError) as exc:
        problems.append(OptionsProblem("rules", str(exc)))
        rule_dirs = ()
    default = CheckOptions(version)
    size = given.max_file_size or config.max_file_size
    max_file_mb = _limit("max-file-size", size, default.max_file_mb, problems)
    count = given.max_documents or config.max_documents
    max_documents = _limit("max-documents", count, default.max_documents, problems)
    rule_options = _rule_options(config.options, specs, problems)
    options = CheckOptions(
        version,
        given.namespace or config.namespace,
        config.ignore_missing_schemas
        if given.ignore_missing_schemas is None
        else given.ignore_missing_schemas,
        given.jobs,
        chosen,
        rule_dirs,
        rule_options,
        config.strict_refs if given.strict_refs is None else given.strict_refs,
        max_file_mb,
        max_documents,
    )
    return options, problems


def _limit(setting: str, value: int | None, default: int, problems: list[OptionsProblem]) -> int:
    """A limit of the run: ``value`` when set and usable, else ``default``."""
    if value is None:
        return default
    if value < 1:
        problems.append(OptionsProblem(setting, f"{setting} must be at least 1, not {value}"))
        return default
    return value


def _rule_options(
    configured: Mapping[str, Mapping[str, Any]],
    specs: tuple[RuleSpec, ...],
    problems: list[OptionsProblem],
) -> dict[str, dict[str, Any]]:
    """The configured rule options that fit their rules; a problem for each other one."""
    kept: dict[str, dict[str, Any]] = {}
    specs = tuple(spec for spec in specs if spec.checked)  # apply's rules have no options here
    for key, values in configured.items():
        spec = registry.find(specs, key)
        if spec is None:
            guess = closest(key, [s.slug for s in specs] + [s.id for s in specs])
            hint = f'; did you mean "{guess}"?' if guess else ""
            problems.append(OptionsProblem("options", f'options: "{key}" names no rule{hint}'))
            continue
        kept[key] = {}
        for name, value in values.items():
            if name not in spec.options:
                guess = closest(name, list(spec.options))
                known = ", ".join(sorted(spec.options)) or "none"
                hint = f'; did you mean "{guess}"?' if guess else f" (its options: {known})"
                message = f'options.{key}: rule {spec.id} has no option "{name}"{hint}'
                problems.append(OptionsProblem("options", message))
                continue
            option = next(o for o in spec.option_specs if o.name == name)
            wrong = option_problem(option.type, value)
            if wrong is not None:
                problems.append(OptionsProblem("options", f"options.{key}.{name}: {wrong}"))
                continue
            kept[key][name] = value
    return kept
