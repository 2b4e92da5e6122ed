"""The overlaid curves of ``scratchnet train --compare``: runs A's and B's score (AUC,
or R² for regression), loss and gradient norms per epoch on the same axes, A solid and
B dashed, each curve named in the legend; as PNG, SVG and the CSV behind them."""

from __future__ import annotations

import csv
import io
import os

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from scratchnet.fileio import atomic_path

from ..views import colors
from ..views.gradient_view import LAYER_COLORS, layers_of
from . import export

STYLES = {"A": Qt.PenStyle.SolidLine, "B": Qt.PenStyle.DashLine}
SETS = (("train", colors.POSITIVE), ("test", colors.NEGATIVE))
SIZE = (900, 650)  # the solo views' export size


def _pen(rgb, run: str, width: float = 2.0):
    return pg.mkPen(*rgb, width=width, style=STYLES[run])


def figures(runs: list, task) -> dict:
    """``{stem: (title, y label, log axis, [(name, epochs, values, pen)])}`` for
    ``runs = [("A", history), ("B", history)]``."""
    metric = task.metric
    score = "R²" if metric == "r2" else "AUC"
    loss = "mse" if task.kind == "regression" else "loss"
    out = {"auc": (f"{score} per epoch", score, False, []),
           "loss": ("MSE (targets' units)" if loss == "mse" else "Loss", loss, False, []),
           "gradients": ("‖∂L/∂W‖ per layer", "per layer (log)", True, [])}
    for run, history in runs:
        h = history.arrays()  # {column: values}
        e = np.asarray(h["epoch"], dtype=float)
        for part, rgb in SETS:
            out["auc"][3].append((f"{run} {part} {score}", e, h[f"{part}_{metric}"],
                                  _pen(rgb, run)))
            if f"{part}_{loss}" in h:
                out["loss"][3].append((f"{run} {part} {loss}", e, h[f"{part}_{loss}"],
                                       _pen(rgb, run)))
        for k in range(layers_of(h)):
            v = np.asarray(h[f"grad_norm_{k + 1}"], dtype=float)
            with np.errstate(invalid="ignore"):
                v = np.where(v > 0, v, np.nan)  # what a log axis can show
            out["gradients"][3].append((f"{run} layer {k + 1}", e, v,
                                        _pen(LAYER_COLORS[k % len(LAYER_COLORS)], run)))
    return out


def figure(title: str, ylabel: str, log: bool, lines: list, line: str) -> pg.PlotWidget:
    """One offscreen plot of ``lines``, titled with what B changes."""
    w = pg.PlotWidget()
    w.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    w.setBackground("w")
    w.setTitle(f"{title}: A solid, B dashed ({line})", color=colors.TEXT)
    w.setLabel("left", ylabel)
    w.setLabel("bottom", "epoch")
    w.getAxis("left").enableAutoSIPrefix(False)
    w.showGrid(x=True, y=True, alpha=0.2)
    w.setLogMode(y=log)
    legend = w.addLegend(offset=(-10, 10), brush=pg.mkBrush(255, 255, 255, 210))
    for name, x, y, pen in lines:
        w.plot(x, np.asarray(y, dtype=float), pen=pen, name=name, connect="finite")
    if not log and ylabel in ("AUC", "R²"):  # scores climb to the top: the key below
        legend.anchor((1, 1), (1, 1), offset=(-10, -10))
    w.resize(*SIZE)
    w.show()
    QApplication.processEvents()
    return w


def table(lines: list) -> tuple:
    """``(header, rows)``: one row per epoch either run reached, one column per curve
    (empty where a run has no such epoch)."""
    epochs = sorted({int(e) for _, x, _, _ in lines for e in x})
    columns = [dict(zip((int(e) for e in x), np.asarray(y, dtype=float)))
               for _, x, y, _ in lines]
    rows = [[e, *("" if e not in c or not np.isfinite(c[e]) else repr(float(c[e]))
                  for c in columns)] for e in epochs]
    return ["epoch", *(name for name, *_ in lines)], rows


def _write_csv(path: str, header: list, rows: list) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    with atomic_path(path) as tmp:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            fh.write(out.getvalue())


def write_all(folder: str, runs: list, task, line: str) -> list:
    """``auc``, ``loss`` and ``gradients`` (PNG, SVG, CSV) of both runs in ``folder``;
    returns the paths written."""
    written = []
    for stem, (title, ylabel, log, lines) in figures(runs, task).items():
        if not lines:
            continue
        w = figure(title, ylabel, log, lines, line)
        w.setObjectName(f"compare_{stem}")
        base = os.path.join(folder, stem)
        export.write_png(w, base + ".png")
        export.write_svg(w, base + ".svg")
        _write_csv(base + ".csv", *table(lines))
        written += [base + ".png", base + ".svg", base + ".csv"]
        w.close()
    return written
