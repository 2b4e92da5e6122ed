"""GUI throughput offscreen: frames drawn per second and training speed while drawing,
each next to the same training run headless, measured in the same run.

Also: the cost of the 100×100 boundary grid per frame, the time for the window to
appear, and how long closing takes mid-training. ``--only compare``: Train ▸ Compare's
frames/s and each run's training speed next to the same window with one run.

Run: ``python benchmarks/bench_gui.py`` (``--seconds 3`` per measurement by default).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import time

T_START = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from scratchnet import data, kernel  # noqa: E402
from scratchnet.config import Config, make_trainer  # noqa: E402
from scratchnet_gui import MainWindow, snapshot  # noqa: E402


def run_for(app, seconds):
    """Run the event loop for ``seconds`` (a local loop: QApplication.quit closes windows)."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def headless(config, seconds):
    """Samples/s and epochs/s of the same training with no GUI at all, on the path the
    training process takes (the compiled kernel when it fits, slices of 8 ms)."""
    kernel.start_compiling()
    kernel.wait(120)
    t = make_trainer(config, data.build(config.data))
    end = time.perf_counter() + seconds
    n0, e0, t0 = t.samples_seen, t.epoch, time.perf_counter()
    while time.perf_counter() < end:
        t.step_batches(deadline=time.perf_counter() + 0.008)
    dt = time.perf_counter() - t0
    return (t.samples_seen - n0) / dt, (t.epoch - e0) / dt


def windowed(app, config, seconds, show=None):
    """Frames/s and samples/s, epochs/s while the window trains and draws (``show``: a
    view to bring to the front first, e.g. ``hidden_space_view``)."""
    win = MainWindow(config)
    win.resize(1400, 900)
    win.show()
    if show is not None:
        win.insight.show(show)
    frames = []
    win.controller.snapshotReady.connect(lambda s: frames.append(time.perf_counter()))
    t_first = time.perf_counter()
    while win.current_snapshot() is None:  # the training process is starting
        run_for(app, 0.02)
    first = time.perf_counter() - t_first
    run_for(app, 0.3)  # settle: first layout, first frame
    win.menus.full_speed_action.setChecked(True)  # a window starts at a pace to watch
    win.controller.play()
    run_for(app, 1.5)  # the training process loads the compiled kernel (cached) meanwhile
    s0, n_frames0, t0 = win.current_snapshot(), len(frames), time.perf_counter()
    run_for(app, seconds)
    s1, dt = win.current_snapshot(), time.perf_counter() - t0
    fps = (len(frames) - n_frames0) / dt
    sps = (s1.samples_seen - s0.samples_seen) / dt
    eps = (s1.epoch - s0.epoch) / dt
    t_close = time.perf_counter()
    win.close()
    close_s = time.perf_counter() - t_close
    alive = win.controller.worker.is_alive()
    return fps, sps, eps, close_s, alive, first


def stepping(app, config, n_phases=40):
    """Per press of → on ``config``'s network: seconds from the key press to the frame
    drawn and painted. Phase moves within a sample stay in the window; applying an update
    and starting the next sample go to the trainer and back. Returns the medians of both
    kinds and the worst press."""
    win = MainWindow(config)
    win.resize(1400, 900)
    win.show()
    while win.current_snapshot() is None or win.current_snapshot().pending:
        run_for(app, 0.02)
    run_for(app, 0.3)
    local, remote = [], []
    for _ in range(n_phases):
        sent = win.controller.last_command
        t0 = time.perf_counter()
        win.menus.step_phase_action.trigger()
        while not win.controller.is_idle():  # reads the pipe, draws when it arrives
            app.processEvents()
        app.processEvents()  # paint
        (local if win.controller.last_command == sent else remote).append(
            time.perf_counter() - t0)
    win.close()
    return np.median(local), np.median(remote), max(local + remote)


def scrubbing(app, config, epochs=300, moves=40):
    """Per move of the timeline slider on ``config``'s network after ``epochs`` epochs:
    seconds from the slider's new value to the scrubbed frame drawn and painted.
    Returns the median and the worst move."""
    win = MainWindow(config)
    win.resize(1400, 900)
    win.show()
    while win.current_snapshot() is None or win.current_snapshot().pending:
        run_for(app, 0.02)
    for _ in range(epochs):
        win.menus.step_epoch_action.trigger()
    while not win.controller.is_idle():
        run_for(app, 0.02)
    slider = win.timeline_bar.slider
    rng = np.random.default_rng(0)
    times = []
    for target in rng.integers(0, epochs, moves):
        t0 = time.perf_counter()
        slider.setValue(int(target))
        while not (win.controller.is_idle() and win.shown_snapshot().scrub is not None
                   and win._drawn is win.shown_snapshot()):
            app.processEvents()
        app.processEvents()  # paint
        times.append(time.perf_counter() - t0)
    win.close()
    return np.median(times), max(times)


