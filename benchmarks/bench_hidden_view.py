"""The hidden-space view's cost per frame on the article's 2-9-6-1 circles network with
1,000 points (target ≤ 5 ms), and what the training process spends computing one frame's
coordinates.

Frames are the hidden spaces of successive minibatches of a training run (each one
differs, as while training); each is drawn, then painted into an offscreen pixmap the
view's size (what a screen update costs). Printed with the 1-minute load average.

Run: ``python benchmarks/bench_hidden_view.py``.
"""

from __future__ import annotations

import os
import time
import types

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtGui import QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from scratchnet import data, hidden_space, tasks  # noqa: E402
from scratchnet.config import Config, make_trainer  # noqa: E402
from scratchnet_gui import snapshot  # noqa: E402


def frames(n: int, points: int = 1000):
    """``n`` successive hidden spaces of 2-9-6-1 on circles, ``points`` points each."""
    cfg = Config(data.DataSpec("circles", int(points / 0.75) + 1, 0.1, seed=0))
    ds = data.build(cfg.data)
    t = make_trainer(cfg, ds, track_metrics=False)
    _, grid, _ = snapshot.Points.from_dataset(ds)
    X, y = t.X_train[:points], t.y_train[:points]
    out, prev, cost = [], None, []
    for i in range(n):
        t.step_batch()
        c0 = time.perf_counter()
        prev = hidden_space.compute(t.network, X, y, grid, None, prev, stamp=i + 1)
        cost.append(time.perf_counter() - c0)
        out.append(types.SimpleNamespace(sizes=t.network.sizes, hidden=prev,
                                         task=tasks.Task(), activations=("sigmoid",) * 3))
    return out, float(np.median(cost))


def main():
    app = QApplication.instance() or QApplication([])
    from scratchnet_gui.views.hidden_space_view import HiddenSpaceView

    view = HiddenSpaceView()
    view.resize(560, 460)
    view.show()
    app.processEvents()
    snaps, compute = frames(200)
    pixmap = QPixmap(view.size())
    draw, paint = [], []
    for s in snaps:
        t0 = time.perf_counter()
        view.draw(s)
        t1 = time.perf_counter()
        painter = QPainter(pixmap)
        view.render(painter)  # QGraphicsView.render: the scene, as a repaint draws it
        painter.end()
        t2 = time.perf_counter()
        draw.append(t1 - t0)
        paint.append(t2 - t0)
    draw, paint = np.array(draw[20:]), np.array(paint[20:])  # warm-up frames aside
    load = os.getloadavg()[0]
    print(f"hidden view, 2-9-6-1 sigmoid, {len(snaps[0].hidden.points)} points, "
          f"{len(snaps)} frames: draw {1e3 * np.median(draw):.2f} ms, draw + paint "
          f"{1e3 * np.median(paint):.2f} ms median ({1e3 * np.percentile(paint, 90):.2f} ms "
          f"p90; target <= 5 ms)  load {load:.2f}")
    print(f"training process: {1e3 * compute:.2f} ms to compute one frame's coordinates")


if __name__ == "__main__":
    main()
