"""The language server: protocol handlers only.

Each handler fetches the document, calls the pure functions of :mod:`~kubelint.lsp.diagnostics`,
:mod:`~kubelint.lsp.hover` and :mod:`~kubelint.lsp.completion` (or the project in
:mod:`~kubelint.lsp.workspace`) and publishes the answer. Nothing slow runs on the event
loop: checks run on one analysis thread (open buffers, debounced while the user types) and
one index thread (the workspace folders); hovers, completions and code actions on a third,
the cursor thread, so they are answered while a big document or a folder is checked.

Every handler is guarded (:mod:`kubelint.lsp.guard`): whatever the position, the URI or the
state of the document, a failure answers ``null``. Requests about a document the client has
not opened get ``null`` too: the server never reads it from disk for them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable, Hashable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.exceptions import FeatureRequestError
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from kubelint import __version__
from kubelint.config.config_file import CONFIG_NAMES
from kubelint.load.files import read_file
from kubelint.lsp.completion import completions
from kubelint.lsp.diagnostics import code_actions, diagnostics
from kubelint.lsp.documents import Document
from kubelint.lsp.guard import guarded, report
from kubelint.lsp.hover import hover as hover_at
from kubelint.lsp.protocol import KubelintProtocol
from kubelint.lsp.text import Text
from kubelint.lsp.workspace import Project, Projects
from kubelint.report.model import Finding
from kubelint.schema import store as schema_store

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

#: Quiet time after the last change before a buffer is checked again (seconds). Short: the
#: check itself takes some tens of milliseconds on a 1,000-line file, and diagnostics should
#: follow the last keystroke within 100 ms.
DEBOUNCE = 0.05
#: Quiet time after a save or a file event before the folder is indexed again (seconds).
REINDEX_DELAY = 1.0

_WATCHED = ("**/*.yaml", "**/*.yml", "**/*.json", "**/pyproject.toml")


@dataclass(frozen=True, slots=True)
class Publication:
    """Diagnostics for one file, ready to send."""

    uri: str
    version: int | None
    diagnostics: list[lsp.Diagnostic]


@dataclass(frozen=True, slots=True)
class Checked:
    """The findings of one buffer text (what code actions are computed from)."""

    text: Text
    findings: list[Finding]


class Debouncer:
    """Runs one job per key after a quiet time; a job that has started is never cancelled.

    A request while the key's job waits replaces it (the quiet time starts again); a request
    while it runs makes it run once more afterwards. Cancelling a running check would lose
    the diagnostics it was about to publish for other files (findings across files). Each
    request gets a future: the result of the run that serves it (None if the job failed or
    was cancelled), so a request that needs the result shares the run instead of adding one.
    """

    def __init__(self, what: str) -> None:
        self.what = what
        self._waiting: dict[Hashable, asyncio.Task[None]] = {}
        self._running: set[Hashable] = set()
        self._again: dict[Hashable, tuple[float, Callable[[], Awaitable[object]]]] = {}
        self._next: dict[Hashable, asyncio.Future[object]] = {}  # result of the coming run

    def request(
        self, key: Hashable, delay: float, job: Callable[[], Awaitable[object]]
    ) -> asyncio.Future[object]:
        """Run ``job`` for ``key`` after ``delay`` seconds without a newer request."""
        served = self._next.get(key)
        if served is None:
            served = self._next[key] = asyncio.get_running_loop().create_future()
        if key in self._running:
            previous = self._again.get(key)
            self._again[key] = (min(delay, previous[0]) if previous else delay, job)
            return served
        waiting = self._waiting.pop(key, None)
        if waiting is not None:
            waiting.cancel()
        self._waiting[key] = asyncio.ensure_future(self._run(key, delay, job))
        return served

    async def _run(self, key: Hashable, delay: float, job: Callable[[], Awaitable[object]]) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        if self._waiting.get(key) is asyncio.current_task():
            del self._waiting[key]
        served = self._next.pop(key, None)
        self._running.add(key)
        result: object = None
        try:
            result = await job()
        except Exception as exc:  # a bug costs this one job, never the session
            report(f"{self.what} {key}", exc)
        finally:
            self._running.discard(key)
            _resolve(served, result)
        again = self._again.pop(key, None)
        if again is not None:
            self.request(key, again[0], again[1])

    def cancel(self, key: Hashable) -> None:
        """Forget a waiting job (a running one finishes)."""
        waiting = self._waiting.pop(key, None)
        if waiting is not None:
            waiting.cancel()
        self._again.pop(key, None)
        _resolve(self._next.pop(key, None), None)

    def cancel_all(self) -> None:
        """Forget every waiting job."""
        for key in [*self._waiting, *self._again, *self._next]:
            self.cancel(key)


def _resolve(future: asyncio.Future[object] | None, result: object) -> None:
    if future is not None and not future.done():
        future.set_result(result)


def location_of(uri: str) -> str:
    """The file a URI names (an absolute path), or the URI itself when it is no file."""
    try:
        path = to_fs_path(uri)
    except ValueError:  # "file://[x": not a URI pygls can read
        return uri
    return os.path.abspath(path) if path and uri.startswith("file:") else uri


class KubelintServer(LanguageServer):
    """A kubelint session: the projects, the threads, what was published."""

    protocol: KubelintProtocol

    def __init__(self) -> None:
        super().__init__(
            "kubelint",
            __version__,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            protocol_cls=KubelintProtocol,
        )
        self.projects = Projects()
        self.analysis_pool = ThreadPoolExecutor(1, thread_name_prefix="kubelint-analysis")
        self.index_pool = ThreadPoolExecutor(1, thread_name_prefix="kubelint-index")
        self.cursor_pool = ThreadPoolExecutor(1, thread_name_prefix="kubelint-cursor")
        self.checks = Debouncer("checking")
        self.indexes = Debouncer("indexing")
        self.checked: dict[str, Checked] = {}  # uri -> the last checked text and its findings
        self.versions: dict[str, str] = {}  # uri -> Kubernetes version its project targets
        self.shown: dict[str, int] = {}  # uri -> number of diagnostics on screen
        self.uris: dict[str, str] = {}  # location -> the URI the client opened it by
        self.warned: set[str] = set()

    def feature(self, feature_name: str, options: Any | None = None) -> Callable[[F], F]:
        """Register a handler, guarded: if it fails, the answer is null and the log one line."""
        register = super().feature(feature_name, options)

        def decorator(handler: F) -> F:
            register(guarded(feature_name, handler))
            return handler

        return decorator

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls' own failures: one line in the log (no message box in the editor).

        A request that failed was answered with its error, and logged, already.
        """
        if source is not FeatureRequestError:
            report("the protocol", error)

    # -- helpers -----------------------------------------------------------------------
    def document(self, uri: str) -> Document | None:
        """The open document at ``uri``, or None (not open, or not initialized yet)."""
        documents = self.protocol.documents
        return documents.document(uri) if documents is not None else None

    def text_of(self, uri: str) -> Text | None:
        """The text of an open document, with its position conversions; None if not open."""
        document = self.document(uri)
        return document.text() if document is not None else None

    async def answer(self, work: Callable[[], T]) -> T:
        """Run a request's work on the cursor thread (so the loop keeps reading)."""
        return await asyncio.get_running_loop().run_in_executor(self.cursor_pool, work)

    def stop(self) -> None:
        """Stop every job: the session ends, nothing waits for a check still running."""
        self.checks.cancel_all()
        self.indexes.cancel_all()
        self.projects.reset()  # stops indexing: the process exits without waiting for it
        for pool in (self.analysis_pool, self.index_pool, self.cursor_pool):
            pool.shutdown(wait=False, cancel_futures=True)

    def uri_for(self, location: str) -> str:
        """The URI to publish a file's diagnostics under."""
        known = self.uris.get(location)
        if known is not None:
            return known
        return location if "://" in location else (from_fs_path(location) or location)

    def open_uris(self) -> list[str]:
        """Every open document."""
        documents = self.protocol.documents
        return documents.uris() if documents is not None else []

    def codec(self) -> Any:
        """The position codec negotiated with the client."""
        return self.workspace.position_codec

    def schemas_for(self, uri: str) -> schema_store.KubernetesSchemas:
        """The bundled schemas of the version a document is checked against."""
        return schema_store.schemas_for(self.versions.get(uri) or schema_store.latest_version())

    # -- work on the threads -----------------------------------------------------------
    def _publications(self, project: Project, locations: Iterable[str]) -> list[Publication]:
        """Diagnostics for files of a project (runs on a worker thread)."""
        out: list[Publication] = []
        for location in sorted(locations):
            text = project.text_of(location)
            if text is None:
                try:  # without its BOM, as editors show it; never blocks on a FIFO
                    text = read_file(location).decode("utf-8-sig", errors="replace")
                except (OSError, ValueError):  # ValueError: a NUL in the path
                    text = ""
            findings = project.findings(location)
            found = diagnostics(findings, Text(text, self.codec()))
            out.append(Publication(self.uri_for(location), None, found))
        return out

    def _check_buffer(
        self, uri: str, text: Text, version: int | None
    ) -> tuple[Project, bool, list[Publication], list[Finding]]:
        """Check one buffer (runs on the analysis thread)."""
        cpu = time.thread_time()
        location = location_of(uri)
        project, fresh = self.projects.project_for(location)
        changed = project.update_buffer(location, text.text)
        findings = project.findings(location)
        others = self._publications(project, changed - {location})
        own = diagnostics(findings, text)
        log.debug("checking %s took %.0f ms of CPU", uri, (time.thread_time() - cpu) * 1000)
        return project, fresh, [Publication(uri, version, own), *others], findings

    def publish(self, publications: Iterable[Publication]) -> None:
        """Send diagnostics; files never shown with any are not sent an empty list."""
        for item in publications:
            unseen = not item.diagnostics and not self.shown.get(item.uri)
            if unseen and self.document(item.uri) is None:
                continue
            self.shown[item.uri] = len(item.diagnostics)
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(
                    uri=item.uri, diagnostics=item.diagnostics, version=item.version
                )
            )

    def _warn(self, project: Project) -> None:
        error = project.settings.error
        if error and error not in self.warned:
            self.warned.add(error)
            self.window_show_message(
                lsp.ShowMessageParams(type=lsp.MessageType.Warning, message=f"kubelint: {error}")
            )

    # -- scheduling --------------------------------------------------------------------
    def schedule(self, uri: str, delay: float) -> asyncio.Future[object]:
        """Check a buffer after ``delay`` seconds of quiet; the future gets the check."""
        return self.checks.request(uri, delay, lambda: self.analyse(uri))

    async def analyse(self, uri: str) -> Checked | None:
        """Check an open buffer now and publish its diagnostics (and those it changed)."""
        document = self.document(uri)
        if document is None:
            return None
        text, version = document.text(), document.version
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        project, fresh, publications, findings = await loop.run_in_executor(
            self.analysis_pool, self._check_buffer, uri, text, version
        )
        checked = Checked(text, findings)
        self.checked[uri] = checked
        self.versions[uri] = project.settings.options.kubernetes_version
        self.publish(publications)
        log.debug(
            "%s version %s: %d findings in %.0f ms",
            uri,
            version,
            len(findings),
            (time.perf_counter() - started) * 1000,
        )
        if fresh:
            self._warn(project)
            if project.folder:
                self.schedule_index(project.root, 0)
            for other in self.open_uris():
                if other != uri:
                    self.schedule(other, 0)
        return checked

    def schedule_index(self, root: Path, delay: float) -> None:
        """Index a workspace folder after ``delay`` seconds of quiet."""
        self.indexes.request(root, delay, lambda: self.index(root))

    async def index(self, root: Path) -> None:
        """Index a workspace folder now and publish what changed."""
        prefix = str(root) + os.sep
        shown = [location_of(uri) for uri, count in self.shown.items() if count]
        loop = asyncio.get_running_loop()

        def work() -> tuple[Project, bool, list[Publication]]:
            project = self.projects.folder_project(root)
            first = not project.indexed
            changed = project.refresh()
            if first:  # a new project: every file, and clear what an old one showed
                changed |= {location for location in shown if location.startswith(prefix)}
            return project, first, self._publications(project, changed)

        project, first, publications = await loop.run_in_executor(self.index_pool, work)
        self._warn(project)
        self.publish(publications)
        if first:  # CRDs of the folder may now validate the open buffers' custom resources
            for uri in self.open_uris():
                if location_of(uri).startswith(prefix):
                    self.schedule(uri, 0)

    def reload(self) -> None:
        """The configuration changed: rebuild every project and check everything again."""
        self.projects.reset()
        self.warned.clear()
        for uri in self.open_uris():
            self.schedule(uri, 0)
        for folder in self.projects.folders():
            self.schedule_index(folder, 0)


