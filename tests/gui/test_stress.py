"""20,000 snapshots from the worker thread to the GUI.

PySide6-Essentials 6.12.0 aborts the process ("bool_dealloc") after a few thousand
signal emissions from a non-GUI thread. The worker therefore hands snapshots over
through a locked mailbox that a GUI-thread timer polls. This test pushes 20,000 of them
through while the GUI draws the newest at its frame rate, so a dependency upgrade or a design
change that brings the crash back fails here.
"""

from scratchnet import data
from scratchnet.config import Config
from scratchnet_gui import MainWindow, snapshot, worker

N_SNAPSHOTS = 20_000


def test_twenty_thousand_snapshots_reach_the_gui(qtbot, monkeypatch):
    monkeypatch.setattr(worker, "SLICE", 0.0)         # one batch per slice ...
    monkeypatch.setattr(worker, "MIN_INTERVAL", 0.0)  # ... and a snapshot after each
    monkeypatch.setattr(worker, "SNAP_SHARE", 1e9)
    monkeypatch.setattr(snapshot, "GRID", 16)  # the handoff is under test, not the heatmap
    monkeypatch.setattr(snapshot, "THUMB", 4)
    win = MainWindow(Config(data.DataSpec("circles", 80, 0.1), max_epochs=10**9))
    qtbot.addWidget(win)
    frames = []
    win.controller.snapshotReady.connect(lambda s: frames.append(s.seq))
    win.show()
    win.controller.play()
    qtbot.waitUntil(lambda: win.current_snapshot().seq >= N_SNAPSHOTS, timeout=300_000)
    win.controller.pause()
    qtbot.waitUntil(win.controller.is_idle, timeout=10_000)
    assert len(frames) > 100 and frames == sorted(frames)
    win.close()
    assert not win.controller.worker.is_alive()
