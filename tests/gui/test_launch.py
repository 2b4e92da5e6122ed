"""The first frame: what the window's process imports, which views draw, and the
training process's arithmetic path (the same as the library's and the CLI's)."""

import os
import subprocess
import sys

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix

from scratchnet import data, kernel, presets
from scratchnet.config import make_trainer
from scratchnet_gui.views import confusion_view
from scratchnet_gui.process.worker import START

from .conftest import WAIT_MS, click_action, wait_idle

# The app as a user launches it; once its first measured frame is drawn, the Confusion
# tab is opened too, and the script prints the heavy modules the process had imported.
LAUNCH = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from scratchnet_gui import app as A
qapp, win = A.launch([])
def drawn(snap):
    qapp.processEvents()
    if snap.pending:
        print("first", *[m for m in ("sklearn", "scipy", "numba") if m in sys.modules])
        return
    win.roc_tabs.setCurrentWidget(win.confusion_view)
    qapp.processEvents()
    print("confusion", win.view_set.drawn["confusion_view"])
    print("measured", *[m for m in ("sklearn", "scipy", "numba") if m in sys.modules],
          flush=True)
    win.close()
    os._exit(0)
win.controller.snapshotReady.connect(drawn)
A.show(win)
qapp.exec()
"""

# scratchnet-gui's show: the first snapshot is drawn before the event loop paints at all
FIRST_PAINT = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from scratchnet_gui import app as A
qapp, win = A.launch([])
A.FIRST_WAIT = 60  # the mechanism, not the machine's speed, is under test
A.show(win)
print(*(win.view_set.drawn[v] for v in ("network_view", "prediction_view", "auc_view")),
      flush=True)
win.close()
os._exit(0)
"""


def test_the_windows_process_never_imports_scikit_learn_or_numba():
    env = {k: v for k, v in os.environ.items() if k not in (START, kernel.ENV)}
    done = subprocess.run([sys.executable, "-c", LAUNCH], env=env, capture_output=True,
                          text=True, timeout=WAIT_MS / 1000)
    lines = dict(line.split(" ", 1) if " " in line else (line, "")
                 for line in done.stdout.splitlines())
    assert lines.get("first") == "" and lines.get("measured") == "", done.stdout + done.stderr
    assert int(lines["confusion"]) >= 1  # it did draw, without scikit-learn


def test_the_first_paint_already_holds_the_first_snapshot():
    done = subprocess.run([sys.executable, "-c", FIRST_PAINT], capture_output=True,
                          text=True, timeout=WAIT_MS / 1000)
    assert done.stdout.split() == ["1", "1", "1"], done.stdout + done.stderr


def test_menus_and_the_views_hidden_at_start_are_built_after_the_first_frame(qtbot):
    from PySide6.QtWidgets import QWidget

    from scratchnet_gui import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    plots = (win.prediction_view, win.auc_view, win.loss_view, win.roc_view)
    assert all(p.getPlotItem().vb.menu is None for p in plots)  # not built before it
    hidden = ("landscape_view", "gradient_view", "hidden_space_view")  # hidden at start
    assert all(win.findChild(QWidget, name) is None for name in hidden)
    win.show()
    qtbot.waitUntil(lambda: all(p.getPlotItem().vb.menu is not None for p in plots),
                    timeout=WAIT_MS)
    assert all(win.findChild(QWidget, name) is not None for name in hidden)
    assert win.network_view.getPlotItem().vb.menu is None  # the graph has none
    assert "View All" in [a.text() for a in win.prediction_view.getPlotItem().vb.menu.actions()]
    win.close()


def test_a_hidden_view_does_not_draw_and_catches_up_when_shown(qtbot, window):
    drawn = window.view_set.drawn
    assert window.roc_tabs.currentWidget() is window.roc_view
    before = dict(drawn)
    click_action(qtbot, window, "step_epoch")
    s = wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: drawn["roc_view"] > before["roc_view"], timeout=WAIT_MS)
    assert drawn["confusion_view"] == before["confusion_view"]
    window.roc_tabs.setCurrentWidget(window.confusion_view)
    qtbot.waitUntil(lambda: drawn["confusion_view"] > before["confusion_view"], timeout=WAIT_MS)
    y, p = s.points.y_test, s.test_pred
    np.testing.assert_array_equal(window.confusion_view.counts,
                                  confusion_matrix(y, p >= 0.5, labels=[0, 1]))
    window.training_panel.threshold.setValue(0.9)  # a setting it shows: drawn again
    np.testing.assert_array_equal(window.confusion_view.counts,
                                  confusion_matrix(y, p >= 0.9, labels=[0, 1]))


@pytest.mark.parametrize("k", [2, 3, 6])
def test_the_windows_counts_are_scikit_learns(k):
    rng = np.random.default_rng(k)
    for n in (1, 7, 500):
        y, pred = rng.integers(0, k, n).astype(float), rng.integers(0, k, n)
        np.testing.assert_array_equal(confusion_view.counts(y, pred, k),
                                      confusion_matrix(y, pred, labels=list(range(k))))


def test_the_window_trains_with_the_kernel_and_agrees_with_numpy(qtbot, monkeypatch):
    """The app's own start (spawn) and path: once its training process says the kernel
    is ready, 300 epochs are the kernel's bits (not numpy's), within 1e-12 of numpy's.
    (Switching paths at chosen epochs: tests/engine/test_one_path.py.)"""
    from scratchnet_gui import MainWindow

    monkeypatch.setenv(kernel.ENV, "numpy")
    cfg = presets.get("classic")
    ref = make_trainer(cfg, data.build(cfg.data))
    for _ in range(300):
        ref.step_epoch()
    monkeypatch.delenv(kernel.ENV)
    monkeypatch.delenv(START, raising=False)
    cfg = cfg.replace(max_epochs=300)
    win = MainWindow(cfg)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: (s := win.current_snapshot()) is not None and not s.pending
                    and s.kernel == "ready", timeout=WAIT_MS)
    click_action(qtbot, win, "full_speed")
    click_action(qtbot, win, "play")
    qtbot.waitUntil(lambda: win.current_snapshot().epoch == 300
                    and not win.current_snapshot().running, timeout=WAIT_MS)
    got = np.concatenate([a.ravel() for W, b in win.current_snapshot().weights for a in (W, b)])
    want = np.concatenate([p.ravel() for p in ref.network.parameters()])
    err = np.max(np.abs(got - want)) / np.max(np.abs(want))
    assert 0.0 < err <= 1e-12, err
    win.close()
