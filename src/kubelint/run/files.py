"""One file to findings: read it, decode it, load its documents and check their objects;
a big file is checked in parts and the parts merged (see :mod:`kubelint.run.parts`).

Never raises for bad input: problems become findings. The run's policy and the file's
inline suppressions are applied here (through :mod:`kubelint.run.findings`), so every
rule gets them for free.
"""

from __future__ import annotations

import re

from kubelint.config.policy import Suppressions
from kubelint.load.documents import LoadedFile, decode, load_text
from kubelint.load.files import read_file
from kubelint.load.sources import SourceFile
from kubelint.rules.core import FILE_TOO_LARGE, HELM_TEMPLATE, INTERNAL_ERROR, YAML_SYNTAX
from kubelint.run import findings as build
from kubelint.run import parts as file_parts
from kubelint.run.context import MB, CheckOptions, Context
from kubelint.run.objects import ManifestChecker
from kubelint.run.parts import FilePart
from kubelint.run.results import FileResult, PartResult

_HELM_DIRECTIVE = re.compile(
    r"\{\{-?\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|include\s|template\s"
    r"|toYaml|tpl\s|\$\.Values|define\s)|\|\s*nindent\b|\|\s*indent\b"
)

_NO_SUPPRESSIONS = Suppressions({}, ())


def check_source(source: SourceFile, ctx: Context, data: bytes | None = None) -> FileResult:
    """Check one file (its bytes are ``data``, or read from the file)."""
    result = FileResult(source.display)
    text: str | None = None
    try:
        text = _read_and_check(source, ctx, data, result)
    except Exception as exc:  # a bug must cost one file, never the run
        result.findings.append(
            build.whole_file(
                source.display, INTERNAL_ERROR, f"kubelint failed on this file: {exc!r}"
            )
        )
    build.decide_file(result, ctx.policy, Suppressions.parse(text) if text else _NO_SUPPRESSIONS)
    return result


def check_part(part: FilePart, ctx: Context, data: bytes | None = None) -> PartResult:
    """Check the documents of a part of a big file (its bytes are ``data``, or read from
    the file), as they are checked in the whole file: every position is the file's.

    Inline suppressions apply within the part; :func:`merge_parts` applies those of the
    other parts.
    """
    source = part.source
    result = FileResult(source.display)
    text: str | None = None
    manifest = False
    try:
        if data is None:
            data = content(source)[part.start : part.end]
        text = decode(data)[0]
        if text is None:
            return PartResult(result, manifest=False, readable=False)
        manifest = _check_documents(
            source, ctx, load_text(text, first_line=part.first_line), result, part=True
        )
    except OSError:
        return PartResult(result, manifest=False, readable=False)
    except Exception as exc:  # a bug must cost one file, never the run
        result.findings.append(
            build.whole_file(
                source.display, INTERNAL_ERROR, f"kubelint failed on this file: {exc!r}"
            )
        )
    suppressions = Suppressions.parse(text) if text else _NO_SUPPRESSIONS
    if part.first_line and suppressions.lines:
        lines = {line + part.first_line: entries for line, entries in suppressions.lines.items()}
        suppressions = Suppressions(lines, suppressions.file)
    build.decide_file(result, ctx.policy, suppressions)
    return PartResult(result, manifest)


def merge_parts(parts: list[PartResult]) -> FileResult | None:
    """The result of a file from those of its parts, in order; None when the file must be
    checked whole (a part could not be read as text, or no part holds an object)."""
    if not all(p.readable for p in parts) or not any(p.manifest for p in parts):
        return None
    merged = FileResult(parts[0].result.path)
    lines: dict[int, tuple[str, ...]] = {}
    file_wide: list[str] = []
    for part in parts:
        result = part.result
        merged.findings.extend(result.findings)
        merged.suppressed.extend(result.suppressed)
        merged.documents += result.documents
        merged.objects.extend(result.objects)
        merged.skipped.update(result.skipped)
        merged.crds.merge(result.crds)
        merged.facts.extend(result.facts)
        merged.crd_groups.update(result.crd_groups)
        if result.suppressions is not None:
            file_wide.extend(result.suppressions.file)
            for line, entries in result.suppressions.lines.items():
                lines[line] = lines.get(line, ()) + entries
    merged.suppressions = Suppressions(lines, tuple(file_wide))
    if len(parts) > 1 and (file_wide or lines):
        # a comment of one part may switch off a finding of another (disable-file)
        merged.findings, hidden = build.suppress(merged.findings, merged.suppressions)
        merged.suppressed.extend(hidden)
    return merged