# A fresh interpreter runs what ``scratchnet-gui`` runs (app.launch) and prints the wall
# clock when the first snapshot has been drawn and painted.
FIRST_FRAME = """
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from scratchnet_gui import app as A
qapp, win = A.launch([])
def drawn(snap):
    qapp.processEvents()  # paint it
    print(time.time(), snap.pending, flush=True)
    win.close()
    sys.exit(0)
win.controller.snapshotReady.connect(drawn)  # after MainWindow.draw, connected first
A.show(win)  # as scratchnet-gui does: shown, the first snapshot drawn before any paint
qapp.exec()
"""


# What importing the window's toolkit alone costs, from process start: the floor under
# any first frame
QT_ONLY = """
import os, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import PySide6.QtWidgets, pyqtgraph
print(time.time(), flush=True)
"""


def first_frame(runs=5):
    """Seconds from starting a process to the app's first drawn snapshot, and to Qt and
    pyqtgraph imported, for each run (the two interleaved, so load affects both)."""
    frames, imports = [], []
    for _ in range(runs):
        for script, out in ((FIRST_FRAME, frames), (QT_ONLY, imports)):
            t0 = time.time()
            done = subprocess.run([sys.executable, "-c", script], capture_output=True,
                                  text=True, timeout=120)
            out.append(float(done.stdout.split()[0]) - t0)
    return frames, imports


def grid_cost(config, repeat=200):
    ds = data.build(config.data)
    t = make_trainer(config, ds)
    _, grid, _ = snapshot.Points.from_dataset(ds)
    t0 = time.perf_counter()
    for _ in range(repeat):
        t.network.forward(grid)
    return (time.perf_counter() - t0) / repeat


def throughput(app, seconds, deep):
    """Frames/s and training speed while drawing, next to headless, per case."""
    cases = [("2-9-6-1 default experiment, batch 10", Config(batch_size=10), 45, False),
             ("2-9-6-1, batch 1", Config(batch_size=1), 45, False),
             ("2-8-8-8-8-8-8-1, batch 10", Config(**deep), 30, False),
             ("2-9-6-1, batch 10, one core busy elsewhere", Config(batch_size=10), 20, True)]
    for name, cfg, target, busy in cases:
        cfg = cfg.replace(max_epochs=10**9)
        h_sps, h_eps = headless(cfg, seconds)
        burner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
        try:
            fps, sps, eps, close_s, alive, first = windowed(app, cfg, seconds)
        finally:
            if burner is not None:
                burner.kill()
                burner.wait()
        print(f"{name} (load average {os.getloadavg()[0]:.2f}):")
        print(f"  frames drawn: {fps:.1f}/s (target >= {target})")
        print(f"  training while drawing: {sps:,.0f} samples/s = {eps:.1f} epochs/s; headless "
              f"{h_sps:,.0f} samples/s = {h_eps:.1f} epochs/s; kept {sps / h_sps:.0%} "
              f"(target >= 80%; >= 300,000 samples/s at batch 1)")
        print(f"  closing mid-training took {close_s * 1000:.0f} ms, worker "
              f"{'STILL ALIVE' if alive else 'stopped'} (target < 1 s)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--only", choices=["scrub", "first", "why", "compare"],
                    help="run one measurement only")
    args = ap.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    deep = dict(hidden=[8] * 6, activations=["sigmoid"] * 6)
    if args.only == "scrub":
        return scrub_report(app, deep)
    if args.only == "first":
        return first_report()
    if args.only == "why":
        return why_report(app, args.seconds)
    if args.only == "compare":
        return compare_report(app, args.seconds)

    win = MainWindow()
    win.show()
    app.processEvents()
    appear = time.perf_counter() - T_START
    win.close()
    print(f"window shown {appear:.2f} s after the script started (target < 2 s; "
          f"imports included; scikit-learn loads only in the training process)")

    first_report()
    throughput(app, args.seconds, deep)
    local, remote, worst = stepping(app, Config(**deep))
    print(f"stepper on 2-8-8-8-8-8-8-1, key press to frame drawn: {local * 1000:.1f} ms median "
          f"for a phase move (target <= 30 ms), {remote * 1000:.1f} ms median when the trainer "
          f"applies an update or starts a sample, {worst * 1000:.1f} ms worst")
    scrub_report(app, deep)
    print(f"100x100 boundary grid forward, 2-9-6-1: {grid_cost(Config()) * 1000:.3f} ms per frame "
          f"(target < 1 ms; Playground: 19 ms)")


