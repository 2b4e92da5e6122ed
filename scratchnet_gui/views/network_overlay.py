"""What the network graph's edges show: weights, or while stepping this sample's
gradients or updates, and the update animated from the weights before to after."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer

from .. import step_view

OVERLAYS = ("weight", "gradient", "update")


class EdgeOverlay:
    """What each of the network graph's edges shows (a part ``NetworkView`` holds).

    Parameters
    ----------
    parent : QObject
        Owns the animation's timer.
    redraw : callable
        Draws the graph again (an animation frame). The mode is the window's
        ``ViewSettings.overlay`` (``NetworkView.use_settings``).
    """

    def __init__(self, parent, redraw):
        self.mode = "weight"    # edges by weight, gradient or update (while stepping)
        self.values = None      # per-layer (W, b)-shaped arrays drawn instead
        self.node_text = None   # (full, short) per-layer texts shown beside nodes
        self._redraw = redraw
        self._anim = QTimer(parent)
        self._anim.setInterval(30)
        self._anim.timeout.connect(self._animate)
        self._anim_t = 1.0
        self._anim_key = None

    @property
    def rescaled(self) -> bool:
        """Whether the edges show gradients or updates (small: their widths rescale)."""
        return self.values is not None and self.mode != "weight"

    def edge_values(self, snap, edges) -> np.ndarray:
        """The value each of ``edges`` (the view's edge table) shows."""
        source = self.values if self.values is not None else snap.weights
        out = np.empty(len(edges))
        for l, (W, b) in enumerate(source):
            m = edges[:, 0] == l
            rows, cols = edges[m, 1], edges[m, 2]
            out[m] = np.where(cols >= 0, W[rows, np.maximum(cols, 0)], b[rows])
        return out

    def follow(self, snap):
        """The values and node texts of ``snap``'s stepped sample (none: the weights)."""
        step = snap.step
        if step is None:
            self.values, self.node_text = None, None
            return
        self.node_text = (step_view.node_text(step), step_view.node_text(step, short=True))
        if self.mode != "weight":
            self.values = step_view.overlay(step, self.mode)
            return
        key = (step.index, step.applied)
        if step.phase[0] is step_view.Phase.UPDATE and step.applied and key != self._anim_key:
            self._anim_key, self._anim_t = key, 0.0  # animate before → after
            self._anim.start()
        if self._anim_t < 1.0:
            t = self._anim_t
            self.values = tuple((Wb + t * (Wa - Wb), bb + t * (ba - bb)) for
                                (Wb, bb), (Wa, ba) in zip(step.weights_before, snap.weights))
        else:
            self.values = None if step.applied else step.weights_before

    def _animate(self):
        self._anim_t = min(1.0, self._anim_t + 0.125)
        if self._anim_t >= 1.0:
            self._anim.stop()
        self._redraw()
