"""Optimizer, learning rate, schedule, batch size, penalties, limits, speed, threshold."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QSpinBox

from scratchnet import optimizers
from scratchnet.config import Config

SPEEDS = {"max": None, "60 epochs/s": 60, "30 epochs/s": 30, "10 epochs/s": 10,
          "3 epochs/s": 3, "1 epoch/s": 1}


def _spin(cls, lo, hi, step, tip, decimals=None):
    w = cls()
    w.setRange(lo, hi)
    w.setSingleStep(step)
    if decimals is not None:
        w.setDecimals(decimals)
    w.setToolTip(tip)
    return w


class TrainingPanel(QGroupBox):
    """Emits ``settingsChanged(dict)`` with Config fields, ``speedChanged(object)`` with
    epochs/s (None for max) and ``thresholdChanged(float)``."""

    settingsChanged = Signal(dict)
    speedChanged = Signal(object)
    thresholdChanged = Signal(float)

    def __init__(self, config: Config, parent=None):
        super().__init__("Training", parent)
        self.setObjectName("training_panel")
        form = QFormLayout()
        self.optimizer = QComboBox()
        self.optimizer.addItems(list(optimizers.OPTIMIZERS))
        self.optimizer.setToolTip("sgd: w −= lr·g.  momentum: a velocity that remembers past "
                                  "steps.  adam: per-weight steps from gradient moments.")
        self.lr = _spin(QDoubleSpinBox, 1e-5, 100.0, 0.01, "Learning rate: how far each step "
                        "moves. Too high and training diverges; it then pauses and keeps the "
                        "last good weights.", decimals=5)
        self.schedule = QComboBox()
        self.schedule.addItems(list(optimizers.SCHEDULES))
        self.schedule.setToolTip("How the learning rate changes per epoch: constant; step "
                                 "(halve every 10); exponential (×0.5 per epoch... gamma); "
                                 "cosine (down to 0 over 100 epochs).")
        self.batch = _spin(QSpinBox, 1, 1_000_000, 1, "Samples per step. 1 is the article's "
                           "per-sample SGD; the training-set size is full-batch descent.")
        self.l1 = _spin(QDoubleSpinBox, 0.0, 10.0, 0.001, "L1 penalty on the weights "
                        "(pushes them to exactly zero).", decimals=5)
        self.l2 = _spin(QDoubleSpinBox, 0.0, 10.0, 0.001, "L2 penalty on the weights "
                        "(shrinks them smoothly).", decimals=5)
        self.max_epochs = _spin(QSpinBox, 1, 10_000_000, 10, "Training pauses after this "
                                "many epochs.")
        self.target = _spin(QDoubleSpinBox, 0.0, 1.0, 0.005, "Pause once the training AUC "
                            "reaches this (0: never).", decimals=3)
        self.speed = QComboBox()
        self.speed.addItems(list(SPEEDS))
        self.speed.setToolTip("Cap the training speed so you can watch it learn; 'max' is "
                              "as fast as the machine goes.")
        self.threshold = _spin(QDoubleSpinBox, 0.0, 1.0, 0.05, "Output probability above "
                               "which a point counts as class 1 (decides right/wrong colour).",
                               decimals=2)
        for label, w in (("optimizer", self.optimizer), ("learning rate", self.lr),
                         ("schedule", self.schedule), ("batch size", self.batch),
                         ("L1", self.l1), ("L2", self.l2), ("epoch limit", self.max_epochs),
                         ("target AUC", self.target), ("speed", self.speed),
                         ("threshold", self.threshold)):
            w.setObjectName(label.replace(" ", "_"))
            form.addRow(label, w)
        self.setLayout(form)
        self.set_config(config)
        for combo in (self.optimizer, self.schedule):
            combo.currentIndexChanged.connect(self._emit)
        for spin in (self.lr, self.batch, self.l1, self.l2, self.max_epochs, self.target):
            spin.editingFinished.connect(self._emit)
        self.speed.currentTextChanged.connect(lambda t: self.speedChanged.emit(SPEEDS[t]))
        self.threshold.valueChanged.connect(self.thresholdChanged)

    def set_config(self, c: Config) -> None:
        self._loading = True
        self.optimizer.setCurrentText(c.optimizer)
        self.lr.setValue(c.lr)
        self.schedule.setCurrentText(c.schedule.get("kind", "constant"))
        self.batch.setValue(c.batch_size)
        self.l1.setValue(c.l1)
        self.l2.setValue(c.l2)
        self.max_epochs.setValue(c.max_epochs)
        self.target.setValue(c.target_auc or 0.0)
        self.threshold.setValue(0.5)
        self._loading = False

    def settings(self) -> dict:
        return {"optimizer": self.optimizer.currentText(), "lr": self.lr.value(),
                "schedule": {"kind": self.schedule.currentText()},
                "batch_size": self.batch.value(), "l1": self.l1.value(), "l2": self.l2.value(),
                "max_epochs": self.max_epochs.value(),
                "target_auc": self.target.value() or None}

    def _emit(self, *_):
        if not self._loading:
            self.settingsChanged.emit(self.settings())
