"""Bad input reaches the window as a clear message; the trainer, the panels and the
stepper keep working."""

import json
import os

import numpy as np
import pytest

from scratchnet import data
from scratchnet.config import Config
from scratchnet.settings import TrainingSettings
from scratchnet_gui import MainWindow
from scratchnet_gui import protocol as P

from .conftest import WAIT_MS, click_action, wait_idle


def test_a_crafted_session_is_refused_and_the_trainer_lives(qtbot, window, tmp_path):
    good = tmp_path / "good.scratchnet"
    window.save_session(str(good))
    wait_idle(qtbot, window)
    with np.load(good, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(bytes(arrays["meta.json"]).decode())
    meta["trainer"]["target_on"] = "bogus"
    arrays["meta.json"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    bad = tmp_path / "bad.scratchnet"
    with open(bad, "wb") as fh:
        np.savez(fh, **arrays)
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS) as sig:
        window.open_session(str(bad))
    assert sig.args[0] == "error" and "bad.scratchnet" in sig.args[1] and "bogus" in sig.args[1]
    click_action(qtbot, window, "play")
    qtbot.waitUntil(lambda: window.current_snapshot().epoch >= 1, timeout=WAIT_MS)
    click_action(qtbot, window, "reset")
    s = wait_idle(qtbot, window)
    assert window.controller.worker.is_alive() and s.epoch == 0


def test_a_trainer_that_cannot_start_says_why(qtbot):
    cfg = Config(data.DataSpec("csv", csv_path="/nowhere/points.csv"))
    win = MainWindow(cfg)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.messageShown, timeout=WAIT_MS) as sig:
        win.show()
    assert "stopped unexpectedly" in sig.args[1] and "points.csv" in sig.args[1]
    win.close()


def test_panels_get_their_signals_back_when_showing_a_session_fails(qtbot, window, monkeypatch):
    def broken(settings):
        raise ValueError("a wrongly typed setting")

    monkeypatch.setattr(window.training_panel, "set_settings", broken)
    with pytest.raises(ValueError, match="wrongly typed"):
        window._config_changed(Config(), {"threshold": 0.5})
    for panel in (window.data_panel, window.model_panel, window.training_panel):
        assert not panel.signalsBlocked()
    with qtbot.waitSignal(window.data_panel.specChanged, timeout=WAIT_MS):
        window.data_panel.regenerate.click()


def test_a_diverging_update_in_the_stepper_is_an_error_not_a_crash(qtbot, window):
    window.controller.send(P.Configure(TrainingSettings(lr=1e12)))
    wait_idle(qtbot, window)
    for _ in range(7):
        click_action(qtbot, window, "step_phase")
        wait_idle(qtbot, window)
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS) as sig:
        click_action(qtbot, window, "step_phase")  # the update: refused
    assert sig.args[0] == "error" and "diverged" in sig.args[1]
    s = wait_idle(qtbot, window)
    assert not s.step.applied and s.samples_seen == 0
    for name in ("step_phase", "step_phase_back", "step_phase_back"):
        click_action(qtbot, window, name)  # every redraw works, positions stay in range
        s = wait_idle(qtbot, window)
        shown = window.shown_snapshot().step
        assert 0 <= shown.pos <= shown.last


def test_a_failed_save_names_the_path_and_training_goes_on(qtbot, window, tmp_path):
    click_action(qtbot, window, "play")
    qtbot.waitUntil(lambda: window.current_snapshot().epoch >= 1, timeout=WAIT_MS)
    target = tmp_path / "missing" / "run.scratchnet"
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS) as sig:
        window.save_session(str(target))
    assert sig.args[0] == "error" and str(target) in sig.args[1]
    assert "Traceback" not in sig.args[1] and "unexpected" not in sig.args[1]
    s = wait_idle(qtbot, window)
    assert s.running and not os.path.exists(target)
    click_action(qtbot, window, "play")
    wait_idle(qtbot, window)
