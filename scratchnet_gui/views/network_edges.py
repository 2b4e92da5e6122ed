"""The network graph's edges as a few array-drawn curve items (a part ``NetworkView``
holds): one ``PlotCurveItem`` with ``connect="pairs"`` per edge layer, sign and width
level, instead of one pen per edge."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from . import colors

CACHED = QGraphicsItem.CacheMode.DeviceCoordinateCache
WIDTH_LEVELS = np.array([0.25, 0.75, 1.5, 2.5, 3.5, 5.0, 6.5, 8.0])
DIM_OPACITY = 0.15      # edges the current phase does not speak about


class EdgeCurves:
    """The curve items of a plot's edges.

    Parameters
    ----------
    plot : pyqtgraph.PlotWidget
        Where the items are added.
    """

    def __init__(self, plot):
        self.plot = plot
        self.items = {}       # (edge layer, sign, width level) → one curve item
        self.cache = CACHED
        self.layers = 0

    def build(self, n_edge_layers: int) -> None:
        """One cached curve per edge layer, sign and width level: fading a layer is then
        a change of opacity, and its pixels are reused."""
        for c in self.items.values():
            self.plot.removeItem(c)
        self.items, self.layers = {}, n_edge_layers
        for l in range(n_edge_layers):
            for sign in (1, -1):
                for k in range(len(WIDTH_LEVELS)):
                    c = pg.PlotCurveItem(connect="pairs", antialias=False)
                    c.setCacheMode(self.cache)
                    self.plot.addItem(c)
                    self.items[l, sign, k] = c

    def set_cached(self, cached: bool) -> None:
        """Cache the items' pixels (stepping fades them), or not: training changes every
        edge every frame, and a cache would only double the paint."""
        mode = CACHED if cached else QGraphicsItem.CacheMode.NoCache
        if mode != self.cache:
            self.cache = mode
            for c in self.items.values():
                c.setCacheMode(mode)

    def dim(self, lit) -> None:
        """Edge layers not in ``lit`` fade back (``lit`` None: none does)."""
        for (l, _, _), curve in self.items.items():
            curve.setOpacity(1.0 if lit is None or l in lit else DIM_OPACITY)

    def draw(self, vals, scale, src, dst, layer, shared: bool) -> None:
        """Edges from ``src`` to ``dst`` (of edge layer ``layer``) showing ``vals``,
        width ``colors.edge_width(vals, scale)``. ``shared``: nothing fades, so layer
        0's items carry every layer's edges and the rest hide (an empty item still costs
        its bounding rect and a paint call)."""
        widths = colors.edge_width(vals, scale)
        level = np.searchsorted(WIDTH_LEVELS, widths - 1e-9).clip(0, len(WIDTH_LEVELS) - 1)
        for (l, sign, k), curve in self.items.items():
            m = (level == k) & ((vals >= 0) if sign > 0 else (vals < 0))
            if not shared or l > 0:
                m &= layer == l
            if (shared and l > 0) or not m.any():
                if curve.isVisible():
                    curve.setVisible(False)
                    curve.setData([], [])
                continue
            curve.setVisible(True)
            xy = np.empty((2 * m.sum(), 2))
            xy[0::2], xy[1::2] = src[m], dst[m]
            rgb = colors.POSITIVE if sign > 0 else colors.NEGATIVE
            alpha = int(90 + 165 * k / (len(WIDTH_LEVELS) - 1))
            curve.setData(xy[:, 0], xy[:, 1],
                          pen=pg.mkPen(*rgb, alpha, width=WIDTH_LEVELS[k] * colors.LINE_SCALE))
