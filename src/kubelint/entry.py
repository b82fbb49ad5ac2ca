"""The console-script entry point: answers ``--version`` before importing anything heavy."""

from __future__ import annotations

import sys


def main() -> None:
    """Run ``kubelint``."""
    if sys.argv[1:] == ["--version"]:
        from kubelint import __version__

        sys.stdout.write(f"kubelint {__version__}\n")
        return
    from kubelint.cli import main as cli_main

    cli_main()
