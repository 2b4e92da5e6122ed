"""Run B's curves over run A's in compare mode: in each curve view, A's test curve
solid and B's dashed, the same colour, each named in the legend; the train curves are
hidden meanwhile (two runs' four curves would not read)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from . import colors
from .curves import set_curve

DASH = Qt.PenStyle.DashLine


def _rename(view, item, text: str) -> None:
    legend = view.getPlotItem().legend
    for sample, label in legend.items:
        if sample.item is item and label.text != text:  # setText lays the label out
            label.setText(text)


class CurveOverlay:
    """B's test curve over A's in a ``_Curves`` view (AUC or R², loss or MSE)."""

    def __init__(self, view):
        self.view = view
        self.b = view.plot([], [], pen=pg.mkPen(*colors.NEGATIVE, width=2.5, style=DASH),
                           name="B test")
        self.b.setObjectName("run_b_curve")
        self._pen = view.test.opts["pen"]
        view.test.setPen(pg.mkPen(*colors.NEGATIVE, width=2.5))
        self._hidden = [i for i in (view.train, getattr(view, "train_acc", None),
                                    getattr(view, "test_acc", None)) if i is not None]
        self._key()

    def _key(self) -> None:
        """Only A's and B's test curves, in the plot and the key."""
        view = self.view
        self._mode = getattr(view, "_mode", None)
        legend = view.getPlotItem().legend
        for item in self._hidden:
            item.setVisible(False)
            legend.removeItem(item)  # a hidden curve's key would still show, struck out
        if not any(sample.item is self.b for sample, _ in legend.items):
            legend.addItem(self.b, "B test")
        _rename(view, view.test, "A test")

    def draw(self, snap_b) -> None:
        h = snap_b.history
        column = f"test_{self.view.column}"
        if column in h:
            set_curve(self.b, h["epoch"], h[column])
        if getattr(self.view, "_mode", None) != self._mode:  # a new task rebuilt its key
            self._key()

    def remove(self) -> None:
        """Back to one run: B's curve gone, A's curves as they were."""
        view = self.view
        legend = view.getPlotItem().legend
        legend.removeItem(self.b)
        view.removeItem(self.b)
        view.test.setPen(self._pen)
        legend.clear()
        for item in self._hidden:
            item.setVisible(True)
        if hasattr(view, "_mode"):
            view._mode = None  # noqa: SLF001 (its key and titles are built again)
        else:
            legend.addItem(view.train, "train")
            legend.addItem(view.test, "test")


class GradientOverlay:
    """B's per-layer gradient norms, dashed, over A's in the gradient view."""

    def __init__(self, view):
        self.view = view
        self.items = []

    def draw(self, snap_b) -> None:
        from .gradient_view import LAYER_COLORS, layers_of

        h = snap_b.history
        n = layers_of(h)
        while len(self.items) < n:
            rgb = LAYER_COLORS[len(self.items) % len(LAYER_COLORS)]
            item = self.view.plot([], [], pen=pg.mkPen(*rgb, width=2, style=DASH),
                                  name=f"B layer {len(self.items) + 1}")
            item.setDownsampling(auto=True, method="peak")
            item.setClipToView(True)
            self.items.append(item)
        for k, item in enumerate(self.items):
            g = h.get(f"grad_norm_{k + 1}") if k < n else None
            if g is None:
                item.setData([], [])
                continue
            g = np.where(np.asarray(g) > 0, g, np.nan)
            set_curve(item, h["epoch"], g)

    def remove(self) -> None:
        legend = self.view.getPlotItem().legend
        for item in self.items:
            legend.removeItem(item)
            self.view.removeItem(item)
        self.items = []
