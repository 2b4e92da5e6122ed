"""The training process's loop: takes commands between slices of training and publishes
snapshots on a time budget (Qt-free).

The loop holds parts with one job each, and the command handlers live on them:
``Live`` (the state), ``Pacer`` (when to publish), ``Stepper`` (one sample at a time),
``Scrubber`` (the timeline), ``History`` (undo), ``ModelEdits``, ``DataFiles`` and
``Insight`` (per-unit shares, the hidden space).
"""

from __future__ import annotations

import collections
import os
import time
import traceback

import numpy as np

from scratchnet import DivergenceError, data, kernel
from scratchnet.config import Config

from .. import protocol as P
from .. import snapshot as snap
from .handlers import DEFERRED, STOP, bind, handles
from .commands import DataFiles, ModelEdits
from .insight import Insight
from .landscape import LandscapeWatch
from .pacer import Pacer
from .live import Live
from .lockstep import Lockstep
from .scrubber import Scrubber, TimelineInfo, refresh_frame
from .history import History
from .stepper import Stepper

SLICE = 0.008          # seconds of training between looks at the clock


class TrainingLoop:
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
        self.emit = emit or publish
        self.live = Live(config, dataset, self.emit, track_metrics=not measure_later)
        self.pending = measure_later
        self.commands = commands
        self.publish_to = publish
        self.running = False
        self.speed_cap = None   # epochs per second, or None for as fast as possible
        self._ack = 0
        # recent notices: every snapshot carries them, so one the GUI never reads (it
        # keeps only the newest snapshot) loses no message
        self._notices = collections.deque(maxlen=32)
        self._handling = 0
        self._next_epoch_at = 0.0
        self._kernel_noted = False
        self._kernel_shown = None  # the kernel's state the last snapshot told
        self.pacer = Pacer()
        self.stepper = Stepper(lambda: self.live.trainer)
        self.scrubber = Scrubber(self.live, self.pause, self.notify)
        self.history = History(self.live, self.pause, self.notify)
        self.edits = ModelEdits(self.live)
        self.files = DataFiles(self.live, self.pause, self.notify)
        self.landscape = LandscapeWatch(self.live, self.scrubber,
                                        lambda: self.speed_cap is not None)
        self.insight = Insight()  # per-unit shares, the hidden space while its view is open
        self.lockstep = Lockstep()  # compare mode: epoch by epoch with the other run
        self._waiting = False  # for the other run, at an epoch's start
        self.handlers = bind([self, self.stepper, self.scrubber, self.history, self.edits,
                              self.files, self.landscape, self.insight, self.lockstep])

    def pause(self) -> None:
        self.running = False

    # --- loop ---------------------------------------------------------------------------
    def run(self) -> None:
        self.emit(P.ConfigChanged(self.live.config))
        self.publish()
        if self.pending:
            self.live.trainer.track_metrics = True
            self.live.trainer.record_epoch(replace=True)
            self.pending = False
            self.live.version += 1
            self.publish()
            kernel.start_compiling()  # on a thread; training runs on numpy meanwhile
        while True:
            loader = self.files.loader
            if loader is not None and not loader.thread.is_alive():
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

    def finish_load(self) -> None:
        """Once the CSV loader's thread has ended: train on its data (an undoable edit),
        or say why not."""
        loaded = self.files.loaded()
        if loaded is None:
            return
        self.stepper.clear()
        self.scrubber.leave()
        before = self.history.capture()
        self.files.use_data(*loaded)
        self.history.record("open data", before)
        self.live.version += 1
        ds, name = loaded[1], os.path.basename(loaded[0].csv_path)
        self.notify(f"Loaded {len(ds.y_train) + len(ds.y_test):,} rows from {name}.")

    def _kernel_note(self) -> None:
        """Say once that training runs without the compiled kernel, and why."""
        state = kernel.status()
        asked = os.environ.get(kernel.ENV) == "numpy"  # the user chose it: nothing to say
        if state.state is kernel.KernelState.UNAVAILABLE and not asked and not self._kernel_noted:
            self._kernel_noted = True
            self.notify(f"Training runs on numpy only ({state.reason}).")

    def _idle_timeout(self):
        if self.files.loader is not None:
            return 0.05  # look at the loader often enough to take its data soon
        if not self.running:  # idle; while the kernel compiles, wake to say when it is in
            compiling = kernel.status().state is kernel.KernelState.COMPILING
            return 0.1 if compiling else None
        if self._waiting:  # for the other run: look again soon, without spinning
            return 0.001
        if self.speed_cap:
            return max(0.0, self._next_epoch_at - time.perf_counter())
        return 0.0

    def notify(self, text: str, level: P.NoticeLevel = P.NoticeLevel.INFO) -> None:
        """Queue a message for the user."""
        last = self._notices[-1].id if self._notices else 0
        self._notices.append(P.Notice(last + 1, self._handling, level, text))

    # --- commands -----------------------------------------------------------------------
    def dispatch(self, cmd):
        """Run ``cmd``'s handler (``ValueError`` for anything but a known command); it
        answers ``DEFERRED`` when the change comes later (a file read on a thread), so
        there is no edit to undo yet, or ``STOP``."""
        return self._handler(cmd)(cmd)

    def _handler(self, cmd):
        run = self.handlers.get(type(cmd)) if isinstance(cmd, P.Command) else None
        if run is None:
            raise ValueError(f"the trainer does not know the command {cmd!r}")
        return run

    def _handle(self, item) -> bool:
        """Run one ``(id, command)``; False once told to stop. No exception escapes:
        the trainer process never dies of a command."""
        cmd_id, cmd = item
        self._handling = cmd_id
        try:
            run = self._handler(cmd)  # anything but a known command: a ValueError, reported
            does = cmd.traits
            if not does.keeps_steps:
                self.stepper.clear()
            if not does.keeps_scrub:
                self.scrubber.leave()
            before = self.history.capture() if does.undoable else None
            label = "" if before is None else cmd.edit_label(self.live.config,
                                                              self.scrubber.epoch)
            answer = run(cmd)
            if answer == STOP:
                return False
            if does.pauses:
                self.running = False
            if answer != DEFERRED and before is not None:
                self.history.record(label, before)
                if does.in_place:
                    refresh_frame(self.live.trainer)
            if does.changes_model:
                self.live.version += 1
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
            self.notify(str(e), P.NoticeLevel.ERROR)
        elif isinstance(e, (ValueError, OSError)):  # bad settings or files: say what
            self.notify(str(e), P.NoticeLevel.ERROR)
        else:  # a bug: report it, keep the app and the weights alive
            self.running = False
            self.notify(f"unexpected {type(e).__name__}: {e}\n\n{traceback.format_exc()}",
                        P.NoticeLevel.ERROR)

    @handles(P.Stop)
    def on_Stop(self, cmd):
        return STOP

    @handles(P.Play)
    def on_Play(self, cmd):
        self.running = True
        self.lockstep.done = False
        self.pacer.restart(self.live.trainer.samples_seen)

    @handles(P.Pause)
    def on_Pause(self, cmd):
        pass  # Traits.pauses

    @handles(P.StepEpoch)
    def on_StepEpoch(self, cmd):
        self.live.trainer.step_epoch()

    @handles(P.StepBatch)
    def on_StepBatch(self, cmd):
        self.live.trainer.step_batch()

    @handles(P.SetSpeed)
    def on_SetSpeed(self, cmd):
        self.speed_cap = cmd.epochs_per_s

    # --- training -----------------------------------------------------------------------
    def _train_slice(self) -> None:
        self._kernel_note()
        t, poll, max_epochs = self.live.trainer, self.commands.poll, self.live.config.training.max_epochs
        end = time.perf_counter() + SLICE
        try:
            while True:
                reason = t.stop_reason(max_epochs)
                if reason is not None:
                    self.running = self._waiting = False
                    self.lockstep.done = True  # the other run goes on without it
                    score = "R²" if t.task.metric == "r2" else "AUC"
                    self.notify(f"Reached the target {score}." if reason == "target"
                                else f"Reached the epoch limit ({max_epochs}).")
                    self.publish()
                    return
                if t.cursor == 0 and self._held(t):
                    if not self.running:  # paused at the hold (and published)
                        return
                    break  # waiting for the other run: a snapshot may be due meanwhile
                self.live.version += 1
                if t.step_batches(deadline=end):
                    self.lockstep.mark(t.epoch)
                    if self.speed_cap:
                        self._next_epoch_at = time.perf_counter() + 1.0 / self.speed_cap
                        break
                if poll() or time.perf_counter() >= end:  # pause lands within a slice
                    break
        except DivergenceError as e:
            self.running = False
            self.lockstep.done = True
            self.notify(str(e), P.NoticeLevel.ERROR)
            self.publish()
            return
        except Exception as e:  # a bug in a slice: pause, say so, keep the process
            self.running = False
            self.notify(f"unexpected {type(e).__name__}: {e}\n\n{traceback.format_exc()}",
                        P.NoticeLevel.ERROR)
            self.publish()
            return
        if self.pacer.due():
            self.publish()

    def _held(self, t) -> bool:
        """At an epoch's start in compare mode: pause at the window's hold, or wait for
        the other run to complete this epoch too (True: no training now)."""
        lock = self.lockstep
        if not lock.joined:
            return False
        if lock.held(t.epoch):
            self.running = self._waiting = False
            self.publish()
            return True
        self._waiting = not lock.may_start(t.epoch)
        return self._waiting

    # --- snapshots ----------------------------------------------------------------------
    def publish(self) -> None:
        live, pacer, scrubber = self.live, self.pacer, self.scrubber
        self.lockstep.mark(live.trainer.epoch)
        rate = pacer.start(self.running, live.trainer.samples_seen)
        t = scrubber.shown_trainer()
        self._kernel_shown = kernel.status().state
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            roc, maps = pacer.diagnostics(t, live.planes, live.version, self.running,
                                          self.pending)
            undo, redo = self.history.labels()
            scape = self.landscape.frame(t, self.running)
            pacer.spent(self.landscape.spent)
            why = self.insight.take(t, live.points, live.planes, live.version, self.running)
            s = snap.take(t, live.points, live.planes, pacer.seq, self._ack, self.running,
                          pending=self.pending, model_version=live.version, roc=roc,
                          maps=maps, samples_per_s=rate, notices=tuple(self._notices),
                          step=self.stepper.view(), loading=self.files.loader is not None,
                          live=scrubber.live_snapshot(pacer.seq, self._ack),
                          scrub=scrubber.epoch, live_epoch=live.trainer.epoch, undo=undo,
                          redo=redo, timeline=TimelineInfo.of(live.trainer.timeline),
                          speed_cap=self.speed_cap, kernel=self._kernel_shown.value,
                          landscape=scape, **why)
        scrubber.sent(s)
        self.publish_to(s)
        pacer.sent()
