"""Pointing at the network graph: what is under the mouse, its tooltip, clicks on edges,
and positions of edges for automation (``NetworkView``'s interactive half)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QToolTip


class NetworkInteraction:
    """Hit tests in pixels against the layout ``NetworkView`` built, and where things are
    drawn (for tests and automation)."""

    def label_items(self) -> list:
        """The stepper's value labels now shown (for layout checks and automation)."""
        return [t for t in self.values.items if t.isVisible()]

    def heatmap_items(self) -> list:
        """The neuron heatmaps now shown."""
        return [im for _, _, im, _ in self._thumbs if im.isVisible()]

    def node_scene_rects(self) -> list:
        """Each drawn node's square in scene pixels, as ``QRectF``."""
        vb = self.getPlotItem().vb
        out = []
        for p, k in zip(self._pos, self._kind):
            c = vb.mapViewToScene(pg.Point(*p))
            r = (14 if k == 2 else 18) / 2
            out.append(QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r))
        return out

    def _pixel_distance(self, pts, scene_pos):
        vb = self.getPlotItem().vb
        p = vb.mapSceneToView(scene_pos)
        px, py = vb.viewPixelSize()
        return (pts[..., 0] - p.x()) / px, (pts[..., 1] - p.y()) / py

    def hit(self, scene_pos):
        """What is under ``scene_pos``: ``("node", i)``, ``("edge", i)`` or ``None``."""
        if self._snap is None or not len(self._pos):
            return None
        dx, dy = self._pixel_distance(self._pos, scene_pos)
        d = np.hypot(dx, dy)
        i = int(np.argmin(d))
        if d[i] <= 10:
            return ("node", i)
        a, b = self._pos[self.edges[:, 3]], self._pos[self.edges[:, 4]]
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
        snap = self._snap
        if kind == "node":
            l, u = self._ids[i]
            if u == -1:
                return f"bias node of layer {l + 1}: always 1"
            name = "input" if l == 0 else "output" if l == len(snap.sizes) - 1 else f"hidden {l}"
            text = f"{name} unit {u + 1}"
            if l > 0:
                text += f"\nbias b = {snap.weights[l - 1][1][u]:.4g}, activation {snap.activations[l - 1]}"
            elif u < len(snap.points.names):
                text += f" ({snap.points.names[u]})" if snap.sizes[0] == len(snap.points.names) else ""
            if self.node_text is not None:
                text += "\n" + self.node_text[0][l][u]
            return text
        l, row, col = (int(v) for v in self.edges[i, :3])
        value = self.edge_values(snap)[i]
        src = "bias" if col < 0 else f"unit {col + 1} of layer {l}"
        label = {"weight": "w", "gradient": "∂L/∂w", "update": "Δw"}[self.overlay]
        return f"{label} = {value:.6g}\nfrom {src} to unit {row + 1} of layer {l + 1}"

    def _hover(self, scene_pos):
        what = self.hit(scene_pos)
        if what is None:
            QToolTip.hideText()
            return
        self.setToolTip("")
        view = self.mapFromScene(scene_pos)
        QToolTip.showText(self.mapToGlobal(view), self.describe(what), self)

    def _click(self, event):
        if event.button() != Qt.MouseButton.LeftButton:
            return
        what = self.hit(event.scenePos())
        if what and what[0] == "edge":
            l, row, col = (int(v) for v in self.edges[what[1], :3])
            W, b = self._snap.weights[l]
            self.edgeClicked.emit(l, row, col, float(b[row] if col < 0 else W[row, col]))

    def edge_scene_pos(self, layer: int, row: int, col: int):
        """Scene position of a point on an edge that hits only that edge (for automation).

        Not simply the midpoint: in a symmetric layout edges cross exactly there, and at
        small sizes near a node they crowd together; the first clear point is taken."""
        m = (self.edges[:, 0] == layer) & (self.edges[:, 1] == row) & (self.edges[:, 2] == col)
        i = int(np.flatnonzero(m)[0])
        a, b = self._pos[self.edges[i, 3]], self._pos[self.edges[i, 4]]
        vb = self.getPlotItem().vb
        for along in (0.3, 0.2, 0.4, 0.25, 0.35, 0.15, 0.45, 0.5, 0.6, 0.7):
            pos = vb.mapViewToScene(pg.Point(*(a + along * (b - a))))
            if self.hit(pos) == ("edge", i):
                return pos
        raise LookupError(f"no point of edge {layer, row, col} is clear of the others")
