"""Rings on the network graph around hidden units that stopped learning: a ring's
strength is the unit's saturated share (f′ below 1% of its largest), red for a unit
dead on every training sample (a part ``NetworkView`` holds)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from . import colors

MIN_SHARE = 0.05   # a unit saturated on fewer samples than this gets no ring
SATURATED = (200, 120, 0)


class UnitRings:
    """The rings drawn from ``snapshot.units`` at the view's node positions.

    Parameters
    ----------
    view : NetworkView
    """

    def __init__(self, view):
        self.view = view
        self.item = pg.ScatterPlotItem(pxMode=True, brush=None, symbol="o")
        self.item.setObjectName("unit_rings")
        self.item.setZValue(9)  # under the nodes (10), larger than them
        view.addItem(self.item)
        view.getPlotItem().vb.sigResized.connect(self._resize)  # after the nodes' own
        self.shares = {}   # (layer, unit) -> share, for the rings drawn
        self._key = None

    def draw(self, snap) -> None:
        units = snap.units or ()
        sizes = snap.sizes
        fits = len(units) == len(sizes) - 2 and all(
            len(s) == n for s, n in zip(units, sizes[1:-1]))
        key = (tuple(self.view.ids), self.view._node_px,
               tuple(np.asarray(s).tobytes() for s in units) if fits else None)
        if key == self._key:
            return
        self._key = key
        self.shares = {}
        pos, pens, size = [], [], 1.7 * (self.view._node_px or 16)
        for i, (l, u) in enumerate(self.view.ids):
            if not fits or u < 0 or not 1 <= l <= len(units):
                continue
            s = float(units[l - 1][u])
            if s < MIN_SHARE:
                continue
            self.shares[(l, u)] = s
            rgb = colors.WRONG if s >= 1.0 else SATURATED
            pos.append(self.view.node_pos[i])
            pens.append(pg.mkPen(*rgb, int(60 + 195 * s), width=1.0 + 3.0 * s))
        if pos:
            self.item.setData(pos=np.array(pos), pen=pens, size=size, brush=None)
        else:
            self.item.setData([], [])

    def _resize(self, *_) -> None:
        if self.shares and self.view._node_px:
            self.item.setSize(1.7 * self.view._node_px)

    def describe(self, layer: int, unit: int) -> str:
        """The tooltip's line for hidden unit ``(layer, unit)`` ("" without a ring)."""
        s = self.shares.get((layer, unit))
        if s is None:
            return ""
        if s >= 1.0:
            return "dead: f′(z) below 1% of its largest on every training sample"
        return f"saturated on {100 * s:.1f}% of training samples (f′(z) below 1% of its largest)"
