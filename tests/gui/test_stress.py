"""Many snapshots through the process boundary, with a dataset change mid-stream.

The sender sends a dataset's points once and later snapshots without them; the GUI
side reattaches the points it holds. This checks, in bounded time, that every snapshot
handed to the views arrives in order and carries the points of its own dataset.
"""

from scratchnet import data
from scratchnet.config import Config
from scratchnet_gui import MainWindow
from scratchnet_gui import protocol as P

from .conftest import WAIT_MS

# a snapshot after every batch, with tiny heatmaps: the handoff is under test, not drawing
TUNING = {"SLICE": 0.0, "MIN_INTERVAL": 0.0, "SNAP_SHARE": 1e9, "MAPS_SHARE": 1e9,
          "ROC_INTERVAL": 0.0, "GRID": 8, "THUMB": 2}
BATCH = 300


def test_snapshots_arrive_in_order_with_their_own_points(qtbot):
    win = MainWindow(Config(data.DataSpec("circles", 40, 0.1), max_epochs=10**9),
                     tuning=TUNING)
    qtbot.addWidget(win)
    win.controller.timer.setInterval(0)  # read the pipe as often as the event loop spins
    seen = []
    win.controller.snapshotReady.connect(
        lambda s: seen.append((s.seq, s.points.version, len(s.points.raw_train))))
    qtbot.waitUntil(lambda: win.current_snapshot() is not None, timeout=WAIT_MS)
    win.menus.full_speed_action.trigger()
    win.controller.play()
    qtbot.waitUntil(lambda: win.controller.worker.received >= BATCH, timeout=WAIT_MS)
    win.controller.send(P.SetData(data.DataSpec("moons", 60, 0.1)))
    n = win.controller.worker.received
    qtbot.waitUntil(lambda: win.controller.worker.received >= n + BATCH, timeout=WAIT_MS)
    win.controller.pause()
    qtbot.waitUntil(win.controller.is_idle, timeout=WAIT_MS)
    win.close()
    seqs = [q for q, _, _ in seen]
    assert len(seen) > 10 and seqs == sorted(set(seqs))
    sizes = {v: n for _, v, n in seen}
    assert len(sizes) == 2 and sorted(sizes.values()) == [30, 45]  # 75% of 40 and of 60
    assert all(sizes[v] == n for _, v, n in seen)  # no snapshot with another's points
    assert not win.controller.worker.is_alive()
