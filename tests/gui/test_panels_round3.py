"""Issue 24 (round 3), the panels: untouched means unchanged. A session's values that a
spin box cannot show as they are (range, decimals) are shown whole, and an edit of one
setting sends every other exactly as it was."""

import dataclasses

import numpy as np

from scratchnet import data, session
from scratchnet.config import Config, make_trainer
from scratchnet.settings import full_schedule

from .conftest import wait_idle


def _odd_session(path):
    spec = data.DataSpec("circles", 150_000, 0.123, seed=2**31 + 7, train_fraction=0.7555)
    cfg = Config(spec, hidden=[5], activations=["tanh"], optimizer="momentum", lr=0.0123456,
                 momentum=0.9995, schedule=full_schedule({"kind": "exponential",
                                                          "gamma": 0.9995}),
                 batch_size=1_500_000, l1=0.0000123, max_epochs=1000, target_auc=0.9995)
    t = make_trainer(cfg, data.build(spec))
    t.step_batch()  # the momentum velocity exists
    session.save(path, t, cfg)
    return cfg, t


def _errors(window):
    snap = window.current_snapshot()
    return [n.text for n in snap.notices if n.level == "error"]


def test_editing_one_setting_of_an_odd_session_keeps_every_other(qtbot, window, tmp_path):
    cfg, t = _odd_session(tmp_path / "odd.scratchnet")
    window.files.open_session(str(tmp_path / "odd.scratchnet"))
    qtbot.waitUntil(lambda: window.controller.config.training.lr == cfg.training.lr, timeout=60_000)
    wait_idle(qtbot, window)
    assert not _errors(window)
    w = window.training_panel.w
    assert w["lr"].text() == "0.0123456" and w["momentum"].text() == "0.9995"
    assert w["gamma"].text() == "0.9995" and window.data_panel.samples.value() == 150_000
    w["l2"].setValue(0.002)
    w["l2"].editingFinished.emit()  # the user changes L2 alone
    qtbot.waitUntil(lambda: window.controller.config.training.l2 == 0.002, timeout=60_000)
    assert window.controller.config == dataclasses.replace(cfg, l2=0.002)
    window.files.save_session(str(tmp_path / "after.scratchnet"))
    qtbot.waitUntil(lambda: (tmp_path / "after.scratchnet").exists(), timeout=60_000)
    velocity = session.load(tmp_path / "after.scratchnet")[0].optimizer.state["v"]
    for kept, saved in zip(velocity, t.optimizer.state["v"]):
        np.testing.assert_array_equal(kept, saved)  # the same optimizer: its state stays
    window.data_panel.regenerate.click()  # the data's settings untouched: the same data
    wait_idle(qtbot, window)
    assert window.controller.config.data == cfg.data and not _errors(window)
