"""The article's building blocks: its ``Layer`` over the engine's ``Dense``, and its
per-sample SGD step with (or without) its two backprop mistakes."""

from __future__ import annotations

import numpy as np

from .activations import sigmoid
from .network import Dense


class Layer:
    """One sigmoid layer, as the article writes it: ``output = σ(weights · input + biases)``.

    Parameters
    ----------
    ncol : int
        Inputs to the layer (columns of ``weights``).
    nrow : int
        Units of the layer (rows of ``weights``).
    seed : int or numpy.random.Generator
        Weights and biases are drawn from the standard normal, as in the article.

    Attributes
    ----------
    weights : ndarray, shape (nrow, ncol)
    biases : ndarray, shape (nrow, 1)
        A column view of the engine's 1-D bias vector: writing into it changes the layer.
    """

    def __init__(self, ncol: int, nrow: int, seed=0):
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        # the draws and their order are Network's "normal" init: both modes start equal
        W, b = rng.standard_normal((nrow, ncol)), rng.standard_normal(nrow)
        self._dense = Dense(W, b, "sigmoid")

    @classmethod
    def _of(cls, dense: Dense) -> "Layer":
        """A Layer showing an engine layer's arrays (no copy)."""
        layer = cls.__new__(cls)
        layer._dense = dense
        return layer

    @property
    def weights(self) -> np.ndarray:
        return self._dense.weights

    @weights.setter
    def weights(self, value) -> None:
        self._dense.weights[...] = _shaped(value, self._dense.weights.shape, "weights")

    @property
    def biases(self) -> np.ndarray:
        return self._dense.biases[:, None]

    @biases.setter
    def biases(self, value) -> None:
        self._dense.biases[...] = _shaped(value, self.biases.shape, "biases")[:, 0]

    @property
    def shape(self) -> tuple[int, int]:
        """``(nrow, ncol)``: units by inputs, the shape of ``weights``."""
        return self._dense.weights.shape

    def forward(self, x) -> np.ndarray:
        """``σ(W x + b)`` for a column ``x`` of shape (ncol, 1), or (ncol, n) columns."""
        return sigmoid(self.weights @ np.asarray(x, dtype=np.float64) + self.biases)

    def __repr__(self) -> str:
        return f"Layer({self.shape[1]}, {self.shape[0]})"


def _shaped(value, shape, what) -> np.ndarray:
    value = np.asarray(value, dtype=np.float64)
    if value.shape != shape:
        raise ValueError(f"{what} must have shape {shape}, not {value.shape}")
    return value


def article_step(params, x, y, lr: float, wrap: bool = True, updated: bool = True):
    """One sample of the article's SGD loop, in place on ``params = [[W, b], ...]``.

    ``b`` is a column (n, 1). The output error is ``a − y`` (sigmoid with cross-entropy,
    as in the engine), so with ``wrap=False, updated=False`` this is exactly one engine
    step. The article's two mistakes, both on by default:

    * ``wrap``: layer 0 reads its input as ``layers[index - 1].output``, which for
      ``index = 0`` is Python's ``layers[-1]``: the *last* layer's output, not ``x``;
    * ``updated``: the error goes back through ``W`` *after* ``W`` was updated.

    Returns
    -------
    list of (dW, db)
        The step each layer took divided by ``-lr``, shaped like ``(W, b)``: the
        gradient this loop actually used.
    """
    outs = [np.asarray(x, dtype=np.float64).reshape(-1, 1)]
    for W, b in params:
        outs.append(sigmoid(W @ outs[-1] + b))
    error = outs[-1] - np.asarray(y, dtype=np.float64).reshape(-1, 1)
    grads = [None] * len(params)
    for i in range(len(params) - 1, -1, -1):
        W, b = params[i]
        # layer i's input is outs[i]; the article's layers[i - 1].output at i = 0 is outs[-1]
        a_in = outs[-1] if wrap and i == 0 else outs[i]
        dW = np.broadcast_to(error @ a_in.T, W.shape)  # a wrapped (1, 1) input fills W
        W_back = W if updated else W.copy()  # updated: the same array, changed just below
        W -= lr * dW
        b -= lr * error
        grads[i] = (np.array(dW), error.copy())
        if i:
            error = (W_back.T @ error) * outs[i] * (1.0 - outs[i])
    return grads


def article_refusal(activations, output, optimizer: str, batch_size: int, l1: float,
                    l2: float, schedule: dict) -> str | None:
    """Why the article's loop cannot train these settings (``None`` if it can): it is
    per-sample SGD at a constant learning rate on an all-sigmoid network, and nothing
    else."""
    if any(a != "sigmoid" for a in activations) or output != "sigmoid":
        return "an all-sigmoid network with a sigmoid output"
    if optimizer != "sgd" or batch_size != 1:
        return "per-sample SGD (optimizer sgd, batch size 1)"
    if l1 or l2:
        return "no L1 or L2 penalty"
    if schedule.get("kind", "constant") != "constant":
        return "a constant learning rate"
    return None


def trainer_refusal(trainer) -> str | None:
    """``article_refusal`` of a live trainer's network and settings, and its output
    width (the article's wrapped layer-0 input needs one unit)."""
    net, opt = trainer.network, trainer.optimizer
    return article_refusal([L.activation for L in net.layers[:-1]], net.output, opt.name,
                           trainer.batch_size, trainer.l1, trainer.l2,
                           {"kind": opt.schedule.kind}) or (
        "one output unit" if net.sizes[-1] != 1 else None)


def article_gradients(network, x, y, lr: float) -> list:
    """The gradients the article's loop uses for one sample from ``network``'s current
    weights at ``lr`` (its updated-weights mistake depends on it), both mistakes
    included, flat in ``Network.parameters()`` order. The network is not changed:
    ``p − lr·g`` is the article's step, to the bit."""
    params = [[L.weights.copy(), L.biases[:, None].copy()] for L in network.layers]
    return [g for dW, db in article_step(params, x, y, lr) for g in (dW, db[:, 0])]
