"""20,000 snapshots from the training process to the GUI.

PySide6-Essentials 6.12.0 aborts the process ("bool_dealloc") after a few thousand
signal emissions from a non-GUI thread. ScratchNet's GUI process runs no such thread:
training lives in a child process and snapshots come over a pipe that a GUI-thread timer
reads. This test pushes 20,000 snapshots through that path, each one handed to the views,
so a dependency upgrade or a design change that brings the crash back fails here.
"""

from scratchnet import data
from scratchnet.config import Config
from scratchnet_gui import MainWindow

N_SNAPSHOTS = 20_000
# a snapshot after every batch, with tiny heatmaps: the handoff is under test, not drawing
TUNING = {"SLICE": 0.0, "MIN_INTERVAL": 0.0, "SNAP_SHARE": 1e9, "MAPS_SHARE": 1e9,
          "ROC_INTERVAL": 0.0, "GRID": 8, "THUMB": 2}


def test_twenty_thousand_snapshots_reach_the_gui(qtbot):
    win = MainWindow(Config(data.DataSpec("circles", 40, 0.1), max_epochs=10**9),
                     tuning=TUNING)
    qtbot.addWidget(win)
    win.controller.timer.setInterval(0)  # read the pipe as often as the event loop spins
    seqs = []
    win.controller.snapshotReady.connect(lambda s: seqs.append(s.seq))
    qtbot.waitUntil(lambda: win.current_snapshot() is not None, timeout=30_000)
    win.controller.play()
    qtbot.waitUntil(lambda: win.controller.worker.received >= N_SNAPSHOTS, timeout=400_000)
    win.controller.pause()
    qtbot.waitUntil(win.controller.is_idle, timeout=10_000)
    assert len(seqs) > 1000 and seqs == sorted(seqs)
    win.close()
    assert not win.controller.worker.is_alive()
