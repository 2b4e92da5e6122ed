"""View ▸ Presentation and View ▸ Dark theme, through their actions: what hides, what
grows, which colours every view takes (blue and orange kept apart, readable on the dark
background), the desktop's scheme followed until set by hand, and exports kept light."""

import colorsys

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget

from scratchnet_gui.views import colors, theme

from .conftest import WAIT_MS, click_action, wait_idle


def _trigger(win, name):
    win.findChild(QAction, name).trigger()


@pytest.fixture
def looks(window):
    """The window; afterwards the light, normal look again (the app is shared)."""
    yield window
    for name in ("presentation_mode", "dark_theme"):
        if window.findChild(QAction, name).isChecked():
            _trigger(window, name)


def _luminance(rgb):
    """WCAG relative luminance."""
    c = np.array(rgb[:3], float) / 255
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(c @ [0.2126, 0.7152, 0.0722])


def _contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _pixels(view):
    return np.asarray(Image.fromqimage(view.grab().toImage()).convert("RGB"))


def test_presentation_hides_the_controls_and_grows_text_and_lines(qtbot, looks):
    win = looks
    wait_idle(qtbot, win)
    action = win.findChild(QAction, "presentation_mode")
    assert action.shortcut() == QKeySequence("F11")
    font = QApplication.font().pointSizeF()
    docks = [win.findChild(QDockWidget, n) for n in ("controls_dock", "inspector_dock")]
    assert docks[0].isVisible() and not docks[1].isVisible()  # nothing is stepped yet
    _trigger(win, "presentation_mode")
    qtbot.waitUntil(lambda: not any(d.isVisible() for d in docks), timeout=WAIT_MS)
    assert win.isFullScreen()
    assert QApplication.font().pointSizeF() == pytest.approx(1.5 * font)
    assert win.auc_view.train.opts["pen"].widthF() == pytest.approx(3.0)  # 2 × 1.5
    tick = win.auc_view.getAxis("bottom").style["tickFont"]
    assert tick.pointSizeF() == pytest.approx(1.5 * font)
    widths = {round(c.opts["pen"].widthF(), 3) for c in win.network_view.curves.items.values()
              if c.isVisible()}
    # every edge's width is a level × 1.5 (none of which is a level at 1×)
    assert widths and widths <= {round(1.5 * w, 3) for w in (0.25, 0.75, 1.5, 2.5, 3.5, 5,
                                                              6.5, 8)}
    click_action(qtbot, win, "step_phase")  # stepping while presenting: every number shows
    wait_idle(qtbot, win)
    qtbot.waitUntil(lambda: docks[1].isVisible(), timeout=WAIT_MS)
    assert not docks[0].isVisible()
    assert win.auc_view.height() >= 0.25 * win.centralWidget().height()  # no shrunk curves
    _trigger(win, "presentation_mode")
    qtbot.waitUntil(lambda: docks[0].isVisible(), timeout=WAIT_MS)
    assert not win.isFullScreen() and docks[1].isVisible()
    assert QApplication.font().pointSizeF() == pytest.approx(font)
    assert win.auc_view.train.opts["pen"].widthF() == pytest.approx(2.0)


def test_dark_theme_colours_every_view_and_keeps_blue_and_orange_apart(qtbot, looks):
    win = looks
    wait_idle(qtbot, win)
    light_blue = colors.POSITIVE
    _trigger(win, "dark_theme")
    assert win.findChild(QAction, "dark_theme").isChecked()
    window_bg = QApplication.palette().color(QPalette.ColorRole.Window)
    assert window_bg.lightness() < 80
    bg = theme.Look(dark=True).background
    for v in win.views[:5]:  # every plot's background is the dark one
        assert v.backgroundBrush().color().getRgb()[:3] == bg, v.objectName()
        assert np.median(_pixels(v).reshape(-1, 3), axis=0).max() < 90, v.objectName()
    for rgb in (colors.POSITIVE, colors.NEGATIVE, colors.CORRECT, colors.WRONG):
        assert _contrast(rgb, bg) >= 4.5, rgb  # readable lines and points
    assert _contrast(light_blue, bg) < 3  # why the blue had to change
    hue = lambda rgb: colorsys.rgb_to_hsv(*(np.array(rgb) / 255))[0] * 360  # noqa: E731
    assert abs(hue(colors.POSITIVE) - hue(colors.NEGATIVE)) > 150  # opposite hues
    title = win.loss_view.getPlotItem().titleLabel
    assert "#e8e8e8" in title.item.toHtml().lower()
    axis = win.auc_view.getAxis("left").textPen().color()
    assert _contrast(axis.getRgb(), bg) >= 4.5
    lut = win.prediction_view.image.lut
    assert tuple(lut[0][:3]) == theme.DARK_SCHEME["BOUNDARY"][0]  # the boundary's own map
    curve = win.auc_view.train.opts["pen"].color().getRgb()[:3]
    assert curve == colors.POSITIVE
    _trigger(win, "dark_theme")
    assert colors.POSITIVE == light_blue and win.auc_view.train.opts["pen"].color().getRgb()[
        :3] == light_blue
    assert np.median(_pixels(win.network_view).reshape(-1, 3), axis=0).min() > 240


def test_exported_views_stay_light_unless_asked(qtbot, looks, tmp_path):
    win = looks
    wait_idle(qtbot, win)
    _trigger(win, "dark_theme")
    win.files.export_view("network_view", tmp_path / "light.png")
    with Image.open(tmp_path / "light.png") as im:
        assert im.convert("RGB").getpixel((2, 2)) == (255, 255, 255)
    assert np.median(_pixels(win.network_view).reshape(-1, 3), axis=0).max() < 90  # still dark
    win.files.export_all(tmp_path / "all")
    with Image.open(tmp_path / "all" / "loss.png") as im:
        assert im.convert("RGB").getpixel((2, 2)) == (255, 255, 255)
    _trigger(win, "dark_exports")
    win.files.export_view("network_view", tmp_path / "dark.png")
    with Image.open(tmp_path / "dark.png") as im:
        assert im.convert("RGB").getpixel((2, 2)) == theme.Look(dark=True).background
    _trigger(win, "dark_exports")


def test_dark_theme_follows_the_desktop_until_set_by_hand(qtbot, looks):
    win = looks
    hints = QGuiApplication.styleHints()
    action = win.findChild(QAction, "dark_theme")
    assert action.isChecked() == (hints.colorScheme() == Qt.ColorScheme.Dark)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert action.isChecked() and colors.POSITIVE == theme.DARK_SCHEME["POSITIVE"]
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not action.isChecked()
    _trigger(win, "dark_theme")  # by hand: dark, and the desktop no longer decides
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert action.isChecked()
