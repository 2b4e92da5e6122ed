"""Saving and loading a whole session: one ``.scratchnet`` file, JSON plus npz, no pickle.

The file is an ``.npz`` archive (a zip of ``.npy`` arrays) holding ``meta.json`` as a
byte array next to the arrays: the settings, architecture, history, cursor, optimizer
scalars and RNG states in JSON; weights, optimizer state, the shuffled order and (for CSV
data) the raw points as arrays. It is written through ``fileio`` (temporary file, fsync,
rename), so a crash never leaves half a file. It is read without ``np.load``: the zip
directory's sizes are capped before anything is inflated, every ``.npy`` header is
checked against its entry before an array is allocated, nothing is unpickled, and every
field of ``meta.json`` is checked before any of it is used.
"""

from __future__ import annotations

import io
import json
import os

import numpy as np

from . import archive, checks, data, diagnostics, fileio, session_meta, session_timeline
from .config import Config, make_trainer
from .network import Dense, Network
from .trainer import History, Trainer

FORMAT = "scratchnet-session"
VERSION = 2         # 2 adds the timeline; version 1 files read as ever
READS = (1, 2)


def _rng_state(rng) -> dict:
    return rng.bit_generator.state


def _set_rng(rng, state) -> None:
    rng.bit_generator.state = state


