"""Numpy ports of scikit-learn's ``make_circles`` and ``train_test_split``.

Why: importing scikit-learn takes about 0.85 s here, more than the whole budget for the
window's first frame (1.0 s from launch), and the classic demo needs only these two
calls before it can show data. Each port draws from the same legacy ``RandomState``
stream in the same order as scikit-learn 1.x, so the results are identical to the bit;
``tests/engine/test_sklearn_ports.py`` compares them with scikit-learn itself.
Everything else (other generators, every metric) still comes from scikit-learn.
"""

from __future__ import annotations

import numpy as np


def make_circles(n_samples: int, noise: float | None, factor: float, random_state: int):
    """``sklearn.datasets.make_circles(n_samples, shuffle=True, noise=..., factor=...,
    random_state=...)``: ``X`` (n, 2) float64 and ``y`` (n,) intp."""
    n_out = n_samples // 2
    n_in = n_samples - n_out
    rng = np.random.RandomState(random_state)
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([np.append(np.cos(t_out), np.cos(t_in) * factor),
                   np.append(np.sin(t_out), np.sin(t_in) * factor)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    order = np.arange(n_samples)
    rng.shuffle(order)  # sklearn.utils.shuffle: one in-place shuffle of the indices
    X, y = X[order], y[order]
    if noise is not None:
        X += rng.normal(scale=noise, size=X.shape)
    return X, y


def _approximate_mode(class_counts, n_draws: int, rng) -> np.ndarray:
    """Per-class draws for a stratified split; ties broken by ``rng`` as sklearn does."""
    continuous = class_counts / class_counts.sum() * n_draws
    floored = np.floor(continuous)
    need = int(n_draws - floored.sum())
    if need > 0:
        remainder = continuous - floored
        for value in np.sort(np.unique(remainder))[::-1]:
            (inds,) = np.where(remainder == value)
            add = min(len(inds), need)
            floored[rng.choice(inds, size=add, replace=False)] += 1
            need -= add
            if need == 0:
                break
    return floored.astype(int)


def split_indices(y, n_test: int, random_state: int, stratify: bool):
    """``(train, test)`` row indices of ``train_test_split(..., test_size=n_test,
    random_state=random_state, stratify=y if stratify else None)``."""
    n = len(y)
    n_train = n - n_test
    rng = np.random.RandomState(random_state)
    if not stratify:
        perm = rng.permutation(n)
        return perm[n_test:n_test + n_train], perm[:n_test]
    # Each class's rows in increasing order, as scikit-learn's stable argsort of the class
    # indices groups them, but found class by class: no full-size inverse or argsort
    # arrays (2M rows: a peak of 78 MiB before, 46 now, 15 of them the result).
    classes, counts = np.unique(y, return_counts=True)
    n_i = _approximate_mode(counts, n_train, rng)
    t_i = _approximate_mode(counts - n_i, n_test, rng)
    train, test = np.empty(n_train, dtype=np.intp), np.empty(n_test, dtype=np.intp)
    a = b = 0
    for k, c in enumerate(classes):
        rows = np.flatnonzero(y == c).take(rng.permutation(counts[k]), mode="clip")
        train[a:a + n_i[k]] = rows[:n_i[k]]
        test[b:b + t_i[k]] = rows[n_i[k]:n_i[k] + t_i[k]]
        a, b = a + n_i[k], b + t_i[k]
    # rng.permutation(array) shuffles a copy; shuffling in place draws the same numbers
    rng.shuffle(train)
    rng.shuffle(test)
    return train, test
