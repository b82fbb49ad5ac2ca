"""The ``kubelint lsp`` command: a language server over standard input and output."""

from __future__ import annotations

import logging
import sys

import click


@click.command("lsp")
@click.option(
    "--stdio",
    is_flag=True,
    help="Speak over standard input/output (the default and only transport).",
)
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the server's log to this file.",
)
@click.option("--verbose", "-v", is_flag=True, help="Log the time each check takes.")
def lsp_command(stdio: bool, log_file: str | None, verbose: bool) -> None:
    """Run the language server (for editors): diagnostics, fixes, hover, completion."""
    sys.exit(main(log_file=log_file, verbose=verbose))


def main(log_file: str | None = None, *, verbose: bool = False) -> int:
    """Serve on stdio until the client exits; returns the exit status (0 after shutdown)."""
    if log_file:
        logging.basicConfig(filename=log_file, level=logging.WARNING)
    else:  # stdout is the protocol channel: log to stderr only
        logging.basicConfig(level=logging.WARNING)
    if verbose:  # kubelint's own timings; pygls' message dumps stay off
        logging.getLogger("kubelint").setLevel(logging.DEBUG)
    from kubelint.lsp.server import create_server
    from kubelint.lsp.stdio import serve

    return serve(create_server())
