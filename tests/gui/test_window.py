"""The real window, driven through its buttons, offscreen."""

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QPushButton

from scratchnet.settings import TrainingSettings
from scratchnet_gui import protocol as P
from scratchnet_gui.views.view_settings import ViewSettings

from .conftest import WAIT_MS, click_action, isolated_train_point, wait_idle


def test_opens_on_the_classic_demo(window):
    s = window.current_snapshot()
    assert s.sizes == [2, 9, 6, 1] and s.activations == ("sigmoid",) * 3
    assert len(s.points.raw_train) == 750 and len(s.points.raw_test) == 250
    assert s.epoch == 0 and len(s.history["train_auc"]) == 1
    assert all(W.shape == (o, i) for (W, b), i, o in zip(s.weights, s.sizes, s.sizes[1:]))
    for name in ("play", "step_epoch", "step_batch", "reset"):
        assert window.findChild(QAction, name) is not None
    for name in ("network_view", "prediction_view", "auc_view", "loss_view", "roc_view"):
        assert window.findChild(object, name) is not None


def test_play_advances_epochs_and_pause_stops_them(qtbot, window):
    play = window.findChild(QAction, "play")
    click_action(qtbot, window, "play")
    assert play.isChecked()
    qtbot.waitUntil(lambda: window.current_snapshot().epoch >= 3, timeout=WAIT_MS)
    click_action(qtbot, window, "play")
    s = wait_idle(qtbot, window)
    assert not s.running and not play.isChecked()
    _assert_views_follow_the_weights(s)
    paused_at = s.epoch
    click_action(qtbot, window, "step_epoch")  # the worker is provably idle between commands
    s = wait_idle(qtbot, window)
    assert s.epoch == paused_at + 1 and not s.running


def _assert_views_follow_the_weights(s):
    """ROC and boundary grid of a paused snapshot come from its own weights, not from the
    older ones they were last refreshed with while training."""
    from scratchnet import Network, data, metrics
    from scratchnet.config import Config
    from scratchnet_gui.snapshot import Points

    ds = data.build(Config().data)
    net = Network(s.sizes, seed=0)
    for L, (W, b) in zip(net.layers, s.weights):
        L.weights[...], L.biases[...] = W, b
    fpr, tpr, _ = metrics.roc(ds.y_test, net.forward(ds.X_test)[:, 0])
    np.testing.assert_array_equal(s.roc[0], fpr)
    np.testing.assert_array_equal(s.roc[1], tpr)
    _, grid, _ = Points.from_dataset(ds)
    np.testing.assert_allclose(s.grid.ravel(), net.forward(grid)[:, 0], rtol=1e-12)


def test_step_epoch_adds_exactly_one_epoch_and_step_batch_one_batch(qtbot, window):
    click_action(qtbot, window, "step_epoch")
    s = wait_idle(qtbot, window)
    assert s.epoch == 1 and len(s.history["epoch"]) == 2 and s.samples_seen == 750
    click_action(qtbot, window, "step_batch")
    s = wait_idle(qtbot, window)
    assert s.epoch == 1 and s.samples_seen == 760 and s.cursor == 10


def test_reset_restores_fresh_weights_and_history(qtbot, window):
    first = [W.copy() for W, _ in window.current_snapshot().weights]
    click_action(qtbot, window, "step_epoch")
    wait_idle(qtbot, window)
    click_action(qtbot, window, "reset")
    s = wait_idle(qtbot, window)
    assert s.epoch == 0 and all(np.array_equal(a, W) for a, (W, _) in zip(first, s.weights))


def _set_layers(qtbot, window, text):
    edit = window.findChild(QLineEdit, "hidden_sizes")
    edit.setText(text)
    qtbot.mouseClick(window.findChild(QPushButton, "apply_model"), Qt.MouseButton.LeftButton)


def test_editing_layers_changes_the_graph_and_keeps_surviving_weights(qtbot, window):
    click_action(qtbot, window, "step_epoch")
    before = wait_idle(qtbot, window).weights
    _set_layers(qtbot, window, "9, 7, 3")
    s = wait_idle(qtbot, window)
    assert s.sizes == [2, 9, 7, 3, 1]
    np.testing.assert_array_equal(s.weights[0][0], before[0][0])
    np.testing.assert_array_equal(s.weights[1][0][:6], before[1][0])
    nodes = window.network_view.nodes.data
    assert len(nodes) == 2 + 9 + 7 + 3 + 1 + 4  # units plus one bias node per fed layer


def test_editing_layers_during_a_run_keeps_training(qtbot, window):
    click_action(qtbot, window, "play")
    qtbot.waitUntil(lambda: window.current_snapshot().epoch >= 2, timeout=WAIT_MS)
    _set_layers(qtbot, window, "12, 6")
    s = wait_idle(qtbot, window)
    assert s.sizes == [2, 12, 6, 1] and s.running
    e = s.epoch
    qtbot.waitUntil(lambda: window.current_snapshot().epoch > e + 1, timeout=WAIT_MS)
    click_action(qtbot, window, "play")
    wait_idle(qtbot, window)


def test_ten_layers_of_64_are_allowed(qtbot, window):
    _set_layers(qtbot, window, ", ".join(["64"] * 10))
    s = wait_idle(qtbot, window)
    assert s.sizes == [2] + [64] * 10 + [1]
    assert "showing" in window.network_view.note.textItem.toPlainText()


