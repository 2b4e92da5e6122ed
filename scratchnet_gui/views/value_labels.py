"""The stepper's numbers beside the network's nodes, placed so that none overlaps another
label, a node or a heatmap: the full text if it fits, else a short one, else none (the
inspector always has every value)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsItem

FONT = QFont()
FONT.setPointSize(8)
GAP_PX = 4  # between a label's right edge and its node's edge


def _rects(items) -> np.ndarray:
    """``(n, 4)`` scene rectangles ``x0, y0, x1, y1`` of ``items`` (QRectF or items)."""
    out = np.empty((len(items), 4))
    for k, it in enumerate(items):
        r = it if not hasattr(it, "sceneBoundingRect") else it.sceneBoundingRect()
        out[k] = r.left(), r.top(), r.right(), r.bottom()
    return out


def _clashes(labels: np.ndarray, others: np.ndarray) -> bool:
    """Whether any two ``labels`` intersect, or a label intersects one of ``others``."""
    def hits(a, b):
        return ((a[:, None, 0] < b[None, :, 2]) & (b[None, :, 0] < a[:, None, 2])
                & (a[:, None, 1] < b[None, :, 3]) & (b[None, :, 1] < a[:, None, 3]))
    if len(labels) == 0:
        return False
    pairs = hits(labels, labels)
    np.fill_diagonal(pairs, False)
    return bool(pairs.any() or (len(others) and hits(labels, others).any()))


class ValueLabels:
    """Text items owned by ``plot``, one per node, right-aligned left of the node."""

    def __init__(self, plot: pg.PlotWidget):
        self.plot = plot
        self.items = []
        self.fitted = None  # which variant fits: 0 full, 1 short, None none shown

    def _item(self, k):
        while len(self.items) <= k:
            t = pg.TextItem(color=(20, 20, 20), anchor=(1.0, 0.5), fill=(255, 255, 255, 210))
            t.setFont(FONT)
            t.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            t.setZValue(12)
            t.shown = None
            self.plot.addItem(t)
            self.items.append(t)
        return self.items[k]

    def hide(self):
        for t in self.items:
            t.setVisible(False)
        self.fitted = None

    def show(self, variants, nodes, radii, obstacles) -> int | None:
        """Show the first of ``variants`` (lists of texts, one per node; "" for none)
        that clashes with nothing; ``nodes`` are view positions, ``radii`` node radii in
        pixels, ``obstacles`` scene rectangles. Returns the variant shown, or None."""
        px = self.plot.getPlotItem().vb.viewPixelSize()[0]
        others = _rects(obstacles)
        for v, texts in enumerate(variants):
            used = []
            for k, (text, (x, y), r) in enumerate(zip(texts, nodes, radii)):
                t = self._item(k)
                if t.shown != text:  # re-laying out text is what costs
                    t.setText(text)
                    t.shown = text
                t.setPos(x - (r + GAP_PX) * px, y)
                t.setVisible(bool(text))
                if text:
                    t.updateTransform(force=True)
                    used.append(t)
            for t in self.items[len(texts):]:
                t.setVisible(False)
            if not _clashes(_rects(used), others):
                self.fitted = v
                return v
        self.hide()
        return None
