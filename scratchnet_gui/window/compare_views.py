"""Run B's views in compare mode: its network in a tab beside A's, its boundary beside
A's on linked axes, and its curves dashed over A's."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget

from ..views.network_view import NetworkView
from ..views.prediction_view import PredictionView
from ..views.run_overlay import CurveOverlay, GradientOverlay
from .view_set import SlowClock


class CompareViews:
    """Built when compare mode starts (``CompareMode.views``), removed when it ends.

    Parameters
    ----------
    win : MainWindow
        Its top splitter receives B's views.
    redraw : callable
        Draws B's newest snapshot again (a tab shown).
    """

    def __init__(self, win, redraw):
        self.win = win
        self._slow = SlowClock()
        top = win._splitters[1]  # noqa: SLF001
        self.network_b, self.prediction_b = NetworkView(), PredictionView()
        self.network_b.setObjectName("network_view_b")
        self.prediction_b.setObjectName("prediction_view_b")
        self.prediction_b.use_settings(win.view_set.settings)
        self.prediction_b.setXLink(win.prediction_view)
        self.prediction_b.setYLink(win.prediction_view)
        win.prediction_view.setTitle("A")
        self.prediction_b.setTitle("B")
        self.net_tabs = QTabWidget()
        self.net_tabs.setObjectName("network_tabs")
        index = top.indexOf(win.network_view)
        top.replaceWidget(index, self.net_tabs)
        self.net_tabs.addTab(win.network_view, "Network A")
        self.net_tabs.addTab(self.network_b, "Network B")
        self.net_tabs.currentChanged.connect(lambda _: self.reset() or redraw())
        self.plane_tab = QTabWidget()  # as tall as A's tabbed boundary: the same y range
        self.plane_tab.setObjectName("plane_b_tab")
        self.plane_tab.addTab(self.prediction_b, "Boundary B")
        top.insertWidget(index + 2, self.plane_tab)
        total = sum(top.sizes())
        top.setSizes([total * 34 // 100, total * 33 // 100, total * 33 // 100])
        self.overlays = [CurveOverlay(win.auc_view), CurveOverlay(win.loss_view)]
        if win.insight._gradient is not None:  # noqa: SLF001 (built once seen)
            self.overlays.append(GradientOverlay(win.insight._gradient))  # noqa: SLF001

    def remove(self) -> None:
        """Back to one run's views."""
        win = self.win
        top = win._splitters[1]  # noqa: SLF001
        index = top.indexOf(self.net_tabs)
        self.net_tabs.removeTab(0)
        top.replaceWidget(index, win.network_view)
        win.network_view.show()
        for w in (self.net_tabs, self.network_b, self.prediction_b, self.plane_tab):
            w.setParent(None)
            w.deleteLater()
        win.prediction_view.setTitle(None)
        for o in self.overlays:
            o.remove()
        self.overlays = []
        win.redraw()

    def draw_b(self, snap, a_running: bool) -> None:
        """B's boundary and graph where seen; its curves on B's slow frames while A
        stands still (else A's slow frames draw them: each curve view paints once)."""
        slow = self._slow.tick(snap.running)  # the contour, heatmaps and curves
        if self.prediction_b.isVisible():
            self.prediction_b.draw(snap, slow)
        if self.network_b.isVisible():
            self.network_b.draw(snap, slow)
        if slow and not a_running:
            self.draw_curves(snap)

    def draw_curves(self, snap_b) -> None:
        """B's curves over A's."""
        if snap_b is not None:
            for o in self.overlays:
                o.draw(snap_b)

    def reset(self) -> None:
        """The next frame of B is drawn whole."""
        self._slow.reset()
