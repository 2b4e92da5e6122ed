"""Immutable copies of the training state, made on the worker and read by the views."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from scratchnet import data, metrics

GRID = 100       # boundary heatmap resolution (Playground's is 100×100 too)
THUMB = 24       # per-neuron heatmap resolution


def frozen(a) -> np.ndarray:
    """A read-only copy, so no view can write into what another thread reads."""
    a = np.array(a, dtype=np.float64, copy=True)
    a.flags.writeable = False
    return a


@dataclass(frozen=True)
class Points:
    """The static part of a dataset the views draw (changes only with new data)."""

    raw_train: np.ndarray
    raw_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    names: tuple
    axes: tuple          # the two raw columns plotted
    extent: tuple        # x0, x1, y0, y1 of the plotted plane
    grid_inputs: np.ndarray   # network inputs over the GRID×GRID plane
    thumb_inputs: np.ndarray  # ... over the THUMB×THUMB plane
    projection_note: str

    @classmethod
    def from_dataset(cls, ds: data.Dataset, axes=(0, 1)) -> "Points":
        raw = np.vstack([ds.raw_train, ds.raw_test])
        i, j = axes if raw.shape[1] > 1 else (0, 0)
        lo, hi = raw.min(axis=0), raw.max(axis=0)
        pad = 0.1 * np.maximum(hi - lo, 1e-9)
        ext = (lo[i] - pad[i], hi[i] + pad[i], lo[j] - pad[j], hi[j] + pad[j])
        base = ds.raw_train.mean(axis=0)

        def plane(n):
            gx, gy = np.meshgrid(np.linspace(ext[0], ext[1], n), np.linspace(ext[2], ext[3], n))
            pts = np.tile(base, (n * n, 1))
            pts[:, i], pts[:, j] = gx.ravel(), gy.ravel()
            return frozen(ds.inputs(pts))

        names = tuple(ds.names[:-1])
        note = ""
        if raw.shape[1] > 2:
            note = (f"plotting {names[i]} × {names[j]}; the other {raw.shape[1] - 2} "
                    f"feature(s) are held at their training mean for the boundary")
        return cls(frozen(ds.raw_train), frozen(ds.raw_test), frozen(ds.y_train),
                   frozen(ds.y_test), names, (i, j), ext, plane(GRID), plane(THUMB), note)


@dataclass(frozen=True)
class Snapshot:
    """Everything a view needs to draw one frame. All arrays are read-only copies."""

    seq: int
    ack: int                      # id of the last command the worker finished
    epoch: int
    cursor: int
    n_train: int
    samples_seen: int
    running: bool
    history: dict
    weights: tuple                # ((W, b), ...) one pair per layer, engine shapes
    activations: tuple            # per layer, output layer included
    train_pred: np.ndarray
    test_pred: np.ndarray
    grid: np.ndarray              # GRID×GRID output probability
    thumbs: tuple                 # per layer: (units, THUMB, THUMB) activations
    roc: tuple | None             # (fpr, tpr) on the test set, None when undefined
    points: Points
    samples_per_s: float = 0.0
    lr: float = 0.0
    next_sample: int = 0
    step: object = None           # a StepView while stepping through one sample
    notice: str = ""
    extras: dict = field(default_factory=dict)

    @property
    def sizes(self) -> list:
        return [self.weights[0][0].shape[1]] + [W.shape[0] for W, _ in self.weights]


def take(trainer, points: Points, seq: int, ack: int, running: bool, roc=True,
         **extra) -> Snapshot:
    """Copy what the views need out of a live ``Trainer`` (call on the worker thread).

    ``roc``: ``True`` to compute the ROC curve, or a previous ``(fpr, tpr)`` to reuse
    (it costs more than the rest of the snapshot, and nobody reads it at 60 Hz).
    """
    net = trainer.network
    hist = trainer.history.arrays()
    for v in hist.values():
        v.flags.writeable = False
    weights = tuple((frozen(L.weights), frozen(L.biases)) for L in net.layers)
    _, grid_outs = net._forward(points.grid_inputs)
    _, thumb_outs = net._forward(points.thumb_inputs)
    thumbs = tuple(frozen(a.T.reshape(-1, THUMB, THUMB)) for a in thumb_outs[1:])
    test_pred = frozen(net.forward(trainer.X_test)[:, 0]) if trainer.X_test is not None else frozen([])
    if roc is True:
        curve = metrics.roc(trainer.y_test, test_pred) if len(test_pred) else None
        roc = None if curve is None else (frozen(curve[0]), frozen(curve[1]))
    return Snapshot(
        seq=seq, ack=ack, epoch=trainer.epoch, cursor=trainer.cursor, n_train=trainer.n_train,
        samples_seen=trainer.samples_seen, running=running, history=hist, weights=weights,
        activations=tuple(L.activation for L in net.layers),
        train_pred=frozen(net.forward(trainer.X_train)[:, 0]), test_pred=test_pred,
        grid=frozen(grid_outs[-1][:, 0].reshape(GRID, GRID)), thumbs=thumbs,
        roc=roc, points=points,
        lr=trainer.optimizer.lr_at(trainer.epoch), next_sample=trainer.next_sample(), **extra)


class Mailbox:
    """Holds only the newest snapshot. The worker ``put``s; a GUI-thread timer ``take``s.

    No Qt signal crosses threads (PySide6 6.12.0 aborts after a few thousand of them),
    and a slow frame drops the snapshots it missed instead of queueing them.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._latest = None
        self._fresh = False

    def put(self, snap: Snapshot) -> None:
        with self._lock:
            self._latest, self._fresh = snap, True

    def take(self) -> Snapshot | None:
        """The newest snapshot if one arrived since the last ``take``, else ``None``."""
        with self._lock:
            if not self._fresh:
                return None
            self._fresh = False
            return self._latest

    def peek(self) -> Snapshot | None:
        with self._lock:
            return self._latest
