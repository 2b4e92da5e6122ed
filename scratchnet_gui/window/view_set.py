"""The window's views and the one rule for when each redraws.

A view draws only while it can be seen: one in a hidden tab or a closed dock costs
nothing, and draws the newest snapshot the moment it is shown. Each view declares how
often it needs a frame (``Rate``); the window decides only which frames are slow.
"""

from __future__ import annotations

import dataclasses
import enum
import time
from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from ..views.view_settings import ViewSettings


# pyqtgraph builds each plot's context menu eagerly (~3 ms a plot), and the views hidden
# at start (a closed dock, tabs behind) cost 95 ms to build: both wait this long after the
# first frame, which they would delay (ViewSet.later)
MENUS_AFTER_MS = 300
SLOW_PERIOD = 0.25  # seconds between slow frames while training


class SlowClock:
    """Which frames are slow: every frame while still, at most one every SLOW_PERIOD
    seconds while training (one per run in compare mode)."""

    def __init__(self):
        self.at = 0.0

    def tick(self, running: bool) -> bool:
        """Whether the frame drawn now is slow."""
        now = time.perf_counter()
        slow = not running or now - self.at >= SLOW_PERIOD
        if slow:
            self.at = now
        return slow

    def reset(self) -> None:
        """The next frame is slow."""
        self.at = 0.0


class Rate(enum.Enum):
    """How often a view redraws while training."""

    FRAME = "every frame"            # cheap and live: the graph's edges, the inspector
    CHANGE = "when the model changes"  # the boundary and points
    SLOW = "on slow frames"          # curves and tables: a few times a second


@dataclass
class _Entry:
    view: QWidget
    draw: Callable
    rate: Rate
    stale: bool = False


class ViewSet(QObject):
    """Owns the views' redraws (see the module's docstring).

    Parameters
    ----------
    parent : QObject, optional
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries: dict[str, _Entry] = {}
        self._latest = None
        self.drawn = {}  # view name -> how many times it drew (for tests and benchmarks)
        self._later = []  # what waits for the first frame
        self.settings = ViewSettings()

    def add(self, view: QWidget, rate: Rate, draw: Callable | None = None) -> QWidget:
        """Register ``view``; ``draw(snap, slow)`` defaults to ``view.draw``."""
        if not view.objectName() or view.objectName() in self._entries:
            raise ValueError(f"each view needs a name of its own, not {view.objectName()!r}")
        # one added after the first frame draws the newest snapshot once it is seen
        self._entries[view.objectName()] = _Entry(view, draw or view.draw, rate,
                                                  stale=self._latest is not None)
        self.drawn[view.objectName()] = 0
        view.installEventFilter(self)
        return view

    def __iter__(self):
        return (e.view for e in self._entries.values())

    @staticmethod
    def seen(view: QWidget) -> bool:
        """Whether ``view`` shows when its window does (not in a hidden tab or dock)."""
        return view.isVisibleTo(view.window()) and not view.window().isMinimized()

    def draw(self, snap, slow: bool, same_model: bool) -> None:
        """Offer one frame: each view due at its rate draws it if seen, else goes stale."""
        if self._latest is None:
            # tied to this object: a window closed meanwhile cancels it
            QTimer.singleShot(MENUS_AFTER_MS, self, self._after_first_frame)
        self._latest = snap
        for e in self._entries.values():
            due = (e.rate is Rate.FRAME or (not same_model and (
                e.rate is Rate.CHANGE or slow)))
            if due:
                self._draw(e, snap, slow)

    def set(self, **changes) -> None:
        """Change the view settings (``ViewSettings``' fields; a bad value is a
        ``ValueError`` and nothing changes): each view that reads them takes the new
        value (``use_settings``, True when what it shows changed) and redraws."""
        new = dataclasses.replace(self.settings, **changes)
        if new == self.settings:
            return
        self.settings = new
        for e in self._entries.values():
            use = getattr(e.view, "use_settings", None)
            if use is not None and use(new):
                self.redraw(e.view)

    def redraw(self, view: QWidget) -> None:
        """Draw ``view`` again now (a setting it shows changed), if it is seen."""
        if self._latest is not None:
            self._draw(self._entries[view.objectName()], self._latest, True)

    def catch_up(self) -> None:
        """Draw every stale view that can now be seen."""
        for e in self._entries.values():
            if e.stale and self._latest is not None:
                self._draw(e, self._latest, True)

    def update_all(self) -> None:
        """Draw every stale view, seen or not: an export is about to grab them."""
        for e in self._entries.values():
            if e.stale and self._latest is not None:
                self._draw(e, self._latest, True, force=True)

    def _draw(self, e: _Entry, snap, slow: bool, force: bool = False) -> None:
        if not force and not self.seen(e.view):
            e.stale = True
            return
        e.stale = False
        e.draw(snap, slow)
        self.drawn[e.view.objectName()] += 1

    def later(self, build: Callable) -> None:
        """Call ``build()`` after the first frame (a part whose views are hidden at
        start; it builds itself sooner if it is asked for)."""
        self._later.append(build)

    def flush_later(self) -> None:
        """Build now what waits for the first frame (an export needs every view)."""
        while self._later:
            self._later.pop(0)()

    def _after_first_frame(self) -> None:
        window = self.parent()
        if window is not None and not window.isVisible():
            return  # closed meanwhile: what is asked for later builds itself then
        self.flush_later()
        self.menus_on()

    def menus_on(self) -> None:
        """Give the plots built without it (``CONTEXT_MENU = True``) pyqtgraph's context
        menu: View All, the axes, Export…"""
        for e in self._entries.values():
            if getattr(e.view, "CONTEXT_MENU", False):
                e.view.getPlotItem().setMenuEnabled(True)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Show:
            QTimer.singleShot(0, self.catch_up)  # after the show: sizes are known
        return False
