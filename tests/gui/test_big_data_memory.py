"""Memory of a large CSV load in the training process (the loop run inline, no window):
the data are held once, and no step makes a full-size copy it does not need."""

import gc
import os
import tracemalloc

import numpy as np

from scratchnet import csvfile, data, inputs
from scratchnet.config import Config
from scratchnet_gui import protocol as P
from scratchnet_gui.process.loop import TrainingLoop

ROWS = 200_000
# Measured, from the parse to the first frame of the new data: a peak of 3.0× the file
# (the parsed arrays and the split's parts; the parsed ones are freed before the inputs
# are made) and 2.65× held after it (the parts, the split's rows, the inputs, the
# order); 11.6× and 4.2× when the loop kept the parsed arrays for sessions beside the
# split copies, stacked them again for Points and measured every row each epoch.
PEAK, HELD = 3.75, 3.25


def _csv(path, n):
    X = np.random.default_rng(2).normal(size=(n, 2))
    with open(path, "w") as fh:
        fh.write("x1,x2,label\n")
        np.savetxt(fh, np.column_stack([X, X[:, 0] * X[:, 1] > 0]),
                   fmt=["%.6f", "%.6f", "%d"], delimiter=",")


class NoCommands:
    def poll(self, timeout=0.0):
        return False


def test_a_large_csv_load_peaks_under_3_75_times_the_file_and_holds_it_once(tmp_path,
                                                                           monkeypatch):
    # the parser's Python objects for a chunk of rows (~30 MB for 65,536) and the
    # standardising's chunk are fixed costs: small chunks leave what grows with the file
    monkeypatch.setattr(csvfile, "CHUNK", 4096)
    monkeypatch.setattr(inputs, "CHUNK", 4096)
    path = tmp_path / "big.csv"
    _csv(path, ROWS)
    cfg = Config()
    loop = TrainingLoop(cfg, data.build(cfg.data), NoCommands(), lambda s: None,
                        emit=lambda e: None)
    loop.live.trainer.metric_rows = 4096  # so is the per-epoch metrics' sample (65,536: 17 MB)
    loop.publish()  # the demo's first frame (and scikit-learn) in the baseline
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        loop.dispatch(P.OpenData(data.DataSpec("csv", csv_path=str(path))))
        loop.files.loader.thread.join()
        loop.finish_load()
        loop.publish()  # Points, the first evaluation and snapshot of the new data
        held, peak = (m - base for m in tracemalloc.get_traced_memory())
    finally:
        tracemalloc.stop()
    assert loop.live.trainer.n_train == ROWS * 3 // 4  # loaded, not refused
    size = os.path.getsize(path)
    assert peak / size < PEAK, f"the load peaked at {peak / size:.2f}× the file's size"
    assert held / size < HELD, f"{held / size:.2f}× the file's size is held after the load"
