"""Losses paired with the output activation they are exact for.

For every pair below the error at the output pre-activation is ``a - y`` per sample
(the reason scikit-learn's MLP writes ``deltas[-1] = activations[-1] - y``):

* sigmoid output + binary cross-entropy (binary classification, one unit);
* softmax output + categorical cross-entropy with one-hot ``y`` (K ≥ 3 classes, K units);
* linear output + half squared error (regression, on standardised targets).

Losses are summed over the outputs and averaged over the rows, so the gradient of the
mean loss with respect to the output logits is ``(a - y) / n``.
"""

from __future__ import annotations

import numpy as np

from .activations import sigmoid

OUTPUTS = ("sigmoid", "linear", "softmax")


# As for the sigmoid: e^-708 is still a normal float64, so exp neither overflows nor
# underflows, and a probability of 3e-308 instead of 0 changes no sum.
_EXP_FLOOR = -708.0


def softmax(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Row-wise softmax of ``z`` (n, K), shifted by each row's maximum so that ``exp``
    never overflows (and floored so that it never underflows); ``out=z`` computes in
    place."""
    t = np.subtract(z, np.max(z, axis=1, keepdims=True), out=out)
    np.maximum(t, _EXP_FLOOR, out=t)
    np.exp(t, out=t)
    t /= np.sum(t, axis=1, keepdims=True)
    return t


def _linear(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    return z


# the output layer's activation (hidden layers use activations.ACTIVATIONS)
OUTPUT_FUNCTIONS = {"sigmoid": sigmoid, "linear": _linear, "softmax": softmax}


def bce_from_logits(z: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy of ``sigmoid(z)`` against ``y``.

    Computed from the logits as ``max(z, 0) - y z + log(1 + e^-|z|)``, which is exact and
    finite for any finite ``z`` (no log of 0, no overflow or underflow at ``z = ±1000``).
    """
    soft = np.log1p(np.exp(-np.minimum(np.abs(z), 708.0)))
    return float(np.sum(np.maximum(z, 0.0) - y * z + soft) / len(z))


def cross_entropy_from_logits(z: np.ndarray, y: np.ndarray) -> float:
    """Mean categorical cross-entropy of ``softmax(z)`` against ``y`` (rows of one-hot or
    probabilities), from the logits: ``Σ_k y_k (logsumexp(z) − z_k)``.

    ``logsumexp`` is taken as ``m + log Σ e^(z − m)`` with ``m`` the row maximum: the sum
    is at least 1, so there is no log of 0 and no overflow for any finite ``z``.
    """
    m = np.max(z, axis=1, keepdims=True)
    e = np.exp(np.maximum(z - m, _EXP_FLOOR))
    lse = m + np.log(np.sum(e, axis=1, keepdims=True))
    return float(np.sum(y * (lse - z)) / len(z))


def half_mse(a: np.ndarray, y: np.ndarray) -> float:
    """Half the mean squared error, so that its gradient is ``a - y``."""
    d = a - y
    return float(0.5 * np.sum(d * d) / len(d))


def loss(output: str, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> float:
    """The loss that goes with ``output`` ("sigmoid": BCE, "softmax": categorical
    cross-entropy, "linear": half MSE)."""
    if output == "sigmoid":
        return bce_from_logits(z, y)
    if output == "softmax":
        return cross_entropy_from_logits(z, y)
    return half_mse(a, y)


def name(output: str) -> str:
    """A human name for the loss used with ``output``."""
    return {"sigmoid": "binary cross-entropy", "softmax": "cross-entropy"}.get(
        output, "mean squared error / 2")


def one_hot(labels: np.ndarray, k: int) -> np.ndarray:
    """Rows of ``k`` zeros with a 1 at each label, for class indices ``0..k-1``."""
    labels = np.asarray(labels, dtype=np.float64).ravel()
    bad = ~((labels >= 0) & (labels < k) & (labels == np.floor(labels)))
    if bad.any():
        raise ValueError(f"class labels must be whole numbers from 0 to {k - 1}, not "
                         f"{labels[np.argmax(bad)]:g}")
    Y = np.zeros((len(labels), k))
    Y[np.arange(len(labels)), labels.astype(np.int64)] = 1.0
    return Y
