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


def _box() -> QWidget:
    box = QWidget()
    QVBoxLayout(box).setContentsMargins(0, 0, 0, 0)
    return box


class WindowInsight:
    """Builds and registers the two views; call after the window's own views.

    Parameters
    ----------
    win : MainWindow
    """

    def __init__(self, win):
        self.win = win
        self._gradient = self._hidden = None  # built after the first frame, or when asked
        self._boxes = {"gradient": _box(), "hidden": _box()}  # the tabs hold these
        win.roc_tabs.addTab(self._boxes["gradient"], "Gradients")
        self.plane_tabs = self._plane_tabs()
        self._sent = UNSENT
        for tabs in (win.roc_tabs, self.plane_tabs):
            tabs.currentChanged.connect(lambda _: self.follow())
        win.view_set.later(self._build)

    def _build(self) -> None:
        """The two views, into their tabs (they cost the first frame 30 ms)."""
        if self._gradient is not None:
            return
        win = self.win
        self._gradient, self._hidden = GradientView(), HiddenSpaceView()
        win.view_set.add(self._gradient, Rate.SLOW)
        # every frame, but it draws only new coordinates (they come at their own rate)
        win.view_set.add(self._hidden, Rate.FRAME)
        win.views += [self._gradient, self._hidden]
        self._boxes["gradient"].layout().addWidget(self._gradient)
        row = QHBoxLayout()
        row.addWidget(QLabel("Layer:"))
        row.addWidget(self._hidden.layer_combo, 1)
        self._boxes["hidden"].layout().addLayout(row)
        self._boxes["hidden"].layout().addWidget(self._hidden, 1)
        self._hidden.layerChanged.connect(lambda _: self.follow())
        if getattr(win, "look", None) is not None:  # built after the window
            win.look.adopt(self._gradient, self._hidden)
            for v in (self._gradient, self._hidden):
                win.menus.add_context_export(v)
        win.view_set.catch_up()

    @property
    def gradient_view(self) -> GradientView:
        self._build()
        return self._gradient

    @property
    def hidden_view(self) -> HiddenSpaceView:
        self._build()
        return self._hidden

    def _plane_tabs(self) -> QTabWidget:
        """The boundary and the hidden space as two tabs where the boundary was."""
        win, top = self.win, self.win._splitters[1]
        tabs = QTabWidget()
        tabs.setObjectName("plane_tabs")
        index = top.indexOf(win.prediction_view)
        top.replaceWidget(index, tabs)
        tabs.addTab(win.prediction_view, "Boundary")
        tabs.addTab(self._boxes["hidden"], "Hidden layer")
        tabs.currentChanged.connect(lambda _: win.view_set.catch_up())
        return tabs

    def show(self, name: str) -> None:
        """Bring view ``name`` (``gradient_view``, ``hidden_space_view``, or
        ``prediction_view``) to the front of its tabs."""
        if name == "gradient_view":
            self.win.roc_tabs.setCurrentWidget(self._boxes["gradient"])
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
