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
    window.files.save_session(str(good))
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
        window.files.open_session(str(bad))
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
        window.files.save_session(str(target))
    assert sig.args[0] == "error" and str(target) in sig.args[1]
    assert "Traceback" not in sig.args[1] and "unexpected" not in sig.args[1]
    s = wait_idle(qtbot, window)
    assert s.running and not os.path.exists(target)
    click_action(qtbot, window, "play")
    wait_idle(qtbot, window)


def test_huge_finite_data_draws_clipped_with_a_note(qtbot, window, tmp_path):
    """A constant 1e308 column and a ±1.8e301 one: no non-finite range reaches a plot
    (pytest-qt fails the test on any exception raised while Qt paints), the points sit
    within the plot, and the view says they were clipped."""
    rows = [f"1e308,{(-1) ** k * 1.8e301},{k % 2}" for k in range(200)]
    path = tmp_path / "huge.csv"
    path.write_text("a,b,label\n" + "\n".join(rows) + "\n")
    window.files.open_data(str(path))
    s = wait_idle(qtbot, window)
    assert len(s.points.raw_train) + len(s.points.raw_test) == 200
    assert np.isfinite(s.points.extent).all() and "drawn at the plot's edge" in s.points.projection_note
    x0, x1, y0, y1 = s.points.extent
    assert x0 < x1 and y0 < y1
    click_action(qtbot, window, "step_sample")  # the selected point's ring too
    wait_idle(qtbot, window)
    window.repaint()  # paint every view now: a bad range raises here
    qtbot.waitUntil(lambda: window.view_set.drawn["prediction_view"] > 0, timeout=WAIT_MS)
    xs, ys = window.prediction_view.scatter["train", True].getData()
    xs2, ys2 = window.prediction_view.scatter["train", False].getData()
    allx, ally = np.r_[xs, xs2], np.r_[ys, ys2]
    assert len(allx) and ((x0 <= allx) & (allx <= x1)).all() and ((y0 <= ally) & (ally <= y1)).all()
    assert window.controller.worker.is_alive()
