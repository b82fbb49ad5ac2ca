"""``kubelint lsp``: the engine inside the editor, over the Language Server Protocol.

:mod:`~kubelint.lsp.analysis` holds pure functions of a document's text (diagnostics, quick
fixes, hover, completion); :mod:`~kubelint.lsp.text` converts positions between the client's
count and YAML's; :mod:`~kubelint.lsp.documents` keeps the open documents;
:mod:`~kubelint.lsp.workspace` the configuration and the index of the workspace folders;
:mod:`~kubelint.lsp.server` the protocol handlers, each behind :mod:`~kubelint.lsp.guard`;
:mod:`~kubelint.lsp.reader` cuts the input into messages, :mod:`~kubelint.lsp.protocol`
checks them before pygls dispatches them, :mod:`~kubelint.lsp.stdio` runs the session; and
:mod:`~kubelint.lsp.command` is the click command that starts it.
"""
