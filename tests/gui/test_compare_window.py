"""Train ▸ Compare in the window: two runs from the same starting weights, in lockstep,
each equal to a solo run of its settings; edits to the run the panels edit, undo of
either, a kept run, sessions that reopen as a comparison, and a prompt close."""

import time

import numpy as np
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolButton

from scratchnet import data
from scratchnet.config import make_trainer

from .conftest import WAIT_MS

EPOCHS = 30


def _trigger(win, name):
    win.findChild(QAction, name).trigger()  # as a user does, from the menu


def _set_lr(qtbot, win, lr):
    box = win.training_panel.w["lr"]
    box.setValue(lr)
    box.editingFinished.emit()


def _compare(qtbot, win):
    _trigger(win, "compare")
    qtbot.waitUntil(lambda: win.compare.active and all(
        s is not None and not s.pending for s in win.compare.latest), timeout=WAIT_MS)


def _both_idle(qtbot, win):
    qtbot.waitUntil(lambda: all(c.is_idle() for c in win.compare.runs()), timeout=WAIT_MS)
    return [c.current_snapshot() for c in win.compare.runs()]


def _solo(cfg, epochs):
    t = make_trainer(cfg, data.build(cfg.data))
    for _ in range(epochs):
        t.step_epoch()
    return t.network.layers


def _same_weights(snap, layers, tol=1e-12):
    for (W, b), L in zip(snap.weights, layers, strict=True):
        np.testing.assert_allclose(W, L.weights, rtol=tol, atol=tol)
        np.testing.assert_allclose(b, L.biases, rtol=tol, atol=tol)


def test_each_run_equals_a_solo_run_of_its_settings(qtbot, window):
    """A had trained before Compare: both start again from the seed's weights (a copy
    of A's trained state, not reset, would fail here)."""
    _trigger(window, "step_epoch")
    _trigger(window, "step_epoch")
    _compare(qtbot, window)
    _set_lr(qtbot, window, 0.5)  # the panels edit B
    qtbot.waitUntil(lambda: window.compare.b.config.training.lr == 0.5, timeout=WAIT_MS)
    assert window.controller.config.training.lr == 0.1
    assert "B: lr 0.5" in window.compare.bar.text.text()
    for _ in range(EPOCHS):
        _trigger(window, "step_epoch")
    a, b = _both_idle(qtbot, window)
    assert a.epoch == b.epoch == EPOCHS
    _same_weights(a, _solo(window.controller.config, EPOCHS))
    _same_weights(b, _solo(window.compare.b.config, EPOCHS))
    assert not np.allclose(a.weights[0][0], b.weights[0][0])


def test_b_starts_from_a_starting_weights(qtbot, window):
    _compare(qtbot, window)
    a, b = _both_idle(qtbot, window)
    assert a.epoch == b.epoch == 0
    for (Wa, ba), (Wb, bb) in zip(a.weights, b.weights, strict=True):
        np.testing.assert_array_equal(Wa, Wb)
        np.testing.assert_array_equal(ba, bb)


def test_play_and_pause_keep_lockstep_and_stand_both_at_one_epoch(qtbot, window):
    _compare(qtbot, window)
    _set_lr(qtbot, window, 0.5)
    play = window.menus.play_action
    play.trigger()
    gaps = []

    def far_enough():
        ea, eb = window.compare.block.epochs()
        gaps.append(abs(ea - eb))
        return min(ea, eb) >= 15

    qtbot.waitUntil(far_enough, timeout=WAIT_MS)
    play.trigger()  # Pause
    qtbot.waitUntil(lambda: all(not s.running for s in window.compare.latest)
                    and not window.compare._pausing, timeout=WAIT_MS)
    a, b = _both_idle(qtbot, window)
    assert max(gaps) <= 1
    assert a.epoch == b.epoch >= 15


def _b_curve_end(win):
    x, _ = win.compare.views.overlays[0].b.getData()
    return -1 if x is None or len(x) == 0 else int(x[-1])


def test_b_curves_follow_while_training_and_end_at_b_epoch_on_pause(qtbot, window):
    """B's dashed curves are drawn on slow frames while both train (not only once
    paused), and the last frame draws them to B's epoch."""
    _compare(qtbot, window)
    _set_lr(qtbot, window, 0.5)
    window.menus.play_action.trigger()
    qtbot.waitUntil(lambda: window.compare.latest[1].running
                    and _b_curve_end(window) >= 5, timeout=WAIT_MS)
    assert window.compare.latest[1].running  # drawn while training
    window.menus.play_action.trigger()
    qtbot.waitUntil(lambda: all(not s.running for s in window.compare.latest)
                    and not window.compare._pausing, timeout=WAIT_MS)
    _, b = _both_idle(qtbot, window)
    qtbot.waitUntil(lambda: _b_curve_end(window) == b.epoch, timeout=WAIT_MS)


def test_undo_takes_back_the_last_edit_of_either_run(qtbot, window):
    _compare(qtbot, window)
    _set_lr(qtbot, window, 0.5)                       # B
    qtbot.waitUntil(lambda: window.compare.b.config.training.lr == 0.5, timeout=WAIT_MS)
    window.findChild(QToolButton, "compare_edit_a").click()
    _set_lr(qtbot, window, 0.3)                       # then A
    qtbot.waitUntil(lambda: window.controller.config.training.lr == 0.3, timeout=WAIT_MS)
    _trigger(window, "undo")
    qtbot.waitUntil(lambda: window.controller.config.training.lr == 0.1, timeout=WAIT_MS)
    assert window.compare.b.config.training.lr == 0.5
    _trigger(window, "undo")
    qtbot.waitUntil(lambda: window.compare.b.config.training.lr == 0.1, timeout=WAIT_MS)


