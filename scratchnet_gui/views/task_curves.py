"""The curve views for every task: the metric view names the task's scores (AUC and
accuracy, or R² and MSE), the loss view shows the MSE for regression, and the ROC view
draws one-vs-rest curves for K ≥ 3 classes and predicted against actual for regression.
Binary classification draws exactly as ``curves`` does."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal

from . import colors, curves, prediction_paint

ACC_PEN = pg.mkPen(*colors.POSITIVE, width=1, style=pg.QtCore.Qt.PenStyle.DotLine)
TEST_ACC_PEN = pg.mkPen(*colors.NEGATIVE, width=1, style=pg.QtCore.Qt.PenStyle.DotLine)


def _mode(task) -> str:
    """"binary", "multiclass" or "regression"."""
    if task.kind == "regression":
        return "regression"
    return "multiclass" if task.n_classes > 2 else "binary"


class MetricView(curves.AucView):
    """The task's score per epoch: AUC (macro one-vs-rest for K ≥ 3 classes) with
    accuracy dotted, or R² for regression (the MSE is in the loss view)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.train_acc = self.plot([], [], pen=ACC_PEN, name="train accuracy")
        self.test_acc = self.plot([], [], pen=TEST_ACC_PEN, name="test accuracy")
        self._mode = None

    def _set_mode(self, mode: str) -> None:
        """Titles, axis and key for the task; the key sits bottom right, out of the way
        of scores that climb to the top."""
        if mode == self._mode:
            return
        self._mode = mode
        regression = mode == "regression"
        self.column = "r2" if regression else "auc"
        name = {"binary": "AUC", "multiclass": "AUC (macro)", "regression": "R²"}[mode]
        # short: the bottom row's plots are narrow on a small screen
        self.setTitle(f"{name} per epoch" if regression else f"{name}, accuracy", color=colors.TEXT)
        self.setLabel("left", name if regression else f"{name} · accuracy")
        legend = self.getPlotItem().legend
        legend.clear()
        score = "R²" if regression else "AUC"
        legend.addItem(self.train, f"train {score}")
        legend.addItem(self.test, f"test {score}")
        for item, label in ((self.train_acc, "train accuracy"), (self.test_acc, "test accuracy")):
            item.setVisible(not regression)
            if not regression:
                legend.addItem(item, label)
        # the corner is kept from the legend's size when anchored: anchor it once it is filled
        legend.anchor((1, 1), (1, 1), offset=(-10, -10))
        if regression:  # R² starts far below 0: show from −1 up
            self.setLimits(yMin=None, yMax=1.05)
            self.setYRange(-1, 1, padding=0.02)
        else:
            self.setLimits(yMin=-0.05, yMax=1.05)
            self.setYRange(0, 1, padding=0.02)

    def draw(self, snap, slow: bool = True):
        self._set_mode(_mode(snap.task))
        super().draw(snap, slow)
        if self._mode != "regression":
            h = snap.history
            curves.set_curve(self.train_acc, h["epoch"], h["train_acc"])
            curves.set_curve(self.test_acc, h["epoch"], h["test_acc"])


class TaskLossView(curves.LossView):
    """The loss trained on; for regression the MSE in the targets' own units."""

    def draw(self, snap, slow: bool = True):
        regression = snap.task.kind == "regression"
        metric = "mse" if regression else "loss"
        if metric != self.column:
            self.column = metric
            self.setTitle("MSE (targets' units)" if regression else "Loss", color=colors.TEXT)
            self.setLabel("left", "MSE" if regression else "loss")
        super().draw(snap, slow)


