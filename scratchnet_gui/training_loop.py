"""The training process's loop: takes commands between slices of training and publishes
snapshots on a time budget. Qt-free; the command handlers live in ``loop_commands``."""

from __future__ import annotations

import collections
import os
import time
import traceback

import numpy as np

from scratchnet import DivergenceError, data, kernel
from scratchnet.config import Config, make_trainer

from . import protocol as P
from . import snapshot as snap
from .handlers import DEFERRED, STOP, handler_for
from .loop_commands import LoopCommands
from .loop_timeline import TimelineCommands, TimelineInfo
from .stepper import Stepper

SLICE = 0.008          # seconds of training between looks at the clock
MIN_INTERVAL = 1 / 60  # snapshots at most this often (slices of 8 ms make it ~50/s) ...
SNAP_SHARE = 0.2       # ... and taking at most this share of the trainer's time
ROC_INTERVAL = 0.1     # the ROC curve is recomputed at most this often while training ...
ROC_SHARE = 0.1        # ... and taking at most this share of the trainer's time
MAPS_SHARE = 0.1       # boundary grid + neuron heatmaps: at most this share of the time


class TrainingLoop(TimelineCommands, LoopCommands):
    """The command loop that runs in the training process (or inline, in tests).

    Parameters
    ----------
    config : Config
    dataset : scratchnet.data.Dataset
    commands : multiprocessing.connection.Connection
        Receives ``(id, Command)`` pairs.
    publish : callable
        Called with each new ``Snapshot``.
    emit : callable, optional
        Called with each event that is not a snapshot (``ConfigChanged``); by default
        ``publish``.
    measure_later : bool
        Send the first frame before epoch 0's metrics (scikit-learn takes 0.85 s to
        import); ``run`` measures them right after it.
    """

    def __init__(self, config: Config, dataset: data.Dataset, commands, publish,
                 measure_later: bool = False, emit=None):
        self.config = config
        self.dataset = dataset  # CSV data's raw rows for a session: dataset.raw()
        self.pending = measure_later
        self.trainer = make_trainer(config, dataset, track_metrics=not measure_later)
        self._points_version = 0
        self.points, self.planes = self._points(dataset)
        self.commands = commands
        self.publish_to = publish
        self.emit = emit or publish
        self.running = False
        self.speed_cap = None   # epochs per second, or None for as fast as possible
        self.version = 0        # bumped whenever the weights, data or history change
        self._seq = 0
        self._ack = 0
        # recent notices: every snapshot carries them, so one the GUI never reads (it
        # keeps only the newest snapshot) loses no message
        self._notices = collections.deque(maxlen=32)
        self._handling = 0
        self._snap_cost = 0.0
        self._last_snap = 0.0
        self._rate = (time.perf_counter(), 0)
        self._samples_per_s = 0.0
        self._next_epoch_at = 0.0
        self._roc, self._roc_at, self._roc_model, self._roc_cost = None, 0.0, None, 0.0
        self._maps, self._maps_at, self._maps_cost, self._maps_model = None, 0.0, 0.0, None
        self.stepper = Stepper(self)
        self._kernel_noted = False
        self._kernel_shown = None  # the kernel's state the last snapshot told
        self.loader = None      # a CsvLoader while a CSV file is read
        self._init_timeline()

    def _points(self, dataset, axes=(0, 1)):
        self._points_version += 1
        pts, grid, thumb = snap.Points.from_dataset(dataset, axes, self._points_version)
        return pts, (grid, thumb)

    # --- loop ---------------------------------------------------------------------------
    def run(self) -> None:
        self.emit(P.ConfigChanged(self.config))
        self.publish()
        if self.pending:
            self.trainer.track_metrics = True
            self.trainer.record_epoch(replace=True)
            self.pending = False
            self.version += 1
            self.publish()
            kernel.start_compiling()  # on a thread; training runs on numpy meanwhile
        while True:
            if self.loader is not None and not self.loader.thread.is_alive():
                try:
                    self.finish_load()
                except Exception as e:  # noqa: BLE001 (e.g. data the network cannot take)
                    self._report(e)
                self.publish()
            if self.commands.poll(self._idle_timeout()):
                while self.commands.poll():
                    if not self._handle(self.commands.recv()):
                        self.publish()
                        return
                self.publish()
            elif kernel.status().state is not self._kernel_shown:
                self.publish()  # the kernel became ready (or failed): say so
            if self.running:
                self._train_slice()

    def _kernel_note(self) -> None:
        """Say once that training runs without the compiled kernel, and why."""
        state = kernel.status()
        asked = os.environ.get(kernel.ENV) == "numpy"  # the user chose it: nothing to say
        if state.state is kernel.KernelState.UNAVAILABLE and not asked and not self._kernel_noted:
            self._kernel_noted = True
            self._notify(f"Training runs on numpy only ({state.reason}).")

    def _idle_timeout(self):
        if self.loader is not None:
            return 0.05  # look at the loader often enough to take its data soon
        if not self.running:  # idle; while the kernel compiles, wake to say when it is in
            compiling = kernel.status().state is kernel.KernelState.COMPILING
            return 0.1 if compiling else None
        if self.speed_cap:
            return max(0.0, self._next_epoch_at - time.perf_counter())
        return 0.0

    def _notify(self, text: str, level: P.NoticeLevel = P.NoticeLevel.INFO) -> None:
        """Queue a message for the user."""
        last = self._notices[-1].id if self._notices else 0
        self._notices.append(P.Notice(last + 1, self._handling, level, text))

    def _handle(self, item) -> bool:
        """Run one ``(id, command)``; False once told to stop. No exception escapes:
        the trainer process never dies of a command."""
        cmd_id, cmd = item
        self._handling = cmd_id
        try:
            run = handler_for(cmd)  # anything but a known command: a ValueError, reported
            does = cmd.traits
            if not does.keeps_steps:
                self.stepper.clear()
            if not does.keeps_scrub:
                self.scrub = None
            before = self.capture() if does.undoable else None
            label = "" if before is None else cmd.edit_label(
                self.config, None if self.scrub is None else self.scrub.epoch)
            answer = run(self, cmd)
            if answer == STOP:
                return False
            if answer != DEFERRED and before is not None:
                self.record_edit(label, before)
                if does.in_place:
                    self.refresh_frame()
            if does.changes_model:
                self.version += 1
        except Exception as e:  # noqa: BLE001 (reported; the process goes on)
            self._report(e)
        finally:
            self._ack = cmd_id
            self._handling = 0
        return True

    def _report(self, e: Exception) -> None:
        """Tell the user what went wrong; the trainer process never dies of it."""
        if isinstance(e, DivergenceError):
            self.running = False
            self._notify(str(e), P.NoticeLevel.ERROR)
        elif isinstance(e, (ValueError, OSError)):  # bad settings or files: say what
            self._notify(str(e), P.NoticeLevel.ERROR)
        else:  # a bug: report it, keep the app and the weights alive
            self.running = False
            self._notify(f"unexpected {type(e).__name__}: {e}\n\n{traceback.format_exc()}",
                         P.NoticeLevel.ERROR)

    def _train_slice(self) -> None:
        self._kernel_note()
        t, poll = self.trainer, self.commands.poll
        end = time.perf_counter() + SLICE
        try:
            while True:
                reason = t.stop_reason(self.config.max_epochs)
                if reason is not None:
                    self.running = False
                    score = "R²" if t.task.metric == "r2" else "AUC"
                    self._notify(f"Reached the target {score}." if reason == "target"
                                 else f"Reached the epoch limit ({self.config.max_epochs}).")
                    self.publish()
                    return
                self.version += 1
                if t.step_batches(deadline=end) and self.speed_cap:
                    self._next_epoch_at = time.perf_counter() + 1.0 / self.speed_cap
                    break
                if poll() or time.perf_counter() >= end:  # pause lands within a slice
                    break
        except DivergenceError as e:
            self.running = False
            self._notify(str(e), P.NoticeLevel.ERROR)
            self.publish()
            return
        except Exception as e:  # a bug in a slice: pause, say so, keep the process
            self.running = False
            self._notify(f"unexpected {type(e).__name__}: {e}\n\n{traceback.format_exc()}",
                         P.NoticeLevel.ERROR)
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
        # the ROC curve and the heatmaps follow the weights: reuse them while the model is
        # the same (stepping through phases), and refresh them on their own time shares
        # while training (a large test set's ROC can take 100 ms)
        fresh_roc = not self.pending and self.version != self._roc_model and (
            not self.running or t0 - self._roc_at >= max(ROC_INTERVAL,
                                                          self._roc_cost / ROC_SHARE))
        fresh_maps = self.version != self._maps_model and (
            not self.running or t0 - self._maps_at >= self._maps_cost / MAPS_SHARE)
        budgeted = 0.0
        t = self.shown_trainer()
        self._kernel_shown = kernel.status().state
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            if fresh_roc:
                r0 = time.perf_counter()
                self._roc, self._roc_at, self._roc_model = snap.roc_of(t), t0, self.version
                self._roc_cost = time.perf_counter() - r0
                budgeted += self._roc_cost
            if fresh_maps:
                m0 = time.perf_counter()
                maps = snap.maps_of(t.network, self.planes)
                self._maps, self._maps_at, self._maps_model = maps, t0, self.version
                self._maps_cost = time.perf_counter() - m0
                budgeted += self._maps_cost
            live = self._live_for_scrub()
            undo, redo = self.labels()
            s = snap.take(t, self.points, self.planes, self._seq, self._ack,
                          self.running, pending=self.pending, model_version=self.version,
                          roc=None if self.pending else self._roc, maps=self._maps,
                          samples_per_s=self._samples_per_s if self.running else 0.0,
                          notices=tuple(self._notices), step=self.stepper.view(),
                          loading=self.loader is not None, live=live,
                          scrub=None if self.scrub is None else self.scrub.epoch,
                          live_epoch=self.trainer.epoch, undo=undo, redo=redo,
                          timeline=TimelineInfo.of(self.trainer.timeline),
                          speed_cap=self.speed_cap, kernel=self._kernel_shown.value)
        if self.scrub is None:
            self._live_snap = s
        self.publish_to(s)
        self._last_snap = time.perf_counter()
        self._snap_cost = self._last_snap - t0 - budgeted
