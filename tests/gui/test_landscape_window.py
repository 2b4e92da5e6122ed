"""The Landscape view as a user meets it: View ▸ Loss landscape opens it and the
training process starts computing; it draws the plane around the shown weights, follows
a scrub, exports like every view, keeps its seed in a session and closes to nothing."""

import csv

import numpy as np
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractSlider, QComboBox, QSpinBox


from .conftest import WAIT_MS, wait_idle


def _open(qtbot, window):
    action = window.findChild(QAction, "landscape")
    assert action in window.menus.view_menu.actions() and not action.isChecked()
    action.trigger()
    assert window.landscape.dock.isVisible()
    qtbot.waitUntil(lambda: (s := window.current_snapshot()) is not None
                    and s.landscape is not None, timeout=WAIT_MS)


def _epochs(qtbot, window, n):
    for _ in range(n):
        window.menus.step_epoch_action.trigger()
    return wait_idle(qtbot, window)


def test_closed_nothing_is_computed_and_the_view_draws_nothing(qtbot, window):
    s = _epochs(qtbot, window, 3)
    assert s.landscape is None and np.isnan(s.history["sharpness"]).all()
    assert window.view_set.drawn.get("landscape_view", 0) == 0  # hidden: no draw


def test_open_draws_the_plane_around_the_shown_weights(qtbot, window):
    _open(qtbot, window)
    s = _epochs(qtbot, window, 4)
    qtbot.waitUntil(lambda: window.landscape.view._shown is not None
                    and window.landscape.view._shown[0] == window.current_snapshot()
                    .landscape.version, timeout=WAIT_MS)
    view, f = window.landscape.view, window.current_snapshot().landscape
    assert window.view_set.drawn["landscape_view"] > 0
    assert f.grid.shape == (41, 41) and f.directions == "pca"
    img = view.image.image
    np.testing.assert_allclose(img, np.log10(f.grid).T)  # what it shows is the plane
    assert view.path.xData is not None and len(view.path.xData) == len(f.path)
    assert "path PCA" in view.caption.text and "750 rows" in view.caption.text
    np.testing.assert_allclose(view.step_curve.yData, f.step_loss)
    # the sharpness curve: the history's measured epochs on a log axis
    lam = s.history["sharpness"]
    assert np.isfinite(lam).any() and view.sharp_plot.ctrl.logYCheck.isChecked()
    assert len(view.sharp_curve.xData) == np.isfinite(lam).sum()
    np.testing.assert_allclose(view.limit_curve.yData, 2.0 / s.history["lr"])


def test_it_follows_a_scrub_and_the_seed_choice(qtbot, window):
    _open(qtbot, window)
    _epochs(qtbot, window, 6)
    slider = window.findChild(QAbstractSlider, "timeline")
    slider.setValue(2)
    qtbot.waitUntil(lambda: (s := window.shown_snapshot()).scrub == 2
                    and s.landscape is not None and s.landscape.version
                    == window.landscape.view._shown[0], timeout=WAIT_MS)
    s = window.shown_snapshot()
    f, view = s.landscape, window.landscape.view
    assert f.path_epochs[2] == 2 and np.allclose(f.path[2], 0.0, atol=1e-12)
    assert view.marker.isVisible() and view.marker.value() == 2
    # the plane's centre is epoch 2's training loss (no penalty in the classic demo)
    assert np.isclose(f.grid[20, 20], s.history["train_loss"][2], rtol=1e-12, atol=0)
    slider.setValue(slider.maximum())
    qtbot.waitUntil(lambda: window.shown_snapshot().scrub is None, timeout=WAIT_MS)
    combo = window.findChild(QComboBox, "landscape_directions")
    seed = window.findChild(QSpinBox, "landscape_seed")
    combo.setCurrentText("random (seeded)")
    qtbot.waitUntil(lambda: (f := window.current_snapshot().landscape) is not None
                    and f.directions == "random" and f.seed == 0, timeout=WAIT_MS)
    seed.setValue(5)
    qtbot.waitUntil(lambda: (f := window.current_snapshot().landscape) is not None
                    and f.directions == "random" and f.seed == 5, timeout=WAIT_MS)
    assert "seed 5" in window.current_snapshot().landscape.note


def test_export_session_and_close(qtbot, window, tmp_path):
    _open(qtbot, window)
    s = _epochs(qtbot, window, 3)
    for fmt in ("png", "svg", "csv"):
        window.files.export_view("landscape_view", tmp_path / f"l.{fmt}")
    assert (tmp_path / "l.png").stat().st_size > 5000
    assert b"<svg" in (tmp_path / "l.svg").read_bytes()
    with open(tmp_path / "l.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["part", "epoch", "alpha", "beta", "s", "loss"]
    plane = [r for r in rows[1:] if r[0] == "plane"]
    f = window.current_snapshot().landscape
    assert len(plane) == 41 * 41 and float(plane[0][5]) == f.grid[0, 0]
    path = np.array([[float(r[2]), float(r[3])] for r in rows[1:] if r[0] == "path"])
    np.testing.assert_array_equal(path, f.path)
    written = window.files.export_all(str(tmp_path / "all"))
    names = {p.split("/")[-1] for p in written}
    assert {"landscape.png", "landscape.svg", "landscape.csv"} <= names
    # the session keeps the seed and the sharpness column
    window.findChild(QSpinBox, "landscape_seed").setValue(7)
    path = str(tmp_path / "s.scratchnet")
    window.files.save_session(path)
    wait_idle(qtbot, window)
    saved = window.current_snapshot().history["sharpness"]
    window.findChild(QSpinBox, "landscape_seed").setValue(3)
    window.files.open_session(path)
    qtbot.waitUntil(lambda: window.findChild(QSpinBox, "landscape_seed").value() == 7,
                    timeout=WAIT_MS)
    s = wait_idle(qtbot, window)
    np.testing.assert_array_equal(s.history["sharpness"], saved)
    assert np.isfinite(saved).any()
    # closed again: the training process stops computing
    window.findChild(QAction, "landscape").trigger()
    assert not window.landscape.dock.isVisible()
    s = _epochs(qtbot, window, 2)
    assert s.landscape is None and np.isnan(s.history["sharpness"][-2:]).all()


def test_the_example_opens_the_view(qtbot, window):
    window.findChild(QAction, "example_lr_too_large").trigger()
    qtbot.waitUntil(lambda: (s := window.current_snapshot()) is not None
                    and s.lr == 4.0 and s.landscape is not None, timeout=WAIT_MS)
    assert window.landscape.dock.isVisible()
    assert window.current_snapshot().landscape.threshold_name == "2/lr"


def test_the_dark_theme_reaches_every_plot(qtbot, window):
    from scratchnet_gui.views import theme

    _open(qtbot, window)
    view = window.landscape.view
    window.findChild(QAction, "dark_theme").trigger()
    try:
        dark = theme.Look(dark=True)
        assert view.backgroundBrush().color().getRgb()[:3] == dark.background
        for plot in view.plots():
            assert plot.getAxis("left").textPen().color().lightness() > 150
        assert "e8e8e8" in view.caption.item.toHtml().lower()
    finally:
        window.findChild(QAction, "dark_theme").trigger()
    assert view.backgroundBrush().color().getRgb()[:3] == (255, 255, 255)
