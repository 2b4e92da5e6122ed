"""Hidden layers: their sizes as text, an activation per layer, applied together."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout,
                               QLineEdit, QPushButton, QWidget)

from scratchnet import activations as acts
from scratchnet.network import MAX_LAYERS, MAX_UNITS, parse_sizes

PER_ROW = 3  # activation boxes per row under the sizes


class ModelPanel(QGroupBox):
    """Emits ``architectureChanged(list, list)`` with valid sizes and activations, or
    ``invalid(str)`` with what is wrong (and changes nothing)."""

    architectureChanged = Signal(list, list)
    invalid = Signal(str)
    resetRequested = Signal()

    def __init__(self, hidden, activations, parent=None):
        super().__init__("Model", parent)
        self.setObjectName("model_panel")
        form = QFormLayout()
        self.sizes = QLineEdit()
        self.sizes.setObjectName("hidden_sizes")
        self.sizes.setToolTip(f"Neurons per hidden layer, comma-separated (e.g. 9, 6). Up to "
                              f"{MAX_LAYERS - 1} layers of up to {MAX_UNITS} neurons. Empty: no "
                              f"hidden layer.")
        self.sizes.textEdited.connect(self._match_boxes)
        self.boxes_widget = QWidget()
        self.grid = QGridLayout(self.boxes_widget)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[QComboBox] = []
        self.all = QComboBox()
        self.all.setObjectName("all_activations")
        self.all.addItems(list(acts.ACTIVATIONS))
        self.all.setToolTip("Set every hidden layer to this activation.")
        self.all.setPlaceholderText("mixed")  # shown when the layers differ
        self.all.textActivated.connect(lambda name: [b.setCurrentText(name) for b in self.boxes])
        row = QWidget()
        rl = QHBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        self.add = self._button("+ layer", "Append a hidden layer (a copy of the last one).",
                                self._add_layer, rl)
        self.remove = self._button("− layer", "Remove the last hidden layer.",
                                   self._remove_layer, rl)
        self.apply = self._button("Apply", "Apply the layers. Every neuron that survives keeps "
                                  "its weights; new ones start fresh. Training continues.",
                                  self.submit, rl)
        self.apply.setObjectName("apply_model")
        self.reset = QPushButton("Reset weights")
        self.reset.setObjectName("reset_weights")
        self.reset.setToolTip("Forget everything learned: fresh weights from the seed.")
        self.reset.clicked.connect(self.resetRequested)
        form.addRow("hidden sizes", self.sizes)
        form.addRow("activations", self.boxes_widget)
        form.addRow("all layers", self.all)
        form.addRow(row)
        form.addRow(self.reset)
        self.setLayout(form)
        self.set_architecture(hidden, activations)
        self.sizes.returnPressed.connect(self.submit)

    @staticmethod
    def _button(text, tip, slot, layout):
        b = QPushButton(text)
        b.setToolTip(tip)
        b.clicked.connect(slot)
        layout.addWidget(b)
        return b

    def _set_boxes(self, names):
        """One activation box per hidden layer, named ``activation_1`` … in order."""
        while len(self.boxes) > len(names):
            b = self.boxes.pop()
            self.grid.removeWidget(b)
            b.deleteLater()
        while len(self.boxes) < len(names):
            b = QComboBox()
            b.addItems(list(acts.ACTIVATIONS))
            k = len(self.boxes)
            b.setObjectName(f"activation_{k + 1}")
            b.setToolTip(f"Activation of hidden layer {k + 1}")
            self.grid.addWidget(b, k // PER_ROW, k % PER_ROW)
            b.currentTextChanged.connect(self._sync_all)
            self.boxes.append(b)
        for b, n in zip(self.boxes, names):
            b.setCurrentText(n)
        self._sync_all()

    def _sync_all(self) -> None:
        """"all layers" names the layers' one activation, or reads "mixed"."""
        names = set(self.activations())
        self.all.setPlaceholderText("mixed" if names else "no hidden layer")
        if len(names) == 1:
            self.all.setCurrentText(names.pop())
        else:
            self.all.setCurrentIndex(-1)

    def _match_boxes(self, text):
        """Keep one box per size typed so far (new layers copy the last activation)."""
        try:
            n = len(parse_sizes(text, hidden=True))
        except ValueError:
            return  # Apply will say what is wrong
        names = self.activations()
        last = names[-1] if names else "sigmoid"
        self._set_boxes((names + [last] * n)[:n])

    def activations(self) -> list:
        return [b.currentText() for b in self.boxes]

    def set_architecture(self, hidden, activations):
        self.sizes.setText(", ".join(map(str, hidden)))
        self._set_boxes(list(activations))

    def _edit(self, fn):
        try:
            sizes = parse_sizes(self.sizes.text(), hidden=True)
        except ValueError as e:
            self.invalid.emit(str(e))
            return
        self.set_architecture(*fn(sizes, self.activations()[:len(sizes)]))

    def _add_layer(self):
        self._edit(lambda s, a: (s + [s[-1] if s else 4], a + [a[-1] if a else "sigmoid"]))

    def _remove_layer(self):
        self._edit(lambda s, a: (s[:-1], a[:-1]))

    def submit(self):
        try:
            sizes = parse_sizes(self.sizes.text(), hidden=True)
        except ValueError as e:
            self.invalid.emit(str(e))
            return
        names = self.activations()
        if len(names) != len(sizes):  # e.g. sizes pasted, never edited
            self._match_boxes(self.sizes.text())
            names = self.activations()
        self.architectureChanged.emit(sizes, names)
