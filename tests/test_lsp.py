"""``kubelint lsp`` end to end: a real LSP client drives the server over stdio.

The client (pytest-lsp) announces the capabilities recorded from VS Code. The workspace is a
copy of the seed manifests, so cross-file findings (the duplicate Deployment of 01 and 02)
and a configuration file written by a test behave as in a real project. Diagnostics are
compared with what ``kubelint check`` reports for the same folder.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import FIXTURES

pytestmark = pytest.mark.asyncio(loop_scope="module")

SERVER = [sys.executable, "-m", "kubelint", "lsp"]  # as an editor starts it
TIMEOUT = 20.0  # seconds; generous for loaded CI machines, never reached when things work

VALID_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lsp") / "seeds"
    shutil.copytree(FIXTURES / "seeds", root)
    return root


@pytest.fixture(scope="module")
def selectors(workspace: Path) -> Path:
    """A second workspace folder: a CRD, workloads and Services whose selectors miss (KL060)."""
    root = workspace.parent / "selectors"
    shutil.copytree(FIXTURES / "rules" / "KL060", root)
    return root


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def client(  # type: ignore[no-untyped-def]
    lsp_client: LanguageClient, workspace: Path, selectors: Path
):
    registrations: list[lsp.RegistrationParams] = []

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams) -> None:  # as VS Code: accept file watching
        registrations.append(params)

    await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=workspace.as_uri(),
            workspace_folders=[
                lsp.WorkspaceFolder(uri=workspace.as_uri(), name="seeds"),
                lsp.WorkspaceFolder(uri=selectors.as_uri(), name="selectors"),
            ],
        )
    )
    yield
    await lsp_client.shutdown_session()


# -- helpers ------------------------------------------------------------------------------


def open_document(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(
                uri=uri,
                language_id="yaml",
                version=1,
                text=path.read_text(encoding="utf-8") if text is None else text,
            )
        )
    )
    return uri


def change_document(
    client: LanguageClient, uri: str, version: int, edits: Sequence[lsp.TextEdit]
) -> None:
    """Send edits as incremental changes (last in the document first, so ranges hold)."""
    ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                lsp.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
                for e in reversed(ordered)
            ],
        )
    )


def apply_edits(text: str, edits: Sequence[lsp.TextEdit]) -> str:
    """The text after edits (ASCII documents: characters are UTF-16 units)."""
    lines = text.split("\n")

    def offset(position: lsp.Position) -> int:
        return sum(len(line) + 1 for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


async def wait_for(
    client: LanguageClient, uri: str, predicate: Callable[[Sequence[lsp.Diagnostic]], bool]
) -> Sequence[lsp.Diagnostic]:
    """The first published diagnostics of ``uri`` that satisfy ``predicate``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while True:
        found = client.diagnostics.get(uri)
        if found is not None and predicate(found):
            return found
        if loop.time() > deadline:
            raise AssertionError(f"no diagnostics as expected for {uri}; last: {found}")
        await asyncio.sleep(0.02)


def lines_of(diagnostics: Sequence[lsp.Diagnostic], code: str) -> list[int]:
    return [d.range.start.line for d in diagnostics if d.code == code]


