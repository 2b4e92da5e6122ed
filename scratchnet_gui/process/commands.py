"""The training process's parts that edit the model (``ModelEdits``) and change the
data and files (``DataFiles``), with their command handlers (Qt-free)."""

from __future__ import annotations

import dataclasses
import os
import threading

from scratchnet import csvfile, data, session
from scratchnet.config import make_trainer
from scratchnet.settings import TrainingSettings

from .. import protocol as P
from .handlers import DEFERRED, handles


def fits_task(network, config, task) -> bool:
    """Whether ``network``'s output layer is the one ``make_trainer`` gives ``task``."""
    output = config.model.output_for(task)
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


class ModelEdits:
    """Handlers of the commands that edit the live network and its training settings.

    Parameters
    ----------
    live : loop_state.Live
    """

    def __init__(self, live):
        self.live = live

    @handles(P.Reset)
    def on_Reset(self, cmd):
        """Fresh weights and history from the config's seed; the data stay."""
        live = self.live
        live.trainer = make_trainer(live.config, live.dataset)
        live.adopt(live.trainer)

    @handles(P.Configure)
    def on_Configure(self, cmd):
        """Every training setting at once, validated before any is applied."""
        live = self.live
        cfg = cmd.settings.applied_to(live.config)
        kept = cmd.settings.optimizer_state_kept(TrainingSettings.of(live.config))
        live.trainer.apply(cmd.settings, keep_state=kept)
        live.set_config(cfg)

    @handles(P.Resize)
    def on_Resize(self, cmd):
        live = self.live
        hidden, acts = list(cmd.hidden), list(cmd.activations)
        cfg = dataclasses.replace(live.config, hidden=hidden, activations=acts).validate()
        live.trainer.resize([live.dataset.n_features, *hidden, live.dataset.n_outputs], acts)
        live.set_config(cfg)

    @handles(P.SetWeights)
    def on_SetWeights(self, cmd):
        """Put back every layer's ``(W, b)``, e.g. a dead trainer's last snapshot."""
        layers = self.live.trainer.network.layers
        if len(cmd.weights) != len(layers) or any(
                W.shape != L.weights.shape or b.shape != L.biases.shape
                for (W, b), L in zip(cmd.weights, layers)):
            raise ValueError("the weights do not fit this network's layers")
        for (W, b), L in zip(cmd.weights, layers):
            L.weights[...], L.biases[...] = W, b

    @handles(P.SetWeight)
    def on_SetWeight(self, cmd):
        """Set one weight, or the bias when ``col == -1``; indices within the network."""
        layers = self.live.trainer.network.layers
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


class DataFiles:
    """Handlers of the commands that change the data or read and write files, and the
    CSV file being read (``loader``).

    Parameters
    ----------
    live : loop_state.Live
    pause, notify : callable
        The loop's: pause training; tell the user ``notify(text, level)``.
    """

    def __init__(self, live, pause, notify):
        self.live, self.pause, self.notify = live, pause, notify
        self.loader = None      # a CsvLoader while a CSV file is read

    @handles(P.OpenData)
    def on_OpenData(self, cmd):
        """Start reading a CSV file on a thread; ``loaded`` takes it over."""
        if self.loader is not None:
            raise ValueError("a CSV file is being read already; cancel it first")
        self.loader = CsvLoader(cmd.spec, self.live.emit)

    @handles(P.CancelLoad)
    def on_CancelLoad(self, cmd):
        if self.loader is not None:
            self.loader.cancel.set()

    def loaded(self):
        """Once the loader thread has ended: ``(spec, dataset)``, or None after saying
        why not (the data stay)."""
        loader, self.loader = self.loader, None
        name = os.path.basename(loader.spec.csv_path)
        self.live.emit(P.Progress(f"Reading {name}", 1.0, done=True))
        if loader.error is not None:
            self.notify(f"Could not load the data; the current data stay.\n\n{loader.error}",
                        P.NoticeLevel.ERROR)
            return None
        if loader.dataset is None:
            self.notify(f"Stopped reading {name}; the current data stay.")
            return None
        return loader.spec, loader.dataset

    @handles(P.SetData)
    def on_SetData(self, cmd):
        """New data (generated, or ``raw = (X, y, names)`` from a CSV); weights stay.

        A CSV spec without ``raw`` reuses the rows already here when it names the same
        file and task (a new split, seed or features), and otherwise reads the file on
        the loader's thread, with progress and Cancel, as Open data does."""
        raw, now, spec = cmd.raw, self.live.dataset.spec, cmd.spec
        if raw is None and spec.source == "csv":
            if (now.source, now.csv_path, now.task) != ("csv", spec.csv_path, spec.task):
                self.on_OpenData(P.OpenData(spec))
                return DEFERRED
            raw = self.live.dataset.raw()
        self.use_data(spec, data.build(spec, raw))

    def use_data(self, spec, ds):
        """Train on dataset ``ds`` (made from ``spec``) from here on."""
        live = self.live
        points = live.points_of(ds)
        cfg = dataclasses.replace(live.config, data=spec)
        if fits_task(live.trainer.network, cfg, ds.task):
            if ds.task.kind == "regression":  # new targets, their own units
                live.trainer.network.set_target_scale(*ds.target_scale)
            live.trainer.set_data(ds.X_train, ds.y_train, ds.X_test, ds.y_test)
        else:  # another task needs another output layer: the weights cannot carry over
            self.pause()
            live.trainer = make_trainer(cfg, ds)
            live.adopt(live.trainer, cfg)
            self.notify(f"New network for {describe_task(ds.task)}: fresh weights.")
        live.dataset, (live.points, live.planes) = ds, points
        live.set_config(cfg)

    @handles(P.LoadExperiment)
    def on_LoadExperiment(self, cmd):
        """A whole new experiment from its settings: data, network and trainer."""
        ds = data.build(cmd.config.data)
        self.live.replace(make_trainer(cmd.config, ds), ds, cmd.config, {"threshold": 0.5})

    @handles(P.SetAxes)
    def on_SetAxes(self, cmd):
        live = self.live
        live.points, live.planes = live.points_of(live.dataset, tuple(cmd.axes))

    @handles(P.SaveSession)
    def on_SaveSession(self, cmd):
        live = self.live
        raw = live.dataset.raw() if live.dataset.spec.source == "csv" else None
        session.save(cmd.path, live.trainer, live.config, raw, cmd.view)
        self.notify(f"Saved the session to {cmd.path}.")

    @handles(P.OpenSession)
    def on_OpenSession(self, cmd):
        """Replace everything with a saved session; a bad file changes nothing."""
        trainer, config, dataset, view = session.load(cmd.path)
        own = trainer.timeline.budget if trainer.timeline is not None else None
        self.live.replace(trainer, dataset, config, {"threshold": 0.5, **(view or {})})
        if own is not None and own != trainer.timeline.budget:  # said, not silently kept
            self.notify(f"The session's timeline memory ({own / 2**20:,.0f} MB) is not "
                        f"used: this window keeps {trainer.timeline.budget / 2**20:,.0f} MB "
                        f"of past epochs (Edit ▸ Timeline memory…).")
        self.notify(f"Opened the session {cmd.path} at epoch {trainer.epoch}.")
