"""The Landscape view: the loss around the shown weights with the path through it, the
loss along the optimizer's next step, and the sharpness against 2/lr.

A function of a snapshot: it draws ``snap.landscape`` (a ``LandscapeFrame`` computed in
the training process) and the history's ``sharpness`` and ``lr`` columns.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt

from . import colors

LEVELS = 12  # contour lines


def _finite(x, y):
    keep = np.isfinite(x) & np.isfinite(y) & (y > 0)
    return x[keep], y[keep]


class LandscapeView(pg.GraphicsLayoutWidget):
    """Three plots: the plane (contour, path, current point, next step), the loss along
    the next step ``L(θ + sΔ)`` with ``s = 1`` marked, and λmax per epoch on a log axis
    with the stability threshold (2/lr, or (2+2μ)/lr for momentum)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("landscape_view")
        self.setBackground("w")
        self._shown = None  # what the last draw showed (its key)
        self._build_plane()
        self._build_step()
        self._build_sharpness()
        for row, stretch in enumerate((6, 0, 3, 3)):
            self.ci.layout.setRowStretchFactor(row, stretch)

    # --- building ----------------------------------------------------------------------
    def _build_plane(self):
        p = self.plane_plot = self.addPlot(row=0, col=0, title="Loss landscape")
        p.setLabel("bottom", "α (d1)")
        p.setLabel("left", "β (d2)")
        self.image = pg.ImageItem()
        self.image.setColorMap(pg.colormap.get("viridis"))
        p.addItem(self.image)
        self.isos = []
        self.path = p.plot([], [], pen=pg.mkPen(255, 255, 255, width=2),
                           symbol="o", symbolSize=4, symbolBrush="w", symbolPen=None)
        self.step_arrow = p.plot([], [], pen=pg.mkPen(*colors.NEGATIVE, width=2))
        self.current = pg.ScatterPlotItem(size=12, brush=pg.mkBrush(*colors.NEGATIVE),
                                          pen=pg.mkPen("w", width=2))
        p.addItem(self.current)
        self.caption = pg.LabelItem(justify="left", size="8pt", color=colors.TEXT)
        self.addItem(self.caption, row=1, col=0)

    def _build_step(self):
        p = self.step_plot = self.addPlot(row=2, col=0, title="The next step: L(θ + s·Δ)")
        p.setLabel("bottom", "s (1: the step taken)")
        p.setLabel("left", "loss")
        self.step_curve = p.plot([], [], pen=pg.mkPen(*colors.POSITIVE, width=2))
        self.step_dot = pg.ScatterPlotItem(size=9, brush=pg.mkBrush(*colors.NEGATIVE))
        p.addItem(self.step_dot)
        self.step_mark = pg.InfiniteLine(1.0, angle=90, pen=pg.mkPen(
            90, 90, 90, style=Qt.PenStyle.DashLine), label="s = 1",
            labelOpts={"position": 0.9, "color": (60, 60, 60)})
        p.addItem(self.step_mark)
        p.getAxis("left").enableAutoSIPrefix(False)

    def _build_sharpness(self):
        p = self.sharp_plot = self.addPlot(row=3, col=0)
        self._sharp_title("2/lr")
        p.setLogMode(x=False, y=True)
        p.setLabel("bottom", "epoch")
        p.setLabel("left", "λmax")
        p.getAxis("left").enableAutoSIPrefix(False)
        p.getAxis("left").setStyle(maxTextLevel=0)  # within a decade: fewer labels
        self.sharp_curve = p.plot([], [], pen=None, symbol="o", symbolSize=4,
                                  symbolBrush=pg.mkBrush(*colors.POSITIVE), symbolPen=None)
        self.limit_curve = p.plot([], [], pen=pg.mkPen(*colors.NEGATIVE, width=2,
                                                       style=Qt.PenStyle.DashLine))
        self.sharp_note = pg.TextItem(color=(120, 0, 0), anchor=(0, 0))
        p.addItem(self.sharp_note, ignoreBounds=True)
        self.marker = pg.InfiniteLine(angle=90, pen=pg.mkPen(
            90, 90, 90, width=1.5, style=Qt.PenStyle.DashLine))
        self.marker.setObjectName("timeline_marker")
        p.addItem(self.marker, ignoreBounds=True)

    def plots(self) -> tuple:
        """The plots the window's look restyles (``theme.OnePlot``)."""
        return (self.plane_plot, self.step_plot, self.sharp_plot)

    def _sharp_title(self, name: str) -> None:
        """The legend in the title: it hides no point."""
        line = f", {name} (dashed)" if name else ""
        self.sharp_plot.setTitle(f"Sharpness: λmax (dots){line}")

    # --- drawing -----------------------------------------------------------------------
    def draw(self, snap, slow: bool = True) -> bool:
        """Draw ``snap``: the plane when its frame is new, the sharpness curve when a
        new epoch was measured or on a slow frame. False when nothing was drawn."""
        f = snap.landscape
        h = snap.history
        lam = np.asarray(h["sharpness"])
        measured = np.flatnonzero(np.isfinite(lam))
        key = (None if f is None else f.version, snap.scrub,
               len(measured), float(lam[measured[-1]]) if len(measured) else 0.0)
        if key == self._shown and not slow:
            return False
        new_frame = self._shown is None or key[0] != self._shown[0]
        self._shown = key
        self._say(f)
        if f is not None and new_frame:
            self._draw_plane(f)
            self._draw_step(f)
        self._draw_sharpness(snap, f)
        fit = QRectF(self.viewport().rect())
        if self.ci.geometry() != fit:  # a caption that was wider held the layout wide
            self.ci.setGeometry(fit)
        return True

    def _draw_plane(self, f):
        a, b, grid = f.alphas, f.betas, f.grid
        z = np.log10(np.maximum(grid, 1e-12))
        self.image.setImage(z.T, autoLevels=True)
        da, db = a[1] - a[0], b[1] - b[0]
        self.image.setRect(a[0] - da / 2, b[0] - db / 2, a[-1] - a[0] + da, b[-1] - b[0] + db)
        for iso in self.isos:
            self.plane_plot.removeItem(iso)
        levels = np.linspace(np.nanmin(z), np.nanmax(z), LEVELS + 2)[1:-1]
        self.isos = []
        for lv in levels:
            iso = pg.IsocurveItem(z.T, level=lv, pen=pg.mkPen(255, 255, 255, 110))
            iso.setParentItem(self.image)
            self.isos.append(iso)
        self.path.setData(f.path[:, 0], f.path[:, 1])
        self.current.setData([0.0], [0.0])
        self.step_arrow.setData([0.0, f.step_end[0]], [0.0, f.step_end[1]])
        self.plane_plot.setRange(xRange=(a[0], a[-1]), yRange=(b[0], b[-1]), padding=0)
        kind = "path PCA" if f.directions == "pca" else "random"
        self.plane_plot.setTitle(f"Loss landscape: {kind} axes")

    def _say(self, f):
        """The caption, in the look's text colour (read when drawn: the dark theme)."""
        if f is None:
            text = "Computed in the training process only<br>while this view is shown."
        else:
            rows = f.data_note if len(f.data_note) < 36 else f.data_note.replace(
                " of ", " of<br>", 1)  # the dock is narrow
            text = (f"Axes: {f.note}.<br>Loss on {rows}.<br>"
                    f"{100 * f.off_share:.0f}% of the path lies off this plane.<br>"
                    f"White: the path; dot: the shown weights;<br>red: the next step.")
        self.caption.setText(text, color=colors.TEXT)

    def _draw_step(self, f):
        self.step_curve.setData(f.step_s, f.step_loss)
        at = int(np.argmin(np.abs(f.step_s - 1.0)))
        self.step_dot.setData([f.step_s[at]], [f.step_loss[at]])

    def _draw_sharpness(self, snap, f):
        h = snap.history
        x, y = _finite(np.asarray(h["epoch"]), np.asarray(h["sharpness"]))
        self.sharp_curve.setData(x, y)
        factor = None if f is None else f.factor
        self._sharp_title("" if factor is None else f.threshold_name)
        if factor is None:
            self.limit_curve.setData([], [])
            name = "" if f is None else f.optimizer
            self.sharp_note.setText(f"The 2/lr line does not apply to {name}: its steps are "
                                    f"preconditioned." if name else "")
        else:
            ex, lim = _finite(np.asarray(h["epoch"]), factor / np.asarray(h["lr"]))
            self.limit_curve.setData(ex, lim)
            self.sharp_note.setText("")
        if len(x):
            self.sharp_note.setPos(float(np.min(x)), float(np.log10(np.max(y))))
        self.marker.setVisible(snap.scrub is not None)
        if snap.scrub is not None:
            self.marker.setValue(snap.scrub)


