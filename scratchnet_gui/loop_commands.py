"""What each command does to the training process's state (``TrainingLoop``'s half that
changes things; the loop itself is in ``training_loop``)."""

from __future__ import annotations

import dataclasses
import os
import threading
import time

from scratchnet import csvfile, data, session
from scratchnet.config import make_trainer
from scratchnet.settings import TrainingSettings

from . import protocol as P
from .handlers import DEFERRED, STOP, handler_for, handles


def fits_task(network, config, task) -> bool:
    """Whether ``network``'s output layer is the one ``make_trainer`` gives ``task``."""
    output = config.output if task.output == "sigmoid" else task.output
    return network.output == output and network.sizes[-1] == task.n_outputs


def describe_task(task) -> str:
    """"regression", or "3 classes" and the like."""
    return "regression" if task.kind == "regression" else f"{task.n_classes} classes"


class CsvLoader:
    """Reads a CSV file and builds its dataset on its own thread, emitting ``Progress``;
    ``cancel`` stops it. Built where it is read, the parsed arrays are freed once split
    (a 2M-row file: ~30 MiB less at the peak), and the loop answers meanwhile."""

    def __init__(self, spec, emit):
        self.spec, self.emit = spec, emit
        self.dataset = self.error = None
        self.cancel = threading.Event()
        self.thread = threading.Thread(target=self._run, name="csv-loader", daemon=True)
        self.thread.start()

    def _run(self):
        what = f"Reading {os.path.basename(self.spec.csv_path)}"

        def progress(fraction):
            if self.cancel.is_set():
                raise csvfile.Cancelled()
            self.emit(P.Progress(what, fraction))

        try:
            self.dataset = data.build(self.spec, progress=progress)
        except csvfile.Cancelled:
            pass
        except (ValueError, OSError, MemoryError) as e:
            self.error = str(e)