def save(path, trainer: Trainer, config: Config, raw=None, settings: dict | None = None) -> None:
    """Write ``trainer`` (network, optimizer, history, cursor, RNGs), ``config`` and, for
    CSV data, ``raw = (X, y, names)`` or ``(X, y, names, classes)`` (class names, as
    ``data.read_csv`` returns them) to ``path`` atomically.

    Raises
    ------
    SessionError
        Before writing, if the reader would refuse the file (its size limits).
    """
    net, opt = trainer.network, trainer.optimizer
    _check_room(sum(p.nbytes for p in net.parameters()) * (1 + len(opt.state)), 0, path)
    arrays = {"order": trainer.order}
    for i, L in enumerate(net.layers):
        arrays[f"W{i}"], arrays[f"b{i}"] = L.weights, L.biases
    for key, slots in opt.state.items():
        for i, a in enumerate(slots):
            arrays[f"opt_{key}_{i}"] = a
    if raw is not None:
        arrays["raw_X"], arrays["raw_y"] = raw[0], raw[1]
    arrays.update(_start_arrays(trainer))
    timeline, tl_arrays = session_timeline.pack(getattr(trainer, "timeline", None))
    arrays.update(tl_arrays)
    meta = {
        "format": FORMAT, "version": VERSION, "config": config.to_dict(),
        "settings": settings or {},
        "network": {"sizes": net.sizes, "activations": [L.activation for L in net.layers],
                    "output": net.output, "init": net.init, "rng": _rng_state(net.rng),
                    "target": [net.target_mean, net.target_std]},
        "optimizer": {**opt.hyperparameters(), "t": opt.t, "slots": {k: len(v) for k, v in opt.state.items()}},
        "trainer": {"epoch": trainer.epoch, "cursor": trainer.cursor,
                    "samples_seen": trainer.samples_seen, "seconds": trainer.seconds,
                    "batch_size": trainer.batch_size, "l1": trainer.l1, "l2": trainer.l2,
                    "target_auc": trainer.target_auc, "target_on": trainer.target_on,
                    "rng": _rng_state(trainer.rng),
                    "rng_at_epoch": getattr(trainer, "rng_at_epoch", None)},
        "history": trainer.history.rows,
        "timeline": timeline,
        "raw_names": list(raw[2]) if raw is not None else None,
        "raw_classes": _classes(raw),
    }
    arrays["meta.json"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    _check_room(sum(a.nbytes for a in arrays.values()), len(arrays), path)  # before deflate
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    try:  # the reader's own limits, exactly: what is written can be read
        archive.check(buf.getbuffer())
    except archive.ArchiveError as e:
        raise SessionError(f"cannot save {os.fspath(path)}: {e}; {ROOM_HINT}") from None
    fileio.write_bytes(path, buf.getvalue())


ROOM_HINT = "a smaller network, less data or a shorter history fits"


def _check_room(nbytes: int, members: int, path=None) -> None:
    """Refuse a session of ``nbytes`` of arrays in ``members`` entries that the reader
    would refuse (``archive.MAX_UNCOMPRESSED``, ``archive.MAX_MEMBERS``)."""
    where = f"cannot save {os.fspath(path)}: " if path is not None else ""
    if nbytes > archive.MAX_UNCOMPRESSED:
        size, cap = checks.over_limit(nbytes, archive.MAX_UNCOMPRESSED)
        raise SessionError(f"{where}the session would take {size}; a session holds at "
                           f"most {cap}: {ROOM_HINT}")
    if members > archive.MAX_MEMBERS:
        raise SessionError(f"{where}the session would hold {members:,} arrays; the limit "
                           f"is {archive.MAX_MEMBERS:,}")


def check_room(sizes, optimizer: str, n_train: int, raw_values: int = 0,
               history_rows: int = 1, timeline: bool = False, path=None) -> None:
    """Refuse, before any training, a session the reader could not read back: a network
    of ``sizes`` with ``optimizer``'s state, ``n_train`` rows' order, ``raw_values``
    numbers of CSV data, ``history_rows`` epochs of history and (``timeline``) a full
    timeline.

    Raises
    ------
    SessionError
    """
    params = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    slots = {"sgd": 0, "momentum": 1, "adam": 2}[optimizer]
    # 15 columns, and the diagnostics' 4 per layer, of ~20 characters of JSON at most
    history = history_rows * (15 + len(diagnostics.history_keys(len(sizes) - 1))) * 20
    # (no start weights: a run the command line saves ends at an epoch's end)
    nbytes = (8 * params * (1 + slots) + 8 * n_train + 8 * raw_values + history
              + (session_timeline.MAX_SAVED_BYTES if timeline else 0))
    _check_room(nbytes, 2 * (len(sizes) - 1) * (1 + slots) + 4 + 128, path)


def _classes(raw):
    if raw is None or len(raw) < 4 or raw[3] is None:
        return None
    return [str(c) for c in raw[3]]


class SessionError(ValueError):
    """A session file that cannot be loaded; the message names the file and what is wrong."""


def load(path):
    """Read a session: ``(trainer, config, dataset, settings)``.

    Every field is checked (types, ranges, sizes against each other and against the
    caps) before any of it is used, and sizes are checked before anything is allocated
    or inflated (see :mod:`scratchnet.archive` and :mod:`scratchnet.session_meta`).

    Raises
    ------
    SessionError
        For a missing, unreadable, non-regular (FIFO, device), truncated, corrupt,
        oversized, foreign or inconsistent file, naming ``path`` and the problem.
        Nothing is changed in the caller's state: a new trainer is built from the file.
    """
    path = os.fspath(path)
    try:
        return _load(path)
    except SessionError:
        raise
    except ValueError as e:  # the checks' messages
        raise SessionError(f"{path}: {e}") from None
    except (TypeError, KeyError, IndexError, AttributeError, OverflowError, MemoryError) as e:
        # a gap in the checks: still a clean refusal (the fuzz test hunts for these)
        raise SessionError(f"{path}: inconsistent session ({type(e).__name__}: {e})") from None


def _load(path: str):
    try:
        size = fileio.regular_file(path, "ScratchNet session")  # a FIFO would block in open()
    except ValueError as e:  # already names the path
        raise SessionError(str(e)) from None
    if size > archive.max_file():
        shown, cap = checks.over_limit(size, archive.max_file())
        raise SessionError(f"{path}: {shown} is larger than any session (the limit is {cap})")
    try:
        with open(path, "rb") as fh:
            payload = fh.read()
    except OSError as e:
        raise SessionError(f"{path}: cannot be read ({e.strerror or e})") from None
    try:
        arrays = archive.read(payload)
    except archive.ArchiveError as e:
        raise SessionError(f"{path}: not a ScratchNet session, or a damaged one: {e}") from None
    if "meta.json" not in arrays:
        raise SessionError(f"{path}: not a ScratchNet session (no meta.json inside)")
    try:
        meta = json.loads(arrays["meta.json"].astype(np.uint8, copy=False).tobytes()
                          .decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        raise SessionError(f"{path}: its meta.json is not valid JSON ({e})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise SessionError(f"{path}: not a ScratchNet session")
    if type(meta.get("version")) is not int or meta["version"] not in READS:
        raise SessionError(f"{path}: session format version {str(meta.get('version'))[:20]}; "
                           f"this ScratchNet reads versions "
                           f"{', '.join(map(str, READS))}")
    checked = session_meta.check(meta, arrays)
    sizes = checked.sizes
    timeline = session_timeline.unpack(meta.get("timeline"), arrays, sizes[0], sizes[-1],
                                       checked.trainer["epoch"],
                                       len(checked.history["epoch"]),
                                       checked.network["output"])
    return _rebuild(checked, timeline)


def _rebuild(c: session_meta.Checked, timeline=None):
    dataset = data.build(c.config.data, c.raw)
    n = c.network
    net = Network(c.sizes, activation=n["activations"][:-1], output=n["output"], init=n["init"],
                  target_mean=n["target"][0], target_std=n["target"][1])
    net.layers = [Dense(W, b, a) for (W, b), a in zip(c.weights, n["activations"])]
    _set_rng(net.rng, n["rng"])
    trainer = make_trainer(c.config, dataset, network=net)
    trainer.optimizer = c.optimizer  # its own saved hyperparameters, not the Config's
    c.optimizer.state, c.optimizer.t = c.opt_state, c.opt_t
    t = c.trainer
    trainer.order = c.order
    trainer.epoch, trainer.cursor = t["epoch"], t["cursor"]
    trainer.samples_seen, trainer.seconds = t["samples_seen"], t["seconds"]
    trainer.batch_size = t["batch_size"]
    trainer.l1, trainer.l2 = t["l1"], t["l2"]
    trainer.target_auc, trainer.target_on = t["target_auc"], t["target_on"]
    _set_rng(trainer.rng, t["rng"])
    trainer.rng_at_epoch = c.trainer["rng_at_epoch"]  # None: unknown (an older session)
    trainer.history = History(c.history, keys=trainer.task.history_keys + tuple(
        k for k in c.history if diagnostics.is_key(k)))
    trainer.timeline = timeline
    _restore_start(trainer, c.start)
    trainer.tag = c.config  # frames trained from here carry their settings (the CLI's too)
    return trainer, c.config, dataset, c.settings


def _start_arrays(trainer) -> dict:
    """Within an epoch, the weights at its start (its ``update_ratio_k`` needs them)."""
    start = getattr(trainer, "epoch_start", None)
    shapes = [L.weights.shape for L in trainer.network.layers]
    if trainer.cursor == 0 or start is None or [W.shape for W in start] != shapes:
        return {}
    return {f"start_W{i}": W for i, W in enumerate(start)}


def _restore_start(trainer, start) -> None:
    """The weights the next ``update_ratio_k`` measures from (see ``diagnostics``)."""
    if start is not None or trainer.cursor != 0:
        trainer.epoch_start, trainer._ratio_base = start, None
        return
    trainer.epoch_start = diagnostics.weights_of(trainer.network)
    prev = None if trainer.timeline is None else trainer.timeline.at(trainer.epoch - 1)
    if prev is not None and prev.epoch == trainer.epoch - 1:
        trainer._ratio_base = diagnostics.weights_of(prev.network)
