"""Training in a child process: it owns the live Network and Trainer, takes commands
and sends back snapshots.

Why a process and not a thread: training and drawing are both Python, and with one GIL
they take turns. Measured here (2 cores, offscreen), a worker *thread* let the window draw
6-13 frames/s and kept 35-56% of the headless training speed, because every Python
callback of a paint waited for the GIL. In its own process the trainer runs at full
speed on one core while the GUI draws on the other. Nothing in the child touches Qt.

Pipes: commands GUI → child; snapshots child → GUI. A sender thread in the child does
the (blocking) send, so training never waits for the GUI; it hands the sender only the
newest snapshot, and the GUI keeps only the newest it reads.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import multiprocessing as mp
import os
import sys
import threading
import time
import traceback

import numpy as np
import threadpoolctl

from scratchnet import DivergenceError, data, kernel, session
from scratchnet.config import Config, make_trainer

from . import snapshot as snap
from .stepper import Stepper

# commands that keep the stepped samples (anything else changes what a step showed)
KEEPS_STEPS = {"step_sample", "step_next", "step_apply", "step_unapply", "step_previous",
               "select_sample", "gradcheck", "speed", "axes", "save_session"}

SLICE = 0.008          # seconds of training between looks at the clock
MIN_INTERVAL = 1 / 45  # snapshots at most this often (enough for 30+ frames/s) ...
SNAP_SHARE = 0.2       # ... and taking at most this share of the trainer's time
ROC_INTERVAL = 0.1     # the ROC curve is recomputed at most this often while training
MAPS_SHARE = 0.1       # boundary grid + neuron heatmaps: at most this share of the time


class TrainingLoop:
    """The command loop that runs in the child process (or inline, in tests).

    Parameters
    ----------
    config : Config
    dataset : scratchnet.data.Dataset
    commands : multiprocessing.connection.Connection
        Receives ``(id, name, kwargs)`` tuples.
    publish : callable
        Called with each new ``Snapshot``.
    """

    def __init__(self, config: Config, dataset: data.Dataset, commands, publish, raw=None,
                 measure_later: bool = False):
        self.config = config
        self.dataset = dataset
        self.raw = raw  # (X, y, names) of CSV data, kept for saving sessions
        # measure_later: the first frame goes out before scikit-learn (0.85 s to import)
        # has computed epoch 0's metrics; run() measures them right after
        self.pending = measure_later
        self.trainer = make_trainer(config, dataset, track_metrics=not measure_later)
        self._points_version = 0
        self.points, self.planes = self._points(dataset)
        self.commands = commands
        self.publish_to = publish
        self.running = False
        self.speed_cap = None   # epochs per second, or None for as fast as possible
        self._seq = 0
        self._ack = 0
        # (id, command id, text) of recent notices: every snapshot carries them, so one
        # the GUI never reads (it keeps only the newest) loses no message
        self._notices = collections.deque(maxlen=32)
        self._handling = 0
        self._snap_cost = 0.0
        self._last_snap = 0.0
        self._rate = (time.perf_counter(), 0)
        self._samples_per_s = 0.0
        self._next_epoch_at = 0.0
        self._roc, self._roc_at, self._roc_model = None, 0.0, None
        self._maps, self._maps_at, self._maps_cost, self._maps_model = None, 0.0, 0.0, None
        self.stepper = Stepper(self)
        self._kernel_noted = False

    def _points(self, dataset, axes=(0, 1)):
        self._points_version += 1
        pts, grid, thumb = snap.Points.from_dataset(dataset, axes, self._points_version)
        return pts, (grid, thumb)

    # --- loop ---------------------------------------------------------------------------
    def run(self) -> None:
        self.publish()
        if self.pending:
            self.trainer.track_metrics = True
            self.trainer.record_epoch(replace=True)
            self.pending = False
            self.publish()
            kernel.start_compiling()  # on a thread; training runs on numpy meanwhile
        while True:
            timeout = self._idle_timeout()
            if self.commands.poll(timeout):
                while self.commands.poll():
                    if not self._handle(self.commands.recv()):
                        self.publish()
                        return
                self.publish()
            if self.running:
                self._train_slice()

    def _kernel_note(self) -> None:
        """Say once that training runs without the compiled kernel, and why."""
        state = kernel.status()
        asked = os.environ.get(kernel.ENV) == "numpy"  # the user chose it: nothing to say
        if state.startswith("unavailable") and not asked and not self._kernel_noted:
            self._kernel_noted = True
            self._notify(f"Training runs on numpy only ({state.removeprefix('unavailable: ')}).")

    def _idle_timeout(self):
        if not self.running:
            return None
        if self.speed_cap:
            return max(0.0, self._next_epoch_at - time.perf_counter())
        return 0.0

    def _notify(self, text: str) -> None:
        """Queue a message for the user; ``error: `` text is shown as an error."""
        last = self._notices[-1][0] if self._notices else 0
        self._notices.append((last + 1, self._handling, text))

    def _handle(self, item) -> bool:
        cmd_id, name, kw = item
        self._handling = cmd_id
        try:
            if name == "stop":
                self.running = False
                return False
            handler = getattr(self, f"cmd_{name}", None)
            if handler is None:
                raise ValueError(f"unknown command {name!r}")
            if name not in KEEPS_STEPS:
                self.stepper.clear()
            handler(**kw)
        except DivergenceError as e:
            self.running = False
            self._notify(f"error: {e}")
        except ValueError as e:  # bad settings: say what is wrong, change nothing else
            self._notify(f"error: {e}")
        except Exception as e:  # a bug: report it, keep the app and the weights alive
            self.running = False
            self._notify(f"error: unexpected {type(e).__name__}: {e}\n\n{traceback.format_exc()}")
        finally:
            self._ack = cmd_id
            self._handling = 0
        return True

    def _train_slice(self) -> None:
        self._kernel_note()
        t, cfg, poll = self.trainer, self.config, self.commands.poll
        end = time.perf_counter() + SLICE
        try:
            while True:
                reason = t.stop_reason(cfg.max_epochs)
                if reason is not None:
                    self.running = False
                    self._notify("Reached the target AUC." if reason == "target"
                                 else f"Reached the epoch limit ({cfg.max_epochs}).")
                    self.publish()
                    return
                if t.step_batches(deadline=end) and self.speed_cap:
                    self._next_epoch_at = time.perf_counter() + 1.0 / self.speed_cap
                    break
                if poll() or time.perf_counter() >= end:  # pause lands within one batch
                    break
        except DivergenceError as e:
            self.running = False
            self._notify(f"error: {e}")
            self.publish()
            return
        now = time.perf_counter()
        if now - self._last_snap >= max(MIN_INTERVAL, self._snap_cost / SNAP_SHARE):
            self.publish()

    # --- snapshots ----------------------------------------------------------------------
    def publish(self) -> None:
        t0 = time.perf_counter()
        t0_rate, n0 = self._rate
        if not self.running:
            self._rate = (t0, self.trainer.samples_seen)
        elif t0 - t0_rate >= 0.5:
            self._samples_per_s = (self.trainer.samples_seen - n0) / (t0 - t0_rate)
            self._rate = (t0, self.trainer.samples_seen)
        self._seq += 1
        # the ROC curve and the heatmaps follow the weights: reuse them while the weights
        # they were computed from are current (stepping through phases), and refresh them
        # on a time budget while training
        model = self._fingerprint()
        fresh_roc = model != self._roc_model and (
            not self.running or t0 - self._roc_at >= ROC_INTERVAL)
        fresh_maps = model != self._maps_model and (
            not self.running or t0 - self._maps_at >= self._maps_cost / MAPS_SHARE)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            m0 = time.perf_counter()
            s = snap.take(self.trainer, self.points, self.planes, self._seq, self._ack,
                          self.running, pending=self.pending,
                          roc=None if self.pending else True if fresh_roc else self._roc,
                          maps=True if fresh_maps else self._maps,
                          samples_per_s=self._samples_per_s if self.running else 0.0,
                          notices=tuple(self._notices), **self.snapshot_extras())
        if fresh_roc and not self.pending:
            self._roc, self._roc_at, self._roc_model = s.roc, t0, model
        if fresh_maps:
            self._maps, self._maps_at, self._maps_model = (s.grid, s.thumbs), t0, model
            self._maps_cost = time.perf_counter() - m0
        self.publish_to(s)
        self._last_snap = time.perf_counter()
        self._snap_cost = self._last_snap - t0

    def _fingerprint(self):
        net = self.trainer.network
        return (self.points.version, tuple(net.sizes), tuple(net.activations),
                tuple(float(np.add.reduce(p, None)) for p in net.parameters()),
                self.trainer.samples_seen, len(self.trainer.history))

    def snapshot_extras(self) -> dict:
        return {"step": self.stepper.view(), "extras": {"config": self.config.to_dict()}}

    # --- commands -----------------------------------------------------------------------
    def cmd_play(self):
        self.running = True
        self._rate = (time.perf_counter(), self.trainer.samples_seen)

    def cmd_pause(self):
        self.running = False

    def cmd_step_epoch(self):
        self.running = False
        self.trainer.step_epoch()

    def cmd_step_batch(self):
        self.running = False
        self.trainer.step_batch()

    def cmd_reset(self):
        """Fresh weights and history from the config's seed; the data stay."""
        self.running = False
        self.trainer = make_trainer(self.config, self.dataset)

    def cmd_resize(self, hidden, activations):
        sizes = [self.dataset.n_features, *hidden, 1]
        self.trainer.resize(sizes, list(activations))
        self.config.hidden, self.config.activations = list(hidden), list(activations)

    def cmd_set_weights(self, weights):
        """Put back every layer's ``(W, b)``, e.g. a dead trainer's last snapshot."""
        layers = self.trainer.network.layers
        if len(weights) != len(layers) or any(
                W.shape != L.weights.shape or b.shape != L.biases.shape
                for (W, b), L in zip(weights, layers)):
            raise ValueError("the weights do not fit this network's layers")
        for (W, b), L in zip(weights, layers):
            L.weights[...], L.biases[...] = W, b

    def cmd_set_weight(self, layer, row, col, value):
        """Set one weight (``col == -1``: the bias)."""
        value = float(value)
        if not np.isfinite(value):
            raise ValueError(f"a weight must be a finite number, not {value}")
        L = self.trainer.network.layers[layer]
        if col < 0:
            L.biases[row] = value
        else:
            L.weights[row, col] = value

    def cmd_configure(self, **settings):
        """Change training settings; each is validated before any is applied."""
        cfg = Config.from_dict({**self.config.to_dict(), **settings})
        opt = cfg.make_optimizer()
        t = self.trainer
        t.batch_size = cfg.batch_size  # validates
        if (cfg.optimizer, cfg.momentum) != (self.config.optimizer, self.config.momentum):
            t.optimizer = opt
        else:  # same optimizer: keep its state (momentum, Adam moments)
            t.optimizer.lr, t.optimizer.schedule = opt.lr, opt.schedule
        t.l1, t.l2 = cfg.l1, cfg.l2
        t.target_auc, t.target_on = cfg.target_auc, cfg.target_on
        cfg.data = self.config.data
        self.config = cfg

    def cmd_set_data(self, spec: data.DataSpec, raw=None):
        """New data (generated, or ``raw = (X, y, names)`` from a CSV); weights stay."""
        ds = data.build(spec, raw)
        points = self._points(ds)
        self.trainer.set_data(ds.X_train, ds.y_train, ds.X_test, ds.y_test)
        self.dataset, (self.points, self.planes), self.config.data = ds, points, spec
        self.raw = raw if spec.source == "csv" else None

    def cmd_save_session(self, path, settings=None):
        session.save(path, self.trainer, self.config, self.raw, settings)
        self._notify(f"Saved the session to {path}.")

    def cmd_open_session(self, path):
        """Replace everything with a saved session; a bad file changes nothing."""
        trainer, config, dataset, _ = session.load(path)
        self.running = False
        self.trainer, self.config, self.dataset = trainer, config, dataset
        self.raw = None
        if config.data.source == "csv":
            X = np.vstack([dataset.raw_train, dataset.raw_test])
            y = np.concatenate([dataset.y_train, dataset.y_test])
            self.raw = (X, y, dataset.names)
        self.points, self.planes = self._points(dataset)
        self._notify(f"Opened the session {path} at epoch {trainer.epoch}.")

    def cmd_step_sample(self):
        self.stepper.step_sample()

    def cmd_step_next(self):
        self.stepper.next()

    def cmd_step_apply(self):
        self.stepper.apply()

    def cmd_step_unapply(self):
        self.stepper.unapply()

    def cmd_step_previous(self):
        self.stepper.previous()

    def cmd_select_sample(self, index):
        self.stepper.select(index)

    def cmd_gradcheck(self):
        self.stepper.gradcheck()

    def cmd_speed(self, epochs_per_s=None):
        self.speed_cap = epochs_per_s

    def cmd_axes(self, axes):
        self.points, self.planes = self._points(self.dataset, tuple(axes))


