"""The console-script entry point: answers ``--version`` before importing anything heavy."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run ``kubelint``."""
    if sys.argv[1:] == ["--version"]:
        from kubelint import __version__

        sys.stdout.write(f"kubelint {__version__}\n")
        return
    from kubelint.cli.main import main as cli_main

    try:
        cli_main()
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    _exit(code)


def _exit(code: object) -> None:
    """End the process without tearing the interpreter down.

    Everything kubelint writes is written and closed by now (output, ``--fix``'s files,
    the workers), so freeing every object of the run one by one, which a large run pays
    for in tenths of a second and a one-file check in a tenth of its time, would change
    nothing that the operating system does not do at exit anyway.
    """
    status = 0
    if isinstance(code, int):
        status = code
    elif code is not None:  # sys.exit("message"): print it, as the interpreter would
        sys.stderr.write(f"{code}\n")
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed or broken pipe: nothing more can be said
            if stream is sys.stdout and status == 0:
                status = 1
    os._exit(status)
