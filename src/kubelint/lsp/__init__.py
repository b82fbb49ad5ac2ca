"""``kubelint lsp``: the engine inside the editor, over the Language Server Protocol.

:mod:`~kubelint.lsp.analysis` holds pure functions of a document's text (diagnostics, quick
fixes, hover, completion); :mod:`~kubelint.lsp.workspace` the configuration and the index of
the workspace folders; :mod:`~kubelint.lsp.server` the protocol handlers; and
:mod:`~kubelint.lsp.command` the click command that starts the server over stdio.
"""
