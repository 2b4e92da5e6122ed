"""The multilayer perceptron: dense layers, forward pass, backprop, trace and resize."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from . import activations as acts
from . import losses

INITS = ("normal", "xavier", "he")
MAX_UNITS = 4096
MAX_LAYERS = 64


@dataclass
class Dense:
    """One fully connected layer: ``a = f(W a_in + b)``.

    Attributes
    ----------
    weights : ndarray, shape (out, in)
    biases : ndarray, shape (out,)
    activation : str
        A key of :data:`scratchnet.activations.ACTIVATIONS`.
    """

    weights: np.ndarray
    biases: np.ndarray
    activation: str

    @property
    def shape(self) -> tuple[int, int]:
        return self.weights.shape


@dataclass(frozen=True)
class LayerTrace:
    """What one layer computed for one sample, all as 1-D float64 arrays."""

    a_in: np.ndarray
    z: np.ndarray
    a: np.ndarray
    delta: np.ndarray
    dW: np.ndarray
    db: np.ndarray


@dataclass(frozen=True)
class Trace:
    """The full forward and backward record of one sample (see ``Network.trace``)."""

    x: np.ndarray
    y: np.ndarray
    layers: tuple[LayerTrace, ...]
    loss: float
    prediction: np.ndarray


def validate_sizes(sizes: Sequence[int]) -> list[int]:
    """Return ``sizes`` as ints, or raise ``ValueError`` naming the bad entry."""
    try:
        sizes = list(sizes)
    except TypeError:
        raise ValueError(f"layer sizes must be a list of whole numbers, not {sizes!r}") from None
    if len(sizes) < 2:
        raise ValueError("a network needs at least an input and an output layer")
    if len(sizes) - 1 > MAX_LAYERS:
        raise ValueError(f"{len(sizes) - 1} layers is too many; the limit is {MAX_LAYERS}")
    out = []
    for i, s in enumerate(sizes):
        where = "input" if i == 0 else "output" if i == len(sizes) - 1 else f"hidden layer {i}"
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, (int, np.integer)):
            raise ValueError(f"{where} size must be a whole number, not {s!r}")
        if s < 1:
            raise ValueError(f"{where} size must be at least 1, not {s}")
        if s > MAX_UNITS:
            raise ValueError(f"{where} size {s} is too large; the limit is {MAX_UNITS}")
        out.append(int(s))
    return out


def parse_sizes(text: str, hidden: bool = False) -> list[int]:
    """Layer sizes written as text, ``"2, 9, 6, 1"``: the one parser and set of limits
    for the window and the command line. ``hidden``: the text lists hidden layers only
    (``"9, 6"``; empty for none). Raises ``ValueError`` naming the bad entry."""
    parts = [p.strip() for p in str(text).replace(";", ",").split(",") if p.strip()]
    sizes = []
    for i, p in enumerate(parts):
        try:
            sizes.append(int(p))
        except ValueError:
            where = (f"hidden layer {i + 1}" if hidden else "input" if i == 0
                     else "output" if i == len(parts) - 1 else f"hidden layer {i}")
            raise ValueError(f"{where}: {p!r} is not a whole number") from None
    validate_sizes([1, *sizes, 1] if hidden else sizes)
    return sizes


def _init_weights(rng, init: str, n_out: int, n_in: int):
    if init == "normal":  # the article's standard normal, biases included
        return rng.standard_normal((n_out, n_in)), rng.standard_normal(n_out)
    scale = np.sqrt(2.0 / (n_in + n_out)) if init == "xavier" else np.sqrt(2.0 / n_in)
    return rng.standard_normal((n_out, n_in)) * scale, np.zeros(n_out)


class Network:
    """A multilayer perceptron with float64 weights.

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, input first, e.g. ``[2, 9, 6, 1]``.
    activation : str or sequence of str
        Hidden activation: one name for all hidden layers, or one per hidden layer.
    output : {"sigmoid", "linear"}
        Output activation; it fixes the loss (binary cross-entropy or half MSE).
    init : {"normal", "xavier", "he"}
        Weight initialisation; "normal" is the article's standard normal.
    seed : int or numpy.random.Generator
        The only source of randomness (initialisation and new units on resize).
    """

    def __init__(self, sizes, activation="sigmoid", output="sigmoid", init="normal", seed=0):
        sizes = validate_sizes(sizes)
        if output not in losses.OUTPUTS:
            raise ValueError(f"unknown output {output!r}; choose one of {', '.join(losses.OUTPUTS)}")
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
        self.output = output
        self.init = init
        self.rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        hidden = self._hidden_activations(activation, len(sizes) - 2)
        self.layers: list[Dense] = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            W, b = _init_weights(self.rng, init, n_out, n_in)
            self.layers.append(Dense(W, b, hidden[i] if i < len(hidden) else output))

    @staticmethod
    def _hidden_activations(activation, n_hidden: int) -> list[str]:
        names = [activation] * n_hidden if isinstance(activation, str) else list(activation)
        if len(names) != n_hidden:
            raise ValueError(f"got {len(names)} activations for {n_hidden} hidden layers")
        for n in names:
            acts.get(n)
        return names

    # --- shape -------------------------------------------------------------------------
    @property
    def sizes(self) -> list[int]:
        """Units per layer, input first."""
        return [self.layers[0].weights.shape[1]] + [L.weights.shape[0] for L in self.layers]

    @property
    def activations(self) -> list[str]:
        """The hidden layers' activation names."""
        return [L.activation for L in self.layers[:-1]]

    def parameters(self) -> list[np.ndarray]:
        """The live parameter arrays, ``[W0, b0, W1, b1, ...]``."""
        return [p for L in self.layers for p in (L.weights, L.biases)]

    def copy(self) -> "Network":
        """A deep copy, its own RNG included."""
        new = object.__new__(Network)
        new.output, new.init = self.output, self.init
        new.rng = np.random.Generator(type(self.rng.bit_generator)())
        new.rng.bit_generator.state = self.rng.bit_generator.state
        new.layers = [Dense(L.weights.copy(), L.biases.copy(), L.activation) for L in self.layers]
        return new

    # --- forward and backward -----------------------------------------------------------
    def _check_input(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"expected inputs of shape (n, {self.sizes[0]}), got {X.shape}")
        return X

    def _targets(self, y, n: int) -> np.ndarray:
        Y = np.asarray(y, dtype=np.float64).reshape(n, -1)
        if Y.shape[1] != self.sizes[-1]:
            raise ValueError(f"expected {self.sizes[-1]} target(s) per sample, got {Y.shape[1]}")
        return Y

    def _forward(self, X, keep_z=True):
        """All pre-activations and activations; ``acts[0]`` is the input.

        With ``keep_z=False`` each activation overwrites its ``z`` (no ``zs`` returned):
        the training step needs only the activations."""
        zs, outs = [], [X]
        a = X
        for L in self.layers:
            z = a @ L.weights.T
            z += L.biases
            a = acts.ACTIVATIONS[L.activation].f(z, out=None if keep_z else z)
            zs.append(z)
            outs.append(a)
        return (zs if keep_z else None), outs

    def forward(self, X) -> np.ndarray:
        """Output activations, shape ``(n, out)``, for inputs ``X`` of shape ``(n, in)``."""
        a = self._check_input(X)
        for L in self.layers:
            z = a @ L.weights.T
            z += L.biases
            a = acts.ACTIVATIONS[L.activation].f(z, out=z)
        return a

    def loss(self, X, y, l1: float = 0.0, l2: float = 0.0) -> float:
        """Mean loss over the rows of ``X`` plus ``l1·Σ|W| + l2/2·ΣW²`` (weights only)."""
        X = self._check_input(X)
        Y = self._targets(y, len(X))
        zs, outs = self._forward(X)
        return losses.loss(self.output, zs[-1], outs[-1], Y) + self._penalty(l1, l2)

    def _penalty(self, l1, l2) -> float:
        if not (l1 or l2):
            return 0.0
        return float(sum(l1 * np.abs(L.weights).sum() + 0.5 * l2 * (L.weights ** 2).sum()
                         for L in self.layers))

    def _backprop(self, X, Y, l1=0.0, l2=0.0, with_loss=True):
        """Forward, loss, deltas and gradients, all from the current (unchanged) weights."""
        n = len(X)
        zs, outs = self._forward(X, keep_z=with_loss)
        loss = (losses.loss(self.output, zs[-1], outs[-1], Y) + self._penalty(l1, l2)
                if with_loss else float("nan"))
        delta = outs[-1] - Y  # exact for sigmoid+BCE and linear+half-MSE
        delta /= n
        deltas, grads = [None] * len(self.layers), [None] * len(self.layers)
        for i in range(len(self.layers) - 1, -1, -1):
            W = self.layers[i].weights
            dW = delta.T @ outs[i]
            if l1:
                dW += l1 * np.sign(W)
            if l2:
                dW += l2 * W
            deltas[i] = delta
            grads[i] = (dW, np.add.reduce(delta, 0))
            if i:  # propagate through W *before* any update; outs[i] is layer i-1's output
                prev = self.layers[i - 1].activation
                delta = delta @ W
                delta *= acts.ACTIVATIONS[prev].df(outs[i])
        return loss, zs, outs, deltas, grads

    def gradients(self, X, y, l1: float = 0.0, l2: float = 0.0):
        """Gradient of the mean loss over the rows of ``X``.

        Returns
        -------
        list of (dW, db)
            One pair per layer, shaped like ``(weights, biases)``.
        """
        X = self._check_input(X)
        return self._backprop(X, self._targets(y, len(X)), l1, l2)[4]

    def loss_and_gradients(self, X, y, l1: float = 0.0, l2: float = 0.0):
        """``(loss, gradients)`` from one forward and one backward pass."""
        X = self._check_input(X)
        loss, *_, grads = self._backprop(X, self._targets(y, len(X)), l1, l2)
        return loss, grads

    def trace(self, x, y) -> Trace:
        """Every number of one sample's forward and backward pass.

        For each layer ``l``: its input ``a_in``, ``z = W a_in + b``, ``a = f(z)``,
        ``delta = dL/dz`` (computed with the weights before any update),
        ``dW = outer(delta, a_in)`` and ``db = delta``. Applying ``W -= lr * dW`` to every
        layer is exactly one SGD step with batch size 1.
        """
        X = self._check_input(x)
        if len(X) != 1:
            raise ValueError(f"trace takes one sample, got {len(X)}")
        Y = self._targets(y, 1)
        loss, zs, outs, deltas, grads = self._backprop(X, Y)
        layers = tuple(
            LayerTrace(outs[i][0].copy(), zs[i][0].copy(), outs[i + 1][0].copy(),
                       deltas[i][0].copy(), grads[i][0], grads[i][1])
            for i in range(len(self.layers))
        )
        return Trace(X[0].copy(), Y[0].copy(), layers, loss, outs[-1][0].copy())

    # --- architecture edits -------------------------------------------------------------
    def resize(self, sizes, activations=None) -> list[bool]:
        """Change the architecture, keeping the weights of every unit that survives.

        Layers are matched by position: hidden layer ``k`` keeps the overlapping block of
        the old hidden layer ``k``, and the output layer keeps its old block when the
        number of layers is unchanged (otherwise its inputs are other units). A new unit
        gets fresh initial incoming weights and *zero* outgoing weights, so adding units
        does not change what the network computes; a removed unit's row and column go.

        Parameters
        ----------
        sizes : sequence of int
            The new units per layer, input first.
        activations : str or sequence of str, optional
            Hidden activations; by default each kept layer keeps its own and new layers
            copy the last hidden one (or "sigmoid").

        Returns
        -------
        list of bool
            Per new layer, whether it carried over an old block (used to resize
            optimizer state). The network is unchanged if this raises ``ValueError``.
        """
        sizes = validate_sizes(sizes)
        old = self.layers
        n_hidden = len(sizes) - 2
        if activations is None:
            fallback = old[-2].activation if len(old) > 1 else "sigmoid"
            activations = [old[k].activation if k < len(old) - 1 else fallback
                           for k in range(n_hidden)]
        hidden = self._hidden_activations(activations, n_hidden)
        new, carried = [], []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            is_out = i == len(sizes) - 2
            src = (old[-1] if len(old) == len(sizes) - 1 else None) if is_out else (
                old[i] if i < len(old) - 1 else None)
            W, b = _init_weights(self.rng, self.init, n_out, n_in)
            if src is not None:
                o_out, o_in = src.weights.shape
                W[:, o_in:] = 0.0  # outgoing weights of new units in the previous layer
                k_out, k_in = min(n_out, o_out), min(n_in, o_in)
                W[:k_out, :k_in] = src.weights[:k_out, :k_in]
                b[:k_out] = src.biases[:k_out]
            new.append(Dense(W, b, self.output if is_out else hidden[i]))
            carried.append(src is not None)
        self.layers = new
        return carried

    def __repr__(self) -> str:
        arch = "-".join(map(str, self.sizes))
        return f"Network({arch}, hidden={self.activations}, output={self.output!r})"