def test_keeping_b_leaves_one_run_with_b_settings(qtbot, window):
    _compare(qtbot, window)
    _set_lr(qtbot, window, 0.5)
    qtbot.waitUntil(lambda: window.compare.b.config.training.lr == 0.5, timeout=WAIT_MS)
    b_process = window.compare.b.worker.process
    _trigger(window, "compare_keep_b_action")
    qtbot.waitUntil(lambda: not window.compare.active
                    and window.controller.config.training.lr == 0.5, timeout=WAIT_MS)
    assert not b_process.is_alive()
    assert window.training_panel.settings().lr == 0.5


def test_a_saved_comparison_reopens_as_one(qtbot, window, tmp_path):
    _compare(qtbot, window)
    _set_lr(qtbot, window, 0.5)
    _trigger(window, "step_epoch")
    _both_idle(qtbot, window)
    path = str(tmp_path / "pair.scratchnet")
    window.files.save_session(path)
    _both_idle(qtbot, window)
    assert (tmp_path / "pair.b.scratchnet").exists()
    _trigger(window, "compare_keep_a_action")
    qtbot.waitUntil(lambda: not window.compare.active, timeout=WAIT_MS)
    window.files.open_session(path)
    qtbot.waitUntil(lambda: window.compare.active and window.compare.b.config.training.lr
                    == 0.5 and window.compare.latest[1] is not None
                    and window.compare.latest[1].epoch == 1, timeout=WAIT_MS)
    assert window.controller.config.training.lr == 0.1


def test_closing_the_window_stops_both_runs_within_a_second(qtbot, window):
    _compare(qtbot, window)
    window.menus.play_action.trigger()
    qtbot.waitUntil(lambda: min(window.compare.block.epochs()) >= 3, timeout=WAIT_MS)
    processes = [c.worker.process for c in window.compare.runs()]
    start = time.perf_counter()
    window.close()
    took = time.perf_counter() - start
    assert not any(p.is_alive() for p in processes)
    assert took < 1.0, f"closing took {took:.2f} s"


def test_a_pause_that_finds_the_runs_an_epoch_apart_steps_the_one_behind(qtbot, window):
    """A run may start an epoch just as the hold is written; here B is put an epoch
    ahead by hand, and the Pause brings A to it."""
    from scratchnet_gui import protocol as P

    _compare(qtbot, window)
    window.compare.b.send(P.StepEpoch())
    qtbot.waitUntil(lambda: window.compare.latest[1].epoch == 1, timeout=WAIT_MS)
    window.send(P.Pause())
    qtbot.waitUntil(lambda: window.compare.latest[0].epoch == 1, timeout=WAIT_MS)
    a, b = _both_idle(qtbot, window)
    assert a.epoch == b.epoch == 1


def test_a_comparison_preset_trains_both_runs_as_their_solo_runs(qtbot, window):
    """Examples ▸ Compare two runs: the article's backprop (A) against the correct one
    (B), each equal to a solo run of its settings."""
    from scratchnet import compare

    cfg_a, cfg_b = compare.pair("article-vs-correct-backprop")
    _trigger(window, "compare_article_vs_correct_backprop")
    qtbot.waitUntil(lambda: window.compare.active and window.controller.config == cfg_a
                    and window.compare.b.config == cfg_b, timeout=WAIT_MS)
    assert "B: backprop correct" in window.compare.bar.text.text()
    assert window.lesson_note.isVisible()
    for _ in range(3):
        _trigger(window, "step_epoch")
    a, b = _both_idle(qtbot, window)
    assert a.epoch == b.epoch == 3
    _same_weights(a, _solo(cfg_a, 3))
    _same_weights(b, _solo(cfg_b, 3))


def test_a_stopped_run_says_it_waits_only_while_the_other_trains():
    from types import SimpleNamespace as NS

    from scratchnet_gui.window.compare_bar import run_state

    notice = NS(text="Reached the target AUC.")
    stopped = NS(epoch=1, notices=[notice], running=False)
    going, still = NS(epoch=3, notices=[], running=True), NS(epoch=4, notices=[], running=False)
    assert run_state("B", stopped, True, going) == (
        "B epoch 1 (stopped: Reached the target AUC; waits for the other run)")
    assert run_state("B", stopped, True, still) == "B epoch 1 (stopped: Reached the target AUC)"
    assert run_state("A", going, False, stopped) == "A epoch 3"


def _keys(view):
    return [label.text for _, label in view.getPlotItem().legend.items]


def test_a_preset_of_another_task_keeps_the_key_to_a_and_b(qtbot, window):
    """SGD against Adam opens three spiral arms from the binary demo: the metric view
    rebuilds its key for the new task, and the comparison's key survives it."""
    _trigger(window, "compare_sgd_vs_adam")
    qtbot.waitUntil(lambda: window.compare.active and all(
        s is not None and s.task.n_classes == 3 for s in window.compare.latest),
        timeout=WAIT_MS)
    _trigger(window, "step_epoch")
    _both_idle(qtbot, window)
    view = window.auc_view
    qtbot.waitUntil(lambda: sorted(_keys(view)) == ["A test", "B test"], timeout=WAIT_MS)
    assert not view.train.isVisible() and not view.train_acc.isVisible()
    assert not view.test_acc.isVisible()
