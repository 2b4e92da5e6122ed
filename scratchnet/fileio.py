"""Files: one atomic writer, a check that an output can be written, and a reader guard.

Every file ScratchNet writes (sessions, exports, GIFs) goes through :func:`atomic_path`:
the bytes land in a temporary file in the target's own folder, are flushed to disk, and
the temporary file is renamed over the target. A crash or a full disk leaves either the
old file or the new one, never half of one, and never a stray temporary file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile


class WriteError(OSError, ValueError):
    """A file could not be written; the message names the target and the OS reason.

    It is an ``OSError`` (so ``except OSError`` still catches it) and a ``ValueError``
    (like ``io.UnsupportedOperation``), so callers that show ``ValueError`` messages to
    the user show this one too, without a traceback.
    """


def _write_error(message: str, err: int | None) -> WriteError:
    e = WriteError(message)  # one argument: OSError(errno, text) prints "[Errno n] text"
    e.errno = err
    return e


def _umask() -> int:
    # /proc avoids os.umask's set-and-restore, which races with other threads' writes
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _reason(e: OSError) -> str:
    if e.errno == errno.ENOSPC:
        return "the disk is full"
    if e.errno == errno.EROFS:
        return "the folder is on a read-only file system"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if e.errno == errno.ENOENT:
        return "the folder does not exist"
    if e.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if e.errno == errno.EISDIR:
        return "it is a folder"
    return e.strerror or str(e)


def error(path, e: OSError) -> WriteError:
    """A :class:`WriteError` for ``path`` that failed with ``e``."""
    return _write_error(f"cannot write {os.fspath(path)}: {_reason(e)}", e.errno)


def _fsync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is still atomic
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path):
    """A temporary file name beside ``path``, renamed onto ``path`` if the block succeeds.

    Write the file under the yielded name (with ``open``, Qt or Pillow). On success it is
    flushed to disk and renamed onto ``path``: a new file gets the mode the user's umask
    allows, an overwritten file keeps its mode. On failure ``path`` is untouched and the
    temporary file is removed.

    Raises
    ------
    WriteError
        Naming ``path`` (never the temporary name) and the reason: missing or read-only
        folder, permission, full disk.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    suffix = os.path.splitext(path)[1]
    try:
        fd, tmp = tempfile.mkstemp(prefix=".scratchnet-", suffix=suffix, dir=folder)
        os.close(fd)
    except OSError as e:
        raise error(path, e) from None
    try:
        try:
            yield tmp
        except WriteError:
            raise
        except OSError as e:  # name the target, never the temporary file
            raise error(path, e) from None
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()  # mkstemp made it 0600; a new file follows the umask
        try:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except OSError as e:
            raise error(path, e) from None
        _fsync_folder(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def write_bytes(path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` atomically (see :func:`atomic_path`)."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(payload)


def check_writable(path, folder: bool = False) -> None:
    """Refuse early an output that could not be written later.

    ``path`` is a file to be written (or, with ``folder=True``, a folder to be created
    or filled). The nearest existing folder is probed by creating and removing a
    temporary file, which catches permissions, read-only file systems and paths
    through a file.

    Raises
    ------
    WriteError
    """
    path = os.fspath(path)
    full = os.path.abspath(path)
    if os.path.lexists(full):
        if folder and not os.path.isdir(full):
            raise _write_error(f"cannot write {path}: it is a file, not a folder", errno.ENOTDIR)
        if not folder and os.path.isdir(full):
            raise _write_error(f"cannot write {path}: it is a folder", errno.EISDIR)
    probe = full if folder and os.path.isdir(full) else os.path.dirname(full)
    if not folder and not os.path.isdir(probe):
        err = errno.ENOTDIR if os.path.exists(probe) else errno.ENOENT
        raise error(path, OSError(err, os.strerror(err)))
    while not os.path.exists(probe):  # a folder to be created: its first existing parent
        probe = os.path.dirname(probe)
    if not os.path.isdir(probe):
        raise error(path, OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".scratchnet-probe-", dir=probe)
    except OSError as e:
        raise error(path, e) from None
    os.close(fd)
    os.unlink(tmp)


def regular_file(path, what: str = "file") -> int:
    """The size of ``path``, or ``ValueError`` at once if it is not a regular file.

    Opening a FIFO blocks until a writer appears, and a device may never end: both are
    refused before any ``open``.
    """
    path = os.fspath(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except OSError as e:
        raise ValueError(f"{path}: cannot be read ({e.strerror or e})") from None
    if stat.S_ISDIR(st.st_mode):
        raise ValueError(f"{path}: is a folder, not a {what}")
    if not stat.S_ISREG(st.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "not a regular file"
        raise ValueError(f"{path}: is {kind}, not a {what}")
    return st.st_size
