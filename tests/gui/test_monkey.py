"""A monkey: 600 random actions, seeded, on a real window. Fails on any uncaught exception
(pytest-qt), any Qt warning (qt_log_level_fail), a dead trainer, or any error notice from
the training process but the one a user can provoke on purpose (a learning rate so high
that training diverges)."""

import random

from PySide6.QtGui import QAction

from scratchnet import data, session
from scratchnet.config import Config, make_trainer
from scratchnet.settings import FIELDS, TrainingSettings
from scratchnet.trainer import MAX_COUNT
from scratchnet_gui import protocol as P

from .conftest import WAIT_MS, wait_idle

ACTIONS = ["play", "step_epoch", "step_batch", "reset", "step_sample", "step_phase",
           "step_phase_back", "color_by_class", "neuron_heatmaps", "show_test",
           "stepping_layout", "threshold_label_mean", "example_circles_linear", "undo",
           "redo", "branch_here"]


def _layers(rng):
    return rng.choice(["9, 6", "3", "", "8, 8, 8", "64", "0", "x", "4, 2"])


# lr 50 diverges, as it should; a session at a counter's cap trains no further
EXPECTED_ERRORS = ("training diverged at epoch", "training stopped at epoch")


def _odd_sessions(folder) -> list:
    """Sessions of values at the panels' and the counters' edges: a data seed ≥ 2**31,
    settings the spin boxes cannot show to their decimals, a frame at the step cap."""
    spec = data.DataSpec("moons", 300, 0.123, seed=2**31 + 7, train_fraction=0.7555)
    cfg = Config(spec, hidden=[5], activations=["tanh"], optimizer="momentum", lr=0.0123456,
                 momentum=0.9995, schedule={"kind": "exponential", "gamma": 0.9995})
    t = make_trainer(cfg, data.build(spec))
    t.keep_timeline()
    t.tag = cfg
    t.step_epoch()
    paths = [folder / "odd.scratchnet", folder / "capped.scratchnet"]
    session.save(paths[0], t, cfg)
    frame = t.timeline.frames[-1]
    frame.optimizer.t = t.optimizer.t = MAX_COUNT  # resumed from, it trains no further
    session.save(paths[1], t, cfg)
    return paths


def _edit_one_setting(qtbot, window, rng):
    """Change one training setting; every other must stay as it was (untouched means
    unchanged: a session's lr 0.0123456 was sent back as 0.01235)."""
    name = rng.choice(["l2", "l1", "batch_size"])
    box = window.training_panel.w[name]
    wait_idle(qtbot, window)
    window.controller.poll()  # its ConfigChanged events too: the panels show the settings
    before = TrainingSettings.of(window.controller.config)
    box.setValue(rng.choice([0.001, 0.0]) if name != "batch_size" else rng.choice([1, 16]))
    box.editingFinished.emit()
    sent = window.training_panel.settings()
    changed = [f for f in FIELDS if getattr(sent, f) != getattr(before, f)]
    assert changed in ([], [name]), f"{changed}\n{sent}\n{before}\n{window.controller.config}"


def _act(qtbot, window, rng, session, odd) -> None:
    """One random action, as a user might do it."""
    kind = rng.random()
    if kind < 0.5:
        window.findChild(QAction, rng.choice(ACTIONS)).trigger()
    elif kind < 0.6:
        window.model_panel.sizes.setText(_layers(rng))
        window.model_panel.submit()
    elif kind < 0.67:
        w = window.training_panel.w
        w["optimizer"].setCurrentText(rng.choice(["sgd", "momentum", "adam"]))
        w["lr"].setValue(rng.choice([0.001, 0.1, 1.0, 50.0]))
        w["lr"].editingFinished.emit()
    elif kind < 0.72:
        _edit_one_setting(qtbot, window, rng)
    elif kind < 0.77:
        window.data_panel.dataset.setCurrentText(rng.choice(data.GENERATORS))
        window.data_panel.regenerate.click()
    elif kind < 0.82:
        window.training_panel.threshold.setValue(rng.random())
    elif kind < 0.87:
        window.files.save_session(str(session))
    elif kind < 0.92:
        window.files.open_session(str(session if session.exists() and rng.random() < 0.5
                                 else rng.choice(odd)))
    elif kind < 0.96:
        window.controller.send(P.SelectSample(rng.randrange(200)))  # in every set here
    else:  # scrub the timeline
        slider = window.timeline_bar.slider
        slider.setValue(rng.randint(slider.minimum(), slider.maximum()))


def test_random_actions_leave_a_working_app(qtbot, window, tmp_path):
    rng = random.Random(1234)
    session = tmp_path / "monkey.scratchnet"
    odd = _odd_sessions(tmp_path)
    errors = []
    window.controller.message.connect(
        lambda level, text: errors.append(text) if level == "error" and not
        text.startswith(EXPECTED_ERRORS) else None)
    for i in range(600):
        _act(qtbot, window, rng, session, odd)
        if window._dialog is not None:
            window._dialog.close()
        if i % 8 == 0:
            wait_idle(qtbot, window)
    wait_idle(qtbot, window, timeout=WAIT_MS)
    assert window.controller.worker.is_alive()
    assert not errors, errors[:3]
    if window.menus.play_action.isChecked():
        window.menus.play_action.trigger()
    window.findChild(QAction, "reset").trigger()
    assert wait_idle(qtbot, window).epoch == 0
