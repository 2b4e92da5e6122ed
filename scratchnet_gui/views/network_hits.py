"""Pointing at the network graph: what is under the mouse, its tooltip, clicks on edges,
and positions of edges for automation (a part ``NetworkView`` holds)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QToolTip


class NetworkHits:
    """Hit tests in pixels against the layout a ``NetworkView`` built (its ``layout``),
    and where things are drawn (for tests and automation).

    Parameters
    ----------
    view : NetworkView
    """

    def __init__(self, view):
        self.view = view
        view.scene().sigMouseMoved.connect(self._hover)
        view.scene().sigMouseClicked.connect(self._click)

    def node_scene_rects(self) -> list:
        """Each drawn node's square in scene pixels, as ``QRectF``."""
        vb = self.view.getPlotItem().vb
        out = []
        for p, k in zip(self.view.node_pos, self.view.kind):
            c = vb.mapViewToScene(pg.Point(*p))
            r = (14 if k == 2 else 18) / 2
            out.append(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r))
        return out

    def _pixel_distance(self, pts, scene_pos):
        vb = self.view.getPlotItem().vb
        p = vb.mapSceneToView(scene_pos)
        px, py = vb.viewPixelSize()
        return (pts[..., 0] - p.x()) / px, (pts[..., 1] - p.y()) / py

    def hit(self, scene_pos):
        """What is under ``scene_pos``: ``("node", i)``, ``("edge", i)`` or ``None``."""
        if self.view.snap is None or not len(self.view.node_pos):
            return None
        dx, dy = self._pixel_distance(self.view.node_pos, scene_pos)
        d = np.hypot(dx, dy)
        i = int(np.argmin(d))
        if d[i] <= 10:
            return ("node", i)
        a, b = self.view.node_pos[self.view.edges[:, 3]], self.view.node_pos[self.view.edges[:, 4]]
        ax, ay = self._pixel_distance(a, scene_pos)
        bx, by = self._pixel_distance(b, scene_pos)
        vx, vy = bx - ax, by - ay
        t = np.clip(-(ax * vx + ay * vy) / np.maximum(vx * vx + vy * vy, 1e-9), 0, 1)
        seg = np.hypot(ax + t * vx, ay + t * vy)
        j = int(np.argmin(seg)) if len(seg) else -1
        if j >= 0 and seg[j] <= 4:
            return ("edge", j)
        return None

    def describe(self, what) -> str:
        """Tooltip text for a hit."""
        kind, i = what
        snap = self.view.snap
        if kind == "node":
            l, u = self.view.ids[i]
            if u == -1:
                return f"bias node of layer {l + 1}: always 1"
            name = "input" if l == 0 else "output" if l == len(snap.sizes) - 1 else f"hidden {l}"
            text = f"{name} unit {u + 1}"
            if l > 0:
                text += f"\nbias b = {snap.weights[l - 1][1][u]:.4g}, activation {snap.activations[l - 1]}"
            elif u < len(snap.points.names):
                text += f" ({snap.points.names[u]})" if snap.sizes[0] == len(snap.points.names) else ""
            ring = self.view.rings.describe(l, u) if l > 0 else ""
            if ring:
                text += "\n" + ring
            if self.view.overlay.node_text is not None:
                text += "\n" + self.view.overlay.node_text[0][l][u]
            return text
        l, row, col = (int(v) for v in self.view.edges[i, :3])
        value = self.view.edge_values(snap)[i]
        src = "bias" if col < 0 else f"unit {col + 1} of layer {l}"
        label = {"weight": "w", "gradient": "∂L/∂w", "update": "Δw"}[self.view.overlay.mode]
        return f"{label} = {value:.6g}\nfrom {src} to unit {row + 1} of layer {l + 1}"

    def _hover(self, scene_pos):
        what = self.hit(scene_pos)
        if what is None:
            QToolTip.hideText()
            return
        self.view.setToolTip("")
        view = self.view.mapFromScene(scene_pos)
        QToolTip.showText(self.view.mapToGlobal(view), self.describe(what), self.view)

    def _click(self, event):
        if event.button() != Qt.MouseButton.LeftButton:
            return
        what = self.hit(event.scenePos())
        if what and what[0] == "edge":
            l, row, col = (int(v) for v in self.view.edges[what[1], :3])
            W, b = self.view.snap.weights[l]
            self.view.edgeClicked.emit(l, row, col, float(b[row] if col < 0 else W[row, col]))

    def edge_scene_pos(self, layer: int, row: int, col: int):
        """Scene position of a point on an edge that hits only that edge (for automation).

        Not simply the midpoint: in a symmetric layout edges cross exactly there, and at
        small sizes near a node they crowd together; the first clear point is taken."""
        m = (self.view.edges[:, 0] == layer) & (self.view.edges[:, 1] == row) & (self.view.edges[:, 2] == col)
        i = int(np.flatnonzero(m)[0])
        a, b = self.view.node_pos[self.view.edges[i, 3]], self.view.node_pos[self.view.edges[i, 4]]
        vb = self.view.getPlotItem().vb
        for along in (0.3, 0.2, 0.4, 0.25, 0.35, 0.15, 0.45, 0.5, 0.6, 0.7):
            pos = vb.mapViewToScene(pg.Point(*(a + along * (b - a))))
            if self.hit(pos) == ("edge", i):
                return pos
        raise LookupError(f"no point of edge {layer, row, col} is clear of the others")
