"""Per-epoch curves (AUC, loss) and the ROC curve of the current model."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from . import colors

TRAIN_PEN = pg.mkPen(*colors.POSITIVE, width=2)
TEST_PEN = pg.mkPen(*colors.NEGATIVE, width=2, style=pg.QtCore.Qt.PenStyle.DashLine)
MIN_EPOCHS = 10  # the epoch axis spans at least 0..10: one point at 0 is not a range


def set_curve(item, x, y) -> None:
    """``item.setData(x, y)`` unless it shows these already: a curve given data is drawn
    again (~1 ms), and while the timeline is scrubbed only its marker moves."""
    if (item.xData is not None and np.array_equal(item.xData, x)
            and np.array_equal(item.yData, y, equal_nan=True)):
        return
    item.setData(x, y, connect="finite")


class _Curves(pg.PlotWidget):
    # the history column drawn as train_<column> and test_<column>; not "metric", which
    # would shadow QPaintDevice.metric() (Qt calls it when the font changes)
    column = ""
    CONTEXT_MENU = True  # pyqtgraph's, given after the first frame (ViewSet.menus_on)

    def plot(self, *args, **kw):
        """``PlotItem.plot``, with the curve's pixels cached: a repaint for a moved
        marker or legend then copies them instead of drawing every curve again."""
        item = self.getPlotItem().plot(*args, **kw)
        item.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        return item

    def __init__(self, name, title, ylabel, parent=None):
        super().__init__(parent, enableMenu=False)
        self.setObjectName(name)
        self.setBackground("w")
        self.setTitle(title, color=colors.TEXT)
        self.setLabel("left", ylabel)
        self.addLegend(offset=(-10, 10))
        self.train = self.plot([], [], pen=TRAIN_PEN, name="train")
        self.test = self.plot([], [], pen=TEST_PEN, name="test")
        self.showGrid(x=True, y=True, alpha=0.2)
        self.getAxis("left").enableAutoSIPrefix(False)
        for name in ("left", "bottom"):  # axes repaint from a pixmap, not glyph by glyph
            self.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_marker(self, epoch) -> None:
        """Mark the epoch the timeline shows (None: no marker, the live state)."""
        if not hasattr(self, "marker"):
            self.marker = pg.InfiniteLine(angle=90, pen=pg.mkPen(
                90, 90, 90, width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine))
            self.marker.setObjectName("timeline_marker")
            self.addItem(self.marker, ignoreBounds=True)
        self.marker.setVisible(epoch is not None)
        if epoch is not None:
            self.marker.setValue(epoch)

    def draw(self, snap, slow: bool = True):
        h = snap.history
        set_curve(self.train, h["epoch"], h[f"train_{self.column}"])
        set_curve(self.test, h["epoch"], h[f"test_{self.column}"])
        self._follow_epochs(h["epoch"][-1] if len(h["epoch"]) else 0)

    def _follow_epochs(self, last) -> None:
        """The epoch axis starts at 0 and spans at least ``MIN_EPOCHS``; beyond, it
        follows the curves."""
        box = self.getViewBox()
        if last < MIN_EPOCHS:
            if box.autoRangeEnabled()[0]:
                self.setXRange(0, MIN_EPOCHS, padding=0.02)
        elif not box.autoRangeEnabled()[0]:
            box.enableAutoRange(x=True)


class AucView(_Curves):
    """Train and test AUC per epoch; epoch 0 is before any training."""

    column = "auc"

    def __init__(self, parent=None):
        super().__init__("auc_view", "AUC before each epoch", "AUC", parent)
        self.setLabel("bottom", "epoch")
        self.getAxis("bottom").enableAutoSIPrefix(False)
        self.setYRange(0, 1, padding=0.02)
        self.setLimits(yMin=-0.05, yMax=1.05)


class LossView(_Curves):
    """Train and test loss per epoch."""

    column = "loss"

    def __init__(self, parent=None):
        super().__init__("loss_view", "Loss", "loss", parent)
        self.setLabel("bottom", "epoch")
        self.getAxis("bottom").enableAutoSIPrefix(False)


class RocView(_Curves):
    """ROC of the current model on the test set, with the chance diagonal."""

    def __init__(self, parent=None):
        super().__init__("roc_view", "ROC (test set)", "true positive rate", parent)
        self.setLabel("bottom", "false positive rate")
        self.plot([0, 1], [0, 1], pen=pg.mkPen(150, 150, 150, style=pg.QtCore.Qt.PenStyle.DotLine))
        self.setXRange(0, 1, padding=0.02)
        self.setYRange(0, 1, padding=0.02)
        self.train.hide()
        self.getPlotItem().legend.removeItem(self.train)
        self.note = pg.TextItem(color=(120, 0, 0), anchor=(0.5, 0.5))
        self.note.setPos(0.5, 0.5)
        self.addItem(self.note)

    def draw(self, snap, slow: bool = True):
        if snap.roc is None:
            self.test.setData([], [])
            self.note.setText("measuring…" if snap.pending else
                              "ROC undefined: the test set has one class")
            return
        self.note.setText("")
        self.test.setData(snap.roc[0], snap.roc[1])


def table(snap, view_name: str):
    """The data behind a curve view as ``(header, rows)`` (used for CSV export)."""
    h = snap.history
    if view_name == "roc_view":
        if snap.roc is None:
            return ["fpr", "tpr"], np.zeros((0, 2))
        return ["fpr", "tpr"], np.column_stack(snap.roc)
    keys = ["epoch", "train_auc", "test_auc", "train_loss", "test_loss", "train_acc",
            "test_acc", "lr", "samples"]
    return keys, np.column_stack([h[k] for k in keys])
