"""The per-epoch history of a training run.

Columns, for every task (``HISTORY_KEYS``): ``epoch``, ``train_auc``/``test_auc``
(binary AUC; macro one-vs-rest AUC for K ≥ 3 classes; NaN for regression),
``train_loss``/``test_loss`` (the loss trained on, with the weight penalty; for
regression half the MSE on standardised targets), ``train_acc``/``test_acc``
(accuracy; NaN for regression), ``lr``, ``samples``, ``seconds``.

Every task adds the diagnostics' per-layer columns (``scratchnet.diagnostics``:
``grad_norm_k``, ``update_ratio_k``, ``saturated_k``, ``dead_k``), as many as the
network has layers (``History.add_keys``).

Regression adds ``REGRESSION_KEYS``: ``train_r2``/``test_r2`` (R²) and
``train_mse``/``test_mse`` (mean squared error in the targets' own units).

Every task adds ``LANDSCAPE_KEYS``: ``sharpness``, the top eigenvalue of the training
loss's Hessian, in the epochs a ``landscape.SharpnessProbe`` measured (NaN in others).

A set of more than ``tasks.METRIC_ROWS`` (65,536) rows is measured on an even sample of
that many rows, the same each epoch: an estimate (a binary AUC's standard error is then
about 0.002 or less) at a fixed cost, where measuring 2M rows took 0.6 s an epoch. Up
to that size every row is measured. ``Trainer(metric_rows=None)`` measures every row
always; the command line's final scores are measured on every row.
"""

from __future__ import annotations

import numpy as np

HISTORY_KEYS = ("epoch", "train_auc", "test_auc", "train_loss", "test_loss",
                "train_acc", "test_acc", "lr", "samples", "seconds")
REGRESSION_KEYS = ("train_r2", "test_r2", "train_mse", "test_mse")
# measured only while asked for (``landscape.SharpnessProbe``): NaN in other epochs
LANDSCAPE_KEYS = ("sharpness",)


class History:
    """Per-epoch metrics in growable float64 columns (copied cheaply by snapshots).

    Row 0 is the untrained network: the article's "AUC prior to each epoch".

    Parameters
    ----------
    rows : dict, optional
        Columns to start from (``rows`` output); they also set the columns kept: the
        base ``HISTORY_KEYS`` plus any of ``REGRESSION_KEYS`` present.
    keys : sequence of str, optional
        The columns of an empty history (``Task.history_keys``); ``HISTORY_KEYS`` by
        default.
    """

    def __init__(self, rows: dict | None = None, keys=None):
        if keys is None:
            keys = HISTORY_KEYS + tuple(k for k in REGRESSION_KEYS + LANDSCAPE_KEYS
                                        if rows and k in rows)
        self.keys = tuple(keys)
        self._n = 0
        self._cols = {k: np.empty(64) for k in self.keys}
        for i in range(len(next(iter(rows.values()))) if rows else 0):
            self.append(**{k: rows[k][i] for k in self.keys if k in rows})

    def append(self, **values) -> None:
        if self._n == len(self._cols["epoch"]):
            self._cols = {k: np.concatenate([v, np.empty(len(v))]) for k, v in self._cols.items()}
        for k in self.keys:
            self._cols[k][self._n] = values.get(k, np.nan)
        self._n += 1

    def add_keys(self, keys) -> None:
        """Keep columns ``keys`` too from now on (earlier rows hold NaN): a network that
        grows a layer measures its diagnostics in new columns."""
        new = [k for k in keys if k not in self._cols]
        if new:
            size = len(self._cols["epoch"])
            self._cols.update({k: np.full(size, np.nan) for k in new})
            self.keys = self.keys + tuple(new)

    def __len__(self) -> int:
        return self._n

    @property
    def nbytes(self) -> int:
        """Memory its columns hold (their capacity, grown by doubling)."""
        return sum(v.nbytes for v in self._cols.values())

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
