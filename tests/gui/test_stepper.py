"""Stepping one sample through backprop: every number equals the engine's trace."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QComboBox, QPushButton

from scratchnet import Network, data
from scratchnet.config import Config, make_trainer
from scratchnet.settings import TrainingSettings
from scratchnet_gui import protocol as P

from .conftest import WAIT_MS, click_action, isolated_train_point, wait_idle


@pytest.fixture(scope="module")
def dataset():
    return data.build(Config().data)  # the window's default data, built independently


def _net(snap):
    net = Network(snap.sizes, activation=list(snap.activations[:-1]), seed=0)
    for L, (W, b) in zip(net.layers, snap.weights):
        L.weights[...], L.biases[...] = W, b
    return net


def _phase(qtbot, window, name="step_phase"):
    click_action(qtbot, window, name)
    wait_idle(qtbot, window)
    return window.shown_snapshot()


def test_every_phase_shows_the_engines_trace(qtbot, window, dataset):
    before = window.current_snapshot()
    s = _phase(qtbot, window)
    i = s.step.index
    assert i == before.next_sample  # the next sample of the shuffled order
    tr = _net(before).trace(dataset.X_train[i], dataset.y_train[i])
    seen = []
    insp = window.inspector
    for _ in range(len(s.step.phases) - 1):
        seen.append(s.step.phase[0])
        rows = np.array([[L.z[j], L.a[j], L.delta[j], L.db[j]] for L in tr.layers
                         for j in range(len(L.z))])
        got = np.column_stack([insp.values(c) for c in ("z", "a", "δ", "∂L/∂b")])
        np.testing.assert_array_equal(got, rows)
        dW = [row for L in tr.layers for row in L.dW]
        for a, b in zip(insp.values("∂L/∂W (row)"), dW):
            np.testing.assert_array_equal(a, b)
        s = _phase(qtbot, window)
    assert seen == ["forward"] * 3 + ["loss"] + ["backward"] * 3
    assert s.step.phase[0] == "update" and s.step.applied


def test_the_update_is_one_sgd_step_and_shows_at_once(qtbot, window, dataset):
    before = window.current_snapshot()
    for _ in range(8):
        s = _phase(qtbot, window)
    assert s.step.phase[0] == "update"
    tr = _net(before).trace(dataset.X_train[s.step.index], dataset.y_train[s.step.index])
    for (W0, b0), (W1, b1), rec in zip(before.weights, s.weights, tr.layers):
        np.testing.assert_array_equal(W1, W0 - 0.1 * rec.dW)
        np.testing.assert_array_equal(b1, b0 - 0.1 * rec.db)
    assert s.samples_seen == 1 and s.cursor == 1


def test_going_back_changes_no_weights_before_the_update(qtbot, window):
    before = window.current_snapshot()
    for _ in range(4):
        _phase(qtbot, window)
    s = _phase(qtbot, window, "step_phase_back")
    assert s.step.pos == 2 and not s.step.applied
    assert all(np.array_equal(a, b) for (a, _), (b, _) in zip(before.weights, s.weights))
    assert "phase 3 of 8" in window.inspector.phase.text()


def test_clicking_a_point_steps_that_sample(qtbot, window, dataset):
    view = window.prediction_view
    target = isolated_train_point(window.current_snapshot())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.mapFromScene(view.point_scene_pos(target)))
    s = wait_idle(qtbot, window)
    assert s.step is not None and s.step.pos == 0
    assert s.step.index == target and view.selected == target
    np.testing.assert_array_equal(s.step.trace.x, dataset.X_train[s.step.index])


def test_play_and_epochs_continue_from_the_stepped_weights(qtbot, window, dataset):
    click_action(qtbot, window, "step_sample")
    click_action(qtbot, window, "step_sample")
    click_action(qtbot, window, "step_epoch")
    s = wait_idle(qtbot, window)
    ref = make_trainer(Config(), dataset)
    ref.step_sample()
    ref.step_sample()
    ref.step_epoch()
    assert s.epoch == 1 and s.samples_seen == 750
    for (W, b), L in zip(s.weights, ref.network.layers):
        np.testing.assert_array_equal(W, L.weights)
        np.testing.assert_array_equal(b, L.biases)
    click_action(qtbot, window, "play")
    qtbot.waitUntil(lambda: window.current_snapshot().epoch >= 3, timeout=WAIT_MS)
    click_action(qtbot, window, "play")
    s = wait_idle(qtbot, window)
    assert s.step is None and list(s.history["samples"][:3]) == [0, 750, 1500]


def test_stepping_past_the_last_sample_completes_the_epoch(qtbot, window):
    window.controller.send(P.Configure(TrainingSettings(batch_size=50)))
    for _ in range(14):  # 700 samples
        click_action(qtbot, window, "step_batch")
    s = wait_idle(qtbot, window)
    assert s.cursor == 700 and s.epoch == 0
    for _ in range(50):
        click_action(qtbot, window, "step_sample")
    s = wait_idle(qtbot, window)
    assert s.epoch == 1 and s.cursor == 0 and len(s.history["epoch"]) == 2


def test_gradient_check_button(qtbot, window):
    _phase(qtbot, window)
    qtbot.mouseClick(window.findChild(QPushButton, "gradient_check"), Qt.MouseButton.LeftButton)
    s = wait_idle(qtbot, window)
    assert s.step.gradcheck is not None and s.step.gradcheck <= 1e-6
    assert "max relative error" in window.inspector.check_result.text()


def test_gradient_overlay_draws_the_traces_gradients(qtbot, window):
    for _ in range(7):
        s = _phase(qtbot, window)
    window.findChild(QComboBox, "edge_overlay").setCurrentText("gradient")
    view = window.network_view
    vals = view.edge_values(s)
    e = view.edges
    rec = s.step.trace.layers
    expect = [rec[l].dW[r, c] if c >= 0 else rec[l].db[r] for l, r, c in e[:, :3]]
    np.testing.assert_array_equal(vals, expect)


def test_formulas_and_copy(qtbot, window):
    for _ in range(6):
        _phase(qtbot, window)
    window.inspector.select_neuron(2, 0)
    text = window.inspector.formula.toPlainText()
    assert "z2,1 = Σ w·a + b" in text and "δ2,1 = f'(z) × (Σ w·δ)" in text
    qtbot.mouseClick(window.findChild(QPushButton, "copy_values"), Qt.MouseButton.LeftButton)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].startswith("layer\tunit\tz") and len(lines) == 1 + 9 + 6 + 1
    assert window.findChild(QAction, "step_phase").shortcut().toString() == "Right"


def test_the_phase_strip_jumps_and_the_formulas_carry_the_numbers(qtbot, window):
    from PySide6.QtWidgets import QToolButton

    s = _phase(qtbot, window)
    strip = {b.text(): b for b in window.inspector.findChildren(QToolButton)
             if b.parent().objectName() == "phase_strip"}
    assert list(strip) == ["F1", "F2", "F3", "loss", "B3", "B2", "B1", "update"]
    qtbot.mouseClick(strip["B2"], Qt.MouseButton.LeftButton)
    s = wait_idle(qtbot, window) and window.shown_snapshot()
    assert s.step.phase == ("backward", 2) and not s.step.applied and strip["B2"].isChecked()
    rec = s.step.trace.layers[1]
    window.inspector.select_neuron(2, 0)
    text = window.inspector.formula.toPlainText()
    assert (f"∂L/∂w2,1,3 = δ · a3 = {rec.delta[0]:.4g} × {rec.a_in[2]:.4g} = "
            f"{rec.dW[0, 2]:.4g}") in text
    qtbot.mouseClick(strip["update"], Qt.MouseButton.LeftButton)
    s = wait_idle(qtbot, window) and window.shown_snapshot()
    assert s.step.phase[0] == "update" and s.step.applied and s.samples_seen == 1
    qtbot.mouseClick(strip["F1"], Qt.MouseButton.LeftButton)  # back before the update
    s = wait_idle(qtbot, window) and window.shown_snapshot()
    assert s.step.pos == 0 and not s.step.applied and s.samples_seen == 0


def test_only_the_current_phase_speaks_in_the_inspector(qtbot, window):
    """A forward phase shows z and a; the loss adds δ; backward adds the gradients; the
    update the step. No number of a later phase shows early."""
    from scratchnet_gui.views.inspector import COLUMNS

    def shown():
        t = window.inspector.table
        cols = {name for c, name in enumerate(COLUMNS) if not t.isColumnHidden(c)}
        return cols, window.inspector.formula.toPlainText()

    expected = {"forward": {"unit", "z", "a"}, "loss": {"unit", "z", "a", "δ"},
                "backward": {"unit", "z", "a", "δ", "∂L/∂b"},
                "update": {"layer", "unit", "δ", "∂L/∂b", "Δb"}}
    seen = set()
    for _ in range(8):  # F1 F2 F3 loss B3 B2 B1 update
        kind, layer = _phase(qtbot, window).step.phase
        window.inspector.select_neuron(max(layer, 1), 0)
        cols, text = shown()
        assert cols == expected[kind], kind
        assert ("δ" in text) == (kind != "forward"), (kind, text)
        assert ("∂L/∂" in text) == (kind in ("backward", "update")), (kind, text)
        assert ("update" in text) == (kind == "update"), (kind, text)
        seen.add(kind)
    assert seen == set(expected)
