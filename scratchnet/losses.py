"""Losses paired with the output activation they are exact for.

For both pairs below the error at the output pre-activation is ``a - y`` per sample
(the reason scikit-learn's MLP writes ``deltas[-1] = activations[-1] - y``):

* sigmoid output + binary cross-entropy;
* linear output + half squared error.

Losses are summed over the outputs and averaged over the rows, so the gradient of the
mean loss with respect to the output logits is ``(a - y) / n``.
"""

from __future__ import annotations

import numpy as np

OUTPUTS = ("sigmoid", "linear")


def bce_from_logits(z: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy of ``sigmoid(z)`` against ``y``.

    Computed from the logits as ``max(z, 0) - y z + log(1 + e^-|z|)``, which is exact and
    finite for any finite ``z`` (no log of 0, no overflow or underflow at ``z = ±1000``).
    """
    soft = np.log1p(np.exp(-np.minimum(np.abs(z), 708.0)))
    return float(np.sum(np.maximum(z, 0.0) - y * z + soft) / len(z))


def half_mse(a: np.ndarray, y: np.ndarray) -> float:
    """Half the mean squared error, so that its gradient is ``a - y``."""
    d = a - y
    return float(0.5 * np.sum(d * d) / len(d))


def loss(output: str, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> float:
    """The loss that goes with ``output`` ("sigmoid": BCE, "linear": half MSE)."""
    if output == "sigmoid":
        return bce_from_logits(z, y)
    return half_mse(a, y)


def name(output: str) -> str:
    """A human name for the loss used with ``output``."""
    return "binary cross-entropy" if output == "sigmoid" else "mean squared error / 2"