def table(snap):
    """``(header, rows)``: the plane, the path and the next-step curve (CSV export)."""
    header = ["part", "epoch", "alpha", "beta", "s", "loss"]
    f = snap.landscape
    if f is None:  # as the inspector's, when it has nothing to show
        return ["note"], [["the Landscape view is closed, so nothing was computed "
                           "(View > Loss landscape)"]]
    rows = [["plane", "", float(a), float(b), "", float(f.grid[j, i])]
            for j, b in enumerate(f.betas) for i, a in enumerate(f.alphas)]
    rows += [["path", float(e), float(p[0]), float(p[1]), "", ""]
             for e, p in zip(f.path_epochs, f.path)]
    rows += [["step", "", "", "", float(s), float(v)] for s, v in zip(f.step_s, f.step_loss)]
    return header, rows


def sharpness_table(snap):
    """``(header, rows)``: λmax per measured epoch with the stability threshold."""
    h, f = snap.history, snap.landscape
    factor = None if f is None else f.factor
    rows = []
    for e, lam, lr in zip(h["epoch"], h["sharpness"], h["lr"]):
        if np.isfinite(lam):
            rows.append([int(e), float(lam), float(lr),
                         "" if factor is None else float(factor / lr)])
    return ["epoch", "sharpness", "lr", "threshold"], rows
