"""Dataset, size, noise, split, seed and engineered features."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from scratchnet import data, tasks

from .shown import Shown


def _tip(w, text):
    w.setToolTip(text)
    return w


class DataPanel(QGroupBox):
    """Emits ``specChanged(DataSpec)`` when the user asks for new data."""

    specChanged = Signal(object)

    def __init__(self, spec: data.DataSpec, parent=None):
        super().__init__("Data", parent)
        self.setObjectName("data_panel")
        self.csv_path = ""
        form = QFormLayout()
        self.dataset = _tip(QComboBox(), "Which problem to learn: classification sets "
                            "(blobs and spiral take 2 to 6 classes), then the regression sets "
                            "reg-plane and reg-gauss. 'csv' is your own file, loaded with "
                            "File ▸ Open data.")
        self.dataset.addItems(list(data.ALL_GENERATORS))
        self._build_task_widgets()
        self.samples = _tip(QSpinBox(), "How many points to generate.")
        self.samples.setRange(data.MIN_ROWS * 5, 100_000)
        self.noise = _tip(QDoubleSpinBox(), "Gaussian noise added to every point (for blobs: "
                                            "the cluster spread).")
        self.noise.setRange(0.0, 10.0)
        self.noise.setSingleStep(0.05)
        self.train_fraction = _tip(QDoubleSpinBox(), "Share of the points used for training; "
                                                     "the rest are the test set.")
        self.train_fraction.setRange(0.1, 0.95)
        self.train_fraction.setSingleStep(0.05)
        self.seed = _tip(QDoubleSpinBox(), "Random seed of the data and the split.")
        self.seed.setDecimals(0)  # whole numbers, exact up to 2**53: the seed's 2**32 - 1
        self.seed.setRange(0, 2**32 - 1)
        self.standardize = _tip(QCheckBox("standardise inputs"), "Scale every input to mean 0 "
                                "and standard deviation 1 on the training set.")
        for label, w in (("dataset", self.dataset), ("classes", self.classes),
                         ("task", self.task), ("samples", self.samples),
                         ("noise", self.noise), ("train fraction", self.train_fraction),
                         ("seed", self.seed), ("", self.standardize)):
            form.addRow(label, w)
        feats = QWidget()
        fl = QVBoxLayout(feats)
        fl.setContentsMargins(0, 0, 0, 0)
        self.features = {}
        for name in data.FEATURES:
            cb = _tip(QCheckBox(name), f"Add {name} (from the first two columns) as an input.")
            fl.addWidget(cb)
            self.features[name] = cb
        form.addRow("features", feats)
        self.regenerate = _tip(QPushButton("Regenerate"), "Make the data again with these "
                               "settings. The network keeps its weights; the curves restart.")
        self.regenerate.setObjectName("regenerate")
        self.regenerate.clicked.connect(lambda: self.specChanged.emit(self.spec()))
        form.addRow(self.regenerate)
        self.setLayout(form)
        self.shown = Shown()  # what set_spec put, given back while untouched
        self.set_spec(spec)

    def _build_task_widgets(self) -> None:
        """The classes spin box (blobs, spiral) and the task choice (a CSV file)."""
        self.classes = _tip(QSpinBox(), "Classes of blobs (centres) and spiral (arms); the "
                            "output layer gets one softmax unit per class from 3 up.")
        self.classes.setObjectName("classes")
        self.classes.setRange(2, data.MAX_GENERATED_CLASSES)
        self.task = _tip(QComboBox(), "The task of a CSV file (File ▸ Open data, or "
                         "Regenerate to read it again): 'auto' guesses (up to 20 distinct "
                         "labels are classes, more numbers a regression target); the others "
                         "override the guess. Generated sets have their own task.")
        self.task.setObjectName("task")
        self.task.addItems([tasks.AUTO, *tasks.TASKS])
        self.dataset.currentTextChanged.connect(self._source_changed)

    def set_spec(self, spec: data.DataSpec) -> None:
        if spec.source == "csv":
            if self.dataset.findText("csv") < 0:
                self.dataset.addItem("csv")
            self.csv_path = spec.csv_path
        self.dataset.setCurrentText(spec.source)
        self.classes.setValue(spec.classes)
        self.task.setCurrentText(spec.task)
        self._source_changed(spec.source)
        for name in ("samples", "noise", "train_fraction", "seed"):
            value = getattr(spec, {"samples": "n_samples"}.get(name, name))
            self.shown.put(name, getattr(self, name), value)
        self.standardize.setChecked(spec.standardize)
        for name, cb in self.features.items():
            cb.setChecked(name in spec.features)
        self._base = spec

    def _source_changed(self, source: str) -> None:
        """Classes only for the sets that take them."""
        self.classes.setEnabled(source in data.MULTICLASS_GENERATORS)

    def spec(self) -> data.DataSpec:
        source = self.dataset.currentText()
        v = {name: self.shown.value(name, getattr(self, name))
             for name in ("samples", "noise", "train_fraction", "seed")}
        return dataclasses.replace(
            self._base, source=source, n_samples=int(v["samples"]),
            classes=self.classes.value() if source in data.MULTICLASS_GENERATORS else 2,
            task=self.task.currentText() if source == "csv" else tasks.AUTO,
            noise=v["noise"], train_fraction=v["train_fraction"], seed=int(v["seed"]),
            standardize=self.standardize.isChecked(),
            features=[n for n, cb in self.features.items() if cb.isChecked()],
            csv_path=self.csv_path,
            cluster_std=self._cluster_std(source, v["noise"]))

    def _cluster_std(self, source: str, noise: float):
        """Blobs' spread is the noise shown, or the data's own while it is untouched."""
        if source != "blobs":
            return None
        base = self._base
        untouched = self.shown.value("noise", self.noise) == base.noise
        keep = base.source == "blobs" and base.cluster_std is not None and untouched
        return base.cluster_std if keep else noise
