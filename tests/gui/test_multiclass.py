"""The window through a 3-class run and a regression run: what the views draw is
checked against the engine and scikit-learn, computed independently of the app."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from sklearn.metrics import confusion_matrix, r2_score

from scratchnet import Network, data
from scratchnet_gui.views import colors, prediction_paint

from .conftest import WAIT_MS, click_action, wait_idle



def _net(snap, scale=(0.0, 1.0)):
    """The snapshot's network, rebuilt in the test from its weights alone (regression:
    with the targets' ``scale``, the dataset's own)."""
    output = snap.activations[-1]
    net = Network(snap.sizes, activation=list(snap.activations[:-1]), output=output, seed=0,
                  target_mean=scale[0], target_std=scale[1])
    for L, (W, b) in zip(net.layers, snap.weights):
        L.weights[...], L.biases[...] = W, b
    return net


def _new_data(qtbot, window, source, classes=2, noise=None):
    """Choose the data in the data panel and press Regenerate, as a user would."""
    panel = window.data_panel
    panel.dataset.setCurrentText(source)
    panel.classes.setValue(classes)
    panel.samples.setValue(600)
    if noise is not None:
        panel.noise.setValue(noise)
    qtbot.mouseClick(panel.regenerate, Qt.MouseButton.LeftButton)
    return wait_idle(qtbot, window)


def _train_until(qtbot, window, done):
    """Play until ``done(history)`` holds, pause, and finish the epoch: the history's
    last row then scores the weights the views draw."""
    click_action(qtbot, window, "play")
    qtbot.waitUntil(lambda: done(window.current_snapshot().history), timeout=WAIT_MS)
    click_action(qtbot, window, "play")
    wait_idle(qtbot, window)
    click_action(qtbot, window, "step_epoch")
    s = wait_idle(qtbot, window)
    assert s.cursor == 0 and not s.running
    return s


def _pixel(view, snap, x, y):
    """The boundary image's RGB at the data point ``(x, y)``."""
    x0, x1, y0, y1 = snap.points.extent
    img = view.image.image
    rows, cols = img.shape[:2]
    col = int(np.clip((x - x0) / (x1 - x0) * cols, 0, cols - 1))
    row = int(np.clip((y - y0) / (y1 - y0) * rows, 0, rows - 1))
    return img[row, col].astype(float)


def _check_confusion(window, s):
    """The confusion view's counts are scikit-learn's, from the network rebuilt out of
    the snapshot's weights and the data built again from the window's settings. The tab
    is opened first, as a user would: a hidden view does not draw."""
    window.roc_tabs.setCurrentWidget(window.confusion_view)
    ds = data.build(window.controller.config.data)
    expected = confusion_matrix(ds.y_test, _net(s).forward(ds.X_test).argmax(axis=1))
    np.testing.assert_array_equal(window.confusion_view.counts, expected)
    assert window.confusion_view.grid.item(0, 1).text() == f"{expected[0, 1]:,}"
    return expected


def test_an_untrained_three_class_network_has_sklearns_confusion_matrix(qtbot, window):
    s = _new_data(qtbot, window, "spiral", classes=3)
    expected = _check_confusion(window, s)
    # mistakes one way and not the other: a transposed matrix would not pass
    assert not np.array_equal(expected, expected.T)
    click_action(qtbot, window, "step_epoch")
    _check_confusion(window, wait_idle(qtbot, window))
    # a new architecture keeps one output per class
    window.model_panel.sizes.setText("5")
    window.model_panel.submit()
    s = wait_idle(qtbot, window)
    assert s.sizes == [2, 5, 3] and window.network_view.node_count(-1) == 3
    assert window.last_message is None or window.last_message[0] != "error"


@pytest.fixture
def three_classes(qtbot, window):
    s = _new_data(qtbot, window, "blobs", classes=3, noise=0.5)
    assert s.task.n_classes == 3 and s.sizes[-1] == 3  # a softmax layer for the new task
    # confident enough that each class owns its colour where its points are
    return _train_until(qtbot, window, lambda h: h["test_acc"][-1] >= 0.95
                        and h["train_loss"][-1] < 0.15)


