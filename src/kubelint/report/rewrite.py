"""Giving a file new content without losing anything else the user had.

The path is followed through symbolic links: the link stays, the file it names gets the
new bytes. A file with one name is replaced atomically by a verified copy in its own
directory that has its mode, owner and extended attributes; when the copy cannot have
them (someone else's group, a security label), or the file has several hard links, the
content is overwritten in place instead, after a verified backup of the old bytes, so
that every name and the inode's own metadata stay as they were. A write-protected file
(no write permission bit, or none for this user) is not touched. Whatever fails, the
file keeps its old content, temporary files are removed, and :class:`WriteError` says
why in a few words.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile

_SUFFIX = ".kubelint-tmp"


class WriteError(Exception):
    """A file could not be given its new content; it was left as it was."""


def replace_content(location: str, expected: bytes, new: bytes) -> None:
    """Write ``new`` over the file at ``location``, whose content must still be ``expected``."""
    target = os.path.realpath(location)
    try:
        info = os.stat(target)
        if not stat.S_ISREG(info.st_mode):
            raise WriteError("not a regular file")
        with open(target, "rb") as stream:
            if stream.read() != expected:
                raise WriteError("the file changed after it was checked")
        if not info.st_mode & 0o222:
            raise WriteError("the file is write-protected: make it writable to let --fix edit it")
        if not os.access(target, os.W_OK):
            raise WriteError(_not_writable(target))
        if info.st_nlink > 1 or not _replace(target, info, new):
            _overwrite(target, expected, new)
    except OSError as exc:
        raise WriteError(_reason(exc)) from exc


def _replace(target: str, info: os.stat_result, new: bytes) -> bool:
    """Swap in a verified copy; False (nothing changed) when the copy cannot keep the
    file's owner or extended attributes."""
    temporary = _verified_copy(target, new)
    try:
        if not _same_identity(temporary, target, info):
            os.unlink(temporary)
            return False
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(target)
    return True


def _overwrite(target: str, old: bytes, new: bytes) -> None:
    """Overwrite the content in place (same inode), restoring the old bytes on failure."""
    backup = _verified_copy(target, old)
    try:
        _write_at_start(target, new)
    except OSError as exc:
        try:
            _write_at_start(target, old)
        except OSError:
            raise WriteError(f"{_reason(exc)}; the old content is saved in {backup}") from exc
        os.unlink(backup)
        raise
    os.unlink(backup)


def _write_at_start(target: str, data: bytes) -> None:
    descriptor = os.open(target, os.O_WRONLY)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.ftruncate(descriptor, len(data))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _verified_copy(target: str, data: bytes) -> str:
    """A new file beside ``target`` holding ``data``, flushed to disk and read back."""
    directory, name = os.path.split(target)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=_SUFFIX, dir=directory)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
        os.lseek(descriptor, 0, os.SEEK_SET)
        if _read_all(descriptor) != data:
            raise WriteError("the written copy did not read back the same")
    except BaseException:
        os.close(descriptor)
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    os.close(descriptor)
    return temporary


def _read_all(descriptor: int) -> bytes:
    chunks = []
    while chunk := os.read(descriptor, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _same_identity(temporary: str, target: str, info: os.stat_result) -> bool:
    """Give the copy the file's owner, mode and extended attributes; False if it cannot."""
    try:
        copy = os.stat(temporary)
        if (copy.st_uid, copy.st_gid) != (info.st_uid, info.st_gid):
            os.chown(temporary, info.st_uid, info.st_gid)
        os.chmod(temporary, stat.S_IMODE(info.st_mode))  # after chown, which may clear set-id
        for attribute in _xattrs(target):
            os.setxattr(temporary, attribute, os.getxattr(target, attribute))
    except PermissionError:
        return False
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return False
        raise
    return True


def _xattrs(target: str) -> list[str]:
    try:
        return os.listxattr(target)
    except OSError:  # not supported here: there are none to keep
        return []


def _sync_directory(target: str) -> None:
    """Make the rename durable; some filesystems cannot, which is no failure."""
    try:
        descriptor = os.open(os.path.dirname(target), os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _reason(exc: OSError) -> str:
    what = exc.strerror or str(exc)
    where = exc.filename
    if isinstance(where, str) and where.endswith(_SUFFIX):
        return f"cannot write a temporary file in {os.path.dirname(where)}: {what}"
    return f"cannot write: {what}"


def _not_writable(target: str) -> str:
    try:
        read_only = bool(os.statvfs(target).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    return "the file system is read-only" if read_only else "no permission to write the file"
