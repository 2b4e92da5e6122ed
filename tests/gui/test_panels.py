"""The control panels' own widgets, clicked and typed into like a user would."""

import numpy as np
from PySide6.QtCore import Qt

from scratchnet import data
from scratchnet.config import Config, make_trainer

from .conftest import WAIT_MS, click_action, wait_idle


def _click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _type(qtbot, spin, text):
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def test_regenerate_makes_the_data_the_panel_shows(qtbot, window):
    panel = window.data_panel
    panel.dataset.setCurrentText("moons")
    panel.samples.setValue(400)
    panel.seed.setValue(5)
    _click(qtbot, panel.regenerate)
    s = wait_idle(qtbot, window)
    ref = data.build(data.DataSpec("moons", 400, 0.1, seed=5))
    np.testing.assert_array_equal(s.points.raw_train, ref.raw_train)
    np.testing.assert_array_equal(s.points.raw_test, ref.raw_test)
    assert s.epoch == 0 and len(s.history["epoch"]) == 1


def test_a_feature_checkbox_adds_an_input(qtbot, window):
    panel = window.data_panel
    panel.features["radius"].setChecked(True)
    _click(qtbot, panel.regenerate)
    s = wait_idle(qtbot, window)
    assert s.sizes == [3, 9, 6, 1]
    ref = data.build(data.DataSpec(features=["radius"]))
    np.testing.assert_array_equal(s.points.raw_train, ref.raw_train)


def test_plus_and_minus_layer_buttons_edit_the_network(qtbot, window):
    panel = window.model_panel
    _click(qtbot, panel.add)
    assert panel.sizes.text() == "9, 6, 6"
    _click(qtbot, panel.apply)
    assert wait_idle(qtbot, window).sizes == [2, 9, 6, 6, 1]
    _click(qtbot, panel.remove)
    _click(qtbot, panel.remove)
    _click(qtbot, panel.apply)
    s = wait_idle(qtbot, window)
    assert s.sizes == [2, 9, 1] and s.activations == ("sigmoid", "sigmoid")


def test_training_stops_at_the_epoch_limit(qtbot, window):
    _type(qtbot, window.training_panel.w["max_epochs"], "2")
    wait_idle(qtbot, window)
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS,
                          check_params_cb=lambda level, text: "epoch limit" in text) as sig:
        click_action(qtbot, window, "play")
    assert sig.args[1] == "Reached the epoch limit (2)."
    s = wait_idle(qtbot, window)
    assert not s.running and s.epoch == 2


def test_training_stops_at_the_first_epoch_that_reaches_the_target(qtbot, window):
    ref = make_trainer(Config(), data.build(Config().data))
    aucs = [ref.history.last("train_auc")]
    for _ in range(6):
        ref.step_epoch()
        aucs.append(ref.history.last("train_auc"))
    target = np.floor(max(aucs[4:]) * 1000) / 1000  # the spin box has 3 decimals
    first = next(e for e, a in enumerate(aucs) if a >= target)
    assert first >= 1  # the untrained network does not already reach it
    _type(qtbot, window.training_panel.w["target_auc"], f"{target:.3f}")
    wait_idle(qtbot, window)
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS,
                          check_params_cb=lambda level, text: "target" in text):
        click_action(qtbot, window, "play")
    s = wait_idle(qtbot, window)
    assert not s.running and s.epoch == first
    assert s.history["train_auc"][-1] >= target > s.history["train_auc"][-2]


def test_the_speed_menu_sends_its_cap(qtbot, window):
    with qtbot.waitSignal(window.training_panel.speedChanged, timeout=WAIT_MS) as sig:
        window.training_panel.w["speed"].setCurrentText("3 epochs/s")
    assert sig.args == [3]


def test_the_articles_backprop_is_chosen_in_the_panel_and_refused_where_it_cannot_run(
        qtbot, window):
    panel = window.training_panel
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS,
                          check_params_cb=lambda level, text: "article's backprop" in text) as sig:
        panel.w["backprop"].setCurrentText("article")  # batch 10: not the article's loop
    assert sig.args[0] == "error" and "per-sample SGD" in sig.args[1]
    wait_idle(qtbot, window)
    assert window.controller.config.training.backprop == "correct"
    qtbot.waitUntil(lambda: panel.w["backprop"].currentText() == "correct", timeout=WAIT_MS)
    _type(qtbot, panel.w["batch_size"], "1")
    wait_idle(qtbot, window)
    panel.w["backprop"].setCurrentText("article")
    wait_idle(qtbot, window)
    assert window.controller.config.training.backprop == "article"
    click_action(qtbot, window, "step_epoch")
    s = wait_idle(qtbot, window)
    assert s.epoch == 1
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS,
                          check_params_cb=lambda level, text: "stepper" in text):
        click_action(qtbot, window, "step_sample")