def test_three_classes_draw_three_outputs_class_colours_and_sklearns_confusion(
        window, three_classes):
    s = three_classes
    assert window.network_view.node_count(-1) == 3 and window.network_view.node_count(0) == 2
    assert not window.training_panel.threshold.isEnabled()  # the most probable class wins
    # each class's colour where its points are densest: the boundary shows the class there
    # (blended by the probabilities the rebuilt network gives that point: the pixel's
    # centre is within half a cell of it)
    light = colors.LIGHT * colors.class_colors(3) + (1 - colors.LIGHT) * 255
    pts, net = s.points, _net(s)
    ds = data.build(window.controller.config.data)
    for k in range(3):
        centre = np.median(pts.raw_train[pts.y_train == k], axis=0)
        rgb = _pixel(window.prediction_view, s, *centre)
        assert np.argmin(np.abs(light - rgb).sum(axis=1)) == k, (k, rgb)
        p = net.forward(ds.inputs(centre[None, :]))[0]
        assert p[k] > 0.5 and np.abs(p @ light - rgb).max() < 8, (k, p, rgb)
    expected = _check_confusion(window, s)
    # View ▸ Colour points by class: each point in its class's colour, all K of them
    window.menus.color_by_class_action.trigger()
    item = window.prediction_view.scatter["train", True]
    rows = item.data["data"].astype(int)
    drawn = [b.color().getRgb()[:3] for b in item.data["brush"]]
    assert drawn == [tuple(colors.class_colors(3)[int(k)]) for k in pts.y_train[rows]]
    assert len(set(drawn)) == 3
    # the metric view names its scores; the ROC has one curve per class
    assert "AUC (macro)" in window.auc_view.getPlotItem().titleLabel.text
    np.testing.assert_array_equal(window.auc_view.test.getData()[1], s.history["test_auc"])
    np.testing.assert_array_equal(window.auc_view.test_acc.getData()[1], s.history["test_acc"])
    assert all(len(c.getData()[0]) > 1 for c in window.roc_view.class_curves[:3])
    acc = np.trace(expected) / expected.sum()
    assert f"test accuracy {acc:.4f}" in window.status.text()


def test_the_stepper_shows_softmax_with_its_numbers(qtbot, window, three_classes):
    for _ in range(3):  # F1, F2, F3: the output layer's forward pass
        click_action(qtbot, window, "step_phase")
        wait_idle(qtbot, window)
    step = window.shown_snapshot().step
    assert step.phase == ("forward", 3)
    window.inspector.select_neuron(3, 1)
    text = window.inspector.formula.toPlainText()
    rec, tr = step.trace.layers[-1], step.trace
    e = np.exp(rec.z)
    assert (f"a3,2 = e^zₖ / Σⱼ e^zⱼ = e^{rec.z[1]:.3g} / (e^{rec.z[0]:.3g} + "
            f"e^{rec.z[1]:.3g} + e^{rec.z[2]:.3g}) = {e[1]:.4g} / {e.sum():.4g} = "
            f"{rec.a[1]:.6g}") in text
    c = int(np.argmax(tr.y))
    assert "loss" not in text and "δ" not in text  # the forward pass knows no loss yet
    click_action(qtbot, window, "step_phase")
    wait_idle(qtbot, window)
    assert window.shown_snapshot().step.phase == ("loss", 3)
    window.inspector.select_neuron(3, 1)
    text = window.inspector.formula.toPlainText()
    assert f"−log a3,{c + 1} = −log {rec.a[c]:.6g} = {tr.loss:.6g}" in text
    assert f"class {c}" in window.inspector.phase.text()


def test_binary_confusion_follows_the_threshold(qtbot, window):
    click_action(qtbot, window, "step_epoch")
    s = wait_idle(qtbot, window)
    assert window.training_panel.threshold.isEnabled()
    window.roc_tabs.setCurrentWidget(window.confusion_view)  # a hidden view does not draw
    for t in (0.3, 0.5, 0.7):
        window.training_panel.threshold.setValue(t)
        expected = confusion_matrix(s.points.y_test, (s.test_pred >= t).astype(float))
        np.testing.assert_array_equal(window.confusion_view.counts, expected)
        assert f"p ≥ {t:.2f}" in window.confusion_view.caption.text()
    assert window.prediction_view.image.lut is not None  # binary: the colour map, as before


