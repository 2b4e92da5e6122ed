"""The one atomic writer: modes, clean refusals that name the target, no stray temp files."""

import contextlib
import errno
import os
import stat

import pytest

from scratchnet import fileio


@contextlib.contextmanager
def umask(mask):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_follows_the_umask(tmp_path):
    with umask(0o027):
        fileio.write_bytes(tmp_path / "a.bin", b"x")
    with umask(0o002):
        fileio.write_bytes(tmp_path / "b.bin", b"x")
    assert mode(tmp_path / "a.bin") == 0o640 and mode(tmp_path / "b.bin") == 0o664


def test_an_overwritten_file_keeps_its_mode(tmp_path):
    p = tmp_path / "a.bin"
    p.write_bytes(b"old")
    os.chmod(p, 0o604)
    with umask(0o077):
        fileio.write_bytes(p, b"new")
    assert p.read_bytes() == b"new" and mode(p) == 0o604


def _only(tmp_path, *names):
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)


@pytest.mark.parametrize("where,err,reason", [
    ("fsync", errno.ENOSPC, "the disk is full"),
    ("replace", errno.EROFS, "the folder is on a read-only file system"),
    ("replace", errno.EACCES, "permission denied"),
])
def test_a_failed_write_names_the_target_and_the_reason_and_keeps_the_old_file(
        tmp_path, monkeypatch, where, err, reason):
    p = tmp_path / "s.scratchnet"
    p.write_bytes(b"old")

    def fail(*a, **k):
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(fileio.os, where, fail)
    with pytest.raises(fileio.WriteError) as info:
        fileio.write_bytes(p, b"new")
    monkeypatch.undo()
    msg = str(info.value)
    assert msg == f"cannot write {p}: {reason}" and info.value.errno == err
    assert isinstance(info.value, OSError) and isinstance(info.value, ValueError)
    assert p.read_bytes() == b"old"
    _only(tmp_path, "s.scratchnet")


def test_a_failure_inside_the_block_names_the_target_not_the_temp_file(tmp_path):
    p = tmp_path / "plot.png"
    with pytest.raises(fileio.WriteError, match=rf"^cannot write {p}: the disk is full$"):
        with fileio.atomic_path(p):
            raise OSError(errno.ENOSPC, "No space left on device", "/x/.scratchnet-abc.png")
    _only(tmp_path)


def test_missing_folder_and_path_through_a_file(tmp_path):
    (tmp_path / "afile").write_text("")
    with pytest.raises(fileio.WriteError, match="nope/x.bin: the folder does not exist"):
        fileio.write_bytes(tmp_path / "nope" / "x.bin", b"")
    with pytest.raises(fileio.WriteError, match="afile/x.bin: a part of the path is a file"):
        fileio.write_bytes(tmp_path / "afile" / "x.bin", b"")


def test_check_writable_refuses_before_anything_is_written(tmp_path):
    (tmp_path / "afile").write_text("")
    (tmp_path / "adir").mkdir()
    cases = [((tmp_path / "afile", True), "afile: it is a file, not a folder"),
             ((tmp_path / "adir", False), "adir: it is a folder"),
             ((tmp_path / "nope" / "s.scratchnet", False), "the folder does not exist"),
             ((tmp_path / "afile" / "sub", True), "a part of the path is a file")]
    for (path, folder), message in cases:
        with pytest.raises(fileio.WriteError, match=message):
            fileio.check_writable(path, folder=folder)
    fileio.check_writable(tmp_path / "new" / "deeper", folder=True)  # created later
    fileio.check_writable(tmp_path / "afile")  # overwritten later
    _only(tmp_path, "afile", "adir")


def test_a_fifo_is_refused_as_input_without_opening_it(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="FIFO"):
        fileio.regular_file(fifo)
