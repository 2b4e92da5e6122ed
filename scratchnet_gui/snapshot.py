"""Immutable copies of the training state, made on the worker and read by the views."""

from __future__ import annotations

import collections
import threading
from dataclasses import dataclass

import numpy as np

from scratchnet import data, metrics, tasks

from .protocol import Event

GRID = 100       # boundary heatmap resolution (Playground's is 100×100 too)
MAX_DRAWN = 10_000  # points drawn per split: more would not fit a frame's budget
THUMB = 24       # per-neuron heatmap resolution
# Plotted coordinates are held within ±DRAW_LIMIT: a plot's axes, ticks and padding
# overflow near the float range (1e308), and no screen tells 1e150 from 1e300 anyway
DRAW_LIMIT = 1e150


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
    projection_note: str
    version: int = 0     # bumped with every new dataset, so it is sent only once
    train_index: np.ndarray | None = None  # the drawn rows of a large set (None: all)
    test_index: np.ndarray | None = None
    task: tasks.Task = tasks.Task()  # the data's task: kind and class names
    inputs: data.Inputs | None = None  # raw columns → network inputs (for model export)

    def drawn_position(self, index: int) -> int | None:
        """Where training row ``index`` is among the drawn points (None: not drawn)."""
        if self.train_index is None:
            return index if 0 <= index < len(self.raw_train) else None
        k = int(np.searchsorted(self.train_index, index))
        return k if k < len(self.train_index) and self.train_index[k] == index else None

    def dataset_index(self, position: int) -> int:
        """The training row of drawn point ``position``."""
        return position if self.train_index is None else int(self.train_index[position])

    @classmethod
    def from_dataset(cls, ds: data.Dataset, axes=(0, 1), version: int = 0):
        """``(Points, grid_inputs, thumb_inputs)``: what the views draw, and the network
        inputs over the GRID² and THUMB² planes (which only the worker needs)."""
        parts = [a for a in (ds.raw_train, ds.raw_test) if len(a)]  # not stacked: no copy
        width = ds.raw_train.shape[1]
        i, j = axes if width > 1 else (0, 0)
        lo = np.min([a.min(axis=0) for a in parts], axis=0)
        hi = np.max([a.max(axis=0) for a in parts], axis=0)
        clipped = bool(np.any(np.abs(np.r_[lo[[i, j]], hi[[i, j]]]) > DRAW_LIMIT))
        lo, hi = np.clip(lo, -DRAW_LIMIT, DRAW_LIMIT), np.clip(hi, -DRAW_LIMIT, DRAW_LIMIT)
        # a constant column still gets a span: relative to its size, or 1e-9 near zero
        pad = 0.1 * np.maximum(hi - lo, 1e-9 * np.maximum(np.maximum(abs(lo), abs(hi)), 1))
        ext = (lo[i] - pad[i], hi[i] + pad[i], lo[j] - pad[j], hi[j] + pad[j])
        base = _mean(ds.raw_train)

        def plane(n):
            gx, gy = np.meshgrid(np.linspace(ext[0], ext[1], n), np.linspace(ext[2], ext[3], n))
            pts = np.tile(base, (n * n, 1))
            pts[:, i], pts[:, j] = gx.ravel(), gy.ravel()
            return frozen(ds.inputs(pts))

        names = tuple(ds.names[:-1])
        notes = []
        if width > 2:
            notes.append(f"plotting {names[i]} × {names[j]}; the other {width - 2} "
                         f"feature(s) are held at their training mean for the boundary")
        if clipped:
            notes.append(f"values beyond ±{DRAW_LIMIT:.0e} are drawn at the plot's edge")
        tr, te = drawn(len(ds.raw_train)), drawn(len(ds.raw_test))
        if tr is not None or te is not None:
            notes.append(f"showing an even sample of {min(len(ds.raw_train), MAX_DRAWN):,} of "
                         f"{len(ds.raw_train):,} training and {min(len(ds.raw_test), MAX_DRAWN):,}"
                         f" of {len(ds.raw_test):,} test points")
        if max(len(ds.raw_train), len(ds.raw_test)) > tasks.METRIC_ROWS:
            notes.append(f"metrics and ROC estimated on an even sample of "
                         f"{tasks.METRIC_ROWS:,} rows of each larger set")
        pick = lambda a, idx: frozen(a if idx is None else a[idx])  # noqa: E731
        pts = cls(pick(ds.raw_train, tr), pick(ds.raw_test, te), pick(ds.y_train, tr),
                  pick(ds.y_test, te), names, (i, j), ext, "; ".join(notes), version, tr, te,
                  ds.task, ds.inputs)
        return pts, plane(GRID), plane(THUMB)


