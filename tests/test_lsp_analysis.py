"""The editor features as pure functions of the text (no server, no client).

Structure from indentation (what a half-typed document still has), code-action edits,
position units, hover and completion against the bundled schema.
"""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp

from kubelint.checks.api import Fix, TextEdit
from kubelint.load import sources
from kubelint.lsp import completion, cursor, diagnostics, hover
from kubelint.lsp.cursor import path_at, siblings_at
from kubelint.lsp.text import Text
from kubelint.report.model import Finding, Severity
from kubelint.run.context import CheckOptions, Context
from kubelint.run.files import check_source
from kubelint.schema import store as schema_store


@pytest.fixture(scope="module")
def schemas() -> schema_store.KubernetesSchemas:
    return schema_store.schemas_for(schema_store.latest_version())


def _cursor(text: str) -> tuple[list[str], int, int]:
    """Lines of ``text`` and the (line, column) of its ``|`` marker (removed)."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if "|" in line:
            column = line.index("|")
            lines[number] = line[:column] + line[column + 1 :]
            return lines, number, column
    raise AssertionError("no cursor")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("spec:\n  template:\n    spec:\n      |", ("spec", "template", "spec")),
        ("spec:\n  containers:\n  - name: a\n    |", ("spec", "containers", 0)),
        ("spec:\n  containers:\n    - name: a\n      |", ("spec", "containers", 0)),
        ("containers:\n- resources:\n    |", ("containers", 0, "resources")),
        ("spec:\n  containers:\n  - |", ("spec", "containers", 0)),
        (
            "spec:\n  containers:\n  - name: a\n    ports:\n    - containerPort: 80\n    |",
            ("spec", "containers", 0),
        ),
        ("spec:\n  containers:\n  - name: a\n  |", ("spec",)),
        ("a: 1\n---\nspec:\n  # a comment\n\n  |", ("spec",)),
        ("spec:\n  x: |\n    text: here\n  |", ("spec",)),
    ],
)
def test_path_from_indentation(text: str, expected: tuple[str | int, ...]) -> None:
    lines, line, column = _cursor(text)
    assert path_at(lines, line, column) == expected


def test_siblings_in_the_same_mapping_only() -> None:
    lines, line, column = _cursor(
        "spec:\n  containers:\n  - name: a\n    ports:\n    - containerPort: 80\n    |\n"
        "    image: x\n  - name: b\n    env: []\n"
    )
    assert siblings_at(lines, line, column) == {"name", "ports", "image"}


def test_positions_are_utf16_units() -> None:
    text = Text('name: "\U0001f600x"\n')
    assert text.position(0, 9) == lsp.Position(0, 10)  # the emoji is two UTF-16 units
    assert text.column(lsp.Position(0, 10)) == (0, 9)


def _finding(line: int, column: int, rule: str = "KL006", fix: Fix | None = None) -> Finding:
    return Finding("x.yaml", line, column, rule, "unknown-kind", Severity.ERROR, "m", "s", fix=fix)


def test_a_finding_without_end_spans_its_token() -> None:
    text = Text("metadata:\n  name: web-1  # note\n")
    diagnostic = diagnostics.diagnostic(_finding(2, 9, "KL020"), text)
    assert diagnostic.range == lsp.Range(lsp.Position(1, 8), lsp.Position(1, 13))
    assert diagnostic.message == "m\ns"
    assert diagnostic.code == "KL020"


def test_disable_appends_or_extends_the_comment() -> None:
    text = Text(
        "kind: Jon\nkind: Jon  # kubelint: disable=KL001\nkind: Jon # kubelint: disable=KL006\n"
    )
    first = diagnostics.disable_edit(text, 0, "KL006")
    assert first is not None
    assert first.new_text == "  # kubelint: disable=KL006"
    assert first.range.start == lsp.Position(0, 9)
    second = diagnostics.disable_edit(text, 1, "KL006")
    assert second is not None
    assert second.new_text == ",KL006"
    assert second.range.start == lsp.Position(1, len("kind: Jon  # kubelint: disable=KL001"))
    assert diagnostics.disable_edit(text, 2, "KL006") is None  # already disabled there


def test_no_disable_comment_inside_a_block_scalar() -> None:
    text = Text('data:\n  a.json: |\n    {\n      "a": x\n    }\n  b: c\n')
    assert diagnostics.disable_edit(text, 3, "KL070") is None
    assert diagnostics.disable_edit(text, 5, "KL070") is not None


def test_a_fix_whose_text_moved_is_not_offered() -> None:
    fix = Fix("Change kind to Job", (TextEdit(0, 6, "Jon", "Job"),))
    selection = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
    fresh = diagnostics.code_actions(
        "file:///x", Text("kind: Jon\n"), [_finding(1, 7, fix=fix)], selection
    )
    assert [a.title for a in fresh] == ["Change kind to Job", "Disable KL006 for this line"]
    stale = diagnostics.code_actions(
        "file:///x", Text("kind: Job\n"), [_finding(1, 7, fix=fix)], selection
    )
    assert [a.title for a in stale] == ["Disable KL006 for this line"]


def test_every_fix_the_engine_offers_is_an_action(schemas: schema_store.KubernetesSchemas) -> None:
    source = (
        "apiVersion: apps/v1\nkind: Deploymnt\nmetadata:\n  name: x\n  labels:\n    on: yes\n"
        "spec:\n  selector:\n    matchLabels: {app: x}\n  template:\n    metadata:\n"
        "      labels: {app: x}\n    spec:\n      containers:\n      - name: x\n"
        "        image: nginx:1.27\n        imagePullPolicy: always\n"
        "        imagePulPolicy: Always\n"
    )
    context = Context(CheckOptions(schemas.version, jobs=1))
    findings = check_source(
        sources.SourceFile("x.yaml", "x.yaml"), context, source.encode()
    ).findings
    with_fix = [f for f in findings if f.fix is not None]
    assert with_fix
    assert len({f.rule for f in with_fix}) >= 3
    whole = lsp.Range(lsp.Position(0, 0), lsp.Position(20, 0))
    actions = diagnostics.code_actions("file:///x", Text(source), findings, whole)
    titles = {a.title for a in actions}
    assert {f.fix.title for f in with_fix} <= titles


def test_hover_uses_the_object_of_a_list_item(schemas: schema_store.KubernetesSchemas) -> None:
    text = Text(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n"
        "  spec:\n    type: ClusterIP\n"
    )
    found = hover.hover(text, lsp.Position(6, 5), schemas)
    assert found is not None
    assert isinstance(found.contents, lsp.MarkupContent)
    assert "`ClusterIP`" in found.contents.value  # the enum of Service spec.type


def test_hover_ignores_references_that_look_like_objects(
    schemas: schema_store.KubernetesSchemas,
) -> None:
    text = Text(
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n"
        "  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n"
    )
    found = hover.hover(text, lsp.Position(6, 5), schemas)
    assert found is not None
    assert isinstance(found.contents, lsp.MarkupContent)
    assert "referent" in found.contents.value.lower()


def _labels(result: lsp.CompletionList | None) -> list[str]:
    assert result is not None
    return [item.label for item in result.items]


def test_kind_values_follow_the_api_version(schemas: schema_store.KubernetesSchemas) -> None:
    labels = _labels(
        completion.completions(Text("apiVersion: apps/v1\nkind: D\n"), lsp.Position(1, 7), schemas)
    )
    assert "Deployment" in labels
    assert "Pod" not in labels


def test_api_versions_serving_the_kind_come_first(schemas: schema_store.KubernetesSchemas) -> None:
    result = completion.completions(
        Text("apiVersion: \nkind: Deployment\n"), lsp.Position(0, 12), schemas
    )
    assert result is not None
    assert set(_labels(result)) == set(schemas.kinds)
    first = min(result.items, key=lambda item: item.sort_text or "")
    assert first.label == "apps/v1"


def test_top_level_keys_of_an_object_without_kind(schemas: schema_store.KubernetesSchemas) -> None:
    result = completion.completions(Text("apiVersion: v1\n\n"), lsp.Position(1, 0), schemas)
    labels = _labels(result)
    assert labels == ["kind", "metadata"]


def test_no_completion_inside_a_value(schemas: schema_store.KubernetesSchemas) -> None:
    text = Text("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command: [a, b\n")
    assert completion.completions(text, lsp.Position(4, 18), schemas) is None


def test_a_dash_alone_is_not_a_key_to_complete(schemas: schema_store.KubernetesSchemas) -> None:
    text = Text("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  -\n")
    assert completion.completions(text, lsp.Position(4, 3), schemas) is None
    labels = _labels(
        completion.completions(
            Text("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - \n"),
            lsp.Position(4, 4),
            schemas,
        )
    )
    assert "name" in labels


# -- any position, any text ---------------------------------------------------------------

ODD_TEXTS = [
    "",
    "\n\n",
    "apiVersion: v1\nkind: Pod\n",
    "apiVersion: v1\r\nkind: Pod\r\nspec:\r\n  containers:\r\n  - name: 😀\r\n    ",
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "a\u2028b" # c\u2029\x85\n  labels: {😀: x}\n',
    "--- a: 1\n...\n--- |\n  text\n---\n- - [\n  {: :\n\t- x\n",
    "kind: Pod\nspec:\n  containers:\n  - -\n    - : \n  ? complex\n  : value\n",
    "apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  spec: {containers: [{name: x}]}\n",
]


@pytest.mark.parametrize("source", ODD_TEXTS)
def test_every_position_gets_an_answer_or_none(
    source: str, schemas: schema_store.KubernetesSchemas
) -> None:
    """Hover, completion and code actions never raise, wherever the cursor is."""
    text = Text(source)
    findings = [_finding(line + 1, 1) for line in range(len(text.lines) + 2)]
    for line in range(text.line_count + 2):
        for character in [*range(12), 40, 10**6]:
            position = lsp.Position(line, character)
            hovered = hover.hover(text, position, schemas)
            completed = completion.completions(text, position, schemas)
            if not text.inside(position):
                assert hovered is None
                assert completed is None
            diagnostics.code_actions("file:///x", text, findings, lsp.Range(position, position))
    for finding in findings:
        assert diagnostics.diagnostic(finding, text).range.start.line < text.line_count


def test_ranges_after_line_separators_and_emoji(schemas: schema_store.KubernetesSchemas) -> None:
    """YAML breaks at U+2028, the protocol does not; an emoji is two UTF-16 units."""
    source = "apiVersion: v1 # a\u2028\nkind: Pod # 😀\u2029\nspec:\n  containers:\n  - name: x\n"
    text = Text(source)
    found = hover.hover(text, lsp.Position(1, 1), schemas)  # "kind", YAML line 2
    assert found is not None
    assert found.range == lsp.Range(lsp.Position(1, 0), lsp.Position(1, 4))
    assert isinstance(found.contents, lsp.MarkupContent)
    assert "**kind**" in found.contents.value
    # completion of the container's keys: YAML line 7 is the client's line 4
    result = completion.completions(Text(source + "    ima"), lsp.Position(5, 7), schemas)
    image = next(item for item in _items(result) if item.label == "image")
    assert isinstance(image.text_edit, lsp.TextEdit)
    assert image.text_edit.range == lsp.Range(lsp.Position(5, 4), lsp.Position(5, 7))
    # a finding on YAML line 3 ("kind: Pod # 😀"), at the emoji
    diagnostic = diagnostics.diagnostic(_finding(3, 13), text)
    assert diagnostic.range.start == lsp.Position(1, 12)


def _items(result: lsp.CompletionList | None) -> list[lsp.CompletionItem]:
    assert result is not None
    return list(result.items)


def test_hover_in_a_document_too_big_to_parse(schemas: schema_store.KubernetesSchemas) -> None:
    """Past the parse limit the indentation answers, as in a half-typed document."""
    containers = "".join(f"  - name: c{i}\n    image: nginx\n" for i in range(7000))
    source = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n" + containers
    assert len(source) > cursor.PARSE_LIMIT
    text = Text(source)
    found = hover.hover(text, lsp.Position(len(text.lines) - 2, 5), schemas)
    assert found is not None
    assert isinstance(found.contents, lsp.MarkupContent)
    assert "**image**" in found.contents.value


def test_hover_parses_only_the_document_at_the_cursor(
    schemas: schema_store.KubernetesSchemas,
) -> None:
    broken = "apiVersion: v1\nkind: Pod\nspec: [\n"
    source = broken + "---\napiVersion: v1\nkind: Service\nspec:\n  type: ClusterIP\n"
    found = hover.hover(Text(source), lsp.Position(7, 3), schemas)
    assert found is not None
    assert isinstance(found.contents, lsp.MarkupContent)
    assert "`ClusterIP`" in found.contents.value
    assert found.range == lsp.Range(lsp.Position(7, 2), lsp.Position(7, 6))
