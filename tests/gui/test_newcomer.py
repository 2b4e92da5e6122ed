"""What a newcomer sees first: axes that start at epoch 0, a plane drawn 1:1, the model
panel saying what the layers are, nodes that never overlap, controls that fit."""

import numpy as np
import pytest
from PySide6.QtGui import QAction

from .conftest import WAIT_MS, click_action, wait_idle


def _pixels_per_unit(view):
    """(x, y) pixels that one data unit takes in a plot."""
    w, h = view.getPlotItem().vb.viewPixelSize()
    return 1.0 / w, 1.0 / h


def test_the_epoch_axis_starts_at_zero(qtbot, window):
    for view in (window.auc_view, window.loss_view):
        lo, hi = view.getViewBox().viewRange()[0]
        assert -0.5 <= lo <= 0.0 and 10.0 <= hi <= 10.5, (view.objectName(), lo, hi)
        assert not view.getAxis("bottom").autoSIPrefix  # no "epoch (x0.001)"
    for _ in range(12):
        window.menus.step_epoch_action.trigger()
    wait_idle(qtbot, window)
    window.view_set.catch_up()
    qtbot.waitUntil(lambda: window.auc_view.getViewBox().viewRange()[0][1] >= 11.5,
                    timeout=WAIT_MS)  # past 10 epochs the axis follows the curves
    assert window.auc_view.getViewBox().viewRange()[0][0] <= 0.0


def test_the_plane_is_drawn_one_to_one_in_both_layouts(qtbot, window):
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    x, y = _pixels_per_unit(window.prediction_view)
    assert x == pytest.approx(y, rel=0.02)
    click_action(qtbot, window, "step_phase")  # the stepping layout
    wait_idle(qtbot, window)
    assert window.inspector_dock.isVisible()
    qtbot.waitUntil(lambda: window._normal_sizes is not None, timeout=WAIT_MS)
    x, y = _pixels_per_unit(window.prediction_view)
    assert x == pytest.approx(y, rel=0.02)


@pytest.mark.parametrize("example,text", [("example_spiral_3", "tanh"),
                                          ("example_reg_gauss", "tanh"),
                                          ("example_classic", "sigmoid")])
def test_all_layers_names_the_layers_activation(qtbot, window, example, text):
    window.findChild(QAction, example).trigger()
    wait_idle(qtbot, window)
    panel = window.model_panel
    assert set(panel.activations()) == {text}
    assert panel.all.currentText() == text
    panel.boxes[0].setCurrentText("relu")
    assert panel.all.currentIndex() == -1 and panel.all.placeholderText() == "mixed"


def test_twenty_four_units_a_layer_never_overlap(qtbot, window):
    window.resize(1280, 800)
    window.model_panel.sizes.setText("24, 24")
    window.model_panel.submit()
    s = wait_idle(qtbot, window)
    assert s.sizes == [2, 24, 24, 1]
    view = window.network_view
    qtbot.waitUntil(lambda: view.node_count(1) == 24, timeout=WAIT_MS)
    nodes = view.node_rects()
    for layer in (1, 2):  # a column: its units and its bias node
        rects = sorted((r for l, _, r in nodes if l == layer), key=lambda r: r.top())
        assert all(a.bottom() <= b.top() for a, b in zip(rects, rects[1:])), "nodes overlap"
    legend = view.legend.sceneBoundingRect()
    assert all(legend.bottom() <= r.top() for _, _, r in nodes), "the legend meets a node"
    for layer in (1, 2):
        rects = sorted((r for l, _, r in view.thumb_rects() if l == layer),
                       key=lambda r: r.top())
        assert len(rects) == 24
        assert all(a.bottom() <= b.top() + 0.5 for a, b in zip(rects, rects[1:]))


def test_at_1280_by_800_the_controls_fit_and_no_empty_inspector(qtbot, window):
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    scroll = window.data_panel.parentWidget().parentWidget().parentWidget()
    assert scroll.horizontalScrollBar().maximum() == 0
    box = window.data_panel.parentWidget()
    assert box.width() >= box.minimumSizeHint().width()
    assert not window.inspector_dock.isVisible()  # nothing is stepped


def test_a_first_play_is_paced_to_watch_and_full_speed_is_one_click(qtbot):
    """60 epochs a second (about one a drawn frame) until Full speed is pressed; the
    speed box and the button agree."""
    import time

    from scratchnet_gui import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: (s := win.current_snapshot()) is not None and not s.pending,
                    timeout=WAIT_MS)
    assert win.training_panel.speed.currentText() == "60 epochs/s"
    assert not win.menus.full_speed_action.isChecked()
    seen = []
    win.controller.snapshotReady.connect(lambda s: seen.append((time.monotonic(), s.epoch)))
    click_action(qtbot, win, "play")
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][1] >= 20, timeout=WAIT_MS)
    t0, e0 = seen[-1]
    qtbot.waitUntil(lambda: seen[-1][1] >= e0 + 60, timeout=WAIT_MS)
    t1, e1 = seen[-1]
    assert (e1 - e0) / (t1 - t0) <= 66  # the cap, with a frame's slack
    click_action(qtbot, win, "full_speed")
    assert win.training_panel.speed.currentText() == "max"
    click_action(qtbot, win, "full_speed")  # off again: back to the pace chosen
    assert win.training_panel.speed.currentText() == "60 epochs/s"
    win.training_panel.speed.setCurrentText("max")
    assert win.menus.full_speed_action.isChecked()
    win.menus.play_action.trigger()
    wait_idle(qtbot, win)
    win.close()
