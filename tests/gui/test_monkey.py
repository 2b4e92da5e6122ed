"""A monkey: 600 random actions, seeded, on a real window. Fails on any uncaught exception
(pytest-qt), any Qt warning (qt_log_level_fail) or a dead trainer."""

import random

from PySide6.QtGui import QAction

from scratchnet import data
from scratchnet_gui import protocol as P

from .conftest import WAIT_MS, wait_idle

ACTIONS = ["play", "step_epoch", "step_batch", "reset", "step_sample", "step_phase",
           "step_phase_back", "color_by_class", "neuron_heatmaps", "show_test",
           "stepping_layout", "threshold_label_mean", "example_circles_linear", "undo",
           "redo", "branch_here"]


def _layers(rng):
    return rng.choice(["9, 6", "3", "", "8, 8, 8", "64", "0", "x", "4, 2"])


def test_random_actions_leave_a_working_app(qtbot, window, tmp_path):
    rng = random.Random(1234)
    session = tmp_path / "monkey.scratchnet"
    for i in range(600):
        kind = rng.random()
        if kind < 0.55:
            window.findChild(QAction, rng.choice(ACTIONS)).trigger()
        elif kind < 0.65:
            window.model_panel.sizes.setText(_layers(rng))
            window.model_panel.submit()
        elif kind < 0.72:
            w = window.training_panel.w
            w["optimizer"].setCurrentText(rng.choice(["sgd", "momentum", "adam"]))
            w["lr"].setValue(rng.choice([0.001, 0.1, 1.0, 50.0]))
            w["lr"].editingFinished.emit()
        elif kind < 0.78:
            window.data_panel.dataset.setCurrentText(rng.choice(data.GENERATORS))
            window.data_panel.regenerate.click()
        elif kind < 0.84:
            window.training_panel.threshold.setValue(rng.random())
        elif kind < 0.9:
            window.files.save_session(str(session))
        elif kind < 0.95 and session.exists():
            window.files.open_session(str(session))
        elif kind < 0.975:
            window.controller.send(P.SelectSample(rng.randrange(300)))
        else:  # scrub the timeline
            slider = window.timeline_bar.slider
            slider.setValue(rng.randint(slider.minimum(), slider.maximum()))
        if window._dialog is not None:
            window._dialog.close()
        if i % 8 == 0:
            wait_idle(qtbot, window)
    wait_idle(qtbot, window, timeout=WAIT_MS)
    assert window.controller.worker.is_alive()
    if window.menus.play_action.isChecked():
        window.menus.play_action.trigger()
    window.findChild(QAction, "reset").trigger()
    assert wait_idle(qtbot, window).epoch == 0