@pytest.mark.parametrize("text", ["9, 0", "9, -3", "nine", "9, 2.5", "9, 100000"])
def test_a_bad_layer_size_shows_a_message_and_changes_nothing(qtbot, window, text):
    before = window.current_snapshot()
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS) as sig:
        _set_layers(qtbot, window, text)
    assert sig.args[0] == "error" and "hidden layer" in sig.args[1]
    s = wait_idle(qtbot, window)
    assert s.sizes == [2, 9, 6, 1]
    assert all(np.array_equal(a, b) for (a, _), (b, _) in zip(before.weights, s.weights))
    assert window.findChild(QMessageBox, "message_dialog").isVisible()


def test_closing_mid_training_stops_the_worker(qtbot, window):
    click_action(qtbot, window, "play")
    qtbot.waitUntil(lambda: window.current_snapshot().epoch >= 1, timeout=WAIT_MS)
    worker = window.controller.worker
    window.close()
    assert not worker.is_alive()


def test_a_worker_exception_becomes_an_error_dialog_and_the_app_lives_on(qtbot, window):
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS) as sig:
        window.controller.send(P.SetWeight(99, 0, 0, 1.0))
    assert sig.args[0] == "error" and "there is no layer 100" in sig.args[1]
    click_action(qtbot, window, "step_epoch")
    assert wait_idle(qtbot, window).epoch == 1


def test_divergence_pauses_with_a_message_and_keeps_finite_weights(qtbot, window):
    _set_layers(qtbot, window, "64, 64, 64, 64")
    window.model_panel.all.textActivated.emit("relu")
    assert window.model_panel.activations() == ["relu"] * 4
    qtbot.mouseClick(window.findChild(QPushButton, "apply_model"), Qt.MouseButton.LeftButton)
    window.controller.send(P.Configure(TrainingSettings(lr=100.0, batch_size=1)))
    wait_idle(qtbot, window)
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS) as sig:
        click_action(qtbot, window, "play")
    assert "diverged" in sig.args[1] and "learning rate" in sig.args[1]
    s = wait_idle(qtbot, window)
    assert not s.running and not window.findChild(QAction, "play").isChecked()
    assert all(np.all(np.isfinite(W)) and np.all(np.isfinite(b)) for W, b in s.weights)


def test_clicking_an_edge_sets_its_weight(qtbot, window, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getDouble", lambda *a, **k: (1.25, True))
    view = window.network_view
    scene_pt = view.hits.edge_scene_pos(1, 2, 3)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.mapFromScene(scene_pt))
    s = wait_idle(qtbot, window)
    assert s.weights[1][0][2, 3] == 1.25
    assert "1.25" in view.hits.describe(view.hits.hit(scene_pt))


def test_clicking_a_point_selects_that_sample(qtbot, window):
    view = window.prediction_view
    target = isolated_train_point(window.current_snapshot())
    with qtbot.waitSignal(view.sampleClicked, timeout=WAIT_MS) as sig:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.mapFromScene(view.point_scene_pos(target)))
    assert sig.args[0] == target and view.selected == target
    qtbot.waitUntil(lambda: len(view.ring.data) == 1, timeout=WAIT_MS)  # its ring
    view.select(None)
    assert len(view.ring.data) == 0  # and none once nothing is selected


def test_threshold_changes_which_points_count_as_right(qtbot, window):
    view = window.prediction_view
    s = window.current_snapshot()
    p, y = s.train_pred, s.points.y_train
    right = lambda: len(view.scatter["train", True].data)
    # thresholds inside the spread of the untrained predictions: each splits them
    # differently, so each gives its own count of right points
    counts = set()
    for t in np.round(np.quantile(p, [0.2, 0.5, 0.8]), 2):
        window.training_panel.threshold.setValue(t)
        expect = int(np.count_nonzero((p >= t) == (y > 0.5)))
        assert right() == expect
        counts.add(expect)
    assert len(counts) == 3


def test_no_message_is_lost_when_snapshots_are_skipped(qtbot, window, monkeypatch):
    """The GUI keeps only the newest snapshot; messages travel in every snapshot, so a
    skipped one loses none, and none is shown twice."""
    import dataclasses

    base = wait_idle(qtbot, window)
    notes = [P.Notice(101, 0, "error", "first"), P.Notice(102, 0, "info", "second"),
             P.Notice(103, 0, "info", "third")]
    first = dataclasses.replace(base, notices=tuple(notes[:2]))
    later = dataclasses.replace(base, notices=tuple(notes))
    pending = [first, later]
    monkeypatch.setattr(window.controller.worker, "receive",
                        lambda: [pending.pop(0)] if pending else [])
    shown = []
    window.messageShown.connect(lambda level, text: shown.append((level, text)))
    window.controller.poll()
    window.controller.poll()
    window.controller.poll()
    assert shown == [("error", "first"), ("info", "second"), ("info", "third")]


def test_view_settings_are_one_frozen_value_the_views_read(qtbot, window):
    wait_idle(qtbot, window)
    vs = window.view_set
    assert vs.settings == ViewSettings()
    window.training_panel.threshold.setValue(0.7)
    window.findChild(QAction, "show_test").trigger()  # off, as from the View menu
    window.findChild(QComboBox, "edge_overlay").setCurrentText("gradient")
    assert vs.settings == ViewSettings(threshold=0.7, show_test=False, overlay="gradient")
    with pytest.raises(dataclasses.FrozenInstanceError):
        vs.settings.threshold = 0.2
    assert window.prediction_view.threshold == window.confusion_view.threshold == 0.7
    assert not window.prediction_view.show_test
    assert window.network_view.overlay.mode == "gradient"
    with pytest.raises(ValueError, match="threshold"):
        vs.set(threshold=1.5)
    assert vs.settings.threshold == 0.7  # refused whole
