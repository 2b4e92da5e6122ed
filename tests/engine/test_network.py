"""The Network: shapes, exact gradients, the trace, resize and seeding."""

import itertools
import subprocess
import sys

import numpy as np
import pytest

from scratchnet import Network, Trainer, activations, gradcheck
from scratchnet.gradcheck import numerical_gradients


def _batch(n=6, d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    return X, (X[:, 0] + 0.5 * X[:, 1] > 0).astype(float)


def test_shapes_follow_the_contract():
    net = Network([2, 9, 6, 1], activation="sigmoid", seed=0)
    assert [L.weights.shape for L in net.layers] == [(9, 2), (6, 9), (1, 6)]
    assert [L.biases.shape for L in net.layers] == [(9,), (6,), (1,)]
    assert all(L.weights.dtype == np.float64 for L in net.layers)
    assert net.forward(np.zeros((5, 2))).shape == (5, 1)


def test_forward_equals_a_plain_loop_over_samples():
    net = Network([3, 4, 2, 1], activation=["tanh", "relu"], seed=3)
    X, _ = _batch()
    for x, out in zip(X, net.forward(X)):
        a = x
        for L in net.layers:
            a = activations.get(L.activation).f(L.weights @ a + L.biases)
        np.testing.assert_allclose(out, a, rtol=1e-14)


@pytest.mark.parametrize("hidden,output", list(itertools.product(activations.ACTIVATIONS,
                                                                 ["sigmoid", "linear"])))
@pytest.mark.parametrize("seed", [0, 1])
def test_gradients_match_central_differences(hidden, output, seed):
    net = Network([3, 5, 4, 1], activation=hidden, output=output, init="xavier", seed=seed)
    X, y = _batch(seed=seed)
    assert gradcheck(net, X, y) <= 1e-6


@pytest.mark.parametrize("l1,l2", [(0.01, 0.0), (0.0, 0.05), (0.02, 0.03)])
def test_regularised_gradients_match_central_differences(l1, l2):
    net = Network([3, 5, 1], activation="tanh", seed=2)
    X, y = _batch()
    assert gradcheck(net, X, y, l1=l1, l2=l2) <= 1e-6


def test_gradcheck_catches_a_wrong_gradient(monkeypatch):
    net = Network([3, 4, 1], seed=0)
    X, y = _batch()
    real = Network.gradients
    monkeypatch.setattr(Network, "gradients", lambda self, *a, **k: [
        (dW * 1.01, db) for dW, db in real(self, *a, **k)])
    assert gradcheck(net, X, y) > 1e-3


def test_gradcheck_restores_the_weights_exactly():
    net = Network([3, 4, 1], seed=0)
    before = [p.copy() for p in net.parameters()]
    gradcheck(net, *_batch())
    assert all(np.array_equal(a, b) for a, b in zip(before, net.parameters()))


def test_trace_matches_gradients_on_a_batch_of_one():
    net = Network([3, 5, 4, 1], activation="tanh", seed=1)
    X, y = _batch()
    tr = net.trace(X[2], y[2])
    for L, (dW, db) in zip(tr.layers, net.gradients(X[2:3], y[2:3])):
        np.testing.assert_array_equal(L.dW, dW)
        np.testing.assert_array_equal(L.db, db)
    assert tr.loss == pytest.approx(net.loss(X[2:3], y[2:3]), rel=1e-15)


def test_trace_records_every_number_from_the_textbook_formulas():
    net = Network([2, 3, 2, 1], seed=4)
    x, y = np.array([0.3, -1.2]), 1.0
    tr = net.trace(x, y)
    a = x
    for L, rec in zip(net.layers, tr.layers):
        np.testing.assert_array_equal(rec.a_in, a)
        np.testing.assert_allclose(rec.z, L.weights @ a + L.biases, rtol=1e-14)
        a = 1 / (1 + np.exp(-rec.z))
        np.testing.assert_allclose(rec.a, a, rtol=1e-14)
    np.testing.assert_allclose(tr.layers[-1].delta, tr.prediction - y, rtol=1e-14)
    for l in (1, 0):  # delta_l = f'(z_l) * W_{l+1}^T delta_{l+1}
        up = tr.layers[l + 1]
        expect = tr.layers[l].a * (1 - tr.layers[l].a) * (net.layers[l + 1].weights.T @ up.delta)
        np.testing.assert_allclose(tr.layers[l].delta, expect, rtol=1e-13)
    for rec in tr.layers:
        np.testing.assert_allclose(rec.dW, np.outer(rec.delta, rec.a_in), rtol=1e-14)
    # the first layer's input is x itself, not the last layer's output (the article's bug)
    np.testing.assert_array_equal(tr.layers[0].a_in, x)


def test_applying_a_trace_is_one_sgd_step_with_batch_size_one():
    X, y = _batch(n=8, d=2)
    net = Network([2, 4, 1], seed=0)
    trainer = Trainer(net.copy(), X, y, batch_size=1, seed=0)
    i = trainer.samples.next_index()
    tr = net.trace(X[i], y[i])
    trainer.step_sample()
    for L, rec, T in zip(net.layers, tr.layers, trainer.network.layers):
        np.testing.assert_array_equal(T.weights, L.weights - 0.1 * rec.dW)
        np.testing.assert_array_equal(T.biases, L.biases - 0.1 * rec.db)


def test_same_seed_gives_bit_identical_networks_and_different_seeds_differ():
    a, b, c = (Network([2, 9, 6, 1], seed=s) for s in (7, 7, 8))
    assert all(np.array_equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not np.array_equal(a.layers[0].weights, c.layers[0].weights)


@pytest.mark.parametrize("init,scale", [("xavier", np.sqrt(2 / 60)), ("he", np.sqrt(2 / 40))])
def test_init_scales(init, scale):
    W = Network([40, 20, 1], init=init, seed=0).layers[0].weights
    assert W.std() == pytest.approx(scale, rel=0.1)


def test_resize_keeps_surviving_units_and_adding_units_changes_nothing():
    net = Network([2, 9, 6, 1], seed=0)
    X, _ = _batch(n=20, d=2)
    before = net.forward(X)
    old = [(L.weights.copy(), L.biases.copy()) for L in net.layers]
    net.resize([2, 9, 7, 1])
    assert net.sizes == [2, 9, 7, 1]
    np.testing.assert_array_equal(net.layers[0].weights, old[0][0])
    np.testing.assert_array_equal(net.layers[1].weights[:6], old[1][0])
    np.testing.assert_array_equal(net.layers[2].weights[:, :6], old[2][0])
    np.testing.assert_allclose(net.forward(X), before, rtol=1e-14)


def test_resize_drops_removed_units_and_adds_layers():
    net = Network([2, 9, 6, 1], seed=0)
    W1 = net.layers[1].weights.copy()
    net.resize([2, 9, 4, 1])
    np.testing.assert_array_equal(net.layers[1].weights, W1[:4])
    net.resize([2, 9, 4, 5, 1], activations=["sigmoid", "sigmoid", "relu"])
    assert net.sizes == [2, 9, 4, 5, 1] and net.activations[-1] == "relu"
    np.testing.assert_array_equal(net.layers[1].weights, W1[:4])


@pytest.mark.parametrize("sizes,message", [
    ([2, 0, 1], "hidden layer 1 size must be at least 1"),
    ([2, -3, 1], "at least 1"),
    ([2, "9", 1], "whole number"),
    ([2, 2.5, 1], "whole number"),
    ([2, 10**9, 1], "too large"),
    ([2], "at least an input and an output"),
])
def test_bad_sizes_are_refused_and_the_network_is_untouched(sizes, message):
    net = Network([2, 9, 6, 1], seed=0)
    before = [p.copy() for p in net.parameters()]
    with pytest.raises(ValueError, match=message):
        net.resize(sizes)
    with pytest.raises(ValueError, match=message):
        Network(sizes)
    assert net.sizes == [2, 9, 6, 1]
    assert all(np.array_equal(a, b) for a, b in zip(before, net.parameters()))


def test_numerical_gradients_are_float64_central_differences():
    # a linear unit with half MSE has a quadratic loss: central differences are exact
    # there (up to round-off), while a one-sided difference is off by eps·L''/2 ≈ 5e-4
    # and a float32 perturbation by ~1e-4
    net = Network([1, 1], output="linear", seed=0)
    X = np.array([[0.5], [-1.5], [2.0]])
    y = np.array([0.3, -0.2, 1.0])
    (dW, db), = numerical_gradients(net, X, y, eps=1e-3)
    r = (net.forward(X) - y[:, None])[:, 0]
    assert abs(dW[0, 0] - np.mean(r * X[:, 0])) <= 1e-10
    assert abs(db[0] - np.mean(r)) <= 1e-10
    # on a curved loss the error is O(eps²): 1e-6 at eps 1e-3, not O(eps)
    net = Network([2, 3, 1], activation="tanh", seed=1)
    X, y = _batch(n=4, d=2)
    for (a, b), (n_w, n_b) in zip(net.gradients(X, y), numerical_gradients(net, X, y, eps=1e-3)):
        np.testing.assert_allclose(n_w, a, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(n_b, b, rtol=1e-5, atol=1e-7)


def test_the_engine_never_imports_qt():
    code = ("import sys, pkgutil, importlib, scratchnet;"
            "[importlib.import_module('scratchnet.' + m.name) "
            "for m in pkgutil.iter_modules(scratchnet.__path__)];"
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'pyqtgraph', 'PyQt5', 'PyQt6', 'shiboken6')];"
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
