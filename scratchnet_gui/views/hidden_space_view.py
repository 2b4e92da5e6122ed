"""The plane as a hidden layer sees it: each point at its activations in that layer, the
input plane's grid lines bent through the layers, and (for a width-2 last hidden layer)
the output's decision line at the threshold. The training process computes the
coordinates (``scratchnet.hidden_space``) while this view is open."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox

from scratchnet import hidden_space
from scratchnet.network import Network

from . import colors

LAST = 0  # the combo's data for "the last hidden layer"
RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}  # a width-2 layer's own box


EXPORT_POINTS = 1000  # as many as the training process places
GRID = 100            # the boundary grid's side, whose lines are mapped


def from_snapshot(snap, layer: int = LAST):
    """The hidden space of ``snap``'s network computed here, from the weights and the
    drawn points it carries (for an export while the view was closed, so the training
    process never computed it); None without hidden layers or points."""
    pts = snap.points
    if pts is None or pts.inputs is None or len(snap.sizes) <= 2 or not len(pts.raw_train):
        return None
    net = Network(snap.sizes, activation=list(snap.activations[:-1]),
                  output=snap.activations[-1])
    for L, (W, b) in zip(net.layers, snap.weights):
        L.weights[...], L.biases[...] = W, b
    if net.output == "linear":
        net.set_target_scale(*snap.target)
    n = len(pts.raw_train)
    rows = np.linspace(0, n - 1, min(n, EXPORT_POINTS)).astype(np.int64)
    x0, x1, y0, y1 = pts.extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID))
    plane = np.tile(pts.raw_train.mean(axis=0), (GRID * GRID, 1))
    i, j = pts.axes if plane.shape[1] > 1 else (0, 0)
    plane[:, i], plane[:, j] = gx.ravel(), gy.ravel()
    return hidden_space.compute(net, pts.inputs(pts.raw_train[rows]), pts.y_train[rows],
                                pts.inputs(plane), layer or None)


def table(snap):
    """``(header, rows)``: each point's place in the hidden space, its label and output."""
    hs = snap.hidden
    if hs is None:
        return ["note"], [["the hidden-space view was not open, or the network has no "
                           "hidden layer"]]
    x, y = hs.labels
    return (["index", "layer", x, y, "label", "output"],
            [[i, hs.layer, float(p[0]), float(p[1]), float(t), float(o)]
             for i, (p, t, o) in enumerate(zip(hs.points, hs.y, hs.out))])


def move_points(item: pg.ScatterPlotItem, x, y) -> None:
    """``item.setData(x, y)``, but when only the places change (the same number of
    points, one style) the places are written into its records: ``setData`` rebuilds
    each point's style key in Python, most of a frame's drawing time."""
    if len(item.data) != len(x) or not len(x):
        item.setData(x, y)
        return
    item.data["x"], item.data["y"] = x, y
    item.prepareGeometryChange()
    item.informViewBoundsChanged()
    item.bounds = [None, None]
    item.invalidate()


