"""The training process's part for why a network learns (Qt-free): each hidden unit's
saturated share for the graph's rings, and the hidden-space view's coordinates, only
while that view is open and at a lower rate than snapshots."""

from __future__ import annotations

import time

import numpy as np

from scratchnet import diagnostics, hidden_space, tasks

from .. import protocol as P
from .handlers import handles

HIDDEN_POINTS = 1000   # points placed in the hidden space (an even sample of those drawn)
HIDDEN_INTERVAL = 0.1  # its coordinates at most this often while training ...
HIDDEN_SHARE = 0.05    # ... and taking at most this share of the trainer's time
UNITS_SHARE = 0.05     # the per-unit shares: at most this share of the time


def hidden_rows(trainer, points):
    """``(X, y)``: an even sample of at most ``HIDDEN_POINTS`` of the drawn train rows."""
    idx = points.train_index if points.train_index is not None else np.arange(trainer.n_train)
    if len(idx) > HIDDEN_POINTS:
        idx = idx[np.linspace(0, len(idx) - 1, HIDDEN_POINTS).astype(np.int64)]
    return trainer.X_train[idx], trainer.y_train[idx]


def unit_shares(trainer) -> tuple:
    """Each hidden unit's saturated share over the train set's metric sample."""
    X, _ = tasks.metric_sample(trainer.X_train, trainer.y_train, trainer.metric_rows)
    shares = diagnostics.network_unit_shares(trainer.network, X)
    return tuple(_frozen(s) for s in shares)


def hidden_of(trainer, points, planes, layer, previous=None, stamp=0):
    """The hidden space of ``layer`` (0: the last hidden layer) for trainer's network."""
    X, y = hidden_rows(trainer, points)
    return hidden_space.compute(trainer.network, X, y, planes[0], layer or None, previous,
                                stamp)


def _frozen(a):
    a = np.array(a, dtype=np.float64, copy=True)
    a.flags.writeable = False
    return a


class Insight:
    """Whether the hidden-space view is open (``layer``), and the per-unit shares and
    hidden-space coordinates kept for reuse while the model is the same."""

    def __init__(self):
        self.layer = None  # None: the view is closed; 0: the last hidden layer
        self._units, self._units_key, self._units_at, self._units_cost = (), None, 0.0, 0.0
        self._hidden, self._hidden_key, self._hidden_at, self._hidden_cost = None, None, 0.0, 0.0
        self._stamp = 0

    @handles(P.ShowHiddenSpace)
    def on_ShowHiddenSpace(self, cmd):
        self.layer = cmd.layer
        self._hidden_key = None  # another layer, or open again: measure now
        if cmd.layer is None:
            self._hidden = None

    def _due(self, at, cost, share, interval, running) -> bool:
        now = time.perf_counter()
        return not running or now - at >= max(interval, cost / share)

    def take(self, trainer, points, planes, version, running: bool) -> dict:
        """``{"units": …, "hidden": …}`` for the snapshot of ``trainer`` at ``version``;
        refreshed on their own time shares while training. Call inside ``np.errstate``."""
        if version != self._units_key and self._due(self._units_at, self._units_cost,
                                                     UNITS_SHARE, 0.0, running):
            t0 = time.perf_counter()
            self._units, self._units_key = unit_shares(trainer), version
            self._units_at, self._units_cost = t0, time.perf_counter() - t0
        key = (version, self.layer, points.version)
        if self.layer is not None and key != self._hidden_key and self._due(
                self._hidden_at, self._hidden_cost, HIDDEN_SHARE, HIDDEN_INTERVAL, running):
            t0 = time.perf_counter()
            self._stamp += 1
            self._hidden = hidden_of(trainer, points, planes, self.layer, self._hidden,
                                     self._stamp)
            self._hidden_key = key
            self._hidden_at, self._hidden_cost = t0, time.perf_counter() - t0
        return {"units": self._units, "hidden": self._hidden}
