"""The open documents: their text as the editor sent it, changed as the protocol says.

pygls' own documents break lines wherever ``str.splitlines`` does (form feeds, U+2028 and
more), so an edit below such a character lands on the wrong line, and they read a file from
disk when asked for one that was never opened. These keep the text the client sent and
nothing else, and apply every change through :class:`kubelint.lsp.text.Text`, whose lines
are the protocol's and whose positions are clamped into the text: a change whose range
lies past the end of a line or of the document edits at that end, as in
``vscode-languageserver-textdocument``; a range whose start comes after its end is read
the other way round.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.workspace import PositionCodec, TextDocument, Workspace

from kubelint.lsp.text import LSP_BREAK, Text


class Document(TextDocument):
    """An open document: the client's text, its version, and changes applied to it."""

    def __init__(self, uri: str, source: str, version: int | None, codec: PositionCodec) -> None:
        try:
            super().__init__(uri, source=source, version=version, position_codec=codec)
        except ValueError:  # pygls finds no path in the URI ("file://[x"): it needs none
            super().__init__("", source=source, version=version, position_codec=codec)
            self.uri = uri
        self._text = source
        self._positions: Text | None = None

    @property
    def source(self) -> str:
        """The document's text (never read from disk)."""
        return self._text

    @property
    def lines(self) -> Sequence[str]:
        """The lines as the protocol counts them, each with its line break."""
        breaks = [match.end() for match in LSP_BREAK.finditer(self._text)]
        starts = [0, *breaks]
        ends = [*breaks, len(self._text)]
        return tuple(self._text[a:b] for a, b in zip(starts, ends, strict=True) if a < b)

    def text(self) -> Text:
        """The text, with positions converted as the client counts them (kept until a change)."""
        if self._positions is None or self._positions.text is not self._text:
            self._positions = Text(self._text, self.position_codec)
        return self._positions

    def apply_change(self, change: lsp.TextDocumentContentChangeEvent) -> None:
        """Apply one change: a range replaced, or the whole text."""
        if not isinstance(change, lsp.TextDocumentContentChangePartial):
            self._text = change.text
            return
        text = self.text()
        start, end = text.offset(change.range.start), text.offset(change.range.end)
        if end < start:
            start, end = end, start
        self._text = self._text[:start] + change.text + self._text[end:]


class Documents(Workspace):
    """pygls' workspace (folders, position encoding) holding :class:`Document`\\ s."""

    @classmethod
    def like(cls, workspace: Workspace) -> Documents:
        """A workspace with the same root, folders and position encoding."""
        return cls(
            workspace.root_uri,
            workspace._sync_kind,
            list(workspace.folders.values()),
            workspace.position_encoding,
        )

    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return Document(doc_uri, source or "", version, self.position_codec)

    def document(self, uri: str) -> Document | None:
        """The open document at ``uri``, or None."""
        found = self.text_documents.get(unquote(uri))
        return found if isinstance(found, Document) else None

    def get_text_document(self, doc_uri: str) -> TextDocument:
        """The open document at ``doc_uri``; an empty one when it is not open (no disk)."""
        found = self.document(doc_uri)
        return found if found is not None else Document(doc_uri, "", None, self.position_codec)

    def update_text_document(
        self,
        text_doc: lsp.VersionedTextDocumentIdentifier,
        change: lsp.TextDocumentContentChangeEvent,
    ) -> None:
        """Apply a change to an open document; changes to others are dropped."""
        document = self.document(text_doc.uri)
        if document is not None:
            document.apply_change(change)
            document.version = text_doc.version

    def uris(self) -> list[str]:
        """The URIs of the open documents, as the client opened them."""
        return [document.uri for document in self.text_documents.values()]
