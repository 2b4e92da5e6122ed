"""The training process: free of Qt, reported when it dies, restartable, always stopped."""

import os
import signal

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from scratchnet.config import Config
from scratchnet_gui import protocol as P
from scratchnet_gui.process.worker import START, WorkerProcess

from .conftest import WAIT_MS, click_action, wait_idle

QT_LIBRARIES = ("libQt6", "pyside6", "shiboken6", "PySide6", "pyqtgraph")


def _mapped_files(pid):
    with open(f"/proc/{pid}/maps") as fh:
        return {line.split()[-1] for line in fh if len(line.split()) >= 6}


@pytest.mark.parametrize("start", ["spawn", "forkserver"])
def test_the_training_process_never_loads_qt(qtbot, monkeypatch, start):
    """Both ways a trainer starts: the app's (spawn) and the tests' (forkserver)."""
    from scratchnet_gui import MainWindow

    monkeypatch.setenv(START, start)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: (s := window.current_snapshot()) is not None and not s.pending,
                    timeout=WAIT_MS)
    assert window.controller.worker.process._start_method == start
    click_action(qtbot, window, "step_phase")  # the stepper's code paths too
    wait_idle(qtbot, window)
    child = _mapped_files(window.controller.worker.process.pid)
    assert any("_multiarray_umath" in f for f in child)  # the maps are really read
    assert not [f for f in child if any(q in f for q in QT_LIBRARIES)]
    gui = _mapped_files(os.getpid())
    assert any("libQt6Core" in f for f in gui)  # and Qt libraries would be seen
    window.close()


def test_a_killed_trainer_is_reported_and_restarts_from_its_weights(qtbot, window):
    click_action(qtbot, window, "step_epoch")
    before = wait_idle(qtbot, window)
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS) as sig:
        os.kill(window.controller.worker.process.pid, signal.SIGKILL)
    assert sig.args[0] == "error" and "stopped unexpectedly" in sig.args[1]
    box = window.findChild(QMessageBox, "restart_dialog")
    assert box.isVisible()
    qtbot.mouseClick(box.findChild(QPushButton, "restart_trainer"), Qt.MouseButton.LeftButton)
    s = wait_idle(qtbot, window)
    assert window.controller.worker.is_alive()
    for (W, b), (W0, b0) in zip(s.weights, before.weights):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
    click_action(qtbot, window, "step_epoch")
    assert wait_idle(qtbot, window).epoch == 1


def test_a_restarted_trainer_keeps_the_windows_pace_and_memory(qtbot, window):
    """The speed box and the timeline's memory are the window's: a new training process
    gets them again (it starts uncapped, with 256 MB)."""
    window.training_panel.speed.setCurrentText("10 epochs/s")
    window.send(P.SetTimelineBudget(128))
    s = wait_idle(qtbot, window)
    assert s.speed_cap == 10 and s.timeline.budget == 128 * 2**20
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS):
        os.kill(window.controller.worker.process.pid, signal.SIGKILL)
    box = window.findChild(QMessageBox, "restart_dialog")
    qtbot.mouseClick(box.findChild(QPushButton, "restart_trainer"), Qt.MouseButton.LeftButton)
    s = wait_idle(qtbot, window)
    assert s.speed_cap == 10 and s.timeline.budget == 128 * 2**20


def _started(qtbot):
    w = WorkerProcess(Config())
    qtbot.waitUntil(lambda: w.receive() is not None and w.received > 0, timeout=WAIT_MS)
    return w


def test_stop_terminates_a_trainer_that_never_answers(qtbot, monkeypatch):
    w = _started(qtbot)
    monkeypatch.setattr(w, "send", lambda *a, **k: None)  # "stop" never arrives
    assert w.stop(timeout=0.2)
    assert w.process.exitcode == -signal.SIGTERM


def test_stop_kills_a_trainer_that_ignores_terminate(qtbot):
    w = _started(qtbot)
    os.kill(w.process.pid, signal.SIGSTOP)  # frozen: TERM stays pending, KILL does not
    assert w.stop(timeout=0.2)
    assert w.process.exitcode == -signal.SIGKILL