class LoopCommands:
    """Handlers of the commands that train and edit, each registered for its command
    type with ``@handles``; ``dispatch`` runs the one for a command."""

    def dispatch(self, cmd):
        """Run ``cmd``'s handler; it returns ``DEFERRED`` when the change comes later
        (a file read on a thread), so there is no edit to undo yet, or ``STOP``."""
        return handler_for(cmd)(self, cmd)

    @handles(P.Stop)
    def on_Stop(self, cmd):
        self.running = False
        return STOP

    # --- training -----------------------------------------------------------------------
    @handles(P.Play)
    def on_Play(self, cmd):
        self.running = True
        self._rate = (time.perf_counter(), self.trainer.samples_seen)

    @handles(P.Pause)
    def on_Pause(self, cmd):
        self.running = False

    @handles(P.StepEpoch)
    def on_StepEpoch(self, cmd):
        self.running = False
        self.trainer.step_epoch()

    @handles(P.StepBatch)
    def on_StepBatch(self, cmd):
        self.running = False
        self.trainer.step_batch()

    @handles(P.Reset)
    def on_Reset(self, cmd):
        """Fresh weights and history from the config's seed; the data stay."""
        self.running = False
        self.trainer = make_trainer(self.config, self.dataset)
        self._adopt(self.trainer)

    @handles(P.SetSpeed)
    def on_SetSpeed(self, cmd):
        self.speed_cap = cmd.epochs_per_s

    @handles(P.Configure)
    def on_Configure(self, cmd):
        """Every training setting at once, validated before any is applied."""
        cfg = cmd.settings.applied_to(self.config)
        t = self.trainer
        if cmd.settings.optimizer_state_kept(TrainingSettings.of(self.config)):
            opt = cfg.make_optimizer()  # same optimizer: keep its state, new lr/schedule
            t.optimizer.lr, t.optimizer.schedule = opt.lr, opt.schedule
        else:
            t.optimizer = cfg.make_optimizer()
        t.batch_size, t.l1, t.l2 = cfg.batch_size, cfg.l1, cfg.l2
        t.target_auc, t.target_on = cfg.target_auc, cfg.target_on
        self._set_config(cfg)

    def _set_config(self, cfg, view=None):
        self.config = self.trainer.tag = cfg  # the tag goes with the timeline's frames
        self.emit(P.ConfigChanged(cfg, view))

    # --- the model ----------------------------------------------------------------------
    @handles(P.Resize)
    def on_Resize(self, cmd):
        hidden, acts = list(cmd.hidden), list(cmd.activations)
        cfg = dataclasses.replace(self.config, hidden=hidden, activations=acts).validate()
        self.trainer.resize([self.dataset.n_features, *hidden, self.dataset.n_outputs], acts)
        self._set_config(cfg)

    @handles(P.SetWeights)
    def on_SetWeights(self, cmd):
        """Put back every layer's ``(W, b)``, e.g. a dead trainer's last snapshot."""
        layers = self.trainer.network.layers
        if len(cmd.weights) != len(layers) or any(
                W.shape != L.weights.shape or b.shape != L.biases.shape
                for (W, b), L in zip(cmd.weights, layers)):
            raise ValueError("the weights do not fit this network's layers")
        for (W, b), L in zip(cmd.weights, layers):
            L.weights[...], L.biases[...] = W, b

    @handles(P.SetWeight)
    def on_SetWeight(self, cmd):
        """Set one weight, or the bias when ``col == -1``; indices within the network."""
        layers = self.trainer.network.layers
        if cmd.layer >= len(layers):
            raise ValueError(f"there is no layer {cmd.layer + 1}; the network has {len(layers)}")
        W, b = layers[cmd.layer].weights, layers[cmd.layer].biases
        if cmd.row >= W.shape[0] or cmd.col >= W.shape[1]:
            raise ValueError(f"layer {cmd.layer + 1} has no weight [{cmd.row + 1}, "
                             f"{cmd.col + 1}]; it is {W.shape[0]}×{W.shape[1]}")
        if cmd.col < 0:
            b[cmd.row] = cmd.value
        else:
            W[cmd.row, cmd.col] = cmd.value

    # --- data and files -----------------------------------------------------------------
    @handles(P.OpenData)
    def on_OpenData(self, cmd):
        """Start reading a CSV file on a thread; ``finish_load`` takes it over."""
        if self.loader is not None:
            raise ValueError("a CSV file is being read already; cancel it first")
        self.loader = CsvLoader(cmd.spec, self.emit)

    @handles(P.CancelLoad)
    def on_CancelLoad(self, cmd):
        if self.loader is not None:
            self.loader.cancel.set()

    def finish_load(self) -> None:
        """Once the loader thread has ended: its data, or why not (data stay)."""
        loader, self.loader = self.loader, None
        name = os.path.basename(loader.spec.csv_path)
        self.emit(P.Progress(f"Reading {name}", 1.0, done=True))
        if loader.error is not None:
            self._notify(f"Could not load the data; the current data stay.\n\n{loader.error}",
                         P.NoticeLevel.ERROR)
            return
        if loader.dataset is None:
            self._notify(f"Stopped reading {name}; the current data stay.")
            return
        self.stepper.clear()
        self.scrub = None
        before = self.capture()
        self._use_data(loader.spec, loader.dataset)
        self.record_edit("open data", before)
        self.version += 1
        rows = len(loader.dataset.y_train) + len(loader.dataset.y_test)
        self._notify(f"Loaded {rows:,} rows from {name}.")

    @handles(P.SetData)
    def on_SetData(self, cmd):
        """New data (generated, or ``raw = (X, y, names)`` from a CSV); weights stay.

        A CSV spec without ``raw`` reuses the rows already here when it names the same
        file and task (a new split, seed or features), and otherwise reads the file on
        the loader's thread, with progress and Cancel, as Open data does."""
        raw, now, spec = cmd.raw, self.dataset.spec, cmd.spec
        if raw is None and spec.source == "csv":
            if (now.source, now.csv_path, now.task) != ("csv", spec.csv_path, spec.task):
                self.on_OpenData(P.OpenData(spec))
                return DEFERRED
            raw = self.dataset.raw()
        self._use_data(spec, data.build(spec, raw))

    def _use_data(self, spec, ds):
        """Train on dataset ``ds`` (made from ``spec``) from here on."""
        points = self._points(ds)
        cfg = dataclasses.replace(self.config, data=spec)
        if fits_task(self.trainer.network, cfg, ds.task):
            if ds.task.kind == "regression":  # new targets, their own units
                self.trainer.network.set_target_scale(*ds.target_scale)
            self.trainer.set_data(ds.X_train, ds.y_train, ds.X_test, ds.y_test)
        else:  # another task needs another output layer: the weights cannot carry over
            self.running = False
            self.trainer = make_trainer(cfg, ds)
            self._adopt(self.trainer, cfg)
            self._notify(f"New network for {describe_task(ds.task)}: fresh weights.")
        self.dataset, (self.points, self.planes) = ds, points
        self._set_config(cfg)

    @handles(P.LoadExperiment)
    def on_LoadExperiment(self, cmd):
        """A whole new experiment from its settings: data, network and trainer."""
        ds = data.build(cmd.config.data)
        self.running = False
        self.trainer, self.dataset = make_trainer(cmd.config, ds), ds
        self._adopt(self.trainer, cmd.config)
        self.points, self.planes = self._points(ds)
        self._set_config(cmd.config, {"threshold": 0.5})

    @handles(P.SetAxes)
    def on_SetAxes(self, cmd):
        self.points, self.planes = self._points(self.dataset, tuple(cmd.axes))

    @handles(P.SaveSession)
    def on_SaveSession(self, cmd):
        raw = self.dataset.raw() if self.dataset.spec.source == "csv" else None
        session.save(cmd.path, self.trainer, self.config, raw, cmd.view)
        self._notify(f"Saved the session to {cmd.path}.")

    @handles(P.OpenSession)
    def on_OpenSession(self, cmd):
        """Replace everything with a saved session; a bad file changes nothing."""
        trainer, config, dataset, view = session.load(cmd.path)
        self.running = False
        self.trainer, self.dataset = trainer, dataset
        own = trainer.timeline.budget if trainer.timeline is not None else None
        self._adopt(trainer, config)
        if own is not None and own != trainer.timeline.budget:  # said, not silently kept
            self._notify(f"The session's timeline memory ({own / 2**20:,.0f} MB) is not "
                         f"used: this window keeps {trainer.timeline.budget / 2**20:,.0f} MB "
                         f"of past epochs (Edit ▸ Timeline memory…).")
        self.points, self.planes = self._points(dataset)
        self._set_config(config, {"threshold": 0.5, **(view or {})})
        self._notify(f"Opened the session {cmd.path} at epoch {trainer.epoch}.")

    # --- the stepper --------------------------------------------------------------------
    @handles(P.Step)
    def on_Step(self, cmd):
        K = P.StepKind
        {K.SAMPLE: self.stepper.step_sample, K.NEXT: self.stepper.next,
         K.APPLY: self.stepper.apply, K.UNAPPLY: self.stepper.unapply,
         K.PREVIOUS: self.stepper.previous}[cmd.kind]()

    @handles(P.SelectSample)
    def on_SelectSample(self, cmd):
        self.stepper.select(cmd.index)

    @handles(P.GradCheck)
    def on_GradCheck(self, cmd):
        self.stepper.gradcheck()
