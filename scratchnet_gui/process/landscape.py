"""The training process's Landscape part: the loss plane around the shown weights, the
path through it, the next step and the sharpness probe, computed only while the window's
Landscape view is open and, while training, on a share of the time (Qt-free)."""

from __future__ import annotations

import time

import numpy as np

from scratchnet import landscape as ls

from .. import protocol as P
from .handlers import handles
from ..landscape_frame import LandscapeFrame

GRID_N = 41             # points a side of the plane
# Shares of the wall time while training at full speed (training throughput with the
# view open stays >= 85% of closed: benchmarks/bench_landscape.py), and while training
# at a pace, when the process is idle between epochs and a larger share costs nothing
PLANE_SHARE = 0.03      # the plane, path and step ...
PLANE_INTERVAL = 0.25   # ... at most this often while training
SHARPNESS_SHARE = 0.03  # the sharpness probe ...
SHARPNESS_INTERVAL = 1 / 30  # ... at most this often (snapshots: up to 60 a second)
PACED_SHARE = 0.25      # either, while the speed is capped
MAX_PATH = 400          # frames projected at most (an even sample of a longer path) ...
MAX_PATH_VALUES = 1 << 23  # ... and at most this many parameters in all (64 MiB)
STEP_S = np.linspace(0.0, 3.0, 31)
# Multiply-adds one plane and one Hessian-vector product may take (about 2 s and 10 ms
# here): a large network is measured on fewer rows (at least MIN_ROWS) so that the
# training process keeps answering. The classic demo is far inside both.
PLANE_WORK = 4e9
HVP_WORK = 2e7
MIN_ROWS = 64


