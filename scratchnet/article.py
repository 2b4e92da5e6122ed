"""The article "Deep Learning from Scratch", its API on ScratchNet's exact engine.

A reader of the article keeps their code and changes only the import::

    from scratchnet.article import NeuralNetwork

    nn = NeuralNetwork(2, 9, 6, 1, epochs=500)
    nn.graph()
    nn.fit(X_train, y_train, target=0.975)
    nn.plot_errors(X_test, y_test)
    nn.plot_scores()

With ``backprop="correct"`` (the default) the arithmetic is ``scratchnet.Network``'s,
trained by per-sample SGD through ``scratchnet.Trainer``, and every ``Layer`` shows the
engine's own weight arrays. ``backprop="article"`` replays the article's loop, mistakes
included, so that ``gradcheck`` can show where it goes wrong. The plots are drawn by a
plotting backend (``scratchnet.plotting``): the app's views, which register themselves
under an entry point; the engine never imports the app.
"""

from __future__ import annotations

import numpy as np

from . import checks, losses, metrics, plotting
from .activations import sigmoid
from .gradcheck import numerical_gradients, relative_error
from .article_layers import Layer, article_step  # noqa: F401 (the article's API)
from .network import Network, validate_sizes
from .optimizers import SGD
from .trainer import MAX_EPOCHS, Trainer

# Not the article's 0.001, which only worked with its backprop mistakes: see ``lr`` in
# NeuralNetwork's docstring for why, and tests/engine/test_article_api.py for the proof.
DEFAULT_LR = 1.0
BACKPROPS = ("correct", "article")


