"""``MainWindow``'s part for why a network learns: the gradient view beside the ROC, the
hidden-space view beside the boundary, and telling the training process while the
hidden-space view is open (it computes the coordinates only then)."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from .. import protocol as P
from .view_set import Rate
from ..views.gradient_view import GradientView
from ..views.hidden_space_view import HiddenSpaceView, from_snapshot

UNSENT = object()


class WindowInsight:
    """Builds and registers the two views; call after the window's own views.

    Parameters
    ----------
    win : MainWindow
    """

    def __init__(self, win):
        self.win = win
        self.gradient_view = GradientView()
        self.hidden_view = HiddenSpaceView()
        win.view_set.add(self.gradient_view, Rate.SLOW)
        # every frame, but it draws only new coordinates (they come at their own rate)
        win.view_set.add(self.hidden_view, Rate.FRAME)
        win.views += [self.gradient_view, self.hidden_view]
        win.roc_tabs.addTab(self.gradient_view, "Gradients")
        self.plane_tabs = self._plane_tabs()
        self._sent = UNSENT
        for tabs in (win.roc_tabs, self.plane_tabs):
            tabs.currentChanged.connect(lambda _: self.follow())
        self.hidden_view.layerChanged.connect(lambda _: self.follow())

    def _plane_tabs(self) -> QTabWidget:
        """The boundary and the hidden space as two tabs where the boundary was."""
        win, top = self.win, self.win._splitters[1]
        tabs = QTabWidget()
        tabs.setObjectName("plane_tabs")
        index = top.indexOf(win.prediction_view)
        top.replaceWidget(index, tabs)
        tabs.addTab(win.prediction_view, "Boundary")
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel("Layer:"))
        row.addWidget(self.hidden_view.layer_combo, 1)
        column.addLayout(row)
        column.addWidget(self.hidden_view, 1)
        tabs.addTab(box, "Hidden layer")
        tabs.currentChanged.connect(lambda _: win.view_set.catch_up())
        return tabs

    def show(self, name: str) -> None:
        """Bring view ``name`` (``gradient_view``, ``hidden_space_view``, or
        ``prediction_view``) to the front of its tabs."""
        if name == "gradient_view":
            self.win.roc_tabs.setCurrentWidget(self.gradient_view)
        elif name == "hidden_space_view":
            self.plane_tabs.setCurrentIndex(1)
        elif name == "prediction_view":
            self.plane_tabs.setCurrentIndex(0)
        self.follow()

    @property
    def hidden_open(self) -> bool:
        return self.plane_tabs.currentIndex() == 1

    def follow(self) -> None:
        """Tell the training process which hidden layer the open view shows, or that it
        is closed (once per change)."""
        want = self.hidden_view.layer if self.hidden_open else None
        if want != self._sent:
            self._sent = want
            self.win.send(lambda: P.ShowHiddenSpace(want))

    def for_export(self, snap):
        """``snap`` with a hidden space to export: the training process's while the view
        is open, else one computed here from the snapshot's weights (drawn too)."""
        if snap is None or snap.hidden is not None:
            return snap
        hs = from_snapshot(snap, self.hidden_view.layer)
        if hs is None:
            return snap
        snap = dataclasses.replace(snap, hidden=hs)
        self.hidden_view.draw(snap)
        return snap