def why_report(app, seconds):
    """The window's frames/s on the classic demo with the boundary in front, then the
    hidden-space view, then the gradient view: their cost, in one run."""
    for show in (None, "hidden_space_view", "gradient_view", None):
        cfg = Config(max_epochs=10**9)
        fps, sps, eps, *_ = windowed(app, cfg, seconds, show)
        print(f"classic demo, {show or 'boundary'} in front: {fps:.1f} frames/s, "
              f"{sps:,.0f} samples/s (load {os.getloadavg()[0]:.2f})", flush=True)


def comparing(app, config, seconds, rounds=3, full_speed=True):
    """Frames/s, A's and B's samples/s in Train ▸ Compare (B: lr 0.5), the window's
    samples/s with one run, and the close time, alternating solo and compare windows
    ``rounds`` times so both see the same load. ``full_speed`` False: at the pace a
    window starts at (the solo figure stays at full speed)."""
    from scratchnet_gui import protocol as P

    rows = []
    for _ in range(rounds):
        solo = windowed(app, config, seconds)[1]
        win = MainWindow(config)
        win.resize(1400, 900)
        win.show()
        while win.current_snapshot() is None:
            run_for(app, 0.02)
        win.findChild(QAction, "compare").trigger()  # as a user does
        while not (win.compare.active and all(s is not None for s in win.compare.latest)):
            run_for(app, 0.02)
        win.send(P.Configure(dataclasses.replace(win.compare.b.config.training, lr=0.5)))
        frames = [[], []]  # each run's snapshots drawn
        for c, drawn_ in zip(win.compare.runs(), frames):
            c.snapshotReady.connect(lambda s, d=drawn_: d.append(time.perf_counter()))
        win.menus.full_speed_action.setChecked(full_speed)
        win.menus.play_action.trigger()
        run_for(app, 1.5)  # both load the compiled kernel meanwhile
        s0 = [s.samples_seen for s in win.compare.latest]
        n0, t0 = [len(f) for f in frames], time.perf_counter()
        gaps = [0]  # epochs between the runs, sampled every 20 ms
        sampler = QTimer(interval=20)
        sampler.timeout.connect(lambda: gaps.append(abs(np.subtract(*win.compare.block.epochs()))))
        sampler.start()
        run_for(app, seconds)
        sampler.stop()
        apart = max(gaps)
        dt = time.perf_counter() - t0
        sps = [(s.samples_seen - n) / dt for s, n in zip(win.compare.latest, s0)]
        t_close = time.perf_counter()
        win.close()
        fps = min(len(f) - n for f, n in zip(frames, n0)) / dt
        rows.append((solo, fps, *sps, apart,
                     time.perf_counter() - t_close))
    return rows


def compare_report(app, seconds):
    cfg = Config(max_epochs=10**9)
    for solo, fps, a, b, apart, close_s in comparing(app, cfg, seconds):
        print(f"classic demo, compare (B: lr 0.5) at full speed: {fps:.1f} frames/s of each run "
              f"(target >= 30); A {a:,.0f} and B {b:,.0f} samples/s, {a / solo:.0%} and "
              f"{b / solo:.0%} of one run's {solo:,.0f} (target >= 40%); at most {apart} "
              f"epoch(s) apart (lockstep: <= 1); close {close_s * 1000:.0f} ms (load "
              f"{os.getloadavg()[0]:.2f})", flush=True)
    for _, fps, a, b, apart, _ in comparing(app, cfg, seconds, rounds=2, full_speed=False):
        print(f"classic demo, compare at the starting pace (60 epochs/s): {fps:.1f} frames/s "
              f"of each run (target >= 30); A {a:,.0f} and B {b:,.0f} samples/s; at most "
              f"{apart} epoch(s) apart (load {os.getloadavg()[0]:.2f})", flush=True)


def first_report():
    firsts, qt = first_frame()
    print(f"first frame with data, from process start: median {np.median(firsts):.2f} s, "
          f"runs {', '.join(f'{t:.2f}' for t in firsts)} (target <= 0.7 s); importing "
          f"PySide6.QtWidgets and pyqtgraph alone: median {np.median(qt):.2f} s; ratio "
          f"{np.median(firsts) / np.median(qt):.2f} (target <= 1.5); "
          f"load average {os.getloadavg()[0]:.2f}")


def scrub_report(app, deep):
    med, worst = scrubbing(app, Config(**deep))
    print(f"timeline on 2-8-8-8-8-8-8-1 after 300 epochs, slider move to frame drawn: "
          f"{med * 1000:.1f} ms median, {worst * 1000:.1f} ms worst (target <= 50 ms); "
          f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