def _mean(a: np.ndarray) -> np.ndarray:
    """Column means that do not overflow for values near the float range."""
    scale = np.maximum(np.max(np.abs(a), axis=0), np.finfo(np.float64).tiny)
    return (a / scale).mean(axis=0) * scale


def drawn(n: int) -> np.ndarray | None:
    """Evenly spaced rows to draw of ``n`` (the split shuffled them), or None for all."""
    return None if n <= MAX_DRAWN else np.linspace(0, n - 1, MAX_DRAWN).astype(np.int64)


@dataclass(frozen=True)
class Snapshot(Event):
    """Everything a view needs to draw one frame. All arrays are read-only copies.

    What the predictions hold depends on the task (``task``):

    * binary classification: ``train_pred``/``test_pred`` and ``grid`` are the
      probability of class 1, ``roc`` is ``(fpr, tpr)``;
    * K ≥ 3 classes: ``train_pred``/``test_pred`` are the predicted class indices,
      ``grid`` the winning class's probability, ``probs`` every class's probability
      ``(GRID, GRID, K)``, and ``roc`` one-vs-rest curves ``(fpr_0, tpr_0, fpr_1, …)``
      (empty arrays for a class absent from the test set);
    * regression: predictions and ``grid`` are values in the targets' units, and
      ``roc`` is None.
    """

    seq: int
    ack: int                      # id of the last command the worker finished
    epoch: int
    cursor: int
    n_train: int
    samples_seen: int
    running: bool
    history: dict
    weights: list                 # [(W, b), ...] one pair per layer, engine shapes
    activations: tuple            # per layer, output layer included
    train_pred: np.ndarray
    test_pred: np.ndarray
    grid: np.ndarray              # GRID×GRID output probability
    thumbs: tuple                 # per layer: (units, THUMB, THUMB) activations
    roc: tuple | None             # (fpr, tpr) on the test set, None when undefined
    points: Points | None         # None in transit when the receiver has this version
    samples_per_s: float = 0.0
    lr: float = 0.0
    next_sample: int = 0
    step: object = None           # a StepView while stepping through one sample
    notices: tuple = ()           # recent protocol.Notice, newest last
    pending: bool = False         # metrics and ROC not measured yet (the first frame)
    model_version: int = 0        # changes whenever the weights, data or history do
    loading: bool = False         # a CSV file is being read
    probs: np.ndarray | None = None  # K ≥ 3 classes: (GRID, GRID, K) class probabilities
    scrub: int | None = None      # the past epoch shown, or None for the live state
    live_epoch: int = 0           # the live state's epoch (the timeline's end)
    timeline: object = None       # loop_timeline.TimelineInfo, None without frames
    undo: str = ""                # the edit Undo would take back ("" for none)
    redo: str = ""
    live: object = None           # while scrubbing: the live state's Snapshot (no points)
    speed_cap: float | None = None  # epochs a second the process trains at (None: no cap)
    kernel: str = ""              # the compiled kernel's state ("ready", "compiling", …)
    target: tuple = (0.0, 1.0)    # regression: the network's target (mean, std)
    landscape: object = None      # a LandscapeFrame while the Landscape view is open
    units: tuple = ()             # per hidden layer: each unit's saturated share (0..1)
    hidden: object = None         # hidden_space.HiddenSpace while its view is open

    @property
    def sizes(self) -> list:
        return [self.weights[0][0].shape[1]] + [W.shape[0] for W, _ in self.weights]

    @property
    def task(self) -> tasks.Task:
        """The data's task (kind and class names); binary when the points are unknown."""
        return self.points.task if self.points is not None else tasks.Task()


