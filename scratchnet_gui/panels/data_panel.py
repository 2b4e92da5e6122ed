"""Dataset, size, noise, split, seed and engineered features."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from scratchnet import data


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
        self.dataset = _tip(QComboBox(), "Which two-class problem to learn. 'csv' is your own "
                                         "file, loaded with File ▸ Open data.")
        self.dataset.addItems(list(data.GENERATORS))
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
        self.seed = _tip(QSpinBox(), "Random seed of the data and the split.")
        self.seed.setRange(0, 2**31 - 1)
        self.standardize = _tip(QCheckBox("standardise inputs"), "Scale every input to mean 0 "
                                "and standard deviation 1 on the training set.")
        for label, w in (("dataset", self.dataset), ("samples", self.samples),
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
        self.set_spec(spec)

    def set_spec(self, spec: data.DataSpec) -> None:
        if spec.source == "csv":
            if self.dataset.findText("csv") < 0:
                self.dataset.addItem("csv")
            self.csv_path = spec.csv_path
        self.dataset.setCurrentText(spec.source)
        self.samples.setValue(spec.n_samples)
        self.noise.setValue(spec.noise)
        self.train_fraction.setValue(spec.train_fraction)
        self.seed.setValue(spec.seed)
        self.standardize.setChecked(spec.standardize)
        for name, cb in self.features.items():
            cb.setChecked(name in spec.features)
        self._base = spec

    def spec(self) -> data.DataSpec:
        return dataclasses.replace(
            self._base, source=self.dataset.currentText(), n_samples=self.samples.value(),
            noise=self.noise.value(), train_fraction=round(self.train_fraction.value(), 4),
            seed=self.seed.value(), standardize=self.standardize.isChecked(),
            features=[n for n, cb in self.features.items() if cb.isChecked()],
            csv_path=self.csv_path,
            cluster_std=None if self.dataset.currentText() != "blobs" else self.noise.value())
