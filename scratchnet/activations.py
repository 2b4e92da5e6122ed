"""Activation functions, each paired with its derivative.

As in scikit-learn's ``_base.py``, every derivative is written in terms of the
activation's *output* ``a`` (for tanh, ``1 - a**2``), so backprop never has to keep
or recompute ``z``. Each entry also carries the derivative's formula for the stepper.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

LEAKY_SLOPE = 0.01
# exp(709) is the largest power of e a float64 holds; clipping to ±708 keeps exp free of
# overflow *and* underflow, and sigmoid(-708) ≈ 3e-308 is already 0 for every purpose.
_SIGMOID_CLIP = 708.0


def sigmoid(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Numerically stable logistic function: no overflow or underflow for any ``z``.

    ``out=z`` computes in place (the training loop does, to save allocations)."""
    t = np.maximum(z, -_SIGMOID_CLIP, out=out)
    np.minimum(t, _SIGMOID_CLIP, out=t)
    np.negative(t, out=t)
    np.exp(t, out=t)
    t += 1.0
    return np.reciprocal(t, out=t)


def _relu(z, out=None):
    return np.maximum(z, 0.0, out=out)


def _leaky_relu(z, out=None):
    return np.where(z > 0.0, z, LEAKY_SLOPE * z)


def _tanh(z, out=None):
    return np.tanh(z, out=out)


def _linear(z, out=None):
    return z


@dataclass(frozen=True)
class Activation:
    """An activation ``f`` and its derivative ``f'`` expressed through ``a = f(z)``."""

    name: str
    f: Callable[..., np.ndarray]  # f(z, out=None); out=z may compute in place
    df: Callable[[np.ndarray], np.ndarray]
    formula: str
    derivative_formula: str


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", sigmoid, lambda a: a * (1.0 - a),
                   "σ(z) = 1 / (1 + e^-z)", "σ'(z) = a(1 − a)"),
        Activation("tanh", _tanh, lambda a: 1.0 - a * a,
                   "tanh(z)", "tanh'(z) = 1 − a²"),
        Activation("relu", _relu, lambda a: (a > 0.0).astype(np.float64),
                   "max(0, z)", "relu'(z) = 1 if z > 0 else 0"),
        Activation("leaky_relu", _leaky_relu, lambda a: np.where(a > 0.0, 1.0, LEAKY_SLOPE),
                   f"z if z > 0 else {LEAKY_SLOPE}z", f"1 if z > 0 else {LEAKY_SLOPE}"),
        Activation("linear", _linear, np.ones_like, "z", "1"),
    )
}


def get(name: str) -> Activation:
    """Return the activation called ``name``, or raise ``ValueError`` listing the choices."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}"
        ) from None
