"""The multilayer perceptron: dense layers, forward pass, backprop, trace and resize."""

from __future__ import annotations

import numpy as np

from . import activations as acts
from . import losses
from .layers import (INITS, MAX_LAYERS, MAX_UNITS, Dense, LayerTrace, Trace,  # noqa: F401
                     init_weights, parse_sizes, validate_sizes)


class Network:
    """A multilayer perceptron with float64 weights.

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, input first, e.g. ``[2, 9, 6, 1]``.
    activation : str or sequence of str
        Hidden activation: one name for all hidden layers, or one per hidden layer.
    output : {"sigmoid", "softmax", "linear"}
        Output activation; it fixes the loss and the task: binary cross-entropy (one
        unit: the probability of class 1), categorical cross-entropy (one unit per
        class, at least two; targets are class indices 0..K-1) or half MSE (regression).
    init : {"normal", "xavier", "he"}
        Weight initialisation; "normal" is the article's standard normal.
    seed : int or numpy.random.Generator
        The only source of randomness (initialisation and new units on resize).
    target_mean, target_std : float
        Regression only: the network learns ``(y − target_mean) / target_std`` and
        ``forward`` answers in ``y``'s units (see ``set_target_scale``).
    """

    def __init__(self, sizes, activation="sigmoid", output="sigmoid", init="normal", seed=0,
                 target_mean: float = 0.0, target_std: float = 1.0):
        sizes = validate_sizes(sizes)
        if output not in losses.OUTPUTS:
            raise ValueError(f"unknown output {output!r}; choose one of {', '.join(losses.OUTPUTS)}")
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
        self.output = output
        _check_output_width(output, sizes[-1])
        self.init = init
        self.target_mean, self.target_std = 0.0, 1.0
        self.set_target_scale(target_mean, target_std)
        self.rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        hidden = self._hidden_activations(activation, len(sizes) - 2)
        self.layers: list[Dense] = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            W, b = init_weights(self.rng, init, n_out, n_in)
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

    def set_target_scale(self, mean: float, std: float) -> None:
        """Train on ``(y − mean) / std`` and predict in ``y``'s units (linear output).

        The targets' scale is part of the model, so predictions from ``forward`` come
        back in the data's units while training sees unit-scale targets. The loss, the
        trace and the gradients are in the standardised units.
        """
        mean, std = float(mean), float(std)
        if not (np.isfinite(mean) and np.isfinite(std) and std > 0):
            raise ValueError(f"target scale needs a finite mean and a finite std > 0, not "
                             f"{mean!r} and {std!r}")
        if (mean, std) != (0.0, 1.0) and self.output != "linear":
            raise ValueError(f"only a linear (regression) output scales its targets, not "
                             f"{self.output!r}")
        self.target_mean, self.target_std = mean, std

    def parameters(self) -> list[np.ndarray]:
        """The live parameter arrays, ``[W0, b0, W1, b1, ...]``."""
        return [p for L in self.layers for p in (L.weights, L.biases)]

    def copy(self) -> "Network":
        """A deep copy, its own RNG included."""
        new = object.__new__(Network)
        new.output, new.init = self.output, self.init
        new.target_mean, new.target_std = self.target_mean, self.target_std
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
        """``y`` as the loss sees it, shape (n, out): one-hot rows for softmax (from class
        indices, or rows given as such), standardised values for a scaled regression."""
        Y = np.asarray(y, dtype=np.float64)
        k = self.sizes[-1]
        if self.output == "softmax" and Y.size == n:
            return losses.one_hot(Y.reshape(n), k)
        Y = Y.reshape(n, -1)
        if Y.shape[1] != k:
            raise ValueError(f"expected {k} target(s) per sample, got {Y.shape[1]}")
        if self.output == "linear" and (self.target_mean, self.target_std) != (0.0, 1.0):
            with np.errstate(over="ignore"):  # Dataset refuses targets that overflow here
                Y = (Y - self.target_mean) / self.target_std
        return Y

    def _output_f(self, i: int):
        """Layer ``i``'s activation function (the last one is the output's)."""
        if i == len(self.layers) - 1:
            return losses.OUTPUT_FUNCTIONS[self.output]
        return acts.ACTIVATIONS[self.layers[i].activation].f

    def _forward(self, X, keep_z=True):
        """All pre-activations and activations; ``acts[0]`` is the input.

        With ``keep_z=False`` each activation overwrites its ``z`` (no ``zs`` returned):
        the training step needs only the activations."""
        zs, outs = [], [X]
        a = X
        for i, L in enumerate(self.layers):
            z = a @ L.weights.T
            z += L.biases
            a = self._output_f(i)(z, out=None if keep_z else z)
            zs.append(z)
            outs.append(a)
        return (zs if keep_z else None), outs

    def forward(self, X) -> np.ndarray:
        """Predictions, shape ``(n, out)``, for inputs ``X`` of shape ``(n, in)``.

        Sigmoid: the probability of class 1; softmax: one probability per class (rows
        sum to 1); linear: the predicted value in the targets' units.
        """
        a = self._check_input(X)
        for i, L in enumerate(self.layers):
            z = a @ L.weights.T
            z += L.biases
            a = self._output_f(i)(z, out=z)
        if self.output == "linear" and (self.target_mean, self.target_std) != (0.0, 1.0):
            a *= self.target_std
            a += self.target_mean
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
        delta = outs[-1] - Y  # exact for sigmoid+BCE, softmax+CE and linear+half-MSE
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

        ``y`` and ``prediction`` are as the loss sees them, so the output's ``delta`` is
        ``prediction − y``: one-hot ``y`` and class probabilities for softmax,
        standardised target and output for a scaled regression (see ``forward`` for
        predictions in the data's units).
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
        _check_output_width(self.output, sizes[-1])
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
            W, b = init_weights(self.rng, self.init, n_out, n_in)
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


def _check_output_width(output: str, width: int) -> None:
    if output == "softmax" and width < 2:
        raise ValueError(f"a softmax output needs one unit per class, at least 2, not {width}")