def take(trainer, points: Points, planes, seq: int, ack: int, running: bool, roc=True,
         maps=True, **extra) -> Snapshot:
    """Copy what the views need out of a live ``Trainer`` (call in the training process).

    ``roc``: ``True`` to compute the ROC curve, or a previous ``(fpr, tpr)`` to reuse.
    ``maps``: ``True`` to compute the boundary grid and neuron heatmaps, or a previous
    ``(grid, thumbs)`` to reuse. Both cost more than the rest of a snapshot on large
    networks, so the caller refreshes them on a time budget.
    """
    net = trainer.network
    hist = trainer.history.arrays()
    for v in hist.values():
        v.flags.writeable = False
    weights = [(frozen(L.weights), frozen(L.biases)) for L in net.layers]
    if maps is True:
        maps = maps_of(net, planes)
    if roc is True:
        roc = roc_of(trainer)
    idx = points.test_index
    if trainer.X_test is None:
        test_pred = frozen([])
    else:
        test_pred = frozen(_pred(net, trainer.X_test if idx is None else trainer.X_test[idx]))
    X_drawn = trainer.X_train if points.train_index is None else trainer.X_train[points.train_index]
    return Snapshot(
        seq=seq, ack=ack, epoch=trainer.epoch, cursor=trainer.cursor, n_train=trainer.n_train,
        samples_seen=trainer.samples_seen, running=running, history=hist, weights=weights,
        activations=tuple(L.activation for L in net.layers),
        train_pred=frozen(_pred(net, X_drawn)), test_pred=test_pred,
        grid=maps[0], thumbs=maps[1], probs=maps[2] if len(maps) > 2 else None,
        roc=roc, points=points, target=(net.target_mean, net.target_std),
        lr=trainer.optimizer.lr_at(trainer.epoch), next_sample=trainer.samples.next_index(), **extra)


def _pred(net, X) -> np.ndarray:
    """What ``Snapshot.train_pred`` holds for rows ``X``: P(class 1), the predicted
    class index (softmax), or the predicted value (regression)."""
    out = net.forward(X)
    return np.argmax(out, axis=1) if net.output == "softmax" else out[:, 0]


def maps_of(net, planes) -> tuple:
    """``(grid, thumbs, probs)``: the output over the GRID² plane, each neuron over
    THUMB², and for softmax every class's probability over the plane (else None)."""
    grid_inputs, thumb_inputs = planes
    out = net.forward(grid_inputs)
    probs = None
    if net.output == "softmax":
        probs = frozen(out.reshape(GRID, GRID, -1))
        out = out.max(axis=1, keepdims=True)  # the winner's confidence
    grid = frozen(out[:, 0].reshape(GRID, GRID))
    _, thumb_outs = net._forward(thumb_inputs)
    return grid, tuple(frozen(a.T.reshape(-1, THUMB, THUMB)) for a in thumb_outs[1:]), probs


def roc_of(trainer):
    """The test set's ROC on the points the per-epoch metrics measure (every one, or an
    even sample of a large set: ``tasks.metric_sample``): ``(fpr, tpr)`` for a sigmoid
    output, one-vs-rest pairs ``(fpr_0, tpr_0, fpr_1, …)`` for softmax; None for
    regression, when undefined, or without test points."""
    net = trainer.network
    if trainer.X_test is None or not len(trainer.X_test) or net.output == "linear":
        return None
    X, y = tasks.metric_sample(trainer.X_test, trainer.y_test, trainer.metric_rows)
    out = net.forward(X)
    if net.output == "sigmoid":
        curve = metrics.roc(y, out[:, 0])
        return None if curve is None else (frozen(curve[0]), frozen(curve[1]))
    pairs = []
    for k in range(out.shape[1]):
        curve = metrics.roc(y == k, out[:, k])
        pairs += [frozen([]), frozen([])] if curve is None else [frozen(curve[0]),
                                                                 frozen(curve[1])]
    return tuple(pairs)


class Mailbox:
    """The newest snapshot, and every other event in order: a slow reader skips the
    snapshots it missed, never an event."""

    def __init__(self):
        self._cond = threading.Condition()
        self._latest = None
        self._fresh = False
        self._events = collections.deque()
        self.closed = False

    def put(self, item) -> None:
        with self._cond:
            self._latest, self._fresh = item, True
            self._cond.notify()

    def put_event(self, event) -> None:
        if not isinstance(event, Event):
            raise TypeError(f"the window takes protocol events, not {event!r}")
        with self._cond:
            self._events.append(event)
            self._cond.notify()

    def take(self, timeout: float | None = 0.0):
        """The next event, else the newest snapshot if one arrived since the last
        ``take`` (waiting up to ``timeout`` seconds, ``None`` for ever, until closed),
        else ``None``."""
        with self._cond:
            if not (self._fresh or self._events) and timeout != 0.0:
                self._cond.wait_for(lambda: self._fresh or self._events or self.closed,
                                    timeout)
            if self._events:
                return self._events.popleft()
            if not self._fresh:
                return None
            self._fresh = False
            return self._latest

    @property
    def pending(self) -> bool:
        """True while an item waits to be taken."""
        with self._cond:
            return self._fresh or bool(self._events)

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()
