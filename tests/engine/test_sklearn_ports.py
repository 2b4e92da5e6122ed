"""The numpy ports of make_circles and train_test_split equal scikit-learn's, to the bit."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_circles
from sklearn.model_selection import train_test_split

from scratchnet import data, sklearn_ports


@pytest.mark.parametrize("n,noise,factor,seed", [(1000, 0.1, 0.1, 0), (1000, 0.1, 0.1, 7),
                                                 (5, 0.0, 0.5, 3), (301, 0.3, 0.8, 123),
                                                 (40, None, 0.1, 2)])
def test_make_circles_is_scikit_learns(n, noise, factor, seed):
    X, y = sklearn_ports.make_circles(n, noise, factor, seed)
    Xs, ys = make_circles(n, noise=noise, factor=factor, random_state=seed)
    np.testing.assert_array_equal(X, Xs)
    np.testing.assert_array_equal(y, ys)


@settings(max_examples=60, deadline=None)
@given(counts=st.lists(st.integers(2, 40), min_size=2, max_size=5),
       test_share=st.floats(0.05, 0.95), seed=st.integers(0, 2**31 - 1),
       stratify=st.booleans())
def test_split_is_train_test_split(counts, test_share, seed, stratify):
    y = np.repeat(np.arange(len(counts)), counts).astype(float)
    np.random.default_rng(seed).shuffle(y)
    n = len(y)
    n_test = min(max(int(test_share * n), len(counts)), n - len(counts))
    X = np.arange(2 * n, dtype=float).reshape(n, 2)
    train, test = sklearn_ports.split_indices(y, n_test, seed, stratify)
    ref = train_test_split(X, y, test_size=n_test, random_state=seed,
                           stratify=y if stratify else None)
    np.testing.assert_array_equal(X[train], ref[0])
    np.testing.assert_array_equal(X[test], ref[1])


def test_the_classic_split_is_scikit_learns():
    X, y = make_circles(1000, noise=0.1, factor=0.1, random_state=0)
    got = data.split(X.astype(float), y.astype(float), 0.75, seed=0)
    ref = train_test_split(X.astype(float), y.astype(float), test_size=250, random_state=0,
                           stratify=y)
    for a, b in zip(got, ref):
        np.testing.assert_array_equal(a, b)
