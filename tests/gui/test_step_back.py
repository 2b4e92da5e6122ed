"""The stepper is reversible: back through updates and samples, and forward again,
with the whole training state equal to the bit (compared through saved sessions)."""

import json

import numpy as np
import pytest

from scratchnet.settings import TrainingSettings
from scratchnet_gui import protocol as P

from .conftest import click_action, wait_idle

PHASES = 8  # 2-9-6-1: forward ×3, loss, backward ×3, update


def _state(qtbot, window, path, ignore_time=False):
    """Everything a session holds: arrays and settings, as plain comparable values."""
    window.files.save_session(str(path))
    wait_idle(qtbot, window)
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(bytes(arrays.pop("meta.json")).decode())
    if ignore_time:  # wall-clock seconds spent training differ when steps are replayed
        meta["trainer"].pop("seconds")
        meta["history"].pop("seconds")
    return arrays, meta


def _same(a, b):
    assert a[1] == b[1]
    assert a[0].keys() == b[0].keys()
    for k in a[0]:
        np.testing.assert_array_equal(a[0][k], b[0][k], err_msg=k)


def _press(qtbot, window, name):
    click_action(qtbot, window, name)
    wait_idle(qtbot, window)
    s = window.shown_snapshot()
    step = s.step
    numbers = None if step is None else (step.index, step.pos, step.applied,
                                         [L.delta.copy() for L in step.trace.layers])
    return s, numbers


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_three_samples_there_and_back_to_the_bit(qtbot, window, tmp_path, optimizer):
    window.controller.send(P.Configure(TrainingSettings(optimizer=optimizer, lr=0.05)))
    wait_idle(qtbot, window)
    start = _state(qtbot, window, tmp_path / "start.scratchnet")
    first_pass = [_press(qtbot, window, "step_phase")[1] for _ in range(3 * PHASES)]
    assert [n[2] for n in first_pass[PHASES - 1::PHASES]] == [True] * 3  # updates applied
    s = window.shown_snapshot()
    assert s.samples_seen == 3 and s.step.back == 2
    after = _state(qtbot, window, tmp_path / "after.scratchnet")
    for _ in range(3 * PHASES - 1):
        s, _ = _press(qtbot, window, "step_phase_back")
    assert s.step.pos == 0 and s.step.back == 0 and not s.step.applied
    assert s.samples_seen == 0
    _same(_state(qtbot, window, tmp_path / "back.scratchnet"), start)
    click_action(qtbot, window, "step_phase_back")  # nothing further back: no change
    assert window.shown_snapshot().step.pos == 0
    # forward again from the first sample's first phase: the same numbers, the same state
    replay = [first_pass[0]] + [_press(qtbot, window, "step_phase")[1]
                                for _ in range(3 * PHASES - 1)]
    for a, b in zip(first_pass, replay):
        assert a[:3] == b[:3]
        for da, db in zip(a[3], b[3]):
            np.testing.assert_array_equal(da, db)
    a_arr, a_meta = after
    a_meta["trainer"].pop("seconds")
    a_meta["history"].pop("seconds")
    _same((a_arr, a_meta), _state(qtbot, window, tmp_path / "again.scratchnet", ignore_time=True))
