"""Mutated sessions opened in the window: each either opens or is refused with a message,
and a refused one leaves the window's state exactly as it was."""

import json

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scratchnet.settings import TrainingSettings
from tests.engine.test_session_fuzz import _meta, edits, mutate

from .conftest import click_action, wait_idle


def _write(path, meta, arrays):
    arrays = {**arrays, "meta.json": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)}
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)


@settings(max_examples=25, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(edits, min_size=0, max_size=2))
@example(changes=[])  # the valid session itself
@example(changes=[("meta", 0, "bogus")])  # its format name: refused
@example(changes=[("meta", 7, 2**31 + 7)])  # config.data.seed past a spin box's int32
@example(changes=[("meta", 26, 0.0123456)])  # config.lr, finer than the panel's decimals
def test_a_mutated_session_opens_or_leaves_the_window_as_it_was(qtbot, window, tmp_path,
                                                               changes):
    meta, arrays = _meta(tmp_path)
    mutate(meta, arrays, changes)
    path = tmp_path / "fuzz.scratchnet"
    _write(path, meta, arrays)
    before = wait_idle(qtbot, window)
    errors = []
    window.messageShown.connect(lambda level, text: errors.append(text) if level == "error" else None)
    window.files.open_session(str(path))
    s = wait_idle(qtbot, window)
    assert changes or not errors  # the valid session itself opens
    window.controller.poll()  # its ConfigChanged events too
    if not errors:  # opened: every panel shows it, and sends it back as it is
        assert window.training_panel.settings() == TrainingSettings.of(
            window.controller.config)
        assert window.data_panel.spec() == window.controller.config.data
    if errors:
        assert str(path) in errors[-1]
        assert s.epoch == before.epoch and s.sizes == before.sizes
        for (W, b), (W0, b0) in zip(s.weights, before.weights):
            np.testing.assert_array_equal(W, W0)
            np.testing.assert_array_equal(b, b0)
    click_action(qtbot, window, "step_batch")  # whatever happened, the trainer works
    assert window.controller.worker.is_alive()
    assert wait_idle(qtbot, window).samples_seen >= s.samples_seen

