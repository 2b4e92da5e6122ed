"""Activations, losses and the extreme-logit behaviour the article's sigmoid lacked."""

import numpy as np
import pytest
from sklearn.metrics import log_loss

from scratchnet import Network, activations, losses

EXTREME = np.array([-1000.0, -745.0, -50.0, 0.0, 50.0, 745.0, 1000.0])


def test_sigmoid_is_stable_and_exact_at_extreme_logits():
    with np.errstate(all="raise"):
        s = activations.sigmoid(EXTREME)
    assert np.all(np.isfinite(s))
    assert s[0] == pytest.approx(0.0, abs=1e-300) and s[-1] == 1.0 and s[3] == 0.5
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(activations.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15)


def test_sigmoid_does_not_write_into_its_input():
    z = np.array([-1.0, 2.0])
    activations.sigmoid(z)
    assert z.tolist() == [-1.0, 2.0]


@pytest.mark.parametrize("name", list(activations.ACTIVATIONS))
def test_derivative_from_output_matches_central_difference(name):
    act = activations.get(name)
    z = np.array([-2.3, -0.7, 0.4, 1.9])  # away from the ReLU kink
    h = 1e-6
    numeric = (act.f(z + h) - act.f(z - h)) / (2 * h)
    np.testing.assert_allclose(act.df(act.f(z)), numeric, rtol=1e-7, atol=1e-9)


def test_unknown_activation_names_the_choices():
    with pytest.raises(ValueError, match="sigmoid, tanh, relu, leaky_relu, linear"):
        activations.get("swish")


@pytest.mark.parametrize("output", ["sigmoid", "linear"])
def test_losses_are_finite_without_warnings_at_extreme_logits(output):
    y = np.array([1, 0, 1, 0, 1, 0, 1.0])[:, None]
    z = EXTREME[:, None]
    a = activations.get(output).f(z)
    with np.errstate(all="raise"):
        value = losses.loss(output, z, a, y)
    assert np.isfinite(value)


def test_bce_from_logits_equals_sklearn_log_loss():
    rng = np.random.default_rng(0)
    z = rng.normal(0, 3, (50, 1))
    y = rng.integers(0, 2, (50, 1)).astype(float)
    p = 1 / (1 + np.exp(-z))
    assert losses.bce_from_logits(z, y) == pytest.approx(log_loss(y.ravel(), p.ravel()), rel=1e-12)


def test_network_trains_through_extreme_logits_without_warnings():
    net = Network([2, 3, 1], seed=0)
    net.layers[-1].weights[:] = 400.0  # saturates the output at ±1000-ish logits
    X = np.array([[3.0, -2.0], [-3.0, 2.0]])
    y = np.array([0.0, 1.0])
    with np.errstate(all="raise"):
        loss, grads = net.loss_and_gradients(X, y)
    assert np.isfinite(loss) and loss > 10
    assert all(np.all(np.isfinite(g)) for pair in grads for g in pair)
