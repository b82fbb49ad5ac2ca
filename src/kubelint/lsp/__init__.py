"""``kubelint lsp``: the engine inside the editor, over the Language Server Protocol.

The answers are pure functions of a document's text: :mod:`~kubelint.lsp.diagnostics`
(findings as diagnostics, quick fixes), :mod:`~kubelint.lsp.cursor` (what is at a
position: the key, its path, its span), :mod:`~kubelint.lsp.hover` and
:mod:`~kubelint.lsp.completion` (the bundled schema); they count lines and columns as the
YAML parser does and meet the client's count only through :mod:`~kubelint.lsp.text`, so
every range they return is in the client's units. :mod:`~kubelint.lsp.documents` keeps
the open documents; :mod:`~kubelint.lsp.workspace` the configuration and the index of the
workspace folders; :mod:`~kubelint.lsp.server` the protocol handlers, each behind
:mod:`~kubelint.lsp.guard`; :mod:`~kubelint.lsp.reader` cuts the input into messages,
:mod:`~kubelint.lsp.protocol` checks them before pygls dispatches them,
:mod:`~kubelint.lsp.stdio` runs the session; and :mod:`~kubelint.lsp.command` is the
click command that starts it.
"""