class NeuralNetwork:
    """The article's network: sigmoid layers trained one sample at a time.

    Parameters
    ----------
    *shape : int
        Units per layer, input first: ``NeuralNetwork(2, 9, 6, 1)``.
    epochs : int
        The most epochs ``fit`` trains.
    lr : float
        Learning rate of per-sample SGD. The default, 1.0, replaces the article's 0.001,
        which only worked with the article's backprop mistakes: with exact gradients,
        500 epochs at 0.001 end circles 2-9-6-1 at a test AUC of 0.95 and 0.57 (seeds 0
        and 1). At 1.0 the article's calls
        (``fit(X_train, y_train, target=...)`` on its blobs and circles) reach its test
        targets (AUC 0.99 and 0.975) for seeds 0-4 within 3 epochs. ``fit`` stops on the
        *train* AUC, as the article does, so the test AUC can fall short: circles seed 6
        stops after one epoch at a train AUC of 0.981 and a test AUC of 0.958 (one more
        epoch gives 1.0 on both).
    backprop : {"correct", "article"}
        "correct" trains ``self.network`` (a ``scratchnet.Network``) with ``Trainer``;
        "article" replays the article's loop with its two mistakes (see
        ``article_step``) on weights of its own.
    seed : int
        Seeds the weights and the shuffling; both modes start from the same weights.

    Attributes
    ----------
    layers : list of Layer
        In "correct" mode they show the engine's arrays: ``nn.layers[0].weights is
        nn.network.layers[0].weights``.
    scores : list of float
        Train AUC before each epoch of the last ``fit`` (the article's curve).
    network : Network or None
        The engine network ("correct" mode only).
    """

    def __init__(self, *shape, epochs: int = 50, lr: float = DEFAULT_LR,
                 backprop: str = "correct", seed: int = 0):
        if backprop not in BACKPROPS:
            raise ValueError(f"backprop must be one of {', '.join(BACKPROPS)}, not {backprop!r}")
        sizes = validate_sizes(shape)
        if backprop == "article" and sizes[-1] not in (1, sizes[0]):
            raise ValueError("the article's wrapped layer-0 input needs one output unit")
        self.shape = tuple(sizes)
        self.epochs = checks.whole(epochs, "epochs", 0, MAX_EPOCHS)
        self.lr = checks.number(lr, "lr", 0, lo_open=True)
        self.backprop, self.seed = backprop, checks.whole(seed, "seed", 0, 2**63 - 1)
        self.scores: list[float] = []
        self.trainer = None
        if backprop == "correct":
            self.network = Network(sizes, activation="sigmoid", output="sigmoid", seed=seed)
            self.layers = [Layer._of(d) for d in self.network.layers]
        else:  # never a Network: the article's loop runs on arrays of its own
            self.network = None
            rng = np.random.default_rng(seed)
            self.layers = [Layer(n_in, n_out, rng) for n_in, n_out in zip(sizes[:-1], sizes[1:])]

    # --- inputs -------------------------------------------------------------------------
    def _rows(self, X) -> np.ndarray:
        """``X`` as ``(n, inputs)`` float64 rows (a 1-D ``X`` of ``inputs`` values is one
        row; with one input, a 1-D ``X`` is a column), checked: its width, finite."""
        d = self.shape[0]
        try:
            a = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError("X must be an array of numbers, one row per sample") from None
        if a.ndim == 1:
            a = a.reshape(-1, 1) if d == 1 else a.reshape(1, -1)
        if a.ndim != 2 or a.shape[1] != d:
            raise ValueError(f"X has shape {a.shape}; this network takes {d} input(s): "
                             f"rows of {d} value(s), shape (n, {d})")
        if not np.all(np.isfinite(a)):
            row = int(np.argmax(~np.all(np.isfinite(a), axis=1)))
            raise ValueError(f"X holds a NaN or infinite value (row {row})")
        return a

    def _labels(self, y, n: int) -> np.ndarray:
        """``y`` as ``n`` labels, each 0 or 1 (the article's two classes)."""
        try:
            y = np.asarray(y, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError("y must be an array of labels 0 and 1") from None
        if y.size != n or (y.ndim > 1 and max(y.shape) != y.size):
            raise ValueError(f"y has {y.size} label(s) (shape {y.shape}) for {n} row(s) of X")
        y = y.ravel()
        bad = ~np.isin(y, (0.0, 1.0))
        if bad.any():
            shown = ", ".join(f"{v:g}" for v in np.unique(y[bad])[:4])
            raise ValueError(f"y must hold labels 0 and 1 (the network's two classes), not "
                             f"{shown}; map your classes to 0 and 1 first")
        return y

    # --- predictions --------------------------------------------------------------------
    def layer_outputs(self, X) -> list[np.ndarray]:
        """Every layer's activations for the rows of ``X``: ``[(n, units), ...]``."""
        a = self._rows(X)
        if self.network is not None:
            return self.network._forward(a, keep_z=False)[1][1:]
        outs = []
        for L in self.layers:
            a = sigmoid(a @ L.weights.T + L.biases.T)
            outs.append(a)
        return outs

    def forward(self, x) -> np.ndarray:
        """The output column, shape (out, 1), for one sample ``x`` (a row or a column)."""
        x = np.asarray(x, dtype=np.float64)
        if x.size != self.shape[0]:
            raise ValueError(f"x has {x.size} value(s); this network takes "
                             f"{self.shape[0]} input(s)")
        return self.layer_outputs(x.reshape(1, -1))[-1].T

    def predict(self, X) -> np.ndarray:
        """Output probabilities, shape (n,), for the rows of ``X``."""
        return self.layer_outputs(X)[-1][:, 0]

    def score(self, X, y, verbose: bool = True) -> float:
        """ROC AUC of ``predict(X)`` against ``y`` (printed when ``verbose``)."""
        X = self._rows(X)
        auc = metrics.auc(self._labels(y, len(X)), self.predict(X))
        if verbose:
            print(f"AUC: {auc:.4f}")
        return auc

    def loss(self, X, y, l1: float = 0.0, l2: float = 0.0) -> float:
        """Mean binary cross-entropy over the rows of ``X`` (the loss both modes descend)."""
        X = self._rows(X)
        y = self._labels(y, len(X))
        if self.network is not None:
            return self.network.loss(X, y, l1, l2)
        a = X
        for L in self.layers[:-1]:
            a = sigmoid(a @ L.weights.T + L.biases.T)
        z = a @ self.layers[-1].weights.T + self.layers[-1].biases.T
        return losses.bce_from_logits(z, np.asarray(y, dtype=np.float64).reshape(z.shape))

    # --- training -----------------------------------------------------------------------
    def fit(self, X, y, target: float | None = None) -> "NeuralNetwork":
        """Per-sample SGD for up to ``epochs`` epochs, as the article trains.

        Before each epoch the train AUC is appended to ``scores``; training stops once
        it reaches ``target`` (the article's rule: the *train* AUC decides).
        """
        X = self._rows(X)
        y = self._labels(y, len(X))
        if target is not None:
            target = checks.number(target, "target", 0, 1, lo_open=True)
        if self.network is not None:
            self.trainer = Trainer(self.network, X, y, optimizer=SGD(self.lr), batch_size=1,
                                   seed=self.seed, target_auc=target, target_on="train")
            self.trainer.run(self.epochs)
            # the history ends with the AUC after the last epoch; the article's list ends
            # with the AUC before it (or the one that met the target)
            self.scores = self.trainer.history["train_auc"][:self.epochs].tolist()
            return self
        self.scores = []
        rng = np.random.default_rng(self.seed)  # the Trainer's shuffle, draw for draw
        params = [[L.weights, L.biases] for L in self.layers]
        for _ in range(self.epochs):
            order = rng.permutation(len(X))
            self.scores.append(self.score(X, y, verbose=False))
            if target is not None and self.scores[-1] >= target:
                break
            for i in order:
                article_step(params, X[i], y[i], self.lr)
        return self

    def gradients(self, X, y) -> list[tuple[np.ndarray, np.ndarray]]:
        """The gradient of the mean loss over ``X`` as this mode's backprop computes it.

        "article": the mean of ``article_step``'s per-sample gradients from the current
        weights at ``lr`` (the updated-weights mistake depends on it). Shapes follow
        ``Layer``: ``(weights, biases)`` with biases as columns.
        """
        X = self._rows(X)
        y = self._labels(y, len(X)).reshape(len(X), -1)
        if self.network is not None:
            return [(dW, db[:, None]) for dW, db in self.network.gradients(X, y)]
        per_sample = [article_step([[L.weights.copy(), L.biases.copy()] for L in self.layers],
                                   x, t, self.lr) for x, t in zip(X, y)]
        return [tuple(np.mean([g[i][k] for g in per_sample], axis=0) for k in (0, 1))
                for i in range(len(self.layers))]

    def gradcheck(self, X, y, eps: float = 1e-5) -> float:
        """Largest relative error between ``gradients`` and central differences.

        Uses ``scratchnet.gradcheck``'s float64 differences and its error measure
        ``‖a − b‖ / (‖a‖ + ‖b‖)`` per array. "correct" gives about 1e-9; "article" gives
        order 1, from layer 0 (wrapped input) and from the updated weights.
        """
        analytic = self.gradients(X, y)
        numeric = numerical_gradients(self, X, y, eps)
        return max(relative_error(a, n)
                   for pa, pn in zip(analytic, numeric) for a, n in zip(pa, pn))

    # --- plots (drawn by the plotting backend: the app's views, loaded on first use) ------
    def graph(self, X=None, path=None, size=None):
        """Draw the network: edges by sign and weight, ``min(8, |w| + 0.25)`` wide.

        Parameters
        ----------
        X : array_like, optional
            Points whose plane each neuron's activation is shown over.
        path : str or PathLike, optional
            Write a ``.png`` or ``.svg`` there and return the path. Without it the
            picture shows inline in Jupyter, or else in a window, and the call returns
            when the window is closed (like ``plt.show()``).
        size : (int, int), optional
            ``(width, height)`` in pixels.
        """
        return plotting.backend().graph(self, X, path, size)

    def plot_errors(self, X, y, path=None, size=None):
        """Draw ``X`` right (green) or wrong (red) over the boundary; ``path``, ``size``
        as in ``graph``."""
        return plotting.backend().plot_errors(self, X, y, path, size)

    def plot_scores(self, path=None, size=None):
        """Draw ``scores``, the train AUC before each epoch. ``path``, ``size`` as in ``graph``."""
        return plotting.backend().plot_scores(self, path, size)

    def show(self, X, y, **kw):
        """Open the ScratchNet app on this network and the points ``X, y``, ready to step
        through one sample at a time; returns when the window is closed.

        The app splits ``X, y`` itself (``train_fraction=0.75``, ``split_seed=0``) and
        always trains with exact backprop.
        """
        return plotting.backend().show(self, X, y, **kw)
