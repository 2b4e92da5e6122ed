"""Gradient flow: per weight layer, the gradient's size and the update-to-weight ratio
over the epochs, on a log axis, with the usual 1e-3 rule of thumb for the ratio."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem

from . import colors
from .curves import MIN_EPOCHS, set_curve

GUIDE = 1e-3  # update/weight ratios near this are the usual healthy pace
LAYER_COLORS = (colors.POSITIVE, colors.NEGATIVE, (118, 42, 131), (1, 133, 113),
                (231, 41, 138), (102, 102, 102))


def layers_of(history) -> int:
    """How many weight layers the history has diagnostic columns for."""
    k = 0
    while f"grad_norm_{k + 1}" in history:
        k += 1
    return k


def _positive(v) -> np.ndarray:
    """Values a log axis can show (0, NaN and negatives: gaps)."""
    v = np.asarray(v, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return np.where(v > 0, v, np.nan)


def row_of(snap) -> int:
    """The history row of the epoch shown (the scrubbed one, or the last)."""
    h = snap.history
    return int(np.searchsorted(h["epoch"], snap.epoch, side="right")) - 1


def table(snap):
    """``(header, rows)``: every diagnostic column per epoch (the gradients' CSV)."""
    h = snap.history
    keys = [k for p in ("grad_norm", "update_ratio", "saturated", "dead")
            for k in sorted((k for k in h if k.startswith(p + "_")),
                            key=lambda k: int(k.rsplit("_", 1)[1]))]
    rows = [[int(e), *(float(h[k][i]) for k in keys)] for i, e in enumerate(h["epoch"])]
    return ["epoch", *keys], rows


class GradientView(pg.PlotWidget):
    """One thick line per weight layer for ‖∂L/∂W_k‖, one thin for ‖ΔW_k‖/‖W_k‖, both
    on a log axis; the epoch shown is marked and read out."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("gradient_view")
        self.setBackground("w")
        self.setTitle("‖∂L/∂W‖ thick | ‖ΔW‖/‖W‖ thin", color=colors.TEXT)
        self.setLogMode(y=True)
        self.setLabel("left", "per layer (log)")
        self.setLabel("bottom", "epoch")
        self.getAxis("left").enableAutoSIPrefix(False)
        self.showGrid(x=True, y=True, alpha=0.2)
        self.addLegend(offset=(-10, 10), brush=pg.mkBrush(255, 255, 255, 210))
        self.guide = pg.InfiniteLine(np.log10(GUIDE), angle=0, pen=pg.mkPen(
            120, 120, 120, width=1, style=Qt.PenStyle.DotLine))
        self.guide.setObjectName("update_guide")
        self.addItem(self.guide, ignoreBounds=True)
        self.marker = pg.InfiniteLine(angle=90, pen=pg.mkPen(
            90, 90, 90, width=1.5, style=Qt.PenStyle.DashLine))
        self.marker.setObjectName("timeline_marker")
        self.addItem(self.marker, ignoreBounds=True)
        self.readout = ""  # the epoch shown's values, under the plot (never over a line)
        self._label = None
        self.grads, self.ratios = [], []

    def _build(self, n: int) -> None:
        legend = self.getPlotItem().legend
        for item in self.grads + self.ratios:
            self.removeItem(item)
        legend.clear()
        self.grads, self.ratios = [], []
        for k in range(n):
            rgb = LAYER_COLORS[k % len(LAYER_COLORS)]
            g = self.plot([], [], pen=pg.mkPen(*rgb, width=2.5), name=f"layer {k + 1}")
            # thin, not dashed: a dashed stroke of a jagged 1,000-epoch curve took 40 ms
            r = self.plot([], [], pen=pg.mkPen(*rgb, 170, width=1))
            for item in (g, r):
                item.curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
                item.setDownsampling(auto=True, method="peak")  # a long run: ~2 per pixel
                item.setClipToView(True)
            self.grads.append(g)
            self.ratios.append(r)

    def draw(self, snap, slow: bool = True) -> None:
        h = snap.history
        n = layers_of(h)
        if n != len(self.grads):
            self._build(n)
        e = h["epoch"]
        values = [GUIDE]
        for k in range(n):
            g, r = _positive(h[f"grad_norm_{k + 1}"]), _positive(h[f"update_ratio_{k + 1}"])
            set_curve(self.grads[k], e, g)
            set_curve(self.ratios[k], e, r)
            for v in (g[np.isfinite(g)], r[np.isfinite(r)]):
                values += [v.min(), v.max()] if len(v) else []
        self.setXRange(0, max(MIN_EPOCHS, float(e[-1]) if len(e) else 0), padding=0.02)
        # the 1e-3 guide always in sight
        self.setYRange(np.log10(min(values)) - 0.2, np.log10(max(values)) + 0.2, padding=0)
        self.marker.setVisible(snap.scrub is not None)
        if snap.scrub is not None:
            self.marker.setValue(snap.scrub)
        self.readout = self.read_out(snap)
        if self.readout != self._label:  # setting a label lays the plot out again
            self._label = self.readout
            self._key(snap)

    def _key(self, snap) -> None:
        """The key gives each layer's two values at the epoch shown (a narrow view has
        no room for them in one line)."""
        h, i = snap.history, row_of(snap)
        if i < 0:
            return
        fmt = lambda v: "–" if not np.isfinite(v) else format(v, ".2g")  # noqa: E731
        for k, (_, label) in enumerate(self.getPlotItem().legend.items, 1):
            label.setText(f"W{k}: {fmt(h[f'grad_norm_{k}'][i])} | "
                          f"{fmt(h[f'update_ratio_{k}'][i])}")
        self.setLabel("bottom", f"epoch · key at epoch {int(h['epoch'][i])}")

    def read_out(self, snap) -> str:
        """The epoch shown's values, layer by layer (the bottom-left corner's text)."""
        h, i = snap.history, row_of(snap)
        if i < 0:
            return ""
        n = layers_of(h)
        fmt = lambda v: "–" if not np.isfinite(v) else format(v, ".2g")  # noqa: E731
        grads = " ".join(fmt(h[f"grad_norm_{k}"][i]) for k in range(1, n + 1))
        ratios = " ".join(fmt(h[f"update_ratio_{k}"][i]) for k in range(1, n + 1))
        return f"epoch {int(h['epoch'][i])} · ∂L/∂W {grads} · ΔW/W {ratios}"
