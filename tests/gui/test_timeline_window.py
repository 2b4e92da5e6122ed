"""The timeline and undo in the window: scrub the classic demo back, resume from there,
and undo an edit made in a panel, through the widgets a user touches."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractSlider

from scratchnet import data
from scratchnet.config import Config, make_trainer

from .conftest import WAIT_MS, wait_idle


def _fresh(epochs: int):
    """The classic demo trained ``epochs`` epochs from scratch, in this process."""
    cfg = Config()
    t = make_trainer(cfg, data.build(cfg.data))
    while t.epoch < epochs:
        t.step_epoch()
    return t


def _same_weights(snap, trainer) -> bool:
    return all(np.array_equal(W, L.weights) and np.array_equal(b, L.biases)
               for (W, b), L in zip(snap.weights, trainer.network.layers))


def _step_epochs(qtbot, window, n):
    for _ in range(n):
        window.menus.step_epoch_action.trigger()
    return wait_idle(qtbot, window)


def test_scrub_to_epoch_10_and_resume_to_20_match_fresh_runs_to_the_bit(qtbot, window):
    assert _step_epochs(qtbot, window, 30).epoch == 30
    slider = window.findChild(QAbstractSlider, "timeline")
    assert (slider.minimum(), slider.maximum(), slider.value()) == (0, 30, 30)
    slider.setValue(10)
    qtbot.waitUntil(lambda: window.shown_snapshot().scrub == 10, timeout=WAIT_MS)
    shown, live = window.shown_snapshot(), window.current_snapshot()
    assert shown.epoch == 10 and live.epoch == 30 and live.scrub is None
    assert _same_weights(shown, _fresh(10))
    status = window.status.text()  # the scrubbed epoch's figures, not the live ones
    assert status.startswith("epoch 10 ") and f"train AUC {shown.history['train_auc'][10]:.4f}" in status
    marker = window.auc_view.marker
    assert marker.isVisible() and marker.value() == 10
    branch = window.findChild(QAction, "branch_here")
    assert branch.isEnabled() and "epoch 10" in branch.text()
    branch.trigger()
    s = wait_idle(qtbot, window)
    assert s.epoch == 10 and s.scrub is None and slider.maximum() == 10
    assert window.findChild(QAction, "undo").text() == "Undo resume from epoch 10"
    s = _step_epochs(qtbot, window, 10)
    fresh = _fresh(20)
    assert s.epoch == 20 and _same_weights(s, fresh)
    for k in ("train_auc", "test_auc", "train_loss", "test_loss"):
        np.testing.assert_array_equal(s.history[k], fresh.history[k], err_msg=k)
    assert not marker.isVisible()


def test_undo_and_redo_an_added_layer_from_the_edit_menu(qtbot, window):
    _step_epochs(qtbot, window, 2)
    before = window.current_snapshot()
    panel = window.model_panel
    qtbot.mouseClick(panel.add, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.apply, Qt.MouseButton.LeftButton)
    after = wait_idle(qtbot, window)
    assert after.sizes == [2, 9, 6, 6, 1]
    undo, redo = window.findChild(QAction, "undo"), window.findChild(QAction, "redo")
    assert undo.text() == "Undo add layer" and undo.isEnabled() and not redo.isEnabled()
    assert undo.shortcut().toString() == "Ctrl+Z" and redo.shortcut().toString() == "Ctrl+Shift+Z"
    undo.trigger()
    s = wait_idle(qtbot, window)
    assert s.sizes == [2, 9, 6, 1] and panel.sizes.text() == "9, 6"
    assert all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
               for a, b in zip(s.weights, before.weights))
    assert redo.text() == "Redo add layer" and not undo.isEnabled()
    redo.trigger()
    s = wait_idle(qtbot, window)
    assert s.sizes == [2, 9, 6, 6, 1] and panel.sizes.text() == "9, 6, 6"
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(s.weights, after.weights))


def test_the_bar_says_when_epochs_were_thinned(qtbot):
    from types import SimpleNamespace

    from scratchnet_gui.process.scrubber import TimelineInfo
    from scratchnet_gui.views.timeline_bar import TimelineBar

    bar = TimelineBar()
    qtbot.addWidget(bar)
    info = TimelineInfo(first=0, frames=40, stride=8, thinned=True, nbytes=2**20, budget=2**28)
    bar.show_snapshot(SimpleNamespace(timeline=info, live_epoch=300, scrub=None))
    assert bar.label.text() == "live · epoch 300 · thinned: 1 epoch in 8 kept"
    assert "40 epochs kept" in bar.label.toolTip()
    bar.show_snapshot(SimpleNamespace(timeline=TimelineInfo(0, 301, 1, False, 2**20, 2**28),
                                      live_epoch=300, scrub=None))
    assert "thinned" not in bar.label.text()
    with qtbot.waitSignal(bar.scrubbed) as sig:
        bar.slider.setValue(17)
    assert sig.args == [17]


def test_a_reopened_session_can_still_be_scrubbed(qtbot, window, tmp_path):
    _step_epochs(qtbot, window, 6)
    window.timeline_bar.slider.setValue(3)
    qtbot.waitUntil(lambda: window.shown_snapshot().scrub == 3, timeout=WAIT_MS)
    at_3 = window.shown_snapshot()
    path = tmp_path / "t.scratchnet"
    window.files.save_session(str(path))
    wait_idle(qtbot, window)
    window.menus.reset_action.trigger()
    assert wait_idle(qtbot, window).live_epoch == 0
    window.files.open_session(str(path))
    qtbot.waitUntil(lambda: window.current_snapshot().live_epoch == 6, timeout=WAIT_MS)
    slider = window.findChild(QAbstractSlider, "timeline")
    assert (slider.minimum(), slider.maximum()) == (0, 6)
    slider.setValue(3)
    qtbot.waitUntil(lambda: window.shown_snapshot().scrub == 3, timeout=WAIT_MS)
    assert all(np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
               for a, b in zip(window.shown_snapshot().weights, at_3.weights))
