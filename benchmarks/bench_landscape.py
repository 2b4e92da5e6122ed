"""The loss landscape's costs, each beside its baseline in the same run:

1. ``landscape.plane``, 41×41 on the classic demo's 2-9-6-1 network and its 750
   training rows, against a loop of ``Network.loss`` over copies of the network at the
   same grid points (the ratio is the loop's time over the plane's);
2. one ``landscape.sharpness`` on the same network (cold and warm started), with its
   power-iteration products;
3. the classic demo's training throughput in the window (offscreen, full speed) with
   the Landscape view open against closed, alternating, in one run.

Run: ``python benchmarks/bench_landscape.py [--seconds 3] [--rounds 6]``. Prints the
load average too: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import threadpoolctl  # noqa: E402

from scratchnet import data, landscape as ls  # noqa: E402
from scratchnet.config import Config, make_trainer  # noqa: E402


def _best(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def _loop_plane(net, X, y, d1, d2, axis):
    out = np.empty((len(axis), len(axis)))
    for j, b in enumerate(axis):
        for i, a in enumerate(axis):
            c = net.copy()
            for L, (D1, e1), (D2, e2) in zip(c.layers, d1, d2):
                L.weights += a * D1 + b * D2
                L.biases += a * e1 + b * e2
            out[j, i] = c.loss(X, y)
    return out


def engine(repeats: int) -> None:
    threadpoolctl.threadpool_limits(1)  # as in the training process
    cfg = Config()
    t = make_trainer(cfg, data.build(cfg.data))
    for _ in range(20):
        t.step_epoch()
    net, X, y = t.network, t.X_train, t.y_train
    d1, d2 = ls.random_directions(net, 0)
    axis, _, grid = ls.plane(net, X, y, d1, d2, 1.0, 41)
    fast = _best(lambda: ls.plane(net, X, y, d1, d2, 1.0, 41), repeats)
    slow = _best(lambda: _loop_plane(net, X, y, d1, d2, axis), max(1, repeats // 3))
    err = np.max(np.abs(_loop_plane(net, X, y, d1, d2, axis) - grid) / grid)
    print(f"plane 41x41, 2-9-6-1 x {len(X)} rows: {1e3 * fast:.1f} ms; loop of Network.loss "
          f"{1e3 * slow:.1f} ms; ratio {slow / fast:.1f}x (largest relative difference "
          f"{err:.1e})")
    cold = ls.sharpness(net, X, y, tol=1e-6, max_iter=200)
    t_cold = _best(lambda: ls.sharpness(net, X, y, tol=1e-6, max_iter=200), repeats)
    t_warm = _best(lambda: ls.sharpness(net, X, y, tol=1e-6, max_iter=200,
                                        v0=cold.vector), repeats)
    warm = ls.sharpness(net, X, y, tol=1e-6, max_iter=200, v0=cold.vector)
    print(f"sharpness λmax {cold.value:.4g}: {1e3 * t_cold:.2f} ms cold ({cold.iterations} "
          f"products), {1e3 * t_warm:.2f} ms warm ({warm.iterations}), tol {cold.tol:g}")


def throughput(seconds: float, rounds: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from scratchnet_gui import MainWindow

    app = QApplication.instance() or QApplication([])

    def run_for(s):
        loop = QEventLoop()
        QTimer.singleShot(int(s * 1000), loop.quit)
        loop.exec()

    win = MainWindow(Config(max_epochs=10**6))  # trains through every round
    win.resize(1280, 800)
    win.show()
    while win.current_snapshot() is None or win.current_snapshot().pending:
        run_for(0.05)
    win.menus.full_speed_action.trigger()
    # train until the compiled kernel is in, as the app does (within 60 s)
    win.menus.play_action.trigger()
    deadline = time.perf_counter() + 60
    while win.current_snapshot().kernel != "ready" and time.perf_counter() < deadline:
        run_for(0.1)
    rates = {False: [], True: []}
    for _ in range(rounds):
        for on in (False, True):
            if win.landscape.is_open != on:
                win.landscape.action.trigger()
            run_for(0.5)  # the change has landed
            s0, t0 = win.current_snapshot().samples_seen, time.perf_counter()
            run_for(seconds)
            s1, t1 = win.current_snapshot().samples_seen, time.perf_counter()
            rates[on].append((s1 - s0) / (t1 - t0))
    snap = win.current_snapshot()
    measured = int(np.isfinite(snap.history["sharpness"]).sum())
    win.close()
    closed, opened = np.mean(rates[False]), np.mean(rates[True])
    paired = np.median(np.array(rates[True]) / np.array(rates[False]))
    print(f"training throughput, classic demo in the window at full speed ({snap.kernel} "
          f"kernel): view closed {closed:,.0f} samples/s, open {opened:,.0f} samples/s; "
          f"open/closed {opened / closed:.2f} (median of the rounds' ratios {paired:.2f}; "
          f"{rounds} rounds of {seconds:g} s each; {measured} epochs measured of "
          f"{snap.epoch})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument("--repeats", type=int, default=9)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} at the start")
    engine(args.repeats)
    throughput(args.seconds, args.rounds)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} at the end")


if __name__ == "__main__":
    main()