def test_regression_draws_one_output_its_scores_and_the_prediction(qtbot, window, tmp_path):
    s = _new_data(qtbot, window, "reg-plane", noise=0.1)
    assert s.task.kind == "regression" and s.sizes[-1] == 1
    s = _train_until(qtbot, window, lambda h: h["test_r2"][-1] >= 0.8)
    assert window.network_view.node_count(-1) == 1
    ds = data.build(window.controller.config.data)
    r2 = r2_score(ds.y_test, _net(s, ds.target_scale).forward(ds.X_test)[:, 0])
    assert s.history["test_r2"][-1] == pytest.approx(r2, rel=1e-9)
    assert f"test R² {r2:.4f}" in window.status.text()
    assert window.auc_view.getAxis("left").labelText == "R²"
    np.testing.assert_array_equal(window.auc_view.test.getData()[1], s.history["test_r2"])
    np.testing.assert_array_equal(window.loss_view.test.getData()[1], s.history["test_mse"])
    # the plane rises towards (1, 1): the map's high end there, its low end at (−1, −1)
    view, (x0, x1, y0, y1) = window.prediction_view, s.points.extent
    assert _pixel(view, s, x1, y1) > 0.5 > -0.5 > _pixel(view, s, x0, y0)
    np.testing.assert_array_equal(view.image.lut, prediction_paint.lut("value"))
    lo, hi = view.image.levels
    assert lo == -hi  # white at zero: the plane's targets straddle it
    # points by residual: the one farthest off has the residual map's end colour
    item = view.scatter["train", True]
    rows = item.data["data"].astype(int)
    r = s.train_pred[rows] - s.points.y_train[rows]
    far = int(np.argmax(np.abs(r)))
    colour = item.data["brush"][far].color().getRgb()[:3]
    assert colour == (colors.POSITIVE if r[far] > 0 else colors.NEGATIVE)
    # predicted against actual: every test point, and no confusion matrix
    xs, ys = window.roc_view.scatter.getData()
    np.testing.assert_array_equal(xs, s.points.y_test)
    np.testing.assert_array_equal(ys, s.test_pred)
    assert window.roc_tabs.tabText(0) == "Predicted"
    confusion = window.roc_tabs.indexOf(window.confusion_view)
    assert not window.roc_tabs.isTabVisible(confusion)  # regression has no classes
    window.files.export_view("confusion_view", tmp_path / "c.csv")  # still exports, and says why
    assert "regression has no classes" in (tmp_path / "c.csv").read_text()
    assert window.confusion_view.counts is None
    _new_data(qtbot, window, "circles", noise=0.1)  # classes again: the tab is back
    assert window.roc_tabs.isTabVisible(confusion)


def test_regression_stepper_shows_half_the_squared_error(qtbot, window):
    _new_data(qtbot, window, "reg-plane", noise=0.1)
    for _ in range(4):  # F1 F2 F3, loss
        click_action(qtbot, window, "step_phase")
        wait_idle(qtbot, window)
    step = window.shown_snapshot().step
    assert step.phase[0] == "loss"
    window.inspector.select_neuron(3, 0)
    text = window.inspector.formula.toPlainText()
    a, y = step.trace.layers[-1].a[0], step.trace.y[0]
    assert f"a3,1 = z (linear output) = {a:.6g}" in text
    assert f"loss = ½ (a − y)² = ½ ({a:.4g} − {y:.4g})² = {step.trace.loss:.6g}" in text
    assert "target " in window.inspector.phase.text()


@pytest.mark.parametrize("source,classes,outputs", [("spiral", 3, 3), ("reg-plane", 2, 1)])
def test_a_session_opens_with_its_task(qtbot, window, tmp_path, source, classes, outputs):
    _new_data(qtbot, window, source, classes=classes)
    click_action(qtbot, window, "step_epoch")
    saved = wait_idle(qtbot, window)
    path = tmp_path / "task.scratchnet"
    window.files.save_session(str(path))
    wait_idle(qtbot, window)
    _new_data(qtbot, window, "circles")
    assert window.network_view.node_count(-1) == 1
    window.files.open_session(str(path))
    s = wait_idle(qtbot, window)
    assert s.task == saved.task and s.sizes == saved.sizes == [2, 9, 6, outputs]
    assert window.network_view.node_count(-1) == outputs
    assert window.data_panel.dataset.currentText() == source
    assert window.data_panel.classes.value() == classes
    for (a, b), (c, d) in zip(s.weights, saved.weights):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)
    # the same predictions: for regression, in the targets' units (their scale travels)
    np.testing.assert_array_equal(s.test_pred, saved.test_pred)


