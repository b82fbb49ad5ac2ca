"""``kubelint lsp`` end to end: a real LSP client drives the server over stdio.

The client (pytest-lsp) announces the capabilities recorded from VS Code. The workspace is a
copy of the seed manifests, so cross-file findings (the duplicate Deployment of 01 and 02)
and a configuration file written by a test behave as in a real project. Diagnostics are
compared with what ``kubelint check`` reports for the same folder.
"""

from __future__ import annotations

import asyncio
import json
import re
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
    """The text after edits, as an editor applies them.

    Lines end at ``\n``, ``\r\n`` or ``\r`` only; columns are UTF-16 code units.
    """
    lines = re.split("(?<=\r\n)|(?<=\r)(?!\n)|(?<=\n)", text)

    def offset(position: lsp.Position) -> int:
        line = lines[position.line] if position.line < len(lines) else ""
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return sum(len(x) for x in lines[: position.line]) + index
            units += 2 if ord(char) > 0xFFFF else 1
        raise AssertionError(f"{position} is not in the text")

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def client_position(text: str, needle: str) -> lsp.Position:
    """Where ``needle`` first starts in ``text``, as the client counts (``\n`` lines, UTF-16)."""
    before = text[: text.index(needle)]
    line = before.count("\n")
    return lsp.Position(line, len(before[before.rfind("\n") + 1 :].encode("utf-16-le")) // 2)


async def wait_for(
    client: LanguageClient,
    uri: str,
    predicate: Callable[[Sequence[lsp.Diagnostic]], bool],
    timeout: float = TIMEOUT,
) -> Sequence[lsp.Diagnostic]:
    """The first published diagnostics of ``uri`` that satisfy ``predicate``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
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


# -- any position, any URI, any state -----------------------------------------------------


def hover_at(client: LanguageClient, uri: str, line: int, character: int) -> object:
    return client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line, character),
        )
    )


def complete_at(client: LanguageClient, uri: str, line: int, character: int) -> object:
    return client.text_document_completion_async(
        lsp.CompletionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line, character),
        )
    )


def actions_for(client: LanguageClient, uri: str, selection: lsp.Range) -> object:
    return client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=selection,
            context=lsp.CodeActionContext(diagnostics=[]),
        )
    )


async def test_completion_past_the_end(client: LanguageClient, workspace: Path) -> None:
    """lsp-completion-past-end: line 5 of a 3-line document got -32603 (IndexError)."""
    uri = open_document(client, workspace / "short.yaml", "apiVersion: v1\nkind: Pod\n")
    assert await complete_at(client, uri, 5, 0) is None
    assert await hover_at(client, uri, 5, 0) is None
    past = lsp.Range(lsp.Position(5, 0), lsp.Position(9, 3))
    assert await actions_for(client, uri, past) is None


@pytest.mark.parametrize(
    "uri",
    [
        "file:///repro/never-opened.yaml",
        "untitled:Untitled-1",
        "file://[bad/x.yaml",
        "file:///a%00b.yaml",
        "https://example.com/x.yaml",
        "",
    ],
)
async def test_requests_about_documents_never_opened(client: LanguageClient, uri: str) -> None:
    """lsp-hover-unopened-document: the server read the file and answered -32603."""
    assert await hover_at(client, uri, 0, 0) is None
    assert await complete_at(client, uri, 0, 0) is None
    everything = lsp.Range(lsp.Position(0, 0), lsp.Position(3, 0))
    assert await actions_for(client, uri, everything) is None


async def test_every_position_of_an_open_document(client: LanguageClient, workspace: Path) -> None:
    text = 'apiVersion: v1\r\nkind: Pod # é😀\u2028x\r\nspec:\n  containers:\n  - name: "😀"\n  '
    uri = open_document(client, workspace / "anywhere.yaml", text)
    for line in [0, 1, 2, 4, 5, 6, 7, 50, 2**31 - 1]:
        for character in [0, 1, 9, 13, 14, 15, 16, 40, 2**31 - 1]:
            await hover_at(client, uri, line, character)
            await complete_at(client, uri, line, character)
            here = lsp.Position(line, character)
            after = lsp.Position(min(line + 1, 2**31 - 1), 0)
            await actions_for(client, uri, lsp.Range(here, after))
    # documents opened by odd URIs are served too, and change nothing for the others
    for odd in ("file://[bad/x.yaml", "untitled:Untitled-2", "file:///a%00b.yaml", "x"):
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(
                    uri=odd, language_id="yaml", version=1, text="apiVersion: v1\nkind: Pod\n"
                )
            )
        )
        assert await hover_at(client, odd, 1, 1) is not None
        client.text_document_did_close(
            lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=odd))
        )
    assert await hover_at(client, uri, 0, 1) is not None


async def test_changes_outside_the_document(client: LanguageClient, workspace: Path) -> None:
    """A change past the end of the document (or a line) edits at that end."""
    uri = open_document(client, workspace / "pod-changes.yaml", VALID_POD)
    await wait_for(client, uri, lambda d: "KL030" in codes(d))
    far = lsp.Position(99, 7)
    change_document(client, uri, 2, [lsp.TextEdit(lsp.Range(far, far), "  hostPID: true\n")])
    found = await wait_for(client, uri, lambda d: "KL045" in codes(d))
    assert lines_of(found, "KL045") == [VALID_POD.count("\n")]  # appended at the end
    # a range the wrong way round, past the end of its line: the line's end
    backwards = lsp.Range(lsp.Position(10, 99), lsp.Position(10, 11))
    change_document(client, uri, 3, [lsp.TextEdit(backwards, "false")])
    await wait_for(client, uri, lambda d: "KL045" not in codes(d))
    # a change to a document never opened is dropped; the open one still answers
    change_document(
        client, "file:///never/opened.yaml", 2, [lsp.TextEdit(lsp.Range(far, far), "x")]
    )
    hover = await hover_at(client, uri, 5, 4)
    assert isinstance(hover, lsp.Hover)


async def test_a_file_name_with_a_space(client: LanguageClient, workspace: Path) -> None:
    """The URI is percent-encoded (``%20``): the buffer is checked all the same."""
    path = workspace / "job with space.yaml"
    uri = open_document(client, path, (workspace / "03-job.yaml").read_text(encoding="utf-8"))
    assert "%20" in uri
    found = await wait_for(client, uri, lambda d: "KL006" in codes(d))
    assert at(found, "KL006") == [lsp.Range(lsp.Position(1, 6), lsp.Position(1, 9))]


UNICODE_POD = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations: {note: 😀😀}\n"
    "spec:\n  containers:\n"
    '  - {name: "w😀", imagePullPolicy: always, image: nginx:1.27} # \u2028\n'
    "  restartPolicy: Sometimes\n  hostNetwork: yes\n"
)


async def test_positions_around_line_separators_and_emoji(
    client: LanguageClient, workspace: Path
) -> None:
    """YAML breaks lines at U+2028, the protocol does not; an emoji is two UTF-16 units.

    Every range the server sends is checked against positions computed here from the text.
    """
    text = UNICODE_POD
    uri = open_document(client, workspace / "unicode.yaml", text)
    found = await wait_for(client, uri, lambda d: {"KL011", "KL044"} <= codes(d))
    starts = sorted(d.range.start for d in found if d.code == "KL011")
    assert starts == [client_position(text, "always"), client_position(text, "Sometimes")]
    assert [d.range.start for d in found if d.code == "KL044"] == [client_position(text, "yes")]
    # the quick fix after the emoji, applied as the editor applies it
    always = next(d for d in found if d.range.start == client_position(text, "always"))
    assert always.range.end.character - always.range.start.character == len("always")
    actions = await actions_for(client, uri, always.range)
    assert isinstance(actions, Sequence)
    fix = next(a for a in actions if isinstance(a, lsp.CodeAction) and "Always" in a.title)
    assert fix.edit is not None
    assert fix.edit.changes is not None
    text = apply_edits(text, fix.edit.changes[uri])
    assert "imagePullPolicy: Always, image" in text
    change_document(client, uri, 2, fix.edit.changes[uri])
    found = await wait_for(client, uri, lambda d: len(lines_of(d, "KL011")) == 1)
    # "disable for this line" below the separator goes at the end of that line
    host = next(d for d in found if d.code == "KL044")
    actions = await actions_for(client, uri, host.range)
    assert isinstance(actions, Sequence)
    disable = next(
        a for a in actions if isinstance(a, lsp.CodeAction) and a.title.startswith("Disable")
    )
    assert disable.edit is not None
    assert disable.edit.changes is not None
    text = apply_edits(text, disable.edit.changes[uri])
    assert "  hostNetwork: yes  # kubelint: disable=KL044\n" in text
    change_document(client, uri, 3, disable.edit.changes[uri])
    # the comment below the separator suppresses the finding on its own line
    found = await wait_for(client, uri, lambda d: "KL044" not in codes(d))
    assert lines_of(found, "KL011") == [client_position(text, "Sometimes").line]
    # hover and completion ranges below the separator
    hover = await hover_at(client, uri, 8, 4)
    assert isinstance(hover, lsp.Hover)
    assert hover.range == lsp.Range(
        client_position(text, "restartPolicy"),
        lsp.Position(8, client_position(text, "restartPolicy").character + 13),
    )


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
spec:
  selector:
    matchLabels: {{app: web-{i}}}
  template:
    metadata:
      labels: {{app: web-{i}}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""


def big_manifest(megabytes: float) -> str:
    """Deployments, one document each, until the text is about ``megabytes`` MB."""
    copies = int(megabytes * 1_000_000 / len(DEPLOYMENT)) + 1
    return "---\n".join(DEPLOYMENT.format(i=i) for i in range(copies))


async def test_hover_on_a_big_document_while_it_is_checked(
    client: LanguageClient, workspace: Path
) -> None:
    """lsp-hover-blocks-on-big-document: each hover read the whole text on the event loop.

    The hover is answered while the document's first check still runs (its diagnostics
    come later). How long each takes is measured by ``bench/lsp_latency.py --big 5``.
    """
    text = big_manifest(2)
    uri = open_document(client, workspace / "big.yaml", text)
    middle = text.count("\n") // 2
    line = middle + text.split("\n")[middle:].index("kind: Deployment")
    hover = await asyncio.wait_for(hover_at(client, uri, line, 2), TIMEOUT)
    assert isinstance(hover, lsp.Hover)
    assert isinstance(hover.contents, lsp.MarkupContent)
    assert "**kind**" in hover.contents.value
    assert uri not in client.diagnostics  # still being checked
    # checking 2 MB takes seconds, and many more on a loaded machine: not what is tested here
    await wait_for(client, uri, lambda d: "KL030" in codes(d), timeout=10 * TIMEOUT)
    client.text_document_did_close(
        lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )
