"""Gradient checking by central finite differences in float64."""

from __future__ import annotations

import numpy as np


def numerical_gradients(net, X, y, eps: float = 1e-5, l1: float = 0.0, l2: float = 0.0):
    """Central differences ``(L(p + eps) − L(p − eps)) / 2eps`` for every parameter."""
    out = []
    for L in net.layers:
        pair = []
        for p in (L.weights, L.biases):
            g = np.empty_like(p)
            for i in np.ndindex(p.shape):
                keep = p[i]
                p[i] = keep + eps
                up = net.loss(X, y, l1, l2)
                p[i] = keep - eps
                down = net.loss(X, y, l1, l2)
                p[i] = keep
                g[i] = (up - down) / (2 * eps)
            pair.append(g)
        out.append(tuple(pair))
    return out


def relative_error(a: np.ndarray, b: np.ndarray, floor: float = 1e-12) -> float:
    """``‖a − b‖ / max(‖a‖ + ‖b‖, floor)`` over a whole parameter array.

    Elementwise ratios are dominated by round-off on gradients that are nearly zero
    (``1e-11`` against ``1e-12``); the norm ratio is the standard scale-free measure.
    """
    a, b = np.ravel(a), np.ravel(b)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), floor))


def gradcheck(net, X, y, eps: float = 1e-5, l1: float = 0.0, l2: float = 0.0,
              floor: float = 1e-12) -> float:
    """Maximum relative error between backprop and central-difference gradients.

    The error of each parameter array (each layer's weights, each layer's biases) is
    ``‖backprop − numeric‖ / (‖backprop‖ + ‖numeric‖)``; the largest is returned.

    Parameters
    ----------
    net : Network
        Its weights are perturbed in place and restored exactly.
    X, y : array_like
        The batch; the loss is the mean over its rows.
    eps : float
        Finite-difference step (float64).
    floor : float
        Denominator floor, so that an array whose gradients are both exactly zero
        (a dead ReLU layer) counts as error 0.
    """
    analytic = net.gradients(X, y, l1, l2)
    numeric = numerical_gradients(net, X, y, eps, l1, l2)
    return max(relative_error(a, n, floor)
               for pa, pn in zip(analytic, numeric) for a, n in zip(pa, pn))
