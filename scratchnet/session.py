"""Saving and loading a whole session: one ``.scratchnet`` file, JSON plus npz, no pickle.

The file is an ``.npz`` archive (a zip of ``.npy`` arrays) holding ``meta.json`` as a
byte array next to the arrays: the settings, architecture, history, cursor, optimizer
scalars and RNG states in JSON; weights, optimizer state, the shuffled order and (for CSV
data) the raw points as arrays. It is read with ``allow_pickle=False``, and written to a
temporary file that is renamed over the target, so a crash never leaves half a file.
"""

from __future__ import annotations

import io
import json
import os
import zipfile

import numpy as np

from . import data, fileio
from .config import Config, make_trainer
from .network import Dense, Network
from .trainer import History, Trainer

FORMAT = "scratchnet-session"
VERSION = 1


def _rng_state(rng) -> dict:
    return rng.bit_generator.state


def _set_rng(rng, state) -> None:
    rng.bit_generator.state = state


def save(path, trainer: Trainer, config: Config, raw=None, settings: dict | None = None) -> None:
    """Write ``trainer`` (network, optimizer, history, cursor, RNGs), ``config`` and, for
    CSV data, ``raw = (X, y, names)`` to ``path`` atomically."""
    net, opt = trainer.network, trainer.optimizer
    arrays = {"order": trainer.order}
    for i, L in enumerate(net.layers):
        arrays[f"W{i}"], arrays[f"b{i}"] = L.weights, L.biases
    for key, slots in opt.state.items():
        for i, a in enumerate(slots):
            arrays[f"opt_{key}_{i}"] = a
    if raw is not None:
        arrays["raw_X"], arrays["raw_y"] = raw[0], raw[1]
    meta = {
        "format": FORMAT, "version": VERSION, "config": config.to_dict(),
        "settings": settings or {},
        "network": {"sizes": net.sizes, "activations": [L.activation for L in net.layers],
                    "output": net.output, "init": net.init, "rng": _rng_state(net.rng)},
        "optimizer": {**opt.hyperparameters(), "t": opt.t, "slots": {k: len(v) for k, v in opt.state.items()}},
        "trainer": {"epoch": trainer.epoch, "cursor": trainer.cursor,
                    "samples_seen": trainer.samples_seen, "seconds": trainer.seconds,
                    "batch_size": trainer.batch_size, "l1": trainer.l1, "l2": trainer.l2,
                    "target_auc": trainer.target_auc, "target_on": trainer.target_on,
                    "rng": _rng_state(trainer.rng)},
        "history": trainer.history.rows,
        "raw_names": list(raw[2]) if raw is not None else None,
    }
    arrays["meta.json"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    fileio.write_bytes(path, buf.getvalue())


class SessionError(ValueError):
    """A session file that cannot be loaded; the message says what is wrong."""


def load(path):
    """Read a session: ``(trainer, config, dataset, settings)``.

    Raises
    ------
    SessionError
        For a missing, truncated, corrupt, foreign or incompatible file. Nothing is
        changed in the caller's state: a new trainer is built from the file.
    """
    path = os.fspath(path)
    try:
        with open(path, "rb") as fh:  # np.load leaks the handle on a damaged zip
            payload = fh.read()
    except FileNotFoundError:
        raise SessionError(f"{path}: no such file") from None
    except OSError as e:
        raise SessionError(f"{path}: cannot be read ({e.strerror or e})") from None
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, KeyError) as e:
        raise SessionError(f"{path}: not a ScratchNet session, or a damaged one "
                           f"(truncated or corrupt): {e}") from None
    try:
        meta = json.loads(bytes(arrays.pop("meta.json")).decode("utf-8"))
    except KeyError:
        raise SessionError(f"{path}: not a ScratchNet session (no meta.json inside)") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise SessionError(f"{path}: its meta.json is not valid JSON ({e})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise SessionError(f"{path}: not a ScratchNet session")
    if meta.get("version") != VERSION:
        raise SessionError(f"{path}: session format version {meta.get('version')!r}; this "
                           f"ScratchNet reads version {VERSION}")
    try:
        return _rebuild(meta, arrays)
    except SessionError as e:
        raise SessionError(f"{path}: {e}") from None
    except (KeyError, TypeError, ValueError, IndexError) as e:
        raise SessionError(f"{path}: inconsistent session ({type(e).__name__}: {e})") from None


def _rebuild(meta, arrays):
    config = Config.from_dict(meta["config"])
    raw = None
    if "raw_X" in arrays:
        raw = (arrays["raw_X"].astype(np.float64), arrays["raw_y"].astype(np.float64),
               list(meta["raw_names"]))
    dataset = data.build(config.data, raw)
    n = meta["network"]
    sizes = [int(s) for s in n["sizes"]]
    if sizes[0] != dataset.n_features:
        raise SessionError(f"the network has {sizes[0]} inputs but the data give "
                           f"{dataset.n_features}")
    net = Network(sizes, activation=n["activations"][:-1], output=n["output"], init=n["init"])
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        W, b = arrays[f"W{i}"], arrays[f"b{i}"]
        if W.shape != (n_out, n_in) or b.shape != (n_out,):
            raise SessionError(f"layer {i + 1}: weights of shape {W.shape} and biases of shape "
                               f"{b.shape} do not fit a {n_in}→{n_out} layer")
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            raise SessionError(f"layer {i + 1} holds non-finite weights")
        layers.append(Dense(W.astype(np.float64), b.astype(np.float64), n["activations"][i]))
    net.layers = layers
    _set_rng(net.rng, n["rng"])
    trainer = make_trainer(config, dataset, network=net)
    o = meta["optimizer"]
    shapes = [p.shape for p in net.parameters()]
    for key, count in o["slots"].items():
        slots = [arrays[f"opt_{key}_{i}"].astype(np.float64) for i in range(count)]
        if [s.shape for s in slots] != shapes:
            raise SessionError(f"optimizer state {key!r} does not match the weights' shapes")
        trainer.optimizer.state[key] = slots
    trainer.optimizer.t = int(o["t"])
    t = meta["trainer"]
    order = arrays["order"]
    if sorted(order.tolist()) != list(range(trainer.n_train)):
        raise SessionError("the saved sample order does not match the training set")
    trainer.order = order.astype(np.int64)
    trainer.epoch, trainer.cursor = int(t["epoch"]), int(t["cursor"])
    if not 0 <= trainer.cursor < trainer.n_train:
        raise SessionError(f"cursor {trainer.cursor} is outside the training set")
    trainer.samples_seen, trainer.seconds = int(t["samples_seen"]), float(t["seconds"])
    trainer.batch_size = int(t["batch_size"])
    trainer.l1, trainer.l2 = float(t["l1"]), float(t["l2"])
    trainer.target_auc, trainer.target_on = t["target_auc"], t["target_on"]
    _set_rng(trainer.rng, t["rng"])
    trainer.history = History(meta["history"])
    return trainer, config, dataset, meta.get("settings", {})