def rows_for(network, work: float) -> int:
    """How many rows a computation of ``work`` multiply-adds per row-pass may use."""
    per_row = sum(L.weights.size for L in network.layers)
    return int(np.clip(work // max(per_row, 1), MIN_ROWS, ls.SAMPLE_ROWS))


class TimedProbe(ls.SharpnessProbe):
    """The app's probe: an epoch is measured when the wall time since the last
    measurement is at least ``max(SHARPNESS_INTERVAL, cost / SHARPNESS_SHARE)``, so
    a paced run is measured every epoch and a fast one within its share."""

    def __init__(self, source, X, y):
        super().__init__(X, y)
        self.source = source  # the trainer's training rows it was made for
        self.paced = False    # the speed is capped: PACED_SHARE
        self._wall = None

    def due(self, trainer) -> bool:
        if self.last is None or self._wall is None:
            return True
        share = PACED_SHARE if self.paced else SHARPNESS_SHARE
        wait = max(SHARPNESS_INTERVAL, self.last.seconds / share)
        return time.perf_counter() - self._wall >= wait

    def __call__(self, trainer) -> float:
        if not self.due(trainer):
            return float("nan")
        value = super().__call__(trainer)
        self._wall = time.perf_counter()
        return value


def _path(trainer, shown):
    """The timeline's frames shaped like ``shown`` (an even sample of at most
    ``MAX_PATH``), and the live weights when they are not a frame: ``(weights, epochs)``."""
    shapes = [(W.shape, b.shape) for W, b in shown]
    tl = trainer.timeline
    frames = [] if tl is None else [f for f in tl.frames if [
        (L.weights.shape, L.biases.shape) for L in f.network.layers] == shapes]
    size = sum(W.size + b.size for W, b in shown)
    most = max(3, min(MAX_PATH, MAX_PATH_VALUES // max(size, 1)))
    if len(frames) > most:
        keep = np.unique(np.linspace(0, len(frames) - 1, most).astype(int))
        frames = [frames[i] for i in keep]
    # the frames' own arrays (nothing writes to a frame): no copies
    weights = [[(L.weights, L.biases) for L in f.network.layers] for f in frames]
    epochs = [f.epoch for f in frames]
    live = ls.weights_of(trainer.network)
    if not frames or frames[-1].epoch != trainer.epoch or trainer.cursor:
        if [(W.shape, b.shape) for W, b in live] == shapes:
            weights.append(live)
            epochs.append(trainer.epoch + trainer.cursor / max(trainer.n_train, 1))
    return weights, np.array(epochs, dtype=np.float64)


def directions(net, frames, asked: str, seed: int):
    """``(d1, d2, used, note)``: the path's principal axes (with 3 frames or more),
    else the seeded filter-normalised random ones."""
    origin = ls.weights_of(net)
    if asked == "pca" and len(frames) >= 3:
        d1, d2, explained = ls.pca_directions(frames, origin)
        if np.any(ls.flatten(d1)) and np.any(ls.flatten(d2)):
            return d1, d2, "pca", (f"path PCA, {len(frames)} frames "
                                   f"({100 * explained[0]:.0f}% + {100 * explained[1]:.0f}%)")
    d1, d2 = ls.random_directions(net, seed)
    why = "<br>(fewer than 3 frames for the path's)" if asked == "pca" else ""
    return d1, d2, "random", f"random, filter-normalised, seed {seed}{why}"


def compute(trainer, asked="pca", seed=0, version=0, order=None, probe=None,
            path=None) -> LandscapeFrame:
    """The Landscape view's frame for ``trainer`` (the shown one: a scrubbed stand-in
    passes the order its frame would draw). ``path``: ``(weights, epochs)`` instead of
    the trainer's timeline (the command line keeps none)."""
    t0 = time.perf_counter()
    net = trainer.network
    X, y, data_note = ls.sample(trainer.X_train, trainer.y_train,
                                rows_for(net, PLANE_WORK / GRID_N ** 2))
    shown = ls.weights_of(net)
    frames, epochs = _path(trainer, shown) if path is None else path
    d1, d2, used, note = directions(net, frames, asked, seed)
    coords, _, share = ls.project(frames, shown, d1, d2)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        step = ls.next_step(trainer, order=order)
        end = ls.project([[(W + dW, b + db) for (W, b), (dW, db) in zip(shown, step)]],
                         shown, d1, d2)[0][0]
        reach = float(np.max(np.abs(np.r_[coords.ravel(), end]))) if len(coords) else 0.0
        span = 1.0 if used == "random" else max(1.3 * reach, 1e-3)
        alphas, betas, grid = ls.plane(net, X, y, d1, d2, span, GRID_N)
        line = ls.step_line(net, X, y, step, STEP_S)
    opt = trainer.optimizer
    limit = ls.stability_threshold(opt, 1.0)
    last = None if probe is None else probe.last
    return LandscapeFrame(
        version, used, asked, seed, note, data_note, alphas, betas, grid, coords, epochs,
        share, STEP_S.copy(), line, (float(end[0]), float(end[1])), opt.name, limit,
        ls.threshold_name(opt), 0 if last is None else last.iterations,
        0.0 if last is None else last.tol, time.perf_counter() - t0)


class LandscapeWatch:
    """The loop part behind ``SetLandscape``: nothing is computed while the view is
    closed; open, the live trainer carries a sharpness probe and each snapshot carries
    the newest ``LandscapeFrame`` (recomputed when the shown model changes, on
    ``PLANE_SHARE`` of the time while training).

    Parameters
    ----------
    live : loop_state.Live
    scrubber : loop_timeline.Scrubber
        The epoch shown (a past frame draws its own next step).
    paced : callable
        True while the training speed is capped (the loop's ``speed_cap``).
    """

    def __init__(self, live, scrubber, paced=lambda: False):
        self.live, self.scrubber, self.paced = live, scrubber, paced
        self.open, self.asked, self.seed = False, "pca", 0
        self._frame, self._key, self._at, self._cost, self._version = None, None, 0.0, 0.0, 0
        self.spent = 0.0  # seconds the last ``frame`` took (0 when it reused one)

    @handles(P.SetLandscape)
    def on_SetLandscape(self, cmd):
        self.open, self.asked, self.seed = cmd.open, cmd.directions, cmd.seed
        self._key = None  # draw again now, with these directions
        if not self.open:
            self._frame = None
        self.follow()

    def follow(self) -> None:
        """The live trainer carries a probe exactly while the view is open (a new
        trainer, new data: a new probe)."""
        t = self.live.trainer
        probe = getattr(t, "probe", None)
        if not self.open:
            if probe is not None:
                t.probe = None
            return
        if not isinstance(probe, TimedProbe) or probe.source is not t.X_train:
            X, y, _ = ls.sample(t.X_train, t.y_train, rows_for(t.network, HVP_WORK))
            t.probe = probe = TimedProbe(t.X_train, X, y)
        probe.paced = bool(self.paced())

    def frame(self, shown, running: bool) -> LandscapeFrame | None:
        """The frame to publish with ``shown`` (the trainer the snapshot shows)."""
        self.follow()
        self.spent = 0.0
        if not self.open:
            return None
        key = (self.live.version, self.scrubber.epoch, self.asked, self.seed)
        now = time.perf_counter()
        share = PACED_SHARE if self.paced() else PLANE_SHARE
        if key == self._key or (running and self._frame is not None and now - self._at
                                < max(PLANE_INTERVAL, self._cost / share)):
            return self._frame
        self._version += 1
        f = self.scrubber.frame
        order = None
        if f is not None:  # a past epoch's next step: its own first batch
            rng = np.random.default_rng()
            rng.bit_generator.state = f.rng
            order = rng.permutation(shown.n_train)
        self._frame = compute(shown, self.asked, self.seed, self._version, order,
                              getattr(self.live.trainer, "probe", None))
        self._key, self._at = key, now
        self._cost = self.spent = time.perf_counter() - now
        return self._frame

