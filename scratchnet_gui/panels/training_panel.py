"""Every training setting: initialisation, optimizer with its own parameters, schedule with
its parameters, batch size, penalties, epoch limit, target; and speed and threshold."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QSpinBox

from scratchnet import optimizers
from scratchnet.network import INITS
from scratchnet.settings import BACKPROPS, TrainingSettings

from .shown import Shown

SPEEDS = {"max": None, "60 epochs/s": 60, "30 epochs/s": 30, "10 epochs/s": 10,
          "3 epochs/s": 3, "1 epoch/s": 1}
# The pace a window starts at: about one epoch a drawn frame, as TensorFlow Playground
# steps, so a first Play shows the boundary forming (the classic demo needs ~50 epochs)
# instead of snapping to it; Full speed is one click away on the toolbar.
WATCH = "60 epochs/s"
# which rows belong to which optimizer and schedule (the others hide)
OPTIMIZER_ROWS = {"momentum": ("momentum",), "adam": ("beta1", "beta2", "eps")}
SCHEDULE_ROWS = {"step": ("gamma", "step_size"), "exponential": ("gamma",),
                 "cosine": ("period", "min_lr")}


def _spin(cls, lo, hi, step, tip, decimals=None):
    w = cls()
    w.setRange(lo, hi)
    w.setSingleStep(step)
    if decimals is not None:
        w.setDecimals(decimals)
    w.setToolTip(tip)
    return w


def _combo(items, tip):
    w = QComboBox()
    w.addItems(list(items))
    w.setToolTip(tip)
    return w


class TrainingPanel(QGroupBox):
    """Emits ``settingsChanged(TrainingSettings)`` (always every setting),
    ``speedChanged(object)`` with epochs/s (None for max) and ``thresholdChanged(float)``."""

    settingsChanged = Signal(object)
    speedChanged = Signal(object)
    thresholdChanged = Signal(float)

    def __init__(self, settings: TrainingSettings, parent=None):
        super().__init__("Training", parent)
        self.setObjectName("training_panel")
        self.form = QFormLayout()
        self.w = self._widgets()
        for label, (name, w) in zip(LABELS, self.w.items()):
            w.setObjectName(name)
            self.form.addRow(label, w)
        self.setLayout(self.form)
        self._loading = False
        self.shown = Shown()  # what set_settings put, given back while untouched
        self.set_settings(settings)
        for name, w in self.w.items():
            if name in ("speed", "threshold"):
                continue
            if isinstance(w, QComboBox):
                w.currentIndexChanged.connect(self._emit)
            else:
                w.editingFinished.connect(self._emit)
        self.w["speed"].setCurrentText(WATCH)
        self.w["speed"].currentTextChanged.connect(lambda t: self.speedChanged.emit(SPEEDS[t]))
        self.w["threshold"].valueChanged.connect(self.thresholdChanged)

    def _widgets(self) -> dict:
        S, D = QSpinBox, QDoubleSpinBox
        return {
            "init": _combo(INITS, "Initial weights: the article's standard normal, Xavier "
                                  "(for sigmoid/tanh) or He (for relu). Used by Reset."),
            "optimizer": _combo(optimizers.OPTIMIZERS, "sgd: w −= lr·g.  momentum: a velocity "
                                "that remembers past steps.  adam: per-weight steps."),
            "lr": _spin(D, 1e-5, 100.0, 0.01, "Learning rate: how far each step moves. Too "
                        "high and training diverges; it then pauses with the last good "
                        "weights.", 5),
            "momentum": _spin(D, 0.0, 0.999, 0.05, "Momentum μ: the share of the last step "
                              "kept in the next.", 3),
            "beta1": _spin(D, 0.0, 0.9999, 0.01, "Adam β₁: decay of the gradient's running "
                           "mean.", 4),
            "beta2": _spin(D, 0.0, 0.99999, 0.001, "Adam β₂: decay of the squared "
                           "gradient's running mean.", 5),
            "eps": _spin(D, 1e-12, 1.0, 1e-8, "Adam ε: keeps the step finite.", 12),
            "schedule": _combo(optimizers.SCHEDULES, "How the learning rate changes per "
                               "epoch: constant, step, exponential or cosine."),
            "gamma": _spin(D, 0.001, 1.0, 0.05, "Factor per step (step) or per epoch "
                           "(exponential).", 3),
            "step_size": _spin(S, 1, 100_000, 1, "Epochs between steps of the rate."),
            "period": _spin(S, 1, 1_000_000, 10, "Epochs of the cosine's fall."),
            "min_lr": _spin(D, 0.0, 100.0, 0.001, "Where the cosine ends.", 5),
            "batch_size": _spin(S, 1, 1_000_000, 1, "Samples per step. 1 is the article's "
                                "per-sample SGD; the training-set size is full batch."),
            "l1": _spin(D, 0.0, 10.0, 0.001, "L1 penalty on the weights (pushes them to "
                        "exactly zero).", 5),
            "l2": _spin(D, 0.0, 10.0, 0.001, "L2 penalty on the weights (shrinks them "
                        "smoothly).", 5),
            "max_epochs": _spin(S, 1, 10_000_000, 10, "Training pauses after this many "
                                "epochs."),
            "target_auc": _spin(D, 0.0, 1.0, 0.005, "Pause once the AUC (R² for "
                                "regression) reaches this (0: never).", 3),
            "target_on": _combo(("train", "test"), "Which set's AUC (or R²) the "
                                "target is measured on."),
            "backprop": _combo(BACKPROPS, "correct: exact gradients.  article: the article's "
                               "loop with its two mistakes (layer 0 reads the last layer's "
                               "output; the error goes back through weights already "
                               "updated); all-sigmoid, batch size 1, sgd only."),
            "speed": _combo(SPEEDS, "Cap the training speed to watch it learn; 'max' is as "
                            "fast as the machine goes."),
            "threshold": _spin(D, 0.0, 1.0, 0.05, "Output probability above which a point "
                               "counts as class 1 (decides the right/wrong colour and the "
                               "confusion matrix); two classes only.", 2),
        }

    def _show_rows(self) -> None:
        opt, kind = self.w["optimizer"].currentText(), self.w["schedule"].currentText()
        for rows, chosen in ((OPTIMIZER_ROWS, opt), (SCHEDULE_ROWS, kind)):
            for key, names in rows.items():
                for n in names:
                    self.form.setRowVisible(self.w[n], key == chosen or n in rows.get(chosen, ()))

    def set_settings(self, s: TrainingSettings) -> None:
        """Show ``s`` without emitting ``settingsChanged``."""
        self._loading = True
        try:
            w = self.w
            for name in ("init", "optimizer", "target_on", "backprop"):
                w[name].setCurrentText(getattr(s, name))
            w["schedule"].setCurrentText(s.schedule["kind"])
            for name in ("lr", "momentum", "beta1", "beta2", "eps", "batch_size", "l1", "l2",
                         "max_epochs"):
                self.shown.put(name, w[name], getattr(s, name))
            for name in ("gamma", "step_size", "period", "min_lr"):
                self.shown.put(name, w[name], s.schedule[name])
            self.shown.put("target_auc", w["target_auc"], s.target_auc or 0.0)
        finally:
            self._loading = False
        self._show_rows()

    def settings(self) -> TrainingSettings:
        """Every setting the panel shows; one the user has not changed since
        ``set_settings`` is the value given there, unrounded."""
        w = self.w

        def v(name):
            return self.shown.value(name, w[name])
        schedule = {"kind": w["schedule"].currentText(), "gamma": v("gamma"),
                    "step_size": v("step_size"), "period": v("period"), "min_lr": v("min_lr")}
        return TrainingSettings(
            init=w["init"].currentText(), optimizer=w["optimizer"].currentText(),
            lr=v("lr"), momentum=v("momentum"), beta1=v("beta1"), beta2=v("beta2"),
            eps=v("eps"), schedule=schedule, batch_size=v("batch_size"), l1=v("l1"),
            l2=v("l2"), max_epochs=v("max_epochs"), target_auc=v("target_auc") or None,
            target_on=w["target_on"].currentText(), backprop=w["backprop"].currentText())

    @property
    def threshold(self):
        return self.w["threshold"]

    @property
    def speed(self):
        """The speed box (its text is a key of ``SPEEDS``)."""
        return self.w["speed"]

    def _emit(self, *_):
        self._show_rows()
        if not self._loading:
            self.settingsChanged.emit(self.settings())


LABELS = ("initialisation", "optimizer", "learning rate", "momentum μ", "Adam β₁", "Adam β₂",
          "Adam ε", "schedule", "γ", "step every", "period", "lowest lr", "batch size", "L1",
          "L2", "epoch limit", "target AUC", "target on", "backprop", "speed", "threshold")