# --- the child process ------------------------------------------------------------------
def _send_loop(mailbox: snap.Mailbox, conn) -> None:
    """Send the newest snapshot whenever the pipe is free; each Points version once."""
    sent_version = None
    while True:
        s = mailbox.take(timeout=None)
        if s is None:
            if mailbox.closed:
                return
            continue
        if s.points is not None and s.points.version == sent_version:
            s = dataclasses.replace(s, points=None)
        elif s.points is not None:
            sent_version = s.points.version
        try:
            conn.send(s)
        except (BrokenPipeError, OSError):
            return


TUNABLE = ("SLICE", "MIN_INTERVAL", "SNAP_SHARE", "ROC_INTERVAL", "MAPS_SHARE", "GRID", "THUMB")


def child_main(config: Config, raw, commands, snapshots, tuning=None) -> None:
    """Entry point of the training process. ``tuning`` overrides the pacing constants
    above (and ``GRID``/``THUMB`` of the snapshot module); tests use it."""
    for k, v in (tuning or {}).items():
        if k not in TUNABLE:
            raise ValueError(f"unknown tuning {k!r}; choose from {', '.join(TUNABLE)}")
        setattr(snap if k in ("GRID", "THUMB") else sys.modules[__name__], k, v)
    # One BLAS thread: a second one would spin on the core the GUI draws with, and the
    # matrices of an interactive network are too small to gain from it.
    threadpoolctl.threadpool_limits(1)
    mailbox = snap.Mailbox()
    sender = threading.Thread(target=_send_loop, args=(mailbox, snapshots), daemon=True)
    sender.start()
    try:
        loop = TrainingLoop(config, data.build(config.data, raw), commands, mailbox.put, raw,
                            measure_later=True)
        loop.run()
    except Exception as e:  # cannot even start: say so through a last snapshot-less note
        snapshots.send(("fatal", f"{type(e).__name__}: {e}\n\n{traceback.format_exc()}"))
    finally:
        # let the sender flush the last snapshot, then close
        deadline = time.perf_counter() + 2.0
        while mailbox.pending and time.perf_counter() < deadline and sender.is_alive():
            time.sleep(0.001)
        mailbox.close()
        sender.join(2.0)
        snapshots.close()