def codes(diagnostics: Sequence[lsp.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diagnostics}


def at(diagnostics: Sequence[lsp.Diagnostic], code: str) -> list[lsp.Range]:
    return [d.range for d in diagnostics if d.code == code]


def check_folder(folder: Path) -> dict[str, set[tuple[str, int, int]]]:
    """``kubelint check FOLDER``: file name -> (rule, 0-based line, 0-based column)."""
    run = subprocess.run(
        [sys.executable, "-m", "kubelint", "check", ".", "-o", "json"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    found: dict[str, set[tuple[str, int, int]]] = {}
    for f in json.loads(run.stdout)["findings"]:
        found.setdefault(Path(f["path"]).name, set()).add(
            (f["rule"], f["line"] - 1, f["column"] - 1)
        )
    return found


@pytest.fixture(scope="module")
def cli_report(workspace: Path) -> dict[str, set[tuple[str, int, int]]]:
    """The CLI's findings for the untouched seeds folder."""
    return check_folder(workspace)


def as_triples(diagnostics: Sequence[lsp.Diagnostic]) -> set[tuple[str, int, int]]:
    return {(str(d.code), d.range.start.line, d.range.start.character) for d in diagnostics}


# -- tests --------------------------------------------------------------------------------


async def test_diagnostics_on_open(
    client: LanguageClient, workspace: Path, cli_report: dict[str, set[tuple[str, int, int]]]
) -> None:
    uri = open_document(client, workspace / "03-job.yaml")
    found = await wait_for(client, uri, lambda d: {"KL006", "KL008"} <= codes(d))
    assert at(found, "KL006") == [lsp.Range(lsp.Position(1, 6), lsp.Position(1, 9))]
    assert at(found, "KL008") == [lsp.Range(lsp.Position(22, 6), lsp.Position(22, 16))]
    kl006 = next(d for d in found if d.code == "KL006")
    assert kl006.source == "kubelint"
    assert kl006.severity == lsp.DiagnosticSeverity.Error
    assert "Job" in kl006.message
    assert as_triples(found) == cli_report["03-job.yaml"]


async def test_cross_file_findings(
    client: LanguageClient, workspace: Path, cli_report: dict[str, set[tuple[str, int, int]]]
) -> None:
    """The duplicate Deployment of 01 (not open) and 02 is reported once the folder is indexed."""
    uri = open_document(client, workspace / "02-deployment-template.yaml")
    found = await wait_for(client, uri, lambda d: "KL020" in codes(d))
    assert "KL005" in codes(found)  # its own findings stay next to the cross-file one
    assert as_triples(found) == cli_report["02-deployment-template.yaml"]
    # renaming the object in the buffer (unsaved) resolves the duplicate
    text = (workspace / "02-deployment-template.yaml").read_text(encoding="utf-8")
    line = text.split("\n").index("  name: nginx-deployment")
    edit = lsp.TextEdit(lsp.Range(lsp.Position(line, 8), lsp.Position(line, 24)), "nginx-other")
    change_document(client, uri, 2, [edit])
    found = await wait_for(client, uri, lambda d: "KL020" not in codes(d))
    assert "KL005" in codes(found)


async def test_indexed_files_get_the_cli_findings(client: LanguageClient, selectors: Path) -> None:
    """Files never opened are published once indexed: the CLI's findings for the folder."""
    expected = check_folder(selectors)
    assert any(rule == "KL060" for found in expected.values() for rule, _, _ in found)
    for name, triples in expected.items():
        found = await wait_for(
            client, (selectors / name).as_uri(), lambda d, t=triples: as_triples(d) == t
        )
        assert as_triples(found) == triples
    # fixing a selector in the (unsaved) buffer clears that Service's KL060
    services = selectors / "services.yaml"
    uri = open_document(client, services)
    line = services.read_text(encoding="utf-8").split("\n").index("    ap: web  # expect: KL060@9")
    before = await wait_for(client, uri, lambda d: line in lines_of(d, "KL060"))
    edit = lsp.TextEdit(lsp.Range(lsp.Position(line, 4), lsp.Position(line, 6)), "app")
    change_document(client, uri, 2, [edit])
    after = await wait_for(client, uri, lambda d: line not in lines_of(d, "KL060"))
    assert len(lines_of(after, "KL060")) == len(lines_of(before, "KL060")) - 1


async def test_hover_shows_the_schema(client: LanguageClient, workspace: Path) -> None:
    uri = open_document(client, workspace / "pod.yaml", VALID_POD)
    result = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(5, 4)
        )
    )
    assert result is not None
    assert isinstance(result.contents, lsp.MarkupContent)
    assert "**containers** `array of Container`" in result.contents.value
    assert "List of containers" in result.contents.value
    assert result.range == lsp.Range(lsp.Position(5, 2), lsp.Position(5, 12))
    enum = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(3, 3)
        )
    )
    assert enum is not None
    assert isinstance(enum.contents, lsp.MarkupContent)
    assert "**name** `string`" in enum.contents.value


