"""View ▸ Presentation (F11) and View ▸ Dark theme: the window for a projector and for a
dark desktop.

Presentation hides the controls and the step inspector, goes full screen, and draws
text 1.5× and lines wider. The dark theme follows the desktop's colour scheme
(``QStyleHints.colorScheme``) until it is switched by hand. Exported views stay light
unless View ▸ Export views dark is checked.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QColor, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget, QStyleFactory

from ..views import theme

PRESENTATION_SCALE = 1.5
HIDDEN_IN_PRESENTATION = ("controls_dock",)  # the inspector shows while a sample is stepped


def dark_palette() -> QPalette:
    """Qt's widgets (panels, menus, tables, the inspector) on a dark ground."""
    p = QPalette()
    roles = QPalette.ColorRole
    for role, rgb in ((roles.Window, (45, 45, 48)), (roles.WindowText, (232, 232, 232)),
                      (roles.Base, (30, 30, 33)), (roles.AlternateBase, (45, 45, 48)),
                      (roles.Text, (232, 232, 232)), (roles.Button, (56, 56, 60)),
                      (roles.ButtonText, (232, 232, 232)), (roles.BrightText, (255, 120, 110)),
                      (roles.Highlight, (90, 160, 228)), (roles.HighlightedText, (0, 0, 0)),
                      (roles.ToolTipBase, (56, 56, 60)), (roles.ToolTipText, (232, 232, 232)),
                      (roles.Link, (120, 180, 240)), (roles.PlaceholderText, (150, 150, 150)),
                      (roles.Light, (80, 80, 84)), (roles.Midlight, (66, 66, 70)),
                      (roles.Mid, (50, 50, 54)), (roles.Dark, (25, 25, 28)),
                      (roles.Shadow, (10, 10, 10))):
        p.setColor(role, QColor(*rgb))
    for role in (roles.Text, roles.ButtonText, roles.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(128, 128, 128))
    return p


class WindowLook(QObject):
    """The window's look: builds the three actions and applies their state. A child of
    the window, so the desktop's signal leaves it when the window goes."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        app = QApplication.instance()
        self._light = (app.style().name(), QPalette(app.palette()), app.font())
        self.look = theme.Look()
        self.by_hand = False  # once switched by hand, the desktop's scheme no longer leads
        self._before_presentation = None
        self._build_actions()
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self.follow_scheme)
        self.follow_scheme(hints.colorScheme())

    def _action(self, name, text, slot, key=None, tip=""):
        a = QAction(text, self.window)
        a.setObjectName(name)
        a.setCheckable(True)
        a.setToolTip(tip)
        a.setStatusTip(tip)
        if key:
            a.setShortcut(QKeySequence(key))
        a.triggered.connect(lambda checked=False: slot(checked))
        self.window.addAction(a)
        self.window.menus.view_menu.addAction(a)
        return a

    def _build_actions(self):
        self.window.menus.view_menu.addSeparator()
        self.presentation_action = self._action(
            "presentation_mode", "Presentation", self.set_presentation, "F11",
            "For a projector: full screen, the controls hidden, text and lines larger (F11)")
        self.dark_action = self._action(
            "dark_theme", "Dark theme", self._dark_by_hand,
            tip="Light text and lines on dark backgrounds (follows the desktop until set)")
        self.dark_exports_action = self._action(
            "dark_exports", "Export views dark", lambda on: None,
            tip="Exported PNG and SVG views keep the dark theme (by default they are light)")

    # --- dark ---------------------------------------------------------------------------
    @Slot(Qt.ColorScheme)
    def follow_scheme(self, scheme) -> None:
        """The desktop's colour scheme changed (or the window opened): follow it, unless
        the user chose by hand."""
        if not self.by_hand:
            self.set_dark(scheme == Qt.ColorScheme.Dark)

    def _dark_by_hand(self, on: bool) -> None:
        self.by_hand = True
        self.set_dark(on)

    def set_dark(self, on: bool) -> None:
        self.dark_action.setChecked(on)
        if on == self.look.dark:
            return
        app = QApplication.instance()
        if on:
            app.setStyle(QStyleFactory.create("Fusion"))  # it honours every palette role
            app.setPalette(dark_palette())
        else:
            app.setStyle(QStyleFactory.create(self._light[0]) or QStyleFactory.create("Fusion"))
            app.setPalette(self._light[1])
        self._apply(theme.Look(on, self.look.scale))

    # --- presentation -------------------------------------------------------------------
    def set_presentation(self, on: bool) -> None:
        """Full screen with the controls hidden and everything larger, or back."""
        w = self.window
        self.presentation_action.setChecked(on)
        if on == (self._before_presentation is not None):
            return
        docks = [w.findChild(QDockWidget, n) for n in HIDDEN_IN_PRESENTATION]
        app = QApplication.instance()
        if on:
            self._before_presentation = (w.windowState(), [d.isVisible() for d in docks])
            for d in docks:
                d.hide()
            font = app.font()
            font.setPointSizeF(self._light[2].pointSizeF() * PRESENTATION_SCALE)
            app.setFont(font)
            w.showFullScreen()
        else:
            state, shown = self._before_presentation
            self._before_presentation = None
            for d, visible in zip(docks, shown):
                d.setVisible(visible)
            app.setFont(self._light[2])
            w.setWindowState(state)
        self._apply(theme.Look(self.look.dark, PRESENTATION_SCALE if on else 1.0))

    # --- applying -----------------------------------------------------------------------
    def _apply(self, look: theme.Look, views=None) -> None:
        self.look = look
        self._restyle(look, views)

    def _restyle(self, look: theme.Look, views=None) -> None:
        """The colours and sizes of ``look`` in every view (or ``views``), redrawn."""
        w = self.window
        theme.use(look)
        views = views if views is not None else w.views
        for v in (w.network_view, w.prediction_view):
            v.restyle()  # nodes, heatmaps and the map again, in the new colours
        w.redraw()
        if w.controller.latest is not None:
            w.confusion_view.draw(w.controller.latest)
        base = self._light[2]
        for v in views:
            if hasattr(v, "getPlotItem"):
                theme.restyle(v, look, base, keep=getattr(v, "_texts", ()))
            elif hasattr(v, "plots"):  # a view of several plots (the Landscape view)
                for plot in v.plots():
                    theme.restyle(theme.OnePlot(v, plot), look, base)

    def adopt(self, *views) -> None:
        """Give views built after the window (``ViewSet.later``) the look in use."""
        if self.look != theme.Look():
            self._restyle(self.look, list(views))

    @contextlib.contextmanager
    def for_export(self):
        """Views light while they are exported, unless dark exports are asked for."""
        dark = self.look.dark and not self.dark_exports_action.isChecked()
        widgets = (self.window.confusion_view, self.window.inspector)  # Qt widgets
        if dark:
            for w in widgets:
                w.setPalette(self._light[1])
            self._restyle(theme.Look(False, self.look.scale))
        try:
            yield
        finally:
            if dark:
                for w in widgets:
                    w.setPalette(QPalette())  # the application's again
                self._restyle(self.look)