@contextlib.contextmanager
def _main_module_hidden():
    """Start a spawned child without re-running the parent's ``__main__``.

    By default ``spawn`` re-imports the main script (or ``-m`` module) in the child, which
    would open a second window for ``python -m scratchnet_gui`` and fails outright for a
    script that builds a ``MainWindow`` at top level. The child needs nothing from it.
    """
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__.pop(k) for k in ("__file__",) if main and k in main.__dict__}
    spec = getattr(main, "__spec__", None)
    if main is not None:
        main.__spec__ = None
    try:
        yield
    finally:
        if main is not None:
            main.__dict__.update(saved)
            main.__spec__ = spec


class WorkerProcess:
    """The GUI side of the training process: start, send commands, read snapshots, stop."""

    def __init__(self, config: Config, raw=None, tuning: dict | None = None):
        ctx = mp.get_context("spawn")  # never fork a process that has Qt loaded
        self._cmd_recv, self._cmd_send = ctx.Pipe(duplex=False)
        self._snap_recv, snap_send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=child_main, name="scratchnet-trainer",
                                   args=(config, raw, self._cmd_recv, snap_send, tuning),
                                   daemon=True)
        with _main_module_hidden():
            self.process.start()
        snap_send.close()
        self._points = None
        self.fatal = None
        self.received = 0

    def send(self, cmd_id: int, name: str, **kw) -> None:
        try:
            self._cmd_send.send((cmd_id, name, kw))
        except (BrokenPipeError, OSError):
            pass  # the process is gone; is_alive() tells the controller

    def latest(self):
        """The newest snapshot that arrived since the last call, or ``None``."""
        newest = None
        try:
            while self._snap_recv.poll():
                item = self._snap_recv.recv()
                if isinstance(item, tuple) and item[0] == "fatal":
                    self.fatal = item[1]
                    continue
                self.received += 1
                if item.points is None:
                    item = dataclasses.replace(item, points=self._points)
                else:
                    self._points = item.points
                newest = item
        except (EOFError, OSError):
            pass
        return newest

    def is_alive(self) -> bool:
        return self.process.is_alive()

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask the process to stop and wait up to ``timeout`` seconds for it; then
        terminate it, and kill it if even that is ignored. True once it has ended."""
        if self.process.is_alive():
            self.send(0, "stop")
            deadline = time.monotonic() + timeout
            while self.process.is_alive() and time.monotonic() < deadline:
                self.latest()  # keep the pipe drained so the sender can finish
                self.process.join(0.02)
            if self.process.is_alive():
                self.process.terminate()
                self.process.join(3.0)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        for c in (self._cmd_send, self._snap_recv, self._cmd_recv):
            c.close()
        return not self.process.is_alive()
