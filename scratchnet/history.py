"""The per-epoch history of a training run."""

from __future__ import annotations

import numpy as np

HISTORY_KEYS = ("epoch", "train_auc", "test_auc", "train_loss", "test_loss",
                "train_acc", "test_acc", "lr", "samples", "seconds")


class History:
    """Per-epoch metrics in growable float64 columns (copied cheaply by snapshots).

    Row 0 is the untrained network: the article's "AUC prior to each epoch".
    """

    def __init__(self, rows: dict | None = None):
        self._n = 0
        self._cols = {k: np.empty(64) for k in HISTORY_KEYS}
        for i in range(len(next(iter(rows.values()))) if rows else 0):
            self.append(**{k: rows[k][i] for k in HISTORY_KEYS if k in rows})

    def append(self, **values) -> None:
        if self._n == len(self._cols["epoch"]):
            self._cols = {k: np.concatenate([v, np.empty(len(v))]) for k, v in self._cols.items()}
        for k in HISTORY_KEYS:
            self._cols[k][self._n] = values.get(k, np.nan)
        self._n += 1

    def __len__(self) -> int:
        return self._n

    def pop(self) -> None:
        """Drop the last row."""
        self._n = max(0, self._n - 1)

    def __getitem__(self, key: str) -> np.ndarray:
        """A read-only view of one column."""
        v = self._cols[key][:self._n]
        v.flags.writeable = False
        return v

    def last(self, key: str) -> float:
        return float(self._cols[key][self._n - 1]) if self._n else float("nan")

    def arrays(self) -> dict:
        """Copies of every column."""
        return {k: v[:self._n].copy() for k, v in self._cols.items()}

    @property
    def rows(self) -> dict:
        """Every column as a list of floats (JSON-ready)."""
        return {k: v[:self._n].tolist() for k, v in self._cols.items()}
