"""Softmax multiclass and scaled regression outputs: exact gradients, trace, stability."""

import itertools

import numpy as np
import pytest
from sklearn.metrics import log_loss

from scratchnet import Network, activations, gradcheck, losses

OUTPUTS = {  # output, output width, targets drawn for a batch
    "softmax3": ("softmax", 3, lambda rng, n: rng.integers(0, 3, n).astype(float)),
    "softmax5": ("softmax", 5, lambda rng, n: rng.integers(0, 5, n).astype(float)),
    "regression": ("linear", 1, lambda rng, n: rng.normal(40.0, 7.0, n)),
}


def _net(kind, hidden="tanh", seed=0):
    output, k, _ = OUTPUTS[kind]
    scale = {"target_mean": 40.0, "target_std": 7.0} if output == "linear" else {}
    return Network([3, 5, 4, k], activation=hidden, output=output, init="xavier", seed=seed,
                   **scale)


def _batch(kind, n=7, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 3)), OUTPUTS[kind][2](rng, n)


@pytest.mark.parametrize("hidden,kind", list(itertools.product(activations.ACTIVATIONS, OUTPUTS)))
@pytest.mark.parametrize("seed", [0, 1])
def test_gradients_match_central_differences(hidden, kind, seed):
    net = _net(kind, hidden, seed)
    X, y = _batch(kind, seed=seed)
    assert gradcheck(net, X, y) <= 1e-6
    assert gradcheck(net, X, y, l1=0.01, l2=0.03) <= 1e-6


@pytest.mark.parametrize("kind", list(OUTPUTS))
def test_trace_equals_gradients_on_a_batch_of_one(kind):
    net = _net(kind, "relu", seed=2)
    X, y = _batch(kind, seed=3)
    tr = net.trace(X[4], y[4])
    for L, (dW, db) in zip(tr.layers, net.gradients(X[4:5], y[4:5])):
        np.testing.assert_array_equal(L.dW, dW)
        np.testing.assert_array_equal(L.db, db)
    # the output error is prediction − y, with y as the loss sees it
    np.testing.assert_array_equal(tr.layers[-1].delta, tr.prediction - tr.y)
    assert tr.loss == pytest.approx(net.loss(X[4:5], y[4:5]), rel=1e-15)
    if kind.startswith("softmax"):
        assert tr.y.sum() == 1.0 and tr.y[int(y[4])] == 1.0
    else:
        assert tr.y[0] == pytest.approx((y[4] - 40.0) / 7.0, rel=1e-15)


def test_softmax_forward_gives_class_probabilities():
    net = _net("softmax5", "sigmoid")
    X, _ = _batch("softmax5", n=50)
    P = net.forward(X)
    assert P.shape == (50, 5) and np.all(P > 0)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-15)
    z = net._forward(X)[0][-1]
    np.testing.assert_allclose(P, np.exp(z) / np.exp(z).sum(1, keepdims=True), rtol=1e-14)


def test_cross_entropy_equals_sklearn_log_loss():
    rng = np.random.default_rng(0)
    z = rng.normal(0, 3, (60, 4))
    y = rng.integers(0, 4, 60)
    p = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    ce = losses.cross_entropy_from_logits(z, losses.one_hot(y, 4))
    assert ce == pytest.approx(log_loss(y, p, labels=range(4)), rel=1e-12)


def test_softmax_and_its_loss_are_finite_without_warnings_at_extreme_logits():
    z = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -999.0], [800.0, 800.0, 800.0]])
    Y = losses.one_hot([1, 2, 0], 3)
    with np.errstate(all="raise"):
        p = losses.softmax(z)
        ce = losses.cross_entropy_from_logits(z, Y)
    np.testing.assert_allclose(p.sum(1), 1.0)
    # row 1: 2000 for the missed class; row 2: log(1 + 2/e); row 3: log 3
    expect = (2000.0 + np.log1p(2 * np.exp(-1.0)) + np.log(3.0)) / 3
    assert ce == pytest.approx(expect, rel=1e-15)


def test_regression_predicts_in_the_targets_units():
    net = _net("regression", "tanh")
    X, _ = _batch("regression", n=9)
    inner = net._forward(X)[1][-1]  # what the loss compares with standardised targets
    np.testing.assert_allclose(net.forward(X), inner * 7.0 + 40.0, rtol=1e-15)
    twin = net.copy()
    assert (twin.target_mean, twin.target_std) == (40.0, 7.0)


@pytest.mark.parametrize("make,msg", [
    (lambda: Network([2, 3, 1], output="softmax"), "softmax output needs one unit per class"),
    (lambda: Network([2, 3, 3], output="softmax").loss(np.zeros((2, 2)), [0, 3]),
     "class labels must be whole numbers from 0 to 2, not 3"),
    (lambda: Network([2, 3, 3], output="softmax").loss(np.zeros((2, 2)), [0, 1.5]),
     "not 1.5"),
    (lambda: Network([2, 1], output="linear", target_std=0.0), "std > 0"),
    (lambda: Network([2, 1], output="sigmoid", target_mean=1.0), "only a linear"),
    (lambda: Network([2, 3, 3], output="softmax").resize([2, 4, 1]), "at least 2"),
])
def test_bad_outputs_and_targets_are_refused_with_one_line(make, msg):
    with pytest.raises(ValueError, match=msg):
        make()
