"""pytest-qt fixtures: offscreen Qt, a window per test, and no thread left behind."""

import multiprocessing
import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def no_dangling_threads(qapp):
    yield
    from PySide6.QtCore import QThread  # noqa: F401  (imported for the check below)

    left = [t.name for t in threading.enumerate() if t.name.startswith("scratchnet")]
    qthreads = [w for w in qapp.allWidgets() if isinstance(w, QThread) and w.isRunning()]
    children = multiprocessing.active_children()
    assert not (left or qthreads or children), (
        f"still running after the test: {left} {qthreads} {children}")


@pytest.fixture
def window(qtbot):
    from scratchnet_gui import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.current_snapshot() is not None)
    yield win
    win.close()
    assert not win.controller.worker.is_alive()


def wait_idle(qtbot, win, timeout=20_000):
    """Wait until the worker has answered every command sent so far."""
    qtbot.waitUntil(win.controller.is_idle, timeout=timeout)
    return win.current_snapshot()


def click_action(qtbot, win, name):
    """Click the toolbar button of the QAction called ``name``."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction

    action = win.findChild(QAction, name)
    button = win.toolbar.widgetForAction(action)
    assert button is not None and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
