"""What the network graph's edges show: weights, or while stepping this sample's
gradients or updates, and the update animated from the weights before to after."""

from __future__ import annotations

import numpy as np

from .. import step_view

OVERLAYS = ("weight", "gradient", "update")


class EdgeOverlay:
    """``NetworkView``'s half that decides each edge's value."""

    def edge_values(self, snap) -> np.ndarray:
        """The value each drawn edge shows under the current overlay."""
        source = self.overlay_values if self.overlay_values is not None else snap.weights
        e = self.edges
        out = np.empty(len(e))
        for l, (W, b) in enumerate(source):
            m = e[:, 0] == l
            rows, cols = e[m, 1], e[m, 2]
            out[m] = np.where(cols >= 0, W[rows, np.maximum(cols, 0)], b[rows])
        return out

    def set_overlay(self, mode: str):
        """Draw edges by "weight", "gradient" or "update" (the last two while stepping)."""
        if mode not in OVERLAYS:
            raise ValueError(f"overlay must be one of {OVERLAYS}")
        self.overlay = mode
        if self._snap is not None:
            self.draw(self._snap)

    def _step_overlay(self, snap):
        step = snap.step
        if step is None:
            self.overlay_values, self.node_text = None, None
            return
        self.node_text = (step_view.node_text(step), step_view.node_text(step, short=True))
        if self.overlay != "weight":
            self.overlay_values = step_view.overlay(step, self.overlay)
            return
        key = (step.index, step.applied)
        if step.phase[0] is step_view.Phase.UPDATE and step.applied and key != self._anim_key:
            self._anim_key, self._anim_t = key, 0.0  # animate before → after
            self._anim.start()
        if self._anim_t < 1.0:
            t = self._anim_t
            self.overlay_values = tuple((Wb + t * (Wa - Wb), bb + t * (ba - bb)) for
                                        (Wb, bb), (Wa, ba) in zip(step.weights_before, snap.weights))
        else:
            self.overlay_values = None if step.applied else step.weights_before

    def _animate(self):
        self._anim_t = min(1.0, self._anim_t + 0.125)
        if self._anim_t >= 1.0:
            self._anim.stop()
        if self._snap is not None:
            self.draw(self._snap)
