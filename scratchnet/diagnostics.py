"""Why a network learns or does not: per-layer gradient sizes, update sizes, and units
that stopped learning (saturated or dead), measured once an epoch.

The history's columns (``k`` counts weight layers from 1, the first hidden layer's
incoming weights; hidden layer ``k`` is the output of weight layer ``k``):

* ``grad_norm_{k}``: ‖∂L/∂W_k‖_F of the mean data loss (no L1/L2 term) over the
  training set (its metric sample above ``tasks.METRIC_ROWS`` rows), at the weights the
  epoch's other metrics are measured at;
* ``update_ratio_{k}``: ‖W_k(end) − W_k(start)‖_F / ‖W_k(start)‖_F over the epoch
  (NaN for epoch 0, or when the layer's shape changed);
* ``saturated_{k}``: the share of (sample, unit) pairs of hidden layer ``k`` whose
  f′(z) is below 1% of the activation's largest f′ (``THRESHOLDS``);
* ``dead_{k}``: the share of hidden layer ``k``'s units below it on every sample.

Leaky relu and linear units never saturate: their columns are 0.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from .activations import ACTIVATIONS

# f′ below 1% of its largest value: sigmoid's is 0.25, tanh's and relu's 1 (relu's f′
# is 0 exactly at z ≤ 0, so relu counts z ≤ 0)
THRESHOLDS = {"sigmoid": 0.0025, "tanh": 0.01, "relu": 0.01}
PREFIXES = ("grad_norm", "update_ratio", "saturated", "dead")
KEY = re.compile(r"^(grad_norm|update_ratio|saturated|dead)_([1-9][0-9]{0,2})$")


def history_keys(n_weight_layers: int) -> tuple:
    """The diagnostic columns of a network with ``n_weight_layers`` weight layers."""
    L = int(n_weight_layers)
    return (tuple(f"{p}_{k}" for p in ("grad_norm", "update_ratio") for k in range(1, L + 1))
            + tuple(f"{p}_{k}" for p in ("saturated", "dead") for k in range(1, L)))


def is_key(name: str) -> bool:
    """Whether ``name`` is a diagnostic column (``grad_norm_3``, ``dead_1``, …)."""
    return isinstance(name, str) and KEY.match(name) is not None


def weights_of(network) -> tuple:
    """Copies of the weight matrices (biases aside): an epoch's start, for the ratio."""
    return tuple(L.weights.copy() for L in network.layers)


def saturated_mask(activation: str, a: np.ndarray) -> np.ndarray | None:
    """Where units with outputs ``a`` have f′(z) below 1% of its largest value, or None
    for an activation that never saturates (leaky relu, linear)."""
    limit = THRESHOLDS.get(activation)
    if limit is None:
        return None
    return ACTIVATIONS[activation].df(a) < limit


def unit_shares(activation: str, a: np.ndarray) -> np.ndarray:
    """Per unit, the share of rows of ``a`` (n, units) on which it is saturated (1.0:
    dead on every row; 0 for an activation that never saturates)."""
    mask = saturated_mask(activation, a)
    if mask is None or not len(a):
        return np.zeros(a.shape[1])
    return np.count_nonzero(mask, axis=0) / len(a)  # a bool mean costs twice as much


def network_unit_shares(network, X) -> tuple:
    """Per hidden layer, each unit's saturated share over the rows of ``X``."""
    _, outs = network._forward(np.asarray(X, dtype=np.float64), keep_z=False)
    return tuple(unit_shares(L.activation, outs[i + 1])
                 for i, L in enumerate(network.layers[:-1]))


@dataclass(frozen=True)
class Measure:
    """One epoch's diagnostics: the history's ``columns``, each hidden layer's per-unit
    saturated shares (``units``), and the output layer's ``(z, a)`` (the same pass the
    epoch's metrics read, see ``tasks.evaluate``)."""

    columns: dict
    units: tuple
    output: tuple


def _norm(a: np.ndarray) -> float:
    """The Frobenius norm (``vdot``: one BLAS call, a third of ``linalg.norm``'s cost)."""
    return math.sqrt(float(np.vdot(a, a)))


def _ratio(W: np.ndarray, start) -> float:
    if start is None or start.shape != W.shape:
        return float("nan")
    base = _norm(start)
    return _norm(W - start) / base if base > 0 else float("nan")


def _shares(df: np.ndarray, limit) -> np.ndarray:
    """Per unit, the share of rows where ``df`` is below ``limit`` (None: never)."""
    if limit is None or not len(df):
        return np.zeros(df.shape[1])
    mask = df < limit
    if not np.count_nonzero(mask):  # the usual case, 30 times cheaper than per unit
        return np.zeros(df.shape[1])
    return np.count_nonzero(mask, axis=0) / len(df)


def measure(network, X, Y, start=None) -> Measure:
    """The diagnostics of ``network`` on rows ``X`` with targets ``Y`` as the loss sees
    them (``Network._targets``): one forward and one backward pass, which also give the
    output layer's ``(z, a)`` the epoch's metrics read.

    Parameters
    ----------
    start : sequence of ndarray, optional
        The weight matrices at the epoch's start (``weights_of``); None: ratios NaN.
    """
    layers = network.layers
    _, outs = network._forward(X, keep_z=False)
    last = layers[-1]
    z = outs[-2] @ last.weights.T  # the output's z again: the loss needs it, not the rest
    z += last.biases
    cols, units = {}, [None] * (len(layers) - 1)
    starts = list(start) if start is not None else []
    delta = (outs[-1] - Y) / len(X)  # dL/dz of the mean data loss (see losses)
    for i in range(len(layers) - 1, -1, -1):
        W = layers[i].weights
        cols[f"grad_norm_{i + 1}"] = _norm(delta.T @ outs[i])
        cols[f"update_ratio_{i + 1}"] = _ratio(W, starts[i] if i < len(starts) else None)
        if i:
            act = layers[i - 1].activation
            df = ACTIVATIONS[act].df(outs[i])
            limit = THRESHOLDS.get(act)
            units[i - 1] = _shares(df, limit)
            delta = delta @ W
            delta *= df
    for k, shares in enumerate(units, 1):
        cols[f"saturated_{k}"] = float(shares.mean()) if len(shares) else 0.0
        cols[f"dead_{k}"] = float(np.mean(shares >= 1.0)) if len(X) else 0.0
    return Measure(cols, tuple(units), (z, outs[-1]))


def dead_units(units, activations) -> list:
    """``[(layer k, dead, width, activation), …]`` for each hidden layer with a dead
    unit, from per-unit shares (``Measure.units``)."""
    out = []
    for k, (shares, act) in enumerate(zip(units, activations), 1):
        n = int(np.sum(np.asarray(shares) >= 1.0))
        if n:
            out.append((k, n, len(shares), act))
    return out


def dead_text(units, activations) -> str:
    """"3 of 16 relu units in layer 2 are dead" for each layer that has some ("" none)."""
    parts = [f"{n} of {w} {act} unit{'s' if w != 1 else ''} in layer {k} "
             f"{'is' if n == 1 else 'are'} dead" for k, n, w, act in dead_units(units, activations)]
    return "; ".join(parts)


def dead_counts(history_row: dict, widths) -> dict:
    """``{"layer_k": dead units}`` of one history row (``dead_k`` × width)."""
    out = {}
    for k, w in enumerate(widths, 1):
        v = history_row.get(f"dead_{k}", float("nan"))
        out[f"layer_{k}"] = None if not np.isfinite(v) else int(round(v * w))
    return out