class TaskRocView(curves.RocView):
    """The binary ROC; one-vs-rest ROC curves per class; or, for regression, each test
    point's prediction against its target, on the diagonal when right.

    Signals
    -------
    kindChanged(str)
        A short name of what it now shows ("ROC" or "Predicted"), for its tab.
    """

    kindChanged = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.class_curves = []
        self.scatter = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(*colors.POSITIVE, 150))
        self.addItem(self.scatter)
        self.diagonal = self.getPlotItem().listDataItems()[2]  # the chance line, or y = x
        self._mode = self._legend_task = None

    def _set_mode(self, mode: str) -> None:
        if mode == self._mode:
            return
        self._mode = mode
        title, x, y = {"binary": ("ROC (test set)", "false positive rate", "true positive rate"),
                       "multiclass": ("ROC one-vs-rest (test)", "false positive rate",
                                      "true positive rate"),
                       "regression": ("Predicted vs actual", "actual (test set)",
                                      "predicted")}[mode]
        self.setTitle(title, color=colors.TEXT)
        self.kindChanged.emit("Predicted" if mode == "regression" else "ROC")
        self.setLabel("bottom", x)
        self.setLabel("left", y)
        self.test.setVisible(mode == "binary")
        self.scatter.setVisible(mode == "regression")
        legend = self.getPlotItem().legend  # only what this mode draws
        legend.clear()
        self._legend_task = None
        if mode == "binary":
            legend.addItem(self.test, "test")
        self.enableAutoRange(enable=mode == "regression")
        if mode != "regression":
            self.diagonal.setData([0, 1], [0, 1])
            self.note.setPos(0.5, 0.5)
            self.setXRange(0, 1, padding=0.02)
            self.setYRange(0, 1, padding=0.02)
        for c in self.class_curves:
            c.setData([], [])

    def draw(self, snap, slow: bool = True):
        self._set_mode(_mode(snap.task))
        if self._mode == "binary":
            return super().draw(snap, slow)
        self.test.setData([], [])
        if self._mode == "regression":
            return self._draw_regression(snap)
        return self._draw_classes(snap)

    def _draw_classes(self, snap):
        task = snap.task
        legend = self.getPlotItem().legend
        while len(self.class_curves) < task.n_classes:
            k = len(self.class_curves)
            self.class_curves.append(self.plot([], [], name=f"class {k}"))
        rgb = colors.class_colors(task.n_classes)
        relabel = task != self._legend_task  # a legend entry re-lays out: only on change
        self._legend_task = task
        for k, c in enumerate(self.class_curves):
            shown = snap.roc is not None and k < task.n_classes and len(snap.roc[2 * k])
            c.setData(*(snap.roc[2 * k:2 * k + 2] if shown else ([], [])))
            if relabel:
                legend.removeItem(c)
            if relabel and k < task.n_classes:
                c.setPen(pg.mkPen(*rgb[k], width=2))
                if k < len(colors.CLASS_COLORS):  # a longer key would hide the curves
                    legend.addItem(c, f"class {prediction_paint.class_label(task.classes[k])}")
        self.note.setText("measuring…" if snap.pending else "" if snap.roc is not None
                          else "ROC undefined: the test set has one class")

    def _draw_regression(self, snap):
        y, p = snap.points.y_test, snap.test_pred
        if len(p) != len(y) or not len(y):
            self.scatter.setData([], [])
            self.note.setText("no test points")
            return
        self.note.setText("")
        self.scatter.setData(y, p)
        lo = float(min(y.min(), np.nanmin(p)))
        hi = float(max(y.max(), np.nanmax(p)))
        self.diagonal.setData([lo, hi], [lo, hi])
        self.note.setPos((lo + hi) / 2, (lo + hi) / 2)
        for c in self.class_curves:
            c.setData([], [])


def table(snap, view_name: str):
    """The data behind a curve view, for CSV export, as ``(header, rows)``."""
    mode = _mode(snap.task)
    h = snap.history
    if view_name == "roc_view" and mode == "multiclass":
        rows = [] if snap.roc is None else [
            [snap.task.classes[k], f, t] for k in range(snap.task.n_classes)
            for f, t in zip(snap.roc[2 * k], snap.roc[2 * k + 1])]
        return ["class", "fpr", "tpr"], rows
    if view_name == "roc_view" and mode == "regression":
        return ["actual", "predicted"], np.column_stack([snap.points.y_test, snap.test_pred])
    if view_name != "roc_view" and mode == "regression":
        keys = ["epoch", "train_r2", "test_r2", "train_mse", "test_mse", "train_loss",
                "test_loss", "lr", "samples"]
        return keys, np.column_stack([h[k] for k in keys])
    return curves.table(snap, view_name)
