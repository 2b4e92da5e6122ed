"""The "why it learns" views in the window: the gradient view, the rings on units that
stopped learning, and the hidden-space view, checked against the history and against
``Network.trace``."""

import csv
import os
import signal

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QPushButton

from scratchnet import Network, hidden_space
from scratchnet_gui import protocol as P
from scratchnet_gui.window.status import status_line

from .conftest import WAIT_MS, click_action, wait_idle


def _network(snap) -> Network:
    """The snapshot's network, rebuilt from its weights."""
    net = Network(snap.sizes, activation=list(snap.activations[:-1]), output=snap.activations[-1])
    for L, (W, b) in zip(net.layers, snap.weights):
        L.weights[...], L.biases[...] = W, b
    return net


def _open_hidden(qtbot, window):
    tabs = window.insight.plane_tabs
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert tabs.currentIndex() == 1
    qtbot.waitUntil(lambda: window.current_snapshot().hidden is not None, timeout=WAIT_MS)
    return window.current_snapshot()


def _traced(snap, rows, layer):
    """Hidden layer ``layer``'s activations of train points ``rows`` by ``trace``."""
    net = _network(snap)
    X = snap.points.inputs(snap.points.raw_train[rows])
    return np.array([net.trace(x, y).layers[layer - 1].a
                     for x, y in zip(X, snap.points.y_train[rows])])


def test_the_gradient_view_draws_each_layers_columns_on_a_log_axis(qtbot, window):
    for _ in range(3):
        click_action(qtbot, window, "step_epoch")
    s = wait_idle(qtbot, window)
    view = window.insight.gradient_view
    window.insight.show("gradient_view")
    qtbot.waitUntil(lambda: view.grads and view.grads[0].yData is not None
                    and len(view.grads[0].yData) == 4, timeout=WAIT_MS)
    assert len(view.grads) == len(view.ratios) == 3
    for k in range(3):
        np.testing.assert_array_equal(view.grads[k].yData, s.history[f"grad_norm_{k + 1}"])
        ratio = view.ratios[k].yData
        assert np.isnan(ratio[0])  # epoch 0 has no update
        np.testing.assert_array_equal(ratio[1:], s.history[f"update_ratio_{k + 1}"][1:])
    assert view.getPlotItem().getAxis("left").logMode
    assert view.guide.value() == -3.0  # log10(1e-3)
    assert view.readout.startswith("epoch 3")


def test_dead_relu_units_are_ringed_named_and_counted(qtbot, window):
    window.send(P.Resize((9, 6), ("relu", "relu")))
    for unit in (2, 5, 7):
        window.send(P.SetWeight(0, unit, -1, -100.0))  # z ≤ 0 on every sample
    qtbot.waitUntil(lambda: (s := window.current_snapshot()).units
                    and np.sum(s.units[0] >= 1.0) >= 3, timeout=WAIT_MS)
    s = wait_idle(qtbot, window)
    dead = set(np.flatnonzero(s.units[0] >= 1.0))
    assert {2, 5, 7} <= dead
    view = window.network_view
    qtbot.waitUntil(lambda: {(1, u) for u in dead} <= set(view.rings.shares), timeout=WAIT_MS)
    assert len(view.rings.item.data) == len(view.rings.shares)  # one ring each
    node = view.ids.index((1, 5))
    assert "dead" in view.hits.describe(("node", node))
    assert f"{len(dead)} of 9 relu units in layer 1 are dead" in status_line(s)
    assert f"{len(dead)} of 9 relu units in layer 1 are dead" in window.status.text()


def test_the_hidden_view_places_points_at_their_traced_activations(qtbot, window):
    click_action(qtbot, window, "step_epoch")
    wait_idle(qtbot, window)
    s = _open_hidden(qtbot, window)
    hs = s.hidden
    assert (hs.layer, hs.axes, hs.width) == (2, "pca", 6)  # the last hidden layer
    rows = np.array([0, 11, len(hs.points) - 1])
    A = _traced(s, rows, 2)
    np.testing.assert_allclose((A - hs.mean) @ hs.components.T, hs.points[rows], atol=1e-10)
    view = window.insight.hidden_view
    qtbot.waitUntil(lambda: view._drawn is not None and view._drawn[0] == hs.stamp,
                    timeout=WAIT_MS)
    drawn = np.concatenate([item.data["x"] for item in view.classes])
    assert len(drawn) == len(hs.points)
    assert "principal axes" in view.note.toPlainText()
    assert view.getPlotItem().getAxis("bottom").labelText.startswith("PC1")


def test_the_layer_combo_chooses_the_layer_through_the_training_process(qtbot, window):
    s = _open_hidden(qtbot, window)
    combo = window.insight.hidden_view.layer_combo
    assert combo.currentText() == "last hidden layer"
    combo.setCurrentIndex(combo.findData(1))  # as a user's pick does: currentIndexChanged
    qtbot.waitUntil(lambda: window.current_snapshot().hidden.layer == 1, timeout=WAIT_MS)
    s = window.current_snapshot()
    assert s.hidden.width == 9
    A = _traced(s, np.arange(5), 1)
    np.testing.assert_allclose((A - s.hidden.mean) @ s.hidden.components.T,
                               s.hidden.points[:5], atol=1e-10)
    # closed, it is no longer computed
    window.insight.plane_tabs.setCurrentIndex(0)
    window.send(P.StepEpoch())
    qtbot.waitUntil(lambda: window.current_snapshot().hidden is None, timeout=WAIT_MS)