def test_a_csv_task_is_guessed_or_chosen_in_the_data_panel(qtbot, window, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = np.digitize(X[:, 0], [-1, 0, 1])  # four whole-number labels: classes, guessed
    path = tmp_path / "levels.csv"
    path.write_text("a,b,level\n" + "\n".join(f"{u},{v},{k}" for (u, v), k in zip(X, y)))
    _new_data(qtbot, window, "spiral", classes=3)  # a CSV takes no classes setting
    assert window.data_panel.classes.isEnabled()
    window.files.open_data(str(path))
    s = wait_idle(qtbot, window)
    assert s.task.classes == ("0", "1", "2", "3") and s.sizes[-1] == 4
    assert not window.data_panel.classes.isEnabled()
    window.data_panel.task.setCurrentText("regression")  # the same file, as a target
    qtbot.mouseClick(window.data_panel.regenerate, Qt.MouseButton.LeftButton)
    s = wait_idle(qtbot, window)
    assert s.task.kind == "regression" and s.sizes[-1] == 1
    assert window.network_view.node_count(-1) == 1


def test_random_actions_across_tasks_leave_views_that_fit_the_data(qtbot, window, tmp_path):
    """A monkey that also switches between binary, K-class and regression data."""
    import random

    from PySide6.QtGui import QAction

    rng = random.Random(12)
    session = tmp_path / "tasks.scratchnet"
    seen = set()
    actions = ["play", "step_epoch", "step_batch", "reset", "step_sample", "step_phase",
               "step_phase_back", "color_by_class", "show_test", "threshold_label_mean"]
    for i in range(300):
        kind = rng.random()
        if kind < 0.6:
            window.findChild(QAction, rng.choice(actions)).trigger()
        elif kind < 0.75:
            window.data_panel.dataset.setCurrentText(rng.choice(data.ALL_GENERATORS))
            window.data_panel.classes.setValue(rng.randint(2, data.MAX_GENERATED_CLASSES))
            window.data_panel.regenerate.click()
        elif kind < 0.8:
            window.model_panel.sizes.setText(rng.choice(["9, 6", "3", "8, 8, 8"]))
            window.model_panel.submit()
        elif kind < 0.85:
            window.training_panel.threshold.setValue(rng.random())
        elif kind < 0.92:
            window.files.save_session(str(session))
        elif session.exists():
            window.files.open_session(str(session))
        if window._dialog is not None:
            window._dialog.close()
        if i % 8 == 0:
            task = wait_idle(qtbot, window).task
            seen.add("regression" if task.kind == "regression" else task.n_classes)
    if window.menus.play_action.isChecked():
        window.menus.play_action.trigger()
    s = wait_idle(qtbot, window)
    assert {2, "regression"} < seen and len(seen) >= 4, seen  # binary, K classes, regression
    assert window.controller.worker.is_alive()
    assert s.sizes[-1] == s.task.n_outputs == window.network_view.node_count(-1)
    window.view_set.update_all()  # as an export would: the hidden Confusion tab draws
    counts = window.confusion_view.counts
    assert (counts is None) == (s.task.kind == "regression")
    assert counts is None or counts.sum() == len(s.points.y_test)


@pytest.mark.parametrize("action,preset,check", [
    ("example_spiral_3", "spiral-3",
     lambda s: s.epoch == 100 and s.history["test_acc"][-1] >= 0.9),
    ("example_reg_gauss", "reg-gauss", lambda s: s.history["test_r2"][-1] >= 0.85),
])
def test_the_task_examples_load_their_presets_and_learn(qtbot, window, action, preset, check):
    from PySide6.QtGui import QAction

    from scratchnet import presets

    window.findChild(QAction, action).trigger()
    s = wait_idle(qtbot, window)
    assert window.controller.config == presets.get(preset)
    assert s.sizes[-1] == s.task.n_outputs == (3 if preset == "spiral-3" else 1)
    click_action(qtbot, window, "play")
    qtbot.waitUntil(lambda: not window.current_snapshot().running
                    and window.controller.is_idle(), timeout=WAIT_MS * 2)
    s = window.current_snapshot()
    assert check(s), (s.epoch, s.history)
    if preset == "reg-gauss":
        assert "Reached the target R²." in window.statusBar().currentMessage()


def test_many_text_classes_keep_their_names_as_text(qtbot, window, tmp_path):
    """A CSV's class names are any text: the keys show them escaped, shortened, and at
    most one entry per colour."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(400, 2))
    names = [f"<b>k{i}</b>" + "x" * (30 if i == 0 else 0) for i in range(10)]
    path = tmp_path / "tags.csv"
    path.write_text("a,b,tag\n" + "\n".join(f"{u},{v},{names[i % 10]}"
                                            for i, (u, v) in enumerate(X)))
    window.files.open_data(str(path))
    s = wait_idle(qtbot, window)
    assert s.task.n_classes == 10 and window.network_view.node_count(-1) == 10
    window.menus.color_by_class_action.trigger()
    key = window.prediction_view.key.textItem.toHtml()
    assert "&lt;b&gt;k1&lt;/b&gt;" in key and "<b>k1" not in key
    assert "2 more (the colours repeat)" in key
    legend = window.roc_view.getPlotItem().legend
    assert len(legend.items) == 8
    window.roc_tabs.setCurrentWidget(window.confusion_view)
    np.testing.assert_array_equal(window.confusion_view.counts.shape, (10, 10))


def test_the_stepped_sample_is_named_by_its_task():
    from types import SimpleNamespace as NS

    from scratchnet.tasks import Task
    from scratchnet_gui.views.output_formulas import sample_label

    def label(task, y, points=None):
        return sample_label(NS(task=task, points=points), NS(trace=NS(y=np.array(y)), index=0))

    assert label(Task(), [1.0]) == "label 1"  # as before the tasks
    assert label(Task.classification(2, ["cat", "dog"]), [0.0]) == "label 0: cat"
    assert label(Task.classification(3, ["a", "b", "c"]), [0.0, 0.0, 1.0]) == "class c"
    assert label(Task.regression(), [-0.25]) == "standardised target -0.25"
