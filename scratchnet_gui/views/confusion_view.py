"""The confusion matrix of the test set: rows the true class, columns the predicted one.
For two classes the prediction follows the window's threshold; for K ≥ 3 it is the most
probable class.

The counts are numpy's: the window's process does not import scikit-learn (it takes a
second, on the thread that draws), and these are the same counts of ``p ≥ threshold``
that the prediction view colours right and wrong. The tests check them against
``sklearn.metrics.confusion_matrix``."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from . import colors


def counts(y, pred, k: int) -> np.ndarray:
    """The k×k matrix of true class ``y`` (rows) against predicted class ``pred``."""
    y, pred = np.ravel(y).astype(np.int64), np.ravel(pred).astype(np.int64)
    return np.bincount(y * k + pred, minlength=k * k).reshape(k, k)


def matrix(snap, threshold: float = 0.5):
    """``(counts, class names)`` for the snapshot's drawn test points, or ``None`` for
    regression or without test points."""
    task, pts = snap.task, snap.points
    y, p = pts.y_test, snap.test_pred
    if task.kind == "regression" or len(p) != len(y) or not len(y):
        return None
    if task.n_classes == 2:
        return counts(y, np.ravel(p) >= threshold, 2), task.classes
    return counts(y, p, task.n_classes), task.classes


class ConfusionView(QWidget):
    """A table of counts, each cell shaded by its share of its true class's row."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("confusion_view")
        self.threshold = 0.5
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.grid = QTableWidget()
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for header in (self.grid.horizontalHeader(), self.grid.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.caption)
        lay.addWidget(self.grid, 1)
        self.counts = None  # the matrix drawn, for tests and export
        self._snap = None
        self._drawn = None

    def use_settings(self, settings) -> bool:
        """Take the window's ``ViewSettings`` (the threshold); True if it changed."""
        changed = settings.threshold != self.threshold
        self.threshold = settings.threshold
        return changed

    def draw(self, snap, slow: bool = True) -> None:
        self._snap = snap
        found = matrix(snap, self.threshold)
        self.counts = None if found is None else found[0]
        key = (None if found is None else (self.counts.tobytes(), found[1]), self.threshold,
               snap.task.kind, len(snap.points.y_test))
        if key == self._drawn:
            return
        self._drawn = key
        if found is None:
            self.caption.setText("Regression has no classes: its scores are R² and MSE."
                                 if snap.task.kind == "regression" else "No test points.")
            self.grid.setRowCount(0)
            self.grid.setColumnCount(0)
            return
        self._fill(*found)
        rule = (f"class {found[1][1]} when p ≥ {self.threshold:.2f}" if len(found[1]) == 2
                else "the most probable class")
        n, acc = int(self.counts.sum()), np.trace(self.counts) / max(1, self.counts.sum())
        which = ("an even sample of " if snap.points.test_index is not None else "") + f"{n:,}"
        self.caption.setText(f"Test set ({which} points), predicted as {rule}. "
                             f"Rows: true class; columns: predicted. Accuracy {acc:.3f}.")

    def _fill(self, counts: np.ndarray, names) -> None:
        k = len(names)
        self.grid.setRowCount(k)
        self.grid.setColumnCount(k)
        short = [n if len(n) <= 16 else n[:15] + "…" for n in map(str, names)]
        self.grid.setHorizontalHeaderLabels([f"→ {n}" for n in short])
        self.grid.setVerticalHeaderLabels(short)
        share = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
        right, wrong = np.array(colors.CORRECT), np.array(colors.WRONG)
        paper = np.array(colors.PAPER)  # white, or the dark theme's background
        for r in range(k):
            for c in range(k):
                tint = right if r == c else wrong
                rgb = np.rint(paper - share[r, c] * 0.6 * (paper - tint)).astype(int)
                item = QTableWidgetItem(f"{counts[r, c]:,}")
                item.setBackground(QBrush(QColor(*rgb)))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.grid.setItem(r, c, item)


def table(snap, threshold: float = 0.5):
    """The matrix as ``(header, rows)`` for CSV export."""
    found = matrix(snap, threshold)
    if found is None:
        return ["note"], [["regression has no classes" if snap.task.kind == "regression"
                           else "no test points"]]
    counts, names = found
    return ["true \\ predicted", *names], [[n, *map(int, row)] for n, row in zip(names, counts)]
