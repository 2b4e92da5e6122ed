"""The window's Landscape view: its dock, View ▸ Loss landscape, the choice of
directions and the random directions' seed, and the command that tells the training
process to compute it (only while the view is open)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (QComboBox, QDockWidget, QHBoxLayout, QLabel, QSpinBox,
                               QVBoxLayout, QWidget)

from .. import protocol as P
from .view_set import Rate
from ..views.landscape_view import LandscapeView
from .menus import make_action

DOCK_WIDTH = 400
OPENS_WITH = ("lr-too-large",)  # the examples that open the view
CHOICES = {"trajectory PCA": "pca", "random (seeded)": "random"}


class LandscapeControls:
    """``MainWindow``'s Landscape view and what opens it.

    Parameters
    ----------
    win : MainWindow
        With its view set; the view joins ``win.views`` (exports, context menu).
    """

    def __init__(self, win):
        self.win = win
        self._view = self._dock = None  # built after the first frame, or when asked for
        win.view_set.later(lambda: self.view)
        self.directions = QComboBox()
        self.directions.setObjectName("landscape_directions")
        self.directions.addItems(list(CHOICES))
        self.directions.setToolTip("The plane's axes: the path's two principal directions "
                                   "(with 3 or more epochs), or filter-normalised random ones")
        self.seed = QSpinBox()
        self.seed.setObjectName("landscape_seed")
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setToolTip("The random directions' seed (kept in the session)")
        self.action = make_action(win, "landscape", "Loss landscape", self.set_open, "L",
                                  tip="The loss around the shown weights, the path through "
                                      "it, the next step and the sharpness against 2/lr (L)",
                                  checkable=True)
        self.directions.currentTextChanged.connect(lambda _: self.send())
        self.seed.valueChanged.connect(lambda _: self.send())
        win.controller.configChanged.connect(lambda cfg, view: self.restore(view))

    @property
    def view(self) -> LandscapeView:
        """The view (built on first use: its plots cost the first frame 60 ms)."""
        if self._view is None:
            view = self._view = LandscapeView()
            self.win.views.append(view)
            self.win.view_set.add(view, Rate.FRAME, lambda snap, slow: view.draw(snap, slow))
            self._build_dock()
            if getattr(self.win, "look", None) is not None:  # built after the window
                self.win.look.adopt(view)
                self.win.menus.add_context_export(view)
        return self._view

    @property
    def dock(self) -> QDockWidget:
        self.view  # noqa: B018 (built on first use)
        return self._dock

    def _build_dock(self):
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(2, 2, 2, 2)
        row = QHBoxLayout()
        for w in (QLabel("axes:"), self.directions, QLabel("seed:"), self.seed):
            row.addWidget(w)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self._view, 1)
        dock = self._dock = QDockWidget("Loss landscape", self.win)
        dock.setObjectName("landscape_dock")
        dock.setWidget(box)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.win.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.hide()

    def follow_example(self, preset: str) -> None:
        """An example about the landscape opens the view (before it trains, so the
        sharpness is measured from its first epoch)."""
        if preset in OPENS_WITH and not self.is_open:
            self.action.setChecked(True)

    def add_to(self, menu) -> None:
        """Put View ▸ Loss landscape in ``menu``."""
        menu.addAction(self.action)

    @property
    def is_open(self) -> bool:
        return self.action.isChecked()

    def set_open(self, on: bool) -> None:
        """Show or hide the view; the training process computes it only while shown."""
        self.dock.setVisible(bool(on))
        if on:  # a column beside the views, not half the window
            self.win.resizeDocks([self.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
        self.send()

    def command(self) -> P.SetLandscape:
        return P.SetLandscape(self.is_open, CHOICES[self.directions.currentText()],
                              self.seed.value())

    def send(self) -> None:
        self.win.send(self.command)

    def session_settings(self) -> dict:
        """What a session keeps of the view: the directions and their seed."""
        return {"landscape_seed": self.seed.value(),
                "landscape_directions": CHOICES[self.directions.currentText()]}

    def restore(self, view) -> None:
        """An opened session's directions and seed (``view``: its window settings)."""
        if not view:
            return
        seed, kind = view.get("landscape_seed"), view.get("landscape_directions")
        blockers = [QSignalBlocker(self.seed), QSignalBlocker(self.directions)]
        try:
            if isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed < 2**31:
                self.seed.setValue(seed)
            names = {v: k for k, v in CHOICES.items()}
            if kind in names:
                self.directions.setCurrentText(names[kind])
        finally:
            for b in blockers:
                b.unblock()
        if self.is_open:
            self.send()