def folders_of(server: KubelintServer) -> list[Path]:
    """The workspace folders the client named (or its root); URIs of no folder left out."""
    found = [location_of(f.uri) for f in server.workspace.folders.values()]
    found = [f for f in found if os.path.isabs(f)]
    if not found and server.workspace.root_path:
        found = [server.workspace.root_path]
    return [Path(os.path.abspath(f)) for f in found if f]


def create_server() -> KubelintServer:
    """A server with every handler registered."""
    server = KubelintServer()

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: KubelintServer, params: lsp.InitializedParams) -> None:
        ls.projects.set_folders(folders_of(ls))
        for folder in ls.projects.folders():
            ls.schedule_index(folder, 0)
        capabilities = ls.client_capabilities.workspace
        watched = capabilities.did_change_watched_files if capabilities else None
        if watched is not None and watched.dynamic_registration:
            patterns = [*_WATCHED, *(f"**/{name}" for name in CONFIG_NAMES)]
            options = lsp.DidChangeWatchedFilesRegistrationOptions(
                watchers=[lsp.FileSystemWatcher(glob_pattern=p) for p in patterns]
            )
            registration = lsp.Registration(
                id="kubelint-watched-files",
                method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=options,
            )
            try:
                await ls.client_register_capability_async(
                    lsp.RegistrationParams(registrations=[registration])
                )
            except Exception as exc:  # a client that refuses still gets diagnostics
                log.info("file watching not registered: %s", exc)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(ls: KubelintServer, params: lsp.DidChangeWorkspaceFoldersParams) -> None:
        ls.projects.set_folders(folders_of(ls))
        ls.projects.reset()
        for uri in ls.open_uris():
            ls.schedule(uri, 0)
        for folder in ls.projects.folders():
            ls.schedule_index(folder, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: KubelintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.uris[location_of(uri)] = uri
        ls.schedule(uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: KubelintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: KubelintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        location = location_of(uri)
        if Path(location).name in {*CONFIG_NAMES, "pyproject.toml"}:
            ls.reload()  # the configuration was edited in the editor itself
            return
        ls.schedule(uri, 0)
        for folder in ls.projects.folders():
            if location.startswith(str(folder) + os.sep):
                ls.schedule_index(folder, REINDEX_DELAY)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: KubelintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.checks.cancel(uri)
        ls.checked.pop(uri, None)
        location = location_of(uri)
        loop = asyncio.get_running_loop()

        def work() -> tuple[bool, list[Publication]]:
            project, _ = ls.projects.project_for(location)
            changed = project.close_buffer(location)
            stays = project.folder and project.contains(location)
            return stays, ls._publications(project, changed)

        stays, publications = await loop.run_in_executor(ls.analysis_pool, work)
        if not stays:  # no longer part of any run: nothing to show for it
            publications = [p for p in publications if p.uri != uri]
            publications.append(Publication(uri, None, []))
        ls.publish(publications)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: KubelintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        names = {Path(location_of(change.uri)).name for change in params.changes}
        if names & {*CONFIG_NAMES, "pyproject.toml"}:
            ls.reload()
            return
        for folder in ls.projects.folders():
            prefix = str(folder) + os.sep
            if any(location_of(c.uri).startswith(prefix) for c in params.changes):
                ls.schedule_index(folder, REINDEX_DELAY / 4)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: KubelintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        uri = params.text_document.uri
        text = ls.text_of(uri)
        if text is None:
            return None
        return await ls.answer(lambda: hover_at(text, params.position, ls.schemas_for(uri)))

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[":"]))
    async def completion(
        ls: KubelintServer, params: lsp.CompletionParams
    ) -> lsp.CompletionList | None:
        uri = params.text_document.uri
        text = ls.text_of(uri)
        if text is None:
            return None
        return await ls.answer(lambda: completions(text, params.position, ls.schemas_for(uri)))

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    async def code_action(
        ls: KubelintServer, params: lsp.CodeActionParams
    ) -> list[lsp.CodeAction] | None:
        only = params.context.only
        if only and not any(lsp.CodeActionKind.QuickFix.startswith(kind) for kind in only):
            return None  # the client asked for other kinds of action (e.g. source.*)
        uri = params.text_document.uri
        document = ls.document(uri)
        if document is None:
            return None
        checked = ls.checked.get(uri)
        if checked is None or checked.text.text != document.source:
            done = await ls.schedule(uri, 0)  # shares a check under way, adds none
            checked = done if isinstance(done, Checked) else None
        if checked is None:
            return None
        text, findings = checked.text, checked.findings
        actions = await ls.answer(lambda: code_actions(uri, text, findings, params.range))
        return actions or None

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: KubelintServer, params: None) -> None:
        ls.stop()

    return server