async def test_completion_inside_a_container(client: LanguageClient, workspace: Path) -> None:
    text = VALID_POD + "    \n"
    uri = open_document(client, workspace / "pod-completion.yaml", text)
    result = await client.text_document_completion_async(
        lsp.CompletionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(10, 4)
        )
    )
    assert isinstance(result, lsp.CompletionList)
    labels = {item.label for item in result.items}
    assert {"imagePullPolicy", "resources", "env"} <= labels
    assert not labels & {"name", "image", "ports"}  # already present in this container
    # an enum value after "imagePullPolicy: "
    change_document(
        client,
        uri,
        2,
        [lsp.TextEdit(lsp.Range(lsp.Position(10, 4), lsp.Position(10, 4)), "imagePullPolicy: ")],
    )
    values = await client.text_document_completion_async(
        lsp.CompletionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(10, 21)
        )
    )
    assert isinstance(values, lsp.CompletionList)
    assert [item.label for item in values.items] == ["Always", "IfNotPresent", "Never"]


async def test_quick_fix_removes_the_diagnostic(client: LanguageClient, workspace: Path) -> None:
    path = workspace / "03-job-fix.yaml"
    shutil.copy(workspace / "03-job.yaml", path)
    text = path.read_text(encoding="utf-8")
    uri = open_document(client, path, text)
    found = await wait_for(client, uri, lambda d: "KL008" in codes(d))
    typo = next(d for d in found if d.code == "KL008")
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=typo.range,
            context=lsp.CodeActionContext(diagnostics=[typo]),
        )
    )
    assert actions is not None
    titles = [a.title for a in actions if isinstance(a, lsp.CodeAction)]
    assert "Rename conatiners to containers" in titles
    assert "Disable KL008 for this line" in titles
    fix = next(a for a in actions if isinstance(a, lsp.CodeAction) and "Rename" in a.title)
    assert fix.kind == lsp.CodeActionKind.QuickFix
    assert fix.edit is not None
    assert fix.edit.changes is not None
    edits = fix.edit.changes[uri]
    change_document(client, uri, 2, edits)
    text = apply_edits(text, edits)
    assert "      containers:\n" in text
    found = await wait_for(client, uri, lambda d: "KL008" not in codes(d))
    assert "KL006" in codes(found)  # the other finding stays

    # "disable KL006 for this line" writes the inline comment the engine honours
    kind = next(d for d in found if d.code == "KL006")
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=kind.range,
            context=lsp.CodeActionContext(diagnostics=[kind]),
        )
    )
    assert actions is not None
    disable = next(
        a for a in actions if isinstance(a, lsp.CodeAction) and a.title.startswith("Disable")
    )
    assert disable.edit is not None
    assert disable.edit.changes is not None
    edits = disable.edit.changes[uri]
    change_document(client, uri, 3, edits)
    assert apply_edits(text, edits).split("\n")[1] == "kind: Jon  # kubelint: disable=KL006"
    await wait_for(client, uri, lambda d: "KL006" not in codes(d))


async def test_broken_document_reports_syntax_and_keeps_serving(
    client: LanguageClient, workspace: Path
) -> None:
    text = VALID_POD + "    resources: {limits: [\n  \n"  # the user is typing
    uri = open_document(client, workspace / "typing.yaml", text)
    found = await wait_for(client, uri, lambda d: "KL001" in codes(d))
    assert at(found, "KL001")[0].start.line >= 10
    # still serving: completion in the broken document, from its indentation
    result = await client.text_document_completion_async(
        lsp.CompletionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(11, 2)
        )
    )
    assert isinstance(result, lsp.CompletionList)
    labels = {item.label for item in result.items}
    assert "volumes" in labels
    assert "containers" not in labels
    hover = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(7, 5)
        )
    )
    assert hover is not None
    assert isinstance(hover.contents, lsp.MarkupContent)
    assert "**image**" in hover.contents.value
    # finishing the line clears the syntax error
    end = lsp.Position(10, len("    resources: {limits: ["))
    change_document(client, uri, 2, [lsp.TextEdit(lsp.Range(end, end), "]}")])
    found = await wait_for(client, uri, lambda d: "KL001" not in codes(d))


async def test_configuration_reloads(client: LanguageClient, workspace: Path) -> None:
    uri = (workspace / "03-job.yaml").as_uri()
    await wait_for(client, uri, lambda d: "KL034" in codes(d))
    config = workspace / ".kubelint.yaml"
    config.write_text("ignore: [KL034]\n", encoding="utf-8")
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(
            changes=[lsp.FileEvent(uri=config.as_uri(), type=lsp.FileChangeType.Created)]
        )
    )
    found = await wait_for(client, uri, lambda d: "KL034" not in codes(d))
    assert {"KL006", "KL008"} <= codes(found)