def over_limits(
    source: SourceFile, size: int, data: bytes | None, options: CheckOptions
) -> FileResult | None:
    """A result with a finding instead of a check, for a file over the limits of the run
    (``data``, when given, is counted in documents); None when it is within them."""
    message = None
    if size > options.max_file_mb * MB:
        message = (
            f"the file is {size / MB:,.1f} MB, over the limit of {options.max_file_mb:,} MB: "
            "it was not checked"
        )
        hint = "split it, or raise the limit (max-file-size in .kubelint.yaml, --max-file-size)"
    elif data is not None and (count := file_parts.documents(data)) > options.max_documents:
        message = (
            f"the file holds {count:,} documents (--- lines), over the limit of "
            f"{options.max_documents:,}: it was not checked"
        )
        hint = "split it, or raise the limit (max-documents in .kubelint.yaml, --max-documents)"
    if message is None:
        return None
    result = FileResult(source.display)
    result.skipped["too-large"] += 1
    result.findings.append(
        build.whole_file(source.display, FILE_TOO_LARGE, message, suggestion=hint)
    )
    return result


def content(source: SourceFile) -> bytes:
    """The bytes of a source: read when the run began (stdin, a pipe), or from its file."""
    if source.data is not None:
        return source.data
    return read_file(source.location)


def _read_and_check(
    source: SourceFile, ctx: Context, data: bytes | None, result: FileResult
) -> str | None:
    """The body of :func:`check_source`; returns the file's text when it could be read."""
    path = source.display
    if source.problem is not None:  # a folder the walk could not read
        result.findings.append(build.whole_file(path, YAML_SYNTAX, source.problem))
        return None
    if source.skip is not None:  # not a regular file: never opened
        result.skipped["not-a-regular-file"] += 1
        return None
    try:
        if data is None:
            data = content(source)
    except OSError as exc:
        result.findings.append(
            build.whole_file(path, YAML_SYNTAX, f"cannot read the file: {exc.strerror or exc}")
        )
        return None
    refused = over_limits(source, len(data), data, ctx.options)
    if refused is not None:
        result.findings.extend(refused.findings)
        result.skipped.update(refused.skipped)
        return None
    text, problem = decode(data)
    if text is None:
        assert problem is not None
        result.findings.append(
            build.whole_file(path, YAML_SYNTAX, problem.message, problem.mark, problem.suggestion)
        )
        return None
    has_template = "{{" in text
    if has_template and _HELM_DIRECTIVE.search(text):
        _skip_template(result, "a Helm template: skipped (render it first, e.g. `helm template`)")
        return text
    loaded = load_text(text)
    if has_template and loaded.problems:
        _skip_template(
            result, "contains {{ }} templating and is not valid YAML: skipped as a template"
        )
        return text
    _check_documents(source, ctx, loaded, result)
    return text


def _skip_template(result: FileResult, message: str) -> None:
    result.skipped[HELM_TEMPLATE.slug] += 1
    result.findings.append(build.whole_file(result.path, HELM_TEMPLATE, message))


def _check_documents(
    source: SourceFile, ctx: Context, loaded: LoadedFile, result: FileResult, part: bool = False
) -> bool:
    """Check the documents of a file (or of a ``part`` of one, which is checked as a
    manifest); returns whether they hold an object."""
    checker = ManifestChecker(ctx, source, loaded, result)
    for problem in loaded.problems:
        checker.keep(checker.build.yaml_problem(problem))
    documents = [d for d in loaded.documents if d.value is not None or d.problems]
    result.documents = len(documents)
    is_manifest = any(
        isinstance(d.value, dict) and ("apiVersion" in d.value or "kind" in d.value)
        for d in documents
    )
    if not is_manifest and not part:
        # not a manifest (values file, CI config...): only say why it could not be read
        broken = [p for d in documents for p in d.problems if p.rule.id == YAML_SYNTAX.id]
        for problem in broken:
            checker.keep(checker.build.yaml_problem(problem))
        if documents and not loaded.problems and not broken:
            result.skipped["not-kubernetes"] += 1
        return False
    for document in documents:
        checker.check(document)
    return is_manifest