def test_a_width_two_layer_shows_its_units_and_the_decision_line(qtbot, window):
    window.send(P.Resize((2,), ("tanh",)))
    wait_idle(qtbot, window)
    s = _open_hidden(qtbot, window)
    assert s.hidden.axes == "units"
    np.testing.assert_allclose(_traced(s, np.arange(4), 1), s.hidden.points[:4], rtol=1e-12)
    view = window.insight.hidden_view
    qtbot.waitUntil(lambda: view.decision.isVisible(), timeout=WAIT_MS)
    w1, w2, b = s.hidden.decision
    p = view.decision.getPos()  # on the line: the output is at the threshold
    z = w1 * p[0] + w2 * p[1] + b
    assert 1 / (1 + np.exp(-z)) == pytest.approx(view.threshold)
    window.training_panel.threshold.setValue(0.8)  # the line follows the threshold
    qtbot.waitUntil(lambda: view.threshold == 0.8, timeout=WAIT_MS)
    p = view.decision.getPos()
    assert 1 / (1 + np.exp(-(w1 * p[0] + w2 * p[1] + b))) == pytest.approx(0.8)


def test_both_views_export_png_svg_and_csv(qtbot, window, tmp_path):
    click_action(qtbot, window, "step_epoch")
    wait_idle(qtbot, window)
    s = _open_hidden(qtbot, window)
    written = window.files.export_all(str(tmp_path), size=(500, 300))
    for stem in ("gradients", "hidden_space"):
        for fmt in ("png", "svg", "csv"):
            assert str(tmp_path / f"{stem}.{fmt}") in written
    with open(tmp_path / "hidden_space.csv", newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    assert header[:2] == ["index", "layer"] and header[2].startswith("PC1")
    assert len(rows) == len(s.hidden.points)
    np.testing.assert_allclose([float(r[2]) for r in rows], s.hidden.points[:, 0])
    with open(tmp_path / "gradients.csv", newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    assert header[:4] == ["epoch", "grad_norm_1", "grad_norm_2", "grad_norm_3"]
    assert float(rows[1][1]) == s.history["grad_norm_1"][1]
    assert window.findChild(QAction, "export_gradient_view") is not None


def test_the_views_follow_the_scrubbed_epoch(qtbot, window):
    for _ in range(4):
        click_action(qtbot, window, "step_epoch")
    wait_idle(qtbot, window)
    live = _open_hidden(qtbot, window).hidden
    window.send(P.Scrub(1))
    qtbot.waitUntil(lambda: (s := window.current_snapshot()) is not None
                    and window.controller.latest.scrub == 1
                    and window.controller.latest.hidden is not None
                    and window.controller.latest.hidden.stamp != live.stamp, timeout=WAIT_MS)
    s = window.controller.latest
    A = _traced(s, np.arange(5), 2)  # the scrubbed frame's weights
    np.testing.assert_allclose((A - s.hidden.mean) @ s.hidden.components.T,
                               s.hidden.points[:5], atol=1e-10)
    assert not np.allclose(s.hidden.points, live.points)
    view = window.insight.gradient_view
    window.insight.show("gradient_view")
    qtbot.waitUntil(lambda: view.readout.startswith("epoch 1 "), timeout=WAIT_MS)
    assert view.marker.isVisible() and view.marker.value() == 1
    assert isinstance(s.hidden, hidden_space.HiddenSpace)  # the engine's value, as sent


def test_a_restarted_trainer_computes_the_open_hidden_view_again(qtbot, window):
    """ShowHiddenSpace is standing: a new training process is told the view is open."""
    assert P.ShowHiddenSpace.traits.standing
    combo = _open_hidden(qtbot, window) and window.insight.hidden_view.layer_combo
    combo.setCurrentIndex(combo.findData(1))
    qtbot.waitUntil(lambda: window.current_snapshot().hidden.layer == 1, timeout=WAIT_MS)
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS):
        os.kill(window.controller.worker.process.pid, signal.SIGKILL)
    box = window.findChild(QMessageBox, "restart_dialog")
    qtbot.mouseClick(box.findChild(QPushButton, "restart_trainer"), Qt.MouseButton.LeftButton)
    seq = window.current_snapshot().seq
    qtbot.waitUntil(lambda: (s := window.current_snapshot()).seq != seq
                    and s.hidden is not None and s.hidden.layer == 1, timeout=WAIT_MS)


def test_an_export_with_the_hidden_view_closed_computes_it_from_the_snapshot(qtbot, window,
                                                                             tmp_path):
    click_action(qtbot, window, "step_epoch")
    s = wait_idle(qtbot, window)
    assert s.hidden is None and window.insight.plane_tabs.currentIndex() == 0
    window.files.export_view("hidden_space_view", str(tmp_path / "h.csv"))
    with open(tmp_path / "h.csv", newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    assert header[2].startswith("PC1") and len(rows) == len(s.points.raw_train)
    hs = window.insight.hidden_view  # drawn too, so its PNG is not empty
    assert len(np.concatenate([item.data["x"] for item in hs.classes])) == len(rows)
    # what the training process computes for the open view, to rounding
    open_hs = _open_hidden(qtbot, window).hidden
    np.testing.assert_allclose([[float(r[2]), float(r[3])] for r in rows], open_hs.points,
                               atol=1e-9)
