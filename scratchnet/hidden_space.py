"""The plane as a hidden layer sees it: the points at their activations in one hidden
layer, and the input plane's grid lines mapped through the layers up to it.

A layer of width 2 is drawn on its own units, with the output's decision line when it is
the last hidden layer of a binary classifier (the output is then a logistic regression
on these two numbers). A wider layer is drawn on the principal axes of its activations
over the points, each axis's sign kept from one frame to the next (``previous``), so the
picture does not flip while training or scrubbing. A layer of width 1 is drawn against
the output's probability.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GRID_LINES = 11  # grid lines each way, taken from the window's boundary grid


@dataclass(frozen=True, eq=False)
class HiddenSpace:
    """What the hidden-space view draws (all arrays read-only).

    Attributes
    ----------
    layer : int
        The hidden layer, 1 for the first.
    width : int
        Its units.
    axes : {"units", "pca", "output"}
        Its own two units; the principal axes of its activations; or (width 1) its unit
        against the output's probability.
    labels : tuple of str
        The two axes' names ("h1", "PC1 (71%)", …).
    points : ndarray (n, 2)
    y : ndarray (n,)
        The points' labels.
    out : ndarray (n,)
        The network's output for each point (P(class 1), class index or value).
    lines : ndarray (m, 2)
        The grid lines, NaN rows between lines.
    decision : tuple or None
        ``(w1, w2, b)``: the output's pre-activation ``w1·x + w2·y + b`` in this space
        (width 2, last hidden layer, sigmoid output), else None.
    components, mean : ndarray or None
        The principal axes ``(2, width)`` and the activations' mean (PCA only).
    """

    layer: int
    width: int
    axes: str
    labels: tuple
    points: np.ndarray
    y: np.ndarray
    out: np.ndarray
    lines: np.ndarray
    decision: tuple | None = None
    components: np.ndarray | None = None
    mean: np.ndarray | None = None
    stamp: int = 0

    @property
    def note(self) -> str:
        """What the axes are, in words."""
        if self.axes == "units":
            return f"hidden layer {self.layer}: its 2 units"
        if self.axes == "output":
            return f"hidden layer {self.layer}: its unit against the output"
        return (f"hidden layer {self.layer} ({self.width} units) on its two principal "
                f"axes")


def activations_at(network, X, layer: int) -> np.ndarray:
    """Hidden layer ``layer``'s activations (1 for the first) for rows ``X``."""
    a = np.asarray(X, dtype=np.float64)
    for i in range(layer):
        L = network.layers[i]
        z = a @ L.weights.T
        z += L.biases
        a = network._output_f(i)(z, out=z)
    return a


def principal_axes(A: np.ndarray, previous=None):
    """``(mean, components (2, width), explained shares)`` of the rows of ``A``; each
    component's sign makes its dot product with ``previous``'s positive (if given, of
    the same shape), else its largest loading positive."""
    mean = A.mean(axis=0)
    _, s, vt = np.linalg.svd(A - mean, full_matrices=False)
    comps = vt[:2].copy()
    if len(comps) < 2:
        comps = np.vstack([comps, np.zeros((2 - len(comps), A.shape[1]))])
    if previous is not None and np.shape(previous) == comps.shape:
        signs = np.sign(np.sum(comps * previous, axis=1))
    else:
        signs = np.sign(comps[np.arange(2), np.argmax(np.abs(comps), axis=1)])
    comps *= np.where(signs == 0, 1.0, signs)[:, None]
    var = s ** 2
    total = var.sum()
    shares = (var[:2] / total) if total > 0 else np.zeros(2)
    return mean, comps, tuple(float(v) for v in np.pad(shares, (0, 2 - len(shares[:2]))))


def grid_lines(grid_inputs: np.ndarray, n: int = GRID_LINES) -> list:
    """Rows of network inputs along ``n`` lines each way of a square plane grid
    (``grid_inputs``: GRID² rows, x varying fastest)."""
    side = int(round(np.sqrt(len(grid_inputs))))
    g = grid_inputs.reshape(side, side, -1)
    idx = np.unique(np.linspace(0, side - 1, n).round().astype(int))
    return [g[i, :, :] for i in idx] + [g[:, j, :] for j in idx]


def _frozen(a) -> np.ndarray:
    a = np.array(a, dtype=np.float64, copy=True)
    a.flags.writeable = False
    return a


def _joined(parts) -> np.ndarray:
    """2-D polylines joined into one array with a NaN row between them."""
    gap = np.full((1, 2), np.nan)
    return np.concatenate([p for part in parts for p in (part, gap)][:-1])


def compute(network, X, y, grid_inputs, layer: int | None = None, previous=None,
            stamp: int = 0) -> HiddenSpace | None:
    """The hidden space of ``layer`` (None: the last hidden layer) for points ``X`` with
    labels ``y``; ``previous`` is the last frame's ``HiddenSpace`` (its axes' signs are
    kept). None for a network without hidden layers."""
    n_hidden = len(network.layers) - 1
    if n_hidden < 1:
        return None
    k = n_hidden if layer is None else min(max(int(layer), 1), n_hidden)
    A = activations_at(network, X, k)
    inputs = grid_lines(grid_inputs)
    lines = [activations_at(network, seg, k) for seg in inputs]
    width = A.shape[1]
    out = network.forward(X)
    out = np.argmax(out, axis=1) if network.output == "softmax" else out[:, 0]
    comps = mean = decision = None
    if width == 2:
        axes, labels, P, segs = "units", ("h1", "h2"), A, lines
        if k == n_hidden and network.output == "sigmoid":
            W, b = network.layers[-1].weights, network.layers[-1].biases
            decision = (float(W[0, 0]), float(W[0, 1]), float(b[0]))
    elif width == 1:
        axes, labels = "output", ("h1", "output")
        P = np.column_stack([A[:, 0], out])
        segs = [np.column_stack([s[:, 0], network.forward(x)[:, 0]])
                for s, x in zip(lines, inputs)]
    else:
        prev = None if previous is None or previous.layer != k else previous.components
        mean, comps, shares = principal_axes(A, prev)
        axes = "pca"
        labels = tuple(f"PC{i + 1} ({100 * v:.0f}% of variance)" for i, v in enumerate(shares))
        P = (A - mean) @ comps.T
        segs = [(s - mean) @ comps.T for s in lines]
    return HiddenSpace(k, width, axes, labels, _frozen(P), _frozen(y), _frozen(out),
                       _frozen(_joined(segs)), decision,
                       None if comps is None else _frozen(comps),
                       None if mean is None else _frozen(mean), stamp)
