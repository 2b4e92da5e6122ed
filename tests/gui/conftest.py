"""pytest-qt fixtures: offscreen Qt, a window per test, and no thread left behind."""

import multiprocessing
import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# GUI tests run the numpy path (tests/conftest.py): each test's trainer process would
# otherwise load, or on a fresh clone compile, the numba kernel
# trainer processes fork from one Qt-free server that has imported the trainer and
# scikit-learn, instead of each spawning and importing them (~1 s a window); the app
# itself spawns (test_process.py checks both)
os.environ.setdefault("SCRATCHNET_START", "forkserver")

import pytest  # noqa: E402

# Every wait is on a condition, with a deadline that holds with both cores busy
# elsewhere (pytest-qt's own default is 5 s).
WAIT_MS = 60_000


@pytest.fixture(autouse=True)
def nothing_left_running(qapp):
    """Fail a test that leaves the training process, or any extra thread, running.

    The app starts no QThread: training runs in a child process (see worker.py), so the
    checks are on child processes and on threads beyond the ones alive before the test.
    """
    before = set(threading.enumerate())
    yield
    children = multiprocessing.active_children()
    extra = [t.name for t in set(threading.enumerate()) - before if t.is_alive()]
    assert not children and not extra, f"still running after the test: {children} {extra}"


@pytest.fixture
def window(qtbot):
    from scratchnet_gui import MainWindow

    win = MainWindow()
    win.resize(1400, 900)  # the default size: offscreen's 800×800 screen would shrink it
    qtbot.addWidget(win)
    win.show()
    # a window starts at a pace to watch (60 epochs/s); tests train at full speed, as a
    # user one click away does (test_newcomer.py checks the pace)
    win.menus.full_speed_action.trigger()
    # the first frame comes before the metrics; wait for the measured one
    qtbot.waitUntil(lambda: (s := win.current_snapshot()) is not None and not s.pending,
                    timeout=WAIT_MS)
    yield win
    win.close()
    assert not win.controller.worker.is_alive()


def wait_idle(qtbot, win, timeout=WAIT_MS):
    """Wait until the worker has answered every command sent so far."""
    qtbot.waitUntil(win.controller.is_idle, timeout=timeout)
    return win.current_snapshot()


def click_action(qtbot, win, name):
    """Click the toolbar button of the QAction called ``name``."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction

    action = win.findChild(QAction, name)
    button = win.menus.toolbar.widgetForAction(action)
    assert button is not None and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def isolated_train_point(snap) -> int:
    """The train point farthest from any other point, so a click on it hits only it."""
    import numpy as np

    pts = np.vstack([snap.points.raw_train, snap.points.raw_test])
    d = np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(d, np.inf)
    n = len(snap.points.raw_train)
    return int(np.argmax(d[:n].min(axis=1)))
