"""Hidden layers: sizes and activations, edited as text and applied together."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLineEdit,
                               QPushButton, QWidget)

from scratchnet import activations as acts
from scratchnet.network import MAX_UNITS, validate_sizes

MAX_HIDDEN = 32


def parse_hidden(sizes_text: str, acts_text: str):
    """``("9, 6", "sigmoid, tanh")`` → ``([9, 6], ["sigmoid", "tanh"])``.

    One activation name applies to every layer. Raises ``ValueError`` naming the
    offending entry.
    """
    parts = [p.strip() for p in sizes_text.replace(";", ",").split(",") if p.strip()]
    sizes = []
    for k, p in enumerate(parts, 1):
        try:
            n = int(p)
        except ValueError:
            raise ValueError(f"hidden layer {k}: {p!r} is not a whole number") from None
        sizes.append(n)
    if len(sizes) > MAX_HIDDEN:
        raise ValueError(f"{len(sizes)} hidden layers is too many; the limit is {MAX_HIDDEN}")
    validate_sizes([1, *sizes, 1])
    names = [a.strip() for a in acts_text.split(",") if a.strip()] or ["sigmoid"]
    if len(names) == 1:
        names = names * len(sizes)
    if len(names) != len(sizes):
        raise ValueError(f"{len(names)} activations for {len(sizes)} hidden layers; give one "
                         f"name, or one per layer")
    for n in names:
        acts.get(n)
    return sizes, names


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
                              f"{MAX_HIDDEN} layers of up to {MAX_UNITS} neurons. Empty: no "
                              f"hidden layer.")
        self.acts = QLineEdit()
        self.acts.setObjectName("hidden_activations")
        self.acts.setToolTip("Activation per hidden layer, comma-separated, or one for all: "
                             + ", ".join(acts.ACTIVATIONS))
        self.pick = QComboBox()
        self.pick.addItems(list(acts.ACTIVATIONS))
        self.pick.setToolTip("Set every hidden layer to this activation.")
        self.pick.textActivated.connect(lambda name: self.acts.setText(name))
        row = QWidget()
        rl = QHBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        self.add = QPushButton("+ layer")
        self.add.setToolTip("Append a hidden layer (a copy of the last one's size).")
        self.add.clicked.connect(self._add_layer)
        self.remove = QPushButton("− layer")
        self.remove.setToolTip("Remove the last hidden layer.")
        self.remove.clicked.connect(self._remove_layer)
        self.apply = QPushButton("Apply")
        self.apply.setObjectName("apply_model")
        self.apply.setToolTip("Apply the layers. Every neuron that survives keeps its "
                              "weights; new ones start fresh. Training continues.")
        self.apply.clicked.connect(self.submit)
        self.reset = QPushButton("Reset weights")
        self.reset.setObjectName("reset_weights")
        self.reset.setToolTip("Forget everything learned: fresh weights from the seed.")
        self.reset.clicked.connect(self.resetRequested)
        for b in (self.add, self.remove, self.apply):
            rl.addWidget(b)
        form.addRow("hidden sizes", self.sizes)
        form.addRow("activations", self.acts)
        form.addRow("all layers", self.pick)
        form.addRow(row)
        form.addRow(self.reset)
        self.setLayout(form)
        self.set_architecture(hidden, activations)
        self.sizes.returnPressed.connect(self.submit)
        self.acts.returnPressed.connect(self.submit)

    def set_architecture(self, hidden, activations):
        self.sizes.setText(", ".join(map(str, hidden)))
        self.acts.setText(", ".join(activations) if len(set(activations)) > 1
                          else (activations[0] if activations else "sigmoid"))

    def _edit(self, fn):
        try:
            sizes, names = parse_hidden(self.sizes.text(), self.acts.text())
        except ValueError as e:
            self.invalid.emit(str(e))
            return
        sizes, names = fn(sizes, names)
        self.set_architecture(sizes, names)
        self.acts.setText(", ".join(names))

    def _add_layer(self):
        self._edit(lambda s, a: (s + [s[-1] if s else 4], a + [a[-1] if a else "sigmoid"]))

    def _remove_layer(self):
        self._edit(lambda s, a: (s[:-1], a[:-1]))

    def submit(self):
        try:
            sizes, names = parse_hidden(self.sizes.text(), self.acts.text())
        except ValueError as e:
            self.invalid.emit(str(e))
            return
        self.architectureChanged.emit(sizes, names)