class HiddenSpaceView(pg.PlotWidget):
    """Draws ``snapshot.hidden`` (a ``HiddenSpace``); ``layer_combo`` chooses the layer.

    Signals
    -------
    layerChanged(int)
        The hidden layer chosen (1 for the first, 0 for the last).
    """

    layerChanged = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("hidden_space_view")
        self.setBackground("w")
        self.setTitle("The plane as a hidden layer sees it", color=colors.TEXT)
        for axis in ("left", "bottom"):
            self.getAxis(axis).enableAutoSIPrefix(False)
        self.threshold = 0.5
        self.layer_combo = QComboBox()
        self.layer_combo.setObjectName("hidden_layer_combo")
        self.layer_combo.setToolTip("Which hidden layer to show")
        self.layer_combo.currentIndexChanged.connect(self._chosen)
        self._combo_key = None
        self.lines = pg.PlotCurveItem(pen=pg.mkPen(170, 170, 170, width=1))
        self.addItem(self.lines)
        self.classes = []
        self.wrong = pg.ScatterPlotItem(size=11, pen=pg.mkPen(*colors.WRONG, width=1.5),
                                        brush=None, pxMode=True)
        self.addItem(self.wrong)
        self.decision = pg.InfiniteLine(pen=pg.mkPen(30, 30, 30, width=2))
        self.decision.setObjectName("decision_line")
        self.addItem(self.decision, ignoreBounds=True)
        self.note = pg.TextItem(color=colors.TEXT, anchor=(0, 0))
        self.note.setParentItem(self.getPlotItem().vb)
        self.note.setPos(6, 4)
        self._drawn = None  # (stamp, threshold) last drawn: nothing new, nothing drawn
        self._range = None  # ((x0, x1), (y0, y1)) shown
        self.getPlotItem().vb.disableAutoRange()

    # --- the layer combo ----------------------------------------------------------------
    @property
    def layer(self) -> int:
        """The hidden layer asked for (0: the last)."""
        data = self.layer_combo.currentData()
        return LAST if data is None else int(data)

    def _chosen(self, _index) -> None:
        if self._combo_key is not None:  # not while the combo is being filled
            self.layerChanged.emit(self.layer)

    def _fill_combo(self, n_hidden: int) -> None:
        if self._combo_key == n_hidden:
            return
        keep = self.layer
        self._combo_key = None
        self.layer_combo.clear()
        self.layer_combo.addItem("last hidden layer", LAST)
        for k in range(1, n_hidden + 1):
            self.layer_combo.addItem(f"hidden layer {k}", k)
        i = self.layer_combo.findData(keep if keep <= n_hidden else LAST)
        self.layer_combo.setCurrentIndex(max(i, 0))
        self._combo_key = n_hidden

    # --- drawing ------------------------------------------------------------------------
    def use_settings(self, settings) -> bool:
        """Take the window's threshold; True if it changed what this view shows."""
        changed = settings.threshold != self.threshold
        self.threshold = settings.threshold
        return changed

    def _class_items(self, k: int) -> None:
        if len(self.classes) == k:
            return
        for item in self.classes:
            self.removeItem(item)
        rgb = colors.class_colors(max(k, 2)) if k else [(110, 110, 110)]
        self.classes = []
        for c in range(max(k, 1)):
            item = pg.ScatterPlotItem(size=6, pen=None, brush=pg.mkBrush(*rgb[c][:3], 200),
                                      pxMode=True)
            self.addItem(item)
            self.classes.append(item)

    def draw(self, snap, slow: bool = True) -> None:
        self._fill_combo(max(len(snap.sizes) - 2, 0))
        hs = snap.hidden
        key = (None if hs is None else hs.stamp, self.threshold, snap.task)
        if key == self._drawn:
            return
        self._drawn = key
        if hs is None:
            self._empty(snap)
            return
        task = snap.task
        k = task.n_classes if task.kind != "regression" else 0
        self._class_items(k)
        P, y = hs.points, hs.y
        for c, item in enumerate(self.classes):
            m = (y == c) if k else slice(None)
            move_points(item, P[m, 0], P[m, 1])
        if task.output == "sigmoid":
            wrong = (hs.out >= self.threshold) != (y == 1)
            move_points(self.wrong, P[wrong, 0], P[wrong, 1])
        else:
            self.wrong.setData([], [])
        self.lines.setData(hs.lines[:, 0], hs.lines[:, 1], connect="finite")
        self._draw_decision(hs)
        self._set_range(hs, snap)
        marks = ["the line: the output at the threshold"] if self.decision.isVisible() else []
        if len(self.wrong.data):
            marks.append("red rings: wrong at the threshold")
        self._set_texts(hs.labels, "\n".join([hs.note, "; ".join(marks)]) if marks
                        else hs.note)

    def _set_texts(self, labels, note: str) -> None:
        """Axis labels and the note, only when they change: setting one lays the plot
        out again, which cost more than drawing the points."""
        if (labels, note) == getattr(self, "_texts_shown", None):
            return
        self._texts_shown = (labels, note)
        if labels is not None:
            self.setLabel("bottom", labels[0])
            self.setLabel("left", labels[1])
        self.note.setText(note)

    def _draw_decision(self, hs) -> None:
        """The output's line w1·x + w2·y + b = logit(threshold), in this space."""
        if hs.decision is None or not 0.0 < self.threshold < 1.0:
            self.decision.setVisible(False)
            return
        w1, w2, b = hs.decision
        norm2 = w1 * w1 + w2 * w2
        if norm2 == 0:
            self.decision.setVisible(False)
            return
        c = math.log(self.threshold / (1 - self.threshold)) - b
        self.decision.setPos((c * w1 / norm2, c * w2 / norm2))
        self.decision.setAngle(math.degrees(math.atan2(w1, -w2)))
        self.decision.setVisible(True)

    def _set_range(self, hs, snap) -> None:
        """A width-2 layer of a bounded activation: its whole box. Else the data's
        bounds, kept while the data stay inside and fill most of them: the axes stay
        put, and pyqtgraph's auto range (which measured every item at each paint, more
        than half the frame's cost) is never on."""
        act = snap.activations[hs.layer - 1] if hs.layer - 1 < len(snap.activations) else ""
        box = RANGES.get(act) if hs.axes == "units" else None
        if box is not None:
            self._apply_range((box, box))
            return
        both = np.concatenate([hs.points, hs.lines])
        ok = both[np.isfinite(both).all(axis=1)]
        if not len(ok):
            return
        lo, hi = ok.min(axis=0), ok.max(axis=0)
        shown = self._range
        if shown is not None:
            (x0, x1), (y0, y1) = shown
            inside = lo[0] >= x0 and hi[0] <= x1 and lo[1] >= y0 and hi[1] <= y1
            filled = min((hi[0] - lo[0]) / max(x1 - x0, 1e-300),
                         (hi[1] - lo[1]) / max(y1 - y0, 1e-300))
            if inside and filled >= 0.6:
                return
        pad = 0.08 * np.maximum(hi - lo, 1e-9)
        self._apply_range(((lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1])))

    def _apply_range(self, rng) -> None:
        if rng != self._range:
            self._range = rng
            self.getPlotItem().vb.setRange(xRange=rng[0], yRange=rng[1], padding=0)

    def _empty(self, snap) -> None:
        for item in self.classes + [self.wrong]:
            item.setData([], [])
        self.lines.setData([], [])
        self.decision.setVisible(False)
        none = len(snap.sizes) <= 2
        self._set_texts(None, "no hidden layer: the input plane is all the output sees"
                        if none else "measuring…" if self.isVisible() else
                        "measured while its tab is open")
