"""The training thread: owns the live Network and Trainer, takes commands, posts snapshots.

It is a plain ``threading.Thread`` that never touches Qt: commands arrive on a queue and
snapshots leave through a ``Mailbox``. The GUI polls the mailbox on its own timer, so no
signal crosses threads at all.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback

import numpy as np

from scratchnet import DivergenceError, data
from scratchnet.config import Config, make_trainer

from . import snapshot as snap

SLICE = 0.008        # seconds of training between looks at the clock
MIN_INTERVAL = 1 / 60  # snapshots at most this often ...
SNAP_SHARE = 0.1     # ... and taking at most this share of the worker's time
ROC_INTERVAL = 0.1   # the ROC curve is recomputed at most this often while training


class TrainingWorker(threading.Thread):
    """Runs training off the GUI thread.

    Parameters
    ----------
    config : Config
    dataset : scratchnet.data.Dataset
    mailbox : Mailbox
        Receives a fresh ``Snapshot`` at most every ~16 ms while training, and after
        every command.
    """

    def __init__(self, config: Config, dataset: data.Dataset, mailbox: snap.Mailbox):
        super().__init__(name="scratchnet-worker", daemon=True)
        self.config = config
        self.dataset = dataset
        self.trainer = make_trainer(config, dataset)
        self.points = snap.Points.from_dataset(dataset)
        self.mailbox = mailbox
        self._commands: queue.SimpleQueue = queue.SimpleQueue()
        self._wake = threading.Event()  # set with every command: checked between batches
        self.running = False
        self.speed_cap = None   # epochs per second, or None for as fast as possible
        self._seq = 0
        self._ack = 0
        self._notice = ""
        self._snap_cost = 0.0
        self._last_snap = 0.0
        self._rate = (time.perf_counter(), 0)
        self._samples_per_s = 0.0
        self._next_epoch_at = 0.0
        self._roc, self._roc_at = None, 0.0
        self.extensions = {}   # command name -> callable(**kw), for features that plug in

    # --- API used from the GUI thread ---------------------------------------------------
    def send(self, cmd_id: int, name: str, **kw) -> None:
        """Queue a command; the worker handles it between batches."""
        self._commands.put((cmd_id, name, kw))
        self._wake.set()

    # --- thread -------------------------------------------------------------------------
    def run(self) -> None:
        self.publish()
        while True:
            try:
                item = self._commands.get(timeout=self._idle_timeout())
            except queue.Empty:
                item = None
            if item is not None:
                if not self._handle(item):
                    break
                while True:  # drain, so a burst of edits costs one snapshot
                    try:
                        item = self._commands.get_nowait()
                    except queue.Empty:
                        break
                    if not self._handle(item):
                        self.publish()
                        return
                self.publish()
            if self.running:
                self._train_slice()
        self.publish()

    def _idle_timeout(self):
        if not self.running:
            return None
        if self.speed_cap:
            return max(0.0, self._next_epoch_at - time.perf_counter())
        return 0.0

    def _handle(self, item) -> bool:
        cmd_id, name, kw = item
        self._wake.clear()
        try:
            if name == "stop":
                self.running = False
                return False
            handler = getattr(self, f"cmd_{name}", None) or self.extensions.get(name)
            if handler is None:
                raise ValueError(f"unknown command {name!r}")
            handler(**kw)
        except DivergenceError as e:
            self.running = False
            self._notice = f"error: {e}"
        except ValueError as e:  # bad settings: say what is wrong, change nothing else
            self._notice = f"error: {e}"
        except Exception as e:  # a bug: report it, keep the app and the weights alive
            self.running = False
            self._notice = f"error: unexpected {type(e).__name__}: {e}\n\n{traceback.format_exc()}"
        finally:
            self._ack = cmd_id
        return True

    def _train_slice(self) -> None:
        t = self.trainer
        cfg = self.config
        end = time.perf_counter() + SLICE
        try:
            while True:
                if t.epoch >= cfg.max_epochs or t.reached_target:
                    self.running = False
                    self._notice = ("Reached the target AUC." if t.reached_target
                                    else f"Reached the epoch limit ({cfg.max_epochs}).")
                    self.publish()
                    return
                finished = t.step_batch()
                if finished and self.speed_cap:
                    self._next_epoch_at = time.perf_counter() + 1.0 / self.speed_cap
                    break
                if self._wake.is_set() or time.perf_counter() >= end:
                    break
        except DivergenceError as e:
            self.running = False
            self._notice = f"error: {e}"
            self.publish()
            return
        self._maybe_publish()

    # --- snapshots ----------------------------------------------------------------------
    def _maybe_publish(self) -> None:
        now = time.perf_counter()
        if now - self._last_snap >= max(MIN_INTERVAL, self._snap_cost / SNAP_SHARE):
            self.publish()

    def publish(self) -> None:
        t0 = time.perf_counter()
        t0_rate, n0 = self._rate
        if t0 - t0_rate >= 0.5:
            self._samples_per_s = (self.trainer.samples_seen - n0) / (t0 - t0_rate)
            self._rate = (t0, self.trainer.samples_seen)
        if not self.running:
            self._rate = (t0, self.trainer.samples_seen)
        self._seq += 1
        fresh_roc = not self.running or t0 - self._roc_at >= ROC_INTERVAL or self._roc is None
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            s = snap.take(self.trainer, self.points, self._seq, self._ack, self.running,
                          roc=True if fresh_roc else self._roc,
                          samples_per_s=self._samples_per_s if self.running else 0.0,
                          notice=self._notice, **self.snapshot_extras())
        self._notice = ""
        if fresh_roc:
            self._roc, self._roc_at = s.roc, t0
        self.mailbox.put(s)
        self._last_snap = time.perf_counter()
        self._snap_cost = self._last_snap - t0

    def snapshot_extras(self) -> dict:
        """Extra snapshot fields contributed by extensions (the stepper)."""
        return {}

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

    def cmd_speed(self, epochs_per_s=None):
        self.speed_cap = epochs_per_s

    def cmd_resize(self, hidden, activations):
        sizes = [self.dataset.n_features, *hidden, 1]
        self.trainer.resize(sizes, list(activations))
        self.config.hidden, self.config.activations = list(hidden), list(activations)

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
        points = snap.Points.from_dataset(ds)
        self.trainer.set_data(ds.X_train, ds.y_train, ds.X_test, ds.y_test)
        self.dataset, self.points, self.config.data = ds, points, spec

    def cmd_axes(self, axes):
        self.points = snap.Points.from_dataset(self.dataset, tuple(axes))
