"""The step inspector: every number of the sample being stepped through, and formulas."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
                               QSizePolicy, QTableView, QToolButton, QVBoxLayout, QWidget)

from scratchnet import activations as acts

from . import output_formulas

COLUMNS = ("layer", "unit", "z", "a", "δ", "∂L/∂b", "∂L/∂W (row)", "Δb")
# Only the current phase's numbers: a forward pass has no δ yet, the loss has no gradient
# (∂L/∂w is spelled out below the table)
SHOWN = {"forward": ("unit", "z", "a"), "loss": ("unit", "z", "a", "δ"),
         "backward": ("unit", "z", "a", "δ", "∂L/∂b"),
         "update": ("layer", "unit", "δ", "∂L/∂b", "Δb")}
VALUE = Qt.ItemDataRole.UserRole  # full-precision value(s) behind each cell
PHASE_NAMES = {"forward": "Forward, layer {}", "loss": "Loss and output error",
               "backward": "Backward, layer {}", "update": "Update"}


def _item(value):
    if isinstance(value, np.ndarray):
        it = QStandardItem(", ".join(f"{v:.4g}" for v in value))
        it.setData(value.tolist(), VALUE)
    elif isinstance(value, float):  # four digits to read; Copy values has them all
        it = QStandardItem(f"{value:.4g}")
        it.setData(value, VALUE)
    else:
        it = QStandardItem(str(value))
        it.setData(value, VALUE)
    it.setEditable(False)
    return it


def _set(item, value):
    fresh = _item(value)
    if item.text() != fresh.text() or item.data(VALUE) != fresh.data(VALUE):
        item.setText(fresh.text())
        item.setData(fresh.data(VALUE), VALUE)


class InspectorView(QWidget):
    """Shows ``snapshot.step``: one row per neuron, the selected neuron's formulas.

    ``model`` holds the values (``Qt.UserRole`` has them at full precision).
    """

    gradcheckRequested = Signal()
    phaseClicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("inspector_view")
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setToolTip("Every value of this sample's forward and backward pass "
                              "(computed with the weights before the update). Select a row "
                              "to see its formulas with the numbers plugged in.")
        self.phase = QLabel("Press → (or N) to step a sample through backprop.")
        self.phase.setObjectName("step_phase_label")
        # two wrapped lines of fixed height: a new text never re-lays out the window
        self.phase.setWordWrap(True)
        self.phase.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.phase.setFixedHeight(2 * self.phase.fontMetrics().lineSpacing() + 4)
        self.strip = QHBoxLayout()
        self.strip.setSpacing(2)
        self._strip_buttons = []
        self.formula = QPlainTextEdit()
        self.formula.setObjectName("step_formula")
        self.formula.setReadOnly(True)
        self.formula.setMinimumHeight(120)
        buttons = self._buttons()
        lay = QVBoxLayout(self)
        lay.addWidget(self.phase)
        strip = QWidget()
        strip.setObjectName("phase_strip")
        strip.setLayout(self.strip)
        lay.addWidget(strip)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.formula, 1)
        lay.addLayout(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._formula())
        # the title names the layer; ∂L/∂w is spelled out below; see _show_layer
        self.table.verticalHeader().setVisible(False)
        self._step = None
        self._rows = []
        self._values = None

    def _buttons(self) -> QHBoxLayout:
        """Copy values, Gradient check and its result."""
        self.copy = QPushButton("Copy values")
        self.copy.setObjectName("copy_values")
        self.copy.setToolTip("Copy the table (tab-separated, full precision) to the clipboard.")
        self.copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.as_text()))
        self.check = QPushButton("Gradient check")
        self.check.setObjectName("gradient_check")
        self.check.setToolTip("Compare this sample's backprop gradients with central finite "
                              "differences (float64) and show the largest relative error.")
        self.check.clicked.connect(self.gradcheckRequested)
        self.check_result = QLabel()
        self.check_result.setObjectName("gradient_check_result")
        self.check_result.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        buttons = QHBoxLayout()
        for w in (self.copy, self.check, self.check_result):
            buttons.addWidget(w)
        buttons.addStretch(1)
        return buttons

    def draw(self, snap, slow: bool = True) -> None:
        step = snap.step
        if step is None:
            if self._step is not None:
                self.model.removeRows(0, self.model.rowCount())
                self._rows, self._values = [], None
                self.phase.setText("Press → (or N) to step a sample through backprop.")
                self.formula.clear()
                self.check_result.clear()
                for b in self._strip_buttons:
                    self.strip.removeWidget(b)
                    b.deleteLater()
                self._strip_buttons = []
            self._step = None
            return
        self._acts = snap.activations
        key = (step.index, step.pos, step.applied, step.gradcheck)
        if self._step is not None and key == self._key:
            return
        self._key, self._step = key, step
        kind, layer = step.phase
        title = PHASE_NAMES[kind].format(layer)
        self.phase.setText(f"Sample {step.index} ({output_formulas.sample_label(snap, step)}): "
                           f"{title}   "
                           f"[phase {step.pos + 1} of {len(step.phases)}]"
                           + ("   — update applied" if step.applied else ""))
        row = self.table.currentIndex().row()
        values = (step.serial, step.index, step.applied, step.updates[-1][1].tobytes())
        if values != self._values:  # a phase move within the sample changes no number
            self._values = values
            self._fill(step)
        if step.gradcheck is not None:
            self.check_result.setText(f"max relative error {step.gradcheck:.2e}")
        else:
            self.check_result.clear()
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)
        self._show_layer(step)
        self._mark_phase(step)
        self._formula()

    def _fill(self, step):
        """Every neuron's numbers, at full precision behind the shown digits."""
        rows, cells = [], []
        for l, rec in enumerate(step.trace.layers, 1):
            db = step.updates[l - 1][1]
            for j in range(len(rec.z)):
                rows.append((l, j))
                cells.append([l, j + 1, float(rec.z[j]), float(rec.a[j]), float(rec.delta[j]),
                              float(rec.db[j]), rec.dW[j], float(db[j])])
        if rows != self._rows:  # a new shape: rebuild; otherwise update in place
            self.model.removeRows(0, self.model.rowCount())
            for c in cells:
                self.model.appendRow([_item(v) for v in c])
            self._rows = rows
        else:
            for r, c in enumerate(cells):
                for k, v in enumerate(c):
                    _set(self.model.item(r, k), v)
        # once, not per cell: ResizeToContents re-measures every row on every change
        self.table.resizeColumnsToContents()

    def _show_layer(self, step):
        """Rows of the current phase's layer only (all of them at the update)."""
        kind, layer = step.phase
        # at the update every layer's rows show: name the layer, and show the step taken
        shown = SHOWN[kind]
        for c, name in enumerate(COLUMNS):
            self.table.setColumnHidden(c, name not in shown)
        for r, (l, _) in enumerate(self._rows):
            self.table.setRowHidden(r, kind != "update" and l != layer)
        r = self.table.currentIndex().row()
        if not 0 <= r < len(self._rows) or self.table.isRowHidden(r):
            first = next((r for r in range(len(self._rows)) if not self.table.isRowHidden(r)), 0)
            self.table.selectRow(first)

    def _mark_phase(self, step):
        """The phase strip: forward 1 … L, loss, backward L … 1, update; a click jumps."""
        names = [{"forward": f"F{l}", "loss": "loss", "backward": f"B{l}",
                  "update": "update"}[k] for k, l in step.phases]
        if [b.text() for b in self._strip_buttons] != names:
            for b in self._strip_buttons:
                self.strip.removeWidget(b)
                b.deleteLater()
            self._strip_buttons = []
            for k, name in enumerate(names):
                b = QToolButton()
                b.setText(name)
                b.setCheckable(True)
                b.setAutoRaise(True)
                b.setToolTip(PHASE_NAMES[step.phases[k][0]].format(step.phases[k][1]))
                b.clicked.connect(lambda _=False, k=k: self.phaseClicked.emit(k))
                self.strip.addWidget(b)
                self._strip_buttons.append(b)
        for k, b in enumerate(self._strip_buttons):
            b.setChecked(k == step.pos)

    def values(self, column: str):
        """Column ``column`` of the table at full precision, in row order."""
        c = COLUMNS.index(column)
        return [self.model.item(r, c).data(VALUE) for r in range(self.model.rowCount())]

    def as_text(self) -> str:
        lines = ["\t".join(COLUMNS)]
        for r in range(self.model.rowCount()):
            cells = []
            for c in range(len(COLUMNS)):
                v = self.model.item(r, c).data(VALUE)
                cells.append(" ".join(repr(x) for x in v) if isinstance(v, list) else repr(v))
            lines.append("\t".join(cells))
        return "\n".join(lines)

    def select_neuron(self, layer: int, unit: int):
        """Select neuron ``unit`` (0-based) of ``layer`` (1-based) to show its formulas."""
        self.table.selectRow(self._rows.index((layer, unit)))

    def _formula(self):
        step = self._step
        r = self.table.currentIndex().row()
        if step is None or not 0 <= r < len(self._rows):
            self.formula.setPlainText("Select a neuron to see its formulas with the numbers.")
            return
        l, j = self._rows[r]
        tr = step.trace
        rec = tr.layers[l - 1]
        W, b = step.weights_before[l - 1]
        name = self._acts[l - 1]
        terms = " + ".join(f"{w:.3g}×{a:.3g}" for w, a in zip(W[j], rec.a_in))
        lines = [f"z{l},{j + 1} = Σ w·a + b = {terms} + {b[j]:.3g} = {rec.z[j]:.6g}"]
        kind = step.phase[0]
        later = kind in ("backward", "update")  # the phases that have δ and gradients
        if l == len(tr.layers):  # the output's own function and loss, per task
            out = output_formulas.output_lines(name, rec, tr, j, l)
            lines += out if kind != "forward" else out[:1]
        else:
            lines.append(f"a{l},{j + 1} = {name}(z) = {rec.a[j]:.6g}")
            if later:
                lines.append(self._delta_line(step, l, j))
        if later:
            for i, (a, g) in enumerate(zip(rec.a_in[:12], rec.dW[j][:12])):
                lines.append(f"∂L/∂w{l},{j + 1},{i + 1} = δ · a{i + 1} = {rec.delta[j]:.4g} × "
                             f"{a:.4g} = {g:.4g}")
            lines.append(f"∂L/∂b{l},{j + 1} = δ = {rec.db[j]:.6g}")
        if kind == "update":
            lines.append(self._update_line(step, l, j))
        self.formula.setPlainText("\n".join(lines))

    def _delta_line(self, step, l: int, j: int) -> str:
        """δ of hidden unit ``j`` of layer ``l``, sent back through the weights before the
        update."""
        rec, nxt = step.trace.layers[l - 1], step.trace.layers[l]
        Wn = step.weights_before[l][0]
        sums = " + ".join(f"{w:.3g}×{d:.3g}" for w, d in zip(Wn[:, j], nxt.delta))
        fprime = acts.get(self._acts[l - 1]).df(np.array([rec.a[j]]))[0]
        return (f"δ{l},{j + 1} = f'(z) × (Σ w·δ) = {fprime:.4g} × ({sums}) = "
                f"{rec.delta[j]:.6g}")

    @staticmethod
    def _update_line(step, l: int, j: int) -> str:
        db = step.updates[l - 1][1][j]
        if step.optimizer == "sgd":
            return f"update: Δw = −lr·∂L/∂w, lr = {step.lr:g};  Δb = {db:.6g}"
        return f"update ({step.optimizer}): {step.formula};  Δb = {db:.6g}"
