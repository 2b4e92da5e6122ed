"""Network inputs: engineered features and standardisation by the training set.

A large set is engineered and standardised ``CHUNK`` rows at a time, so no full-size
temporary is made beside the result (a 2M-row set's would be 23 MiB each).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHUNK = 65_536  # rows engineered and standardised at a time: small temporaries

# --- engineered features ---------------------------------------------------------------
FEATURES = {
    "x1²": lambda x1, x2: x1 * x1,
    "x2²": lambda x1, x2: x2 * x2,
    "x1·x2": lambda x1, x2: x1 * x2,
    "sin x1": lambda x1, x2: np.sin(x1),
    "sin x2": lambda x1, x2: np.sin(x2),
    "radius": lambda x1, x2: np.sqrt(x1 * x1 + x2 * x2),
}


def engineer(X: np.ndarray, features=()) -> np.ndarray:
    """Append the named engineered ``features`` (keys of ``FEATURES``), built from the
    first two columns, to ``X``."""
    features = list(features)
    if not features:
        return X
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ValueError(f"unknown feature(s) {unknown}; choose from {', '.join(FEATURES)}")
    if X.shape[1] < 2:
        raise ValueError("engineered features need at least two input columns")
    x1, x2 = X[:, 0], X[:, 1]
    with np.errstate(over="ignore", invalid="ignore"):  # Dataset names a column that overflows
        return np.column_stack([X] + [FEATURES[f](x1, x2) for f in features])


@dataclass(frozen=True)
class Inputs:
    """Raw points → network inputs: engineered features, then optional standardisation
    with the *training* set's mean and standard deviation.

    Each column is first divided by ``scale``, a power of two near its largest size, so
    the sums of squares cannot overflow (values of 1e200 or 1e308 standardise as well
    as values of 1). Scaling by a power of two is exact: the results are bit-identical
    to ``(X − mean) / std`` whenever that does not overflow.
    """

    features: tuple = ()
    mean: np.ndarray | None = None
    std: np.ndarray | None = None
    scale: np.ndarray | None = None

    def __call__(self, X_raw: np.ndarray) -> np.ndarray:
        X_raw = np.asarray(X_raw, dtype=np.float64)
        if self.mean is None and not self.features:
            return X_raw
        if len(X_raw) <= CHUNK:
            return self._apply(X_raw)
        # elementwise, so chunk by chunk gives the same numbers without full-size temporaries
        out = np.empty((len(X_raw), X_raw.shape[1] + len(self.features)))
        for i in range(0, len(X_raw), CHUNK):
            out[i:i + CHUNK] = self._apply(X_raw[i:i + CHUNK])
        return out

    def _apply(self, X_raw):
        X = engineer(X_raw, self.features)
        if self.mean is None:
            return X
        s = 1.0 if self.scale is None else self.scale
        with np.errstate(over="ignore", invalid="ignore"):  # Dataset names such a column
            return (X / s - self.mean / s) / (self.std / s)

    @classmethod
    def fit(cls, X_raw, features=(), standardize=True) -> "Inputs":
        """Engineer ``features`` and, if ``standardize``, measure the mean and standard
        deviation of every column of ``X_raw`` (the training set), ``CHUNK`` rows at a
        time; up to ``CHUNK`` rows that is numpy's ``mean`` and ``std`` to the bit."""
        X_raw = np.asarray(X_raw, dtype=np.float64)
        if not standardize:
            engineer(X_raw[:1], features)  # unknown features still refused
            return cls(tuple(features))
        pieces = lambda: (engineer(X_raw[i:i + CHUNK], features)  # noqa: E731
                          for i in range(0, max(len(X_raw), 1), CHUNK))
        top, finite = None, True
        for c in pieces():
            finite = finite and bool(np.all(np.isfinite(c)))
            m = np.max(np.abs(c), axis=0) if len(c) else np.zeros(c.shape[1])
            top = m if top is None else np.maximum(top, m)
        if not finite:
            return cls(tuple(features))  # Dataset refuses non-finite inputs by name
        scale = np.ldexp(1.0, np.frexp(top)[1] - 1)  # max|x|/scale in [1, 2): 2**1023 at most
        mean, std = _moments(lambda: (c / scale for c in pieces()), len(X_raw))
        # std ≤ max|x| and |mean| ≤ max|x|: both are finite in real units
        return cls(tuple(features), mean * scale, np.where(std > 0, std * scale, 1.0), scale)


def _column_sum(pieces) -> np.ndarray:
    """Column sums of the rows ``pieces`` yields. numpy sums a C-ordered array's rows one
    after another, so stacking the running sum on the next piece continues that sum."""
    total = None
    for c in pieces:
        total = c.sum(axis=0) if total is None else np.vstack([total, c]).sum(axis=0)
    return total


def _moments(pieces, n: int):
    """``(mean, std)`` of each column of the rows ``pieces()`` yields (``n`` in all), with
    numpy's operations: the sum over ``n``, then the centred squares' sum over ``n``."""
    mean = _column_sum(pieces()) / n

    def squares():
        for c in pieces():
            d = c - mean
            d *= d
            yield d

    return mean, np.sqrt(_column_sum(squares()) / n)
