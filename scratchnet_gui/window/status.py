"""The status bar's line: the epoch and the task's scores, as the history last has them."""

from __future__ import annotations

import numpy as np

from scratchnet import diagnostics


def status_line(snap) -> str:
    """``epoch … train AUC … test AUC … accuracy … loss …`` for classification (AUC is
    macro one-vs-rest for K ≥ 3 classes), ``… R² … MSE …`` for regression."""
    h = snap.history
    row = int(np.searchsorted(h["epoch"], snap.epoch, side="right")) - 1  # scrubbed: its row

    def last(k):
        v = h[k][row] if k in h and len(h[k]) > row >= 0 else float("nan")
        return "…" if np.isnan(v) else f"{v:.4f}"

    if snap.task.kind == "regression":
        scores = (f"train R² {last('train_r2')}   test R² {last('test_r2')}   "
                  f"test MSE {last('test_mse')}")
    else:
        scores = (f"train AUC {last('train_auc')}   test AUC {last('test_auc')}   "
                  f"test accuracy {last('test_acc')}")
    line = (f"epoch {snap.epoch}   {scores}   loss {last('train_loss')}   "
            f"{snap.samples_per_s:,.0f} samples/s   lr {snap.lr:g}")
    dead = diagnostics.dead_text(snap.units, snap.activations[:-1]) if snap.units else ""
    return f"{line}   {dead}" if dead else line
