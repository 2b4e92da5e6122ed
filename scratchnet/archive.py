"""Reading an ``.npz`` archive from an untrusted file without trusting its sizes.

``np.load`` allocates whatever an ``.npy`` header asks for and inflates whatever a zip
member holds. Here every size is checked first: the file's, each member's and their
total as the zip directory states them (before one byte is inflated), and each array's
header against its member's size (before the array is allocated). The zip reader never
returns more than a member's stated size, so the checked sizes bound the memory used.
Only plain numeric arrays are accepted; nothing is ever unpickled.
"""

from __future__ import annotations

import ast
import io
import re
import zipfile

import numpy as np

from .checks import over_limit

# The largest session ScratchNet makes is below this: 2,000,000 CSV rows × 60 columns
# of float64 is 960 MB (a wider file of that many rows is over the 200 MiB CSV limit), a 4096-wide layer with Adam state 384 MiB. A zip bomb
# (4 MB on disk, 4 GiB inflated) is refused from its directory.
MAX_UNCOMPRESSED = 1 << 30
MAX_MEMBERS = 1024


def max_file() -> int:
    """The largest file that may hold ``MAX_UNCOMPRESSED`` bytes of arrays: deflate
    grows incompressible data (random weights) a little, and the zip adds headers."""
    return MAX_UNCOMPRESSED + MAX_UNCOMPRESSED // 64 + 2**20
# numeric kinds only: bool, signed and unsigned integers, floats
_KINDS = "biuf"
_NAME = re.compile(r"[A-Za-z0-9_.]{1,64}\.npy")


class ArchiveError(ValueError):
    """The archive is not a readable, plain, size-bounded ``.npz``."""


def _check_directory(zf: zipfile.ZipFile) -> list:
    infos = zf.infolist()
    if not infos:
        raise ArchiveError("the archive is empty")
    if len(infos) > MAX_MEMBERS:
        raise ArchiveError(f"the archive holds {len(infos)} entries; the limit is {MAX_MEMBERS}")
    total = 0
    for info in infos:
        if not _NAME.fullmatch(info.filename):
            raise ArchiveError(f"unexpected entry {info.filename[:80]!r} in the archive")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveError(f"entry {info.filename!r} uses an unsupported compression")
        total += info.file_size
    if total > MAX_UNCOMPRESSED:
        size, cap = over_limit(total, MAX_UNCOMPRESSED)
        raise ArchiveError(f"its entries would expand to {size}; the limit is {cap}")
    return infos


def check(payload: bytes) -> None:
    """Refuse ``payload`` (an ``.npz`` about to be written) if :func:`read` would: the
    writer's check of the reader's limits, so what is written can be read.

    Raises
    ------
    ArchiveError
    """
    if len(payload) > max_file():
        size, cap = over_limit(len(payload), max_file())
        raise ArchiveError(f"it would take {size}; the limit is {cap}")
    try:
        zf = zipfile.ZipFile(io.BytesIO(payload))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ArchiveError("not a zip archive") from None
    with zf:
        _check_directory(zf)


def _header(fh, name: str, size: int):
    """``(dtype, shape, fortran, data_bytes)`` from an ``.npy`` header, checked."""
    try:
        version = np.lib.format.read_magic(fh)
        if version not in ((1, 0), (2, 0), (3, 0)):
            raise ValueError(f"unknown .npy version {version}")
        # parse the header as a literal ourselves: numpy would accept a pickled dtype
        hlen_bytes = fh.read(2 if version == (1, 0) else 4)
        hlen = int.from_bytes(hlen_bytes, "little")
        if len(hlen_bytes) not in (2, 4) or hlen > 65536:
            raise ValueError("bad header length")
        text = fh.read(hlen).decode("latin1" if version != (3, 0) else "utf-8")
        d = ast.literal_eval(text)
        descr, fortran, shape = d["descr"], d["fortran_order"], d["shape"]
    except (ValueError, SyntaxError, KeyError, TypeError, UnicodeDecodeError, MemoryError) as e:
        raise ArchiveError(f"entry {name!r} is not a plain .npy array ({e})") from None
    if not (isinstance(descr, str) and isinstance(fortran, bool) and isinstance(shape, tuple)
            and len(shape) <= 4 and all(type(s) is int and s >= 0 for s in shape)):
        raise ArchiveError(f"entry {name!r} has a malformed .npy header")
    try:
        dtype = np.dtype(descr)
    except (TypeError, ValueError):
        raise ArchiveError(f"entry {name!r} has an unknown dtype {descr[:40]!r}") from None
    if dtype.kind not in _KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise ArchiveError(f"entry {name!r} holds {dtype} data, not numbers")
    count = 1
    for s in shape:
        count *= s
    header_bytes = 6 + 2 + len(hlen_bytes) + hlen
    if count * dtype.itemsize != size - header_bytes:
        raise ArchiveError(f"entry {name!r}: its header promises shape {shape} of {dtype}, "
                           f"which does not match its {size} bytes")
    return dtype, shape, fortran, count * dtype.itemsize


def read(payload: bytes) -> dict:
    """The arrays of an ``.npz`` held in ``payload``, keyed by name without ``.npy``.

    Raises
    ------
    ArchiveError
        For anything but a zip of plain numeric ``.npy`` arrays within the size limits.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(payload))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ArchiveError("not a zip archive") from None
    arrays = {}
    with zf:
        for info in _check_directory(zf):
            name = info.filename[:-4]
            if name in arrays:
                raise ArchiveError(f"entry {name!r} appears twice")
            try:
                with zf.open(info) as fh:
                    dtype, shape, fortran, nbytes = _header(fh, name, info.file_size)
                    raw = fh.read(nbytes)
            except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError,
                    ValueError) as e:
                if isinstance(e, ArchiveError):
                    raise
                raise ArchiveError(f"entry {name!r} is damaged ({e})") from None
            if len(raw) != nbytes:
                raise ArchiveError(f"entry {name!r} is truncated")
            a = np.frombuffer(raw, dtype=dtype).reshape(shape, order="F" if fortran else "C")
            arrays[name] = a.astype(dtype.newbyteorder("="), copy=True)
    return arrays
