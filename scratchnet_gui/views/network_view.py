"""The network graph: nodes by layer, bias nodes "1", edges by sign and magnitude."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QFont

from .. import step_view
from . import colors
from .network_edges import CACHED, EdgeCurves
from .network_hits import NetworkHits
from .network_overlay import OVERLAYS, EdgeOverlay  # noqa: F401 (OVERLAYS: the view's API)
from .unit_rings import UnitRings
from .value_labels import ValueLabels

MAX_NODES = 24          # wider layers are sampled evenly, and the view says so
MAX_THUMBS = 120        # more neurons than this: no heatmaps (they would be unreadable)


def drawn_units(n: int) -> np.ndarray:
    """Which units of an ``n``-wide layer get a node."""
    if n <= MAX_NODES:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, MAX_NODES).round().astype(int))


class NetworkView(pg.PlotWidget):
    """Draws ``snapshot.weights`` as a layered graph.

    Edges are bucketed by sign and by width into a few ``PlotCurveItem``s drawn with
    ``connect="pairs"``: one array-based item per bucket instead of one pen per edge.
    It holds its parts: ``overlay`` (what each edge shows) and ``hits`` (what is under
    the mouse, and where things are drawn). Its layout (``node_pos``, ``ids``, ``kind``,
    ``edges``) and the snapshot drawn (``snap``) are theirs to read.

    Signals
    -------
    edgeClicked(int, int, int, float)
        ``(layer, row, col, value)``; ``col == -1`` for a bias edge.
    """

    edgeClicked = Signal(int, int, int, float)

    def __init__(self, parent=None):
        super().__init__(parent, enableMenu=False)  # no menu to build (~3 ms)
        self.setObjectName("network_view")
        self.setBackground("w")
        self.hideAxis("left")
        self.hideAxis("bottom")
        self.setMouseEnabled(False, False)
        self.getPlotItem().hideButtons()
        self.show_thumbs = True
        self.overlay = EdgeOverlay(self, self._redraw)
        self.values = ValueLabels(self)
        self._drawn_vals = None
        self._legend_html = None
        self._layout_key = None
        self.curves = EdgeCurves(self)
        self.lit = None              # edge layers the stepper's phase lights up (None: all)
        self.nodes = pg.ScatterPlotItem(pxMode=True, size=16, pen=pg.mkPen(60, 60, 60, width=1.2))
        self.nodes.setZValue(10)
        self.addItem(self.nodes)
        self._texts = []
        self._thumbs = []
        self.note = pg.TextItem(color=(90, 90, 90), anchor=(0, 1))
        self.addItem(self.note)
        # the legend is the plot's title: above the nodes, never among them
        self.legend = self.getPlotItem().titleLabel
        self._set_legend("width = min(8, |w| + 0.25)")
        self.getPlotItem().vb.sigResized.connect(self._draw_values)  # room changed: refit
        self.getPlotItem().vb.sigResized.connect(self._size_nodes)
        self.snap = None
        self.node_pos, self.ids, self.kind = np.zeros((0, 2)), [], np.zeros(0, int)
        self.edges = np.zeros((0, 5))  # layer, row, col, x/y index into pos...
        self.hits = NetworkHits(self)
        self.rings = UnitRings(self)  # saturated and dead hidden units

    # --- layout -------------------------------------------------------------------------
    def _build_layout(self, sizes):
        """Node positions, bias nodes and the edge table for ``sizes``."""
        self._units = [drawn_units(n) for n in sizes]
        pos, kind, ids = [], [], []
        height = max(len(u) for u in self._units) + 1
        for l, units in enumerate(self._units):
            ys = np.linspace(-(len(units) - 1) / 2, (len(units) - 1) / 2, len(units))
            for u, y in zip(units, ys):
                ids.append((l, int(u)))
                pos.append((l, -y))
                kind.append(0 if l == 0 else 1)
            if l < len(sizes) - 1:  # the bias node feeding layer l + 1
                ids.append((l, -1))
                pos.append((l + 0.0, (len(units) + 1) / 2))
                kind.append(2)
        self.node_pos = np.array(pos, dtype=float)
        self.ids = ids
        self.kind = np.array(kind)
        index = {k: i for i, k in enumerate(ids)}
        edges = []  # (layer, row, col, src node, dst node)
        for l in range(len(sizes) - 1):
            for dst in self._units[l + 1]:
                for src in list(self._units[l]) + [-1]:
                    edges.append((l, dst, src, index[(l, int(src))], index[(l + 1, int(dst))]))
        self.edges = np.array(edges, dtype=int).reshape(-1, 5)
        brushes = [pg.mkBrush(200, 200, 200) if k == 0 else pg.mkBrush(255, 255, 255)
                   for k in kind]
        self.nodes.setData(pos=self.node_pos, brush=brushes, symbol=["o"] * len(kind))
        for t in self._texts:
            self.removeItem(t)
        self._texts = []
        for (_, u), p in zip(ids, self.node_pos):
            if u == -1:
                t = pg.TextItem("1", color=(0, 0, 0), anchor=(0.5, 0.5))
                t.setPos(*p)
                t.setZValue(11)
                self.addItem(t)
                self._texts.append(t)
        self._build_thumbs(sizes)
        hidden = [f"{len(u)} of {n}" for u, n in zip(self._units, sizes) if len(u) < n]
        self.note.setText(("layers too wide to draw: showing " + ", ".join(hidden)
                           + " units (evenly sampled)") if hidden else "")
        self.note.setPos(-0.3, -height / 2 - 0.2)
        self.setXRange(-0.4, len(sizes) - 0.3, padding=0.02)
        self.setYRange(-height / 2 - 0.8, height / 2 + 0.6, padding=0.02)
        self._node_px = None  # new nodes and labels: size them all
        self._size_nodes()

    def node_rects(self) -> list:
        """``(layer, unit, QRectF)`` of every drawn node in scene pixels (unit -1: the
        bias node feeding layer + 1)."""
        vb = self.getPlotItem().vb
        out = []
        for (l, u), (x, y), size in zip(self.ids, self.node_pos, self.nodes.data["size"]):
            c = vb.mapViewToScene(QPointF(x, y))
            out.append((l, u, QRectF(c.x() - size / 2, c.y() - size / 2, size, size)))
        return out

    def thumb_rects(self) -> list:
        """``(layer, unit, QRectF)`` of every neuron's heatmap in scene pixels."""
        vb = self.getPlotItem().vb
        return [(l, u, vb.mapViewToScene(r).boundingRect()) for l, u, _, r in self._thumbs]

    def _set_legend(self, text: str) -> None:
        self.getPlotItem().setTitle(
            f"<span style='color:rgb{colors.POSITIVE}'>━ positive</span>&nbsp; "
            f"<span style='color:rgb{colors.NEGATIVE}'>━ negative</span>&nbsp; "
            f"<span style='color:rgb{colors.TEXT}'>{text}</span>",
            size=f"{9 * colors.LINE_SCALE:g}pt")  # the theme's text colour and scale

    def _size_nodes(self, *_) -> None:
        """Nodes as large as their spacing allows (18 px at most), so a layer of 24 never
        overlaps: the spacing is one unit of the view's height."""
        if not hasattr(self, "_kind"):
            return
        vb = self.getPlotItem().vb
        (y0, y1) = vb.viewRange()[1]
        px = 0.8 * vb.height() / max(y1 - y0, 1e-9)
        size = float(np.clip(px, 5.0, 18.0 * colors.LINE_SCALE))
        if size != self._node_px:
            self._node_px = size
            self.nodes.setSize([0.8 * size if k == 2 else size for k in self.kind])
            font = QFont()
            font.setPixelSize(max(5, int(0.6 * size)))  # the bias's "1" fits its circle
            for t in self._texts:
                t.setFont(font)

    def _build_thumbs(self, sizes):
        for _, _, im, _ in self._thumbs:
            self.removeItem(im)
        self._thumbs = []
        if not self.show_thumbs or sum(len(u) for u in self._units[1:]) > MAX_THUMBS:
            return
        self._cmap = colors.activation_colormap()
        for (l, u), p in zip(self.ids, self.node_pos):
            if l == 0 or u == -1:
                continue
            im = pg.ImageItem(axisOrder="row-major")
            im.setCacheMode(CACHED)
            im.setZValue(5)
            self.addItem(im)
            self._thumbs.append((l, u, im, QRectF(p[0] + 0.1, p[1] - 0.35, 0.28, 0.7)))

    def _paint_outputs(self, task):
        """K ≥ 3 classes: each output node filled with its class's colour."""
        if task.output != "softmax":
            return
        rgb = colors.class_colors(task.n_classes)
        last = len(self._units) - 1
        brushes = [pg.mkBrush(*rgb[u]) if l == last and u < len(rgb) else b
                   for (l, u), b in zip(self.ids, self.nodes.data["brush"])]
        self.nodes.setBrush(brushes)

    def node_count(self, layer: int) -> int:
        """Nodes drawn for ``layer`` (0 the inputs, -1 the outputs), bias nodes aside."""
        layer = layer % len(self._units)
        return sum(1 for l, u in self.ids if l == layer and u != -1)

    def label_items(self) -> list:
        """The stepper's value labels now shown (for layout checks and automation)."""
        return [t for t in self.values.items if t.isVisible()]

    def heatmap_items(self) -> list:
        """The neuron heatmaps now shown."""
        return [im for _, _, im, _ in self._thumbs if im.isVisible()]

    # --- drawing ------------------------------------------------------------------------
    def use_settings(self, settings) -> bool:
        """Take the window's ``ViewSettings`` (the edges' overlay); True if it changed."""
        changed = settings.overlay != self.overlay.mode
        self.overlay.mode = settings.overlay
        return changed

    def edge_values(self, snap) -> np.ndarray:
        """The value each drawn edge shows under the current overlay."""
        return self.overlay.edge_values(snap, self.edges)

    def restyle(self) -> None:
        """The colours changed: build nodes, heatmaps, edges and legend again at the
        next draw."""
        self._layout_key = None
        self._drawn_vals = self._legend_html = None

    def _redraw(self):
        if self.snap is not None:
            self.draw(self.snap)

    def set_thumbs_visible(self, on: bool):
        self.show_thumbs = on
        self._layout_key = None
        if self.snap is not None:
            self.draw(self.snap)

    def draw(self, snap, slow: bool = True) -> None:
        """Draw ``snap``; the neuron heatmaps only when ``slow`` (they cost the most)."""
        self.snap = snap
        sizes = snap.sizes
        key = (tuple(sizes), self.show_thumbs, snap.task)
        if key != self._layout_key:
            if len(sizes) - 1 != self.curves.layers:
                self.curves.build(len(sizes) - 1)
            self._build_layout(sizes)
            self._paint_outputs(snap.task)
            self._layout_key = key
            self._drawn_vals, self.lit = None, False  # new items: dim them afresh
        self.curves.set_cached(not snap.running)
        self.rings.draw(snap)
        self.overlay.follow(snap)
        self._draw_values()
        vals = self.edge_values(snap)
        lit = None if snap.step is None else frozenset(step_view.lit_layers(snap.step))
        if lit != self.lit:  # fading cached items is cheap; their pixels stay
            if (lit is None) != (self.lit is None):
                self._drawn_vals = None  # edges move between shared and per-layer items
            self.lit = lit
            self._dim()
        if self._drawn_vals is not None and np.array_equal(vals, self._drawn_vals):
            if slow:
                self._draw_thumbs(snap)
            return  # same edges (stepping through phases): leave them as they are
        self._drawn_vals = vals
        self._draw_edges(vals)
        if slow:
            self._draw_thumbs(snap)

    def _draw_edges(self, vals):
        """Edges by sign and width (``curves``), and the legend saying how wide."""
        scale = 1.0
        if self.overlay.rescaled and len(vals):
            scale = max(np.abs(vals).max() / 4.0, 1e-12)  # gradients are small: rescale
        html = ("width = min(8, |w| + 0.25)" if scale == 1.0 else
                f"{self.overlay.mode}: width = min(8, |v|/{scale:.3g} + 0.25)")
        if html != self._legend_html:
            self._set_legend(html)
            self._legend_html = html
        src, dst = self.node_pos[self.edges[:, 3]], self.node_pos[self.edges[:, 4]]
        self.curves.draw(vals, scale, src, dst, self.edges[:, 0], shared=self.lit is None)

    def _draw_values(self):
        """The stepper's numbers beside the current layer's nodes: the full text where
        it fits without covering anything, else a short one, else none."""
        thumbs = [im for _, _, im, _ in self._thumbs]
        if self.overlay.node_text is None:
            self.values.hide()
            for im in thumbs:  # back from a tight stepping layout
                im.setVisible(True)
            return
        nodes = [(i, l, u) for i, (l, u) in enumerate(self.ids) if u >= 0]
        variants = [[texts[l][u] for _, l, u in nodes] for texts in self.overlay.node_text]
        rects = self.hits.node_scene_rects()
        args = ([self.node_pos[i] for i, _, _ in nodes], [rects[i].width() / 2 for i, _, _ in nodes])
        for im in thumbs:
            im.setVisible(True)
        if self.values.show(variants, *args, rects + [im.sceneBoundingRect() for im in thumbs]) is None:
            # too tight for numbers beside the heatmaps: the numbers matter more here
            for im in thumbs:
                im.setVisible(False)
            self.values.show(variants, *args, rects)

    def _dim(self):
        """Edges and heatmaps the current phase is not about fade back."""
        self.curves.dim(self.lit)
        kind_layer = None
        if self.snap is not None and self.snap.step is not None:
            kind_layer = self.snap.step.phase
        for l, _, im, _ in self._thumbs:
            speaks = (kind_layer is None or kind_layer[0] is step_view.Phase.UPDATE
                      or kind_layer[1] == l)
            im.setOpacity(1.0 if speaks else 0.25)

    def _draw_thumbs(self, snap):
        for l, u, im, rect in self._thumbs:
            if l - 1 < len(snap.thumbs) and u < len(snap.thumbs[l - 1]):
                a = snap.thumbs[l - 1][u]
                if snap.activations[l - 1] != "sigmoid":  # tanh, relu, ...: map [-1, 1]
                    a = (np.clip(a, -1.0, 1.0) + 1.0) / 2.0
                # RGBA ourselves: an indexed image makes pyqtgraph rebuild a 256-entry
                # colour table with Python calls on every paint
                im.setImage(self._cmap.map(a, mode="byte"), autoLevels=False, rect=rect)
