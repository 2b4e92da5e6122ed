"""The Examples menu loads the article's experiments exactly as the CLI presets, and each
reaches what the article found; points can be coloured by class; the label-mean threshold."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QToolButton
from PySide6.QtWidgets import QMessageBox, QTextEdit

from scratchnet import data, presets
from scratchnet.config import make_trainer

from .conftest import WAIT_MS, click_action, wait_idle

CASES = {"example_blobs": "blobs", "example_circles_linear": "circles-linear",
         "example_circles_deep": "circles-deep", "example_classic": "classic"}


@pytest.mark.parametrize("action,preset", list(CASES.items()))
def test_an_example_loads_its_preset_exactly(qtbot, window, action, preset):
    window.findChild(QAction, action).trigger()
    s = wait_idle(qtbot, window)
    cfg = presets.get(preset)
    assert window.controller.config == cfg
    ref = make_trainer(cfg, data.build(cfg.data))
    np.testing.assert_array_equal(s.points.raw_train, data.build(cfg.data).raw_train)
    for (W, b), L in zip(s.weights, ref.network.layers):
        np.testing.assert_array_equal(W, L.weights)
        np.testing.assert_array_equal(b, L.biases)
    note = window.lesson_note
    assert note.isVisible() and len(note.text.text()) > 80
    assert window.findChild(QMessageBox) is None or not window.findChild(QMessageBox).isVisible()
    assert window.training_panel.settings().batch_size == cfg.training.batch_size
    assert window.model_panel.sizes.text() == ", ".join(map(str, cfg.model.hidden))


@pytest.mark.parametrize("action,check", [
    ("example_blobs", lambda s: s.history["test_auc"][-1] >= 0.99),
    ("example_circles_linear", lambda s: abs(s.history["test_auc"][-1] - 0.5) <= 0.1),
    ("example_circles_deep", lambda s: s.history["test_auc"][-1] >= 0.975),
])
def test_an_example_reaches_what_the_article_found(qtbot, window, action, check):
    window.findChild(QAction, action).trigger()
    wait_idle(qtbot, window)
    click_action(qtbot, window, "play")
    qtbot.waitUntil(lambda: not window.current_snapshot().running
                    and window.controller.is_idle(), timeout=WAIT_MS * 2)
    s = window.current_snapshot()
    assert s.epoch >= 1 and check(s), (s.epoch, s.history["test_auc"][-1])


def test_points_coloured_by_class_and_the_label_mean_threshold(qtbot, window):
    view = window.prediction_view
    s = wait_idle(qtbot, window)
    window.findChild(QAction, "color_by_class").trigger()
    ones = len(view.scatter["train", True].data)
    assert ones == int((s.points.y_train > 0.5).sum())  # class 1, whatever the predictions
    window.findChild(QAction, "threshold_label_mean").trigger()
    assert window.training_panel.threshold.value() == pytest.approx(s.points.y_train.mean(),
                                                                     abs=0.005)
    assert view.threshold == window.training_panel.threshold.value()
    window.findChild(QAction, "color_by_class").trigger()  # back to right/wrong
    p, y, t = s.train_pred, s.points.y_train, view.threshold
    assert len(view.scatter["train", True].data) == int(((p >= t) == (y > 0.5)).sum())


def test_what_to_look_for_is_typeset_and_never_blocks_play(qtbot, window):
    window.findChild(QAction, "example_spiral_3").trigger()
    wait_idle(qtbot, window)
    note = window.lesson_note
    assert note.isVisible() and QApplication.activeModalWidget() is None
    html = note.text.text()
    assert "<sub>k</sub>" in html and "<sup>" in html and "^{" not in html and "_{" not in html
    shown = QTextEdit()  # what Qt renders: the formula's letters, no markup or TeX left
    shown.setHtml(html)
    assert "ak = ezk / Σj ezj" in shown.toPlainText()
    click_action(qtbot, window, "play")
    qtbot.waitUntil(lambda: window.current_snapshot().epoch >= 2, timeout=WAIT_MS)
    window.menus.play_action.trigger()
    qtbot.mouseClick(window.findChild(QToolButton, "lesson_close"), Qt.MouseButton.LeftButton)
    assert not note.isVisible()
