"""A 2,000,000-row CSV (40 MiB) in the window: Open to first frame, frames/s and samples/s
while training, Pause latency, Export all, and the peak memory of both processes.

The training process's memory is its peak resident size (VmHWM) over its peak before
Open (the demo trained until that peak stops growing: the compiled kernel is in), and
that rise as a multiple of the file's size (the issue's target: about 4×).

Run: ``python benchmarks/bench_big_data.py`` (writes the file into a temporary folder).
Figures vary with the machine's load: the load average is printed with them.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from scratchnet_gui import MainWindow  # noqa: E402

ROWS = 2_000_000


def run_for(seconds):
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def wait(cond, limit=600.0):
    end = time.perf_counter() + limit
    while not cond():
        if time.perf_counter() > end:
            raise TimeoutError("the window did not get there in time")
        run_for(0.005)


def peak_mb(pid) -> float:
    with open(f"/proc/{pid}/status") as fh:
        return next(int(l.split()[1]) for l in fh if l.startswith("VmHWM")) / 1024


def settle(pid, quiet=2.0, limit=60.0):
    """Run the event loop until ``pid``'s peak memory has not grown for ``quiet`` s."""
    end, last, since = time.perf_counter() + limit, peak_mb(pid), time.perf_counter()
    while time.perf_counter() - since < quiet and time.perf_counter() < end:
        run_for(0.1)
        now = peak_mb(pid)
        if now > last + 1:
            last, since = now, time.perf_counter()


def write_csv(path) -> None:
    X = np.random.default_rng(0).normal(size=(ROWS, 2))
    with open(path, "w") as fh:
        fh.write("x1,x2,label\n")
        np.savetxt(fh, np.column_stack([X, X[:, 0] * X[:, 1] > 0]), fmt=["%.6f", "%.6f", "%d"],
                   delimiter=",")


def warm_up(win) -> int:
    """Train the demo until the compiled kernel is in (the child's peak stops growing),
    then pause; the training process's id."""
    wait(lambda: win.controller.is_idle())
    child = win.controller.worker.process.pid
    win.menus.full_speed_action.setChecked(True)  # a window starts at a pace to watch
    win.controller.play()
    settle(child)
    win.controller.pause()
    wait(lambda: win.controller.is_idle() and not win.current_snapshot().running)
    return child


def main():
    app = QApplication.instance() or QApplication(sys.argv)  # noqa: F841 (kept alive)
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "big.csv")
    write_csv(path)
    size = os.path.getsize(path) / 2**20
    win = MainWindow()
    win.resize(1400, 900)
    win.show()
    child = warm_up(win)
    base = peak_mb(child)
    t0 = time.perf_counter()
    win.files.open_data(path)
    longest = [0.0]
    last = [time.perf_counter()]

    def tick():  # the longest gap between two turns of the window's event loop
        now = time.perf_counter()
        longest[0] = max(longest[0], now - last[0])
        last[0] = now

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)
    wait(lambda: win.controller.is_idle() and win.current_snapshot().n_train > 1_000_000)
    opened = time.perf_counter() - t0
    print(f"{ROWS:,} rows, {size:.0f} MiB: Open to first frame {opened:.1f} s; the window's "
          f"event loop never stalled more than {longest[0] * 1000:.0f} ms meanwhile")
    frames = []
    win.controller.snapshotReady.connect(lambda s: frames.append(time.perf_counter()))
    win.menus.full_speed_action.setChecked(True)  # a window starts at a pace to watch
    win.controller.play()
    run_for(2.0)
    s0, n0, t1 = win.current_snapshot(), len(frames), time.perf_counter()
    run_for(5.0)
    s1, dt = win.current_snapshot(), time.perf_counter() - t1
    print(f"training: {(len(frames) - n0) / dt:.1f} frames/s, "
          f"{(s1.samples_seen - s0.samples_seen) / dt:,.0f} samples/s; longest event-loop "
          f"stall {longest[0] * 1000:.0f} ms")
    t2 = time.perf_counter()
    win.controller.pause()
    wait(lambda: win.controller.is_idle() and not win.current_snapshot().running)
    print(f"Pause landed in {(time.perf_counter() - t2) * 1000:.0f} ms")
    t3 = time.perf_counter()
    written = win.files.export_all(os.path.join(folder, "views"))
    print(f"Export all: {len(written)} files in {time.perf_counter() - t3:.1f} s")
    print_memory(child, base, path)
    win.close()


def print_memory(child, base, path) -> None:
    rise = peak_mb(child) - base
    print(f"peak memory: window {peak_mb(os.getpid()):.0f} MB; training process "
          f"{peak_mb(child):.0f} MB, {rise:.0f} MB over its {base:.0f} MB before Open = "
          f"{rise * 2**20 / os.path.getsize(path):.1f}× the file; load average "
          f"{os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
