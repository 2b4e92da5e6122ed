"""When the training process publishes, and the costly parts of a snapshot it refreshes
on their own time shares (Qt-free)."""

from __future__ import annotations

import time

from .. import snapshot as snap

MIN_INTERVAL = 1 / 60  # snapshots at most this often (slices of 8 ms make it ~50/s) ...
SNAP_SHARE = 0.2       # ... and taking at most this share of the trainer's time
ROC_INTERVAL = 0.1     # the ROC curve is recomputed at most this often while training ...
ROC_SHARE = 0.1        # ... and taking at most this share of the trainer's time
MAPS_SHARE = 0.1       # boundary grid + neuron heatmaps: at most this share of the time


class Pacer:
    """Snapshot numbering and timing, the training speed shown, and the ROC curve and
    heatmaps kept for reuse. A snapshot is ``start``, ``diagnostics``, then ``sent``."""

    def __init__(self):
        self.seq = 0
        self._snap_cost = 0.0
        self._last_snap = 0.0
        self._budgeted = 0.0
        self._rate = (time.perf_counter(), 0)
        self._samples_per_s = 0.0
        self._roc, self._roc_at, self._roc_model, self._roc_cost = None, 0.0, None, 0.0
        self._maps, self._maps_at, self._maps_cost, self._maps_model = None, 0.0, 0.0, None

    def restart(self, samples_seen: int) -> None:
        """Training starts: measure its speed from here."""
        self._rate = (time.perf_counter(), samples_seen)

    def due(self) -> bool:
        """Whether a snapshot is due while training."""
        return (time.perf_counter() - self._last_snap
                >= max(MIN_INTERVAL, self._snap_cost / SNAP_SHARE))

    def start(self, running: bool, samples_seen: int) -> float:
        """A new snapshot's number is ``seq``; returns the samples per second to show."""
        t0 = self._t0 = time.perf_counter()
        t0_rate, n0 = self._rate
        if not running:
            self._rate = (t0, samples_seen)
        elif t0 - t0_rate >= 0.5:
            self._samples_per_s = (samples_seen - n0) / (t0 - t0_rate)
            self._rate = (t0, samples_seen)
        self.seq += 1
        self._budgeted = 0.0
        return self._samples_per_s if running else 0.0

    def diagnostics(self, t, planes, version, running: bool, pending: bool):
        """``(roc, maps)`` of trainer ``t``: reused while the model is the same (stepping
        through phases), refreshed on their own time shares while training (a large test
        set's ROC can take 100 ms). Call inside ``np.errstate``."""
        t0 = self._t0
        if not pending and version != self._roc_model and (
                not running or t0 - self._roc_at >= max(ROC_INTERVAL,
                                                         self._roc_cost / ROC_SHARE)):
            r0 = time.perf_counter()
            self._roc, self._roc_at, self._roc_model = snap.roc_of(t), t0, version
            self._roc_cost = time.perf_counter() - r0
            self._budgeted += self._roc_cost
        if version != self._maps_model and (
                not running or t0 - self._maps_at >= self._maps_cost / MAPS_SHARE):
            m0 = time.perf_counter()
            maps = snap.maps_of(t.network, planes)
            self._maps, self._maps_at, self._maps_model = maps, t0, version
            self._maps_cost = time.perf_counter() - m0
            self._budgeted += self._maps_cost
        return (None if pending else self._roc), self._maps

    def spent(self, seconds: float) -> None:
        """A part refreshed on its own time share took ``seconds`` of this snapshot."""
        self._budgeted += seconds

    def sent(self) -> None:
        """The snapshot is out: what it cost beyond the budgeted parts sets the pace."""
        self._last_snap = time.perf_counter()
        self._snap_cost = self._last_snap - self._t0 - self._budgeted
