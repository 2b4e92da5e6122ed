"""The typed protocol: commands refuse bad values in the window's process, settings travel
whole, an opened session shows everywhere, and an unchanged model is not redrawn."""

import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from scratchnet.settings import TrainingSettings
from scratchnet_gui import protocol as P

from .conftest import WAIT_MS, click_action, wait_idle


def test_the_protocol_and_the_loop_import_no_qt():
    code = ("import sys, scratchnet_gui.protocol, scratchnet_gui.process.loop, "
            "scratchnet_gui.process.worker, scratchnet_gui.process.child; bad = [m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'pyqtgraph', 'shiboken6')]; print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("build,message", [
    (lambda: P.SetWeight(0, -1, 0, 1.0), "row must be ≥ 0"),
    (lambda: P.SetWeight(0, 0, -2, 1.0), "column must be ≥ -1"),
    (lambda: P.SetWeight(0, 0, 0, float("nan")), "finite"),
    (lambda: P.Step("sideways"), "step kind"),
    (lambda: P.SetSpeed(-3), "speed"),
    (lambda: P.SetAxes((1, 1)), "two different columns"),
    (lambda: P.Resize((9, 0), ("relu", "relu")), "hidden layer 2 size must be at least 1"),
    (lambda: P.Resize((9,), ("relu", "tanh")), "2 activation"),
    (lambda: P.SelectSample(-1), "sample index"),
    (lambda: P.Configure({"lr": 0.1}), "TrainingSettings"),
])
def test_a_bad_command_is_refused_where_it_is_built(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_nothing_bad_reaches_the_trainer(qtbot, window):
    sent = window.controller.last_command
    with pytest.raises(TypeError):  # a misspelled field never gets as far as the pipe
        P.Configure(settings=TrainingSettings(), lr=0.5)
    with pytest.raises(TypeError):
        window.controller.send("play")
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS) as sig:
        window.send(lambda: P.SetWeight(0, -1, 0, 1.0))
    assert sig.args[0] == "error" and "row must be ≥ 0" in sig.args[1]
    assert window.controller.last_command == sent


def test_an_lr_edit_keeps_the_schedule_and_its_parameters(qtbot, window):
    w = window.training_panel.w
    w["schedule"].setCurrentText("step")
    for name, text in (("gamma", "0.9"), ("step_size", "3"), ("lr", "0.05")):
        w[name].selectAll()
        qtbot.keyClicks(w[name], text)
        qtbot.keyClick(w[name], Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    cfg = window.controller.config
    assert cfg.training.lr == 0.05
    assert (cfg.training.schedule["kind"], cfg.training.schedule["gamma"],
            cfg.training.schedule["step_size"]) == \
        ("step", 0.9, 3)
    click_action(qtbot, window, "step_epoch")
    assert wait_idle(qtbot, window).lr == 0.05  # epoch 1 of "every 3": not stepped yet


def test_an_opened_session_shows_in_every_panel_and_the_threshold(qtbot, window, tmp_path):
    path = tmp_path / "s.scratchnet"
    window.controller.send(P.Configure(TrainingSettings(optimizer="adam", lr=0.02, beta1=0.8,
                                                        max_epochs=77)))
    window.training_panel.threshold.setValue(0.3)
    window.files.save_session(str(path))
    wait_idle(qtbot, window)
    window.controller.send(P.Configure(TrainingSettings()))
    window.training_panel.threshold.setValue(0.7)
    wait_idle(qtbot, window)
    window.files.open_session(str(path))
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.training_panel.threshold.value() == 0.3, timeout=WAIT_MS)
    s = window.training_panel.settings()
    assert (s.optimizer, s.lr, s.beta1, s.max_epochs) == ("adam", 0.02, 0.8, 77)
    assert window.prediction_view.threshold == 0.3
    assert window.training_panel.w["beta1"].isVisibleTo(window.training_panel)
    assert not window.training_panel.w["momentum"].isVisibleTo(window.training_panel)


def test_an_unchanged_model_is_not_redrawn(qtbot, window):
    drawn = window.view_set.drawn  # how often each view drew
    before = wait_idle(qtbot, window)
    n = drawn["prediction_view"]
    window.controller.send(P.SetSpeed(3))  # a snapshot comes back; the model is the same
    s = wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window._drawn is not None and window._drawn.seq == s.seq,
                    timeout=WAIT_MS)
    assert s.seq > before.seq and s.model_version == before.model_version
    assert drawn["prediction_view"] == n
    click_action(qtbot, window, "step_batch")
    s = wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: drawn["prediction_view"] > n, timeout=WAIT_MS)
    assert s.model_version != before.model_version


def test_per_layer_activations_and_he_init_train_ten_layers_of_64(qtbot, window):
    panel = window.model_panel
    panel.sizes.setText(", ".join(["64"] * 10))
    panel.sizes.textEdited.emit(panel.sizes.text())
    assert len(panel.boxes) == 10
    panel.all.textActivated.emit("relu")
    panel.boxes[0].setCurrentText("tanh")
    window.training_panel.w["init"].setCurrentText("he")
    wait_idle(qtbot, window)
    qtbot.mouseClick(window.findChild(QPushButton, "apply_model"), Qt.MouseButton.LeftButton)
    click_action(qtbot, window, "reset")  # the new initialisation takes effect on Reset
    s = wait_idle(qtbot, window)
    assert s.activations == ("tanh",) + ("relu",) * 9 + ("sigmoid",)
    assert window.controller.config.training.init == "he"
    W = s.weights[3][0]
    assert abs(W.std() - np.sqrt(2 / 64)) < 0.02  # He: N(0, 2/fan_in)
    errors = []
    window.messageShown.connect(lambda level, text: errors.append(text) if level == "error" else None)
    click_action(qtbot, window, "play")
    qtbot.waitUntil(lambda: window.current_snapshot().epoch >= 3, timeout=WAIT_MS)
    click_action(qtbot, window, "play")
    s = wait_idle(qtbot, window)
    assert errors == [] and all(np.isfinite(W).all() for W, _ in s.weights)
    assert s.history["train_auc"][-1] > 0.6
