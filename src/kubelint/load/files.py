"""Reading a file that must be a regular file, without ever blocking on one that is not."""

from __future__ import annotations

import errno
import os
import stat

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words (``a named pipe``, ``a socket``)."""
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def read_file(path: str, *, pipes: bool = False) -> bytes:
    """The bytes of the regular file at ``path`` (with ``pipes``, of a pipe too).

    Opened without blocking, so that a FIFO or a device put where a file was (or named
    by a walk, a kustomization, a configuration) is an error rather than a run that
    waits for a writer forever or reads ``/dev/zero`` until memory runs out. A pipe is
    read only when the user named it (``pipes``), to its end; raises :class:`OSError`.
    """
    if pipes and stat.S_ISFIFO(os.stat(path).st_mode):
        # opened blocking, to wait for its writer: a reader that opened it without
        # blocking and closed it again would throw away what a writer had put in it
        with open(path, "rb") as stream:
            return stream.read()
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb", closefd=True) as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"not a regular file ({file_kind(mode)})", path)
        return handle.read()
