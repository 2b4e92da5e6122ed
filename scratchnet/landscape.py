"""The loss landscape around a network's weights, and its sharpness.

A *direction* is a list of ``(dW, db)`` pairs shaped like the network's layers, as
``Network.gradients`` returns them.

* ``plane``: the data loss (no L1/L2) at ``θ + α·d1 + β·d2`` on an n×n grid.
* ``random_directions``: filter-normalised random directions (Li et al., NeurIPS 2018):
  each unit's row scaled to that unit's weight-row norm, bias directions zero.
* ``pca_directions``: the two principal directions of a training path's frames.
* ``project``: each frame's ``(α, β)`` by least squares, and the part off the plane.
* ``sharpness``: λmax of the mean training loss's Hessian, by power iteration on exact
  Hessian-vector products (Pearlmutter's R-operator through the layers), in float64.
* ``next_step``: the optimizer's own proposed update, without changing its state.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from . import activations as acts
from . import losses

CHUNK = 1 << 17          # values of one layer's products evaluated at once (1 MiB)
MAX_GRID = 201           # the most points per side of a plane
SAMPLE_ROWS = 2000       # the landscape and sharpness use at most this many rows


# --- directions as vectors -----------------------------------------------------------
def flatten(pairs) -> np.ndarray:
    """One float64 vector of ``[(W, b), ...]`` (W row-major, then b, layer by layer)."""
    return np.concatenate([np.ravel(a) for pair in pairs for a in pair]).astype(np.float64)


def unflatten(vec, like) -> list:
    """``vec`` cut into pairs shaped like ``like`` (a direction, or ``Network.layers``)."""
    out, k = [], 0
    for W, b in _pairs(like):
        w = vec[k:k + W.size].reshape(W.shape)
        k += W.size
        out.append((w, vec[k:k + b.size].reshape(b.shape)))
        k += b.size
    if k != len(vec):
        raise ValueError(f"a vector of {len(vec)} values for {k} parameters")
    return out


def _pairs(like) -> list:
    if hasattr(like, "layers"):
        like = like.layers
    return [(L.weights, L.biases) if hasattr(L, "weights") else L for L in like]


def weights_of(network) -> list:
    """The network's parameters as a direction (copies)."""
    return [(L.weights.copy(), L.biases.copy()) for L in network.layers]


def sample(X, y, rows: int = SAMPLE_ROWS):
    """``(X, y, note)``: every row, or an even sample of ``rows`` of a larger set."""
    n = len(X)
    if n <= rows:
        return X, y, f"the training set ({n:,} rows)"
    idx = np.linspace(0, n - 1, rows).astype(np.int64)
    return X[idx], y[idx], f"an even sample of {rows:,} of {n:,} training rows"


# --- directions ----------------------------------------------------------------------
def random_directions(network, seed: int):
    """Two filter-normalised random directions fixed by ``seed``.

    Each direction's row for a unit (its incoming weights) is drawn from a standard
    normal and scaled to the norm of that unit's weight row; the biases' directions are
    zero, as in Li et al.'s ``normalize_directions_for_weights``."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(2):
        d = []
        for L in network.layers:
            D = rng.standard_normal(L.weights.shape)
            norms = np.linalg.norm(L.weights, axis=1, keepdims=True)
            D *= norms / np.maximum(np.linalg.norm(D, axis=1, keepdims=True), 1e-300)
            d.append((D, np.zeros_like(L.biases)))
        out.append(d)
    return out[0], out[1]


def pca_directions(frames, origin):
    """The two principal directions of ``frames`` relative to ``origin``.

    Parameters
    ----------
    frames : sequence of directions (``[(W, b), ...]``), at least 3
    origin : direction
        The shown weights; each frame is taken as ``frame − origin``.

    Returns
    -------
    d1, d2 : direction
        Unit vectors: the first two principal axes of the centred differences (what
        ``sklearn.decomposition.PCA(2).components_`` gives, up to sign).
    explained : ndarray, shape (2,)
        Their share of the differences' variance.
    """
    if len(frames) < 3:
        raise ValueError(f"the path's principal directions need 3 frames, not {len(frames)}")
    o = flatten(origin)
    M = np.stack([flatten(f) - o for f in frames])
    M -= M.mean(axis=0)
    _, s, Vt = np.linalg.svd(M, full_matrices=False)
    total = float(np.sum(s * s))
    explained = (s[:2] ** 2 / total) if total > 0 else np.zeros(2)
    V = np.zeros((2, M.shape[1]))
    V[:len(Vt[:2])] = Vt[:2]
    return unflatten(V[0], origin), unflatten(V[1], origin), explained


def project(frames, origin, d1, d2):
    """Each frame's ``(α, β)`` on the plane through ``origin`` spanned by ``d1``, ``d2``.

    Returns
    -------
    coords : ndarray, shape (k, 2)
        The least-squares ``(α, β)`` of ``frame − origin``.
    off : ndarray, shape (k,)
        The norm of what is left off the plane, per frame.
    share : float
        How much of the path lies off the plane: ``Σ off² / Σ |frame − origin|²``
        (0 when every frame lies in it; 0 for a path that never leaves ``origin``).
    """
    o = flatten(origin)
    A = np.stack([flatten(d1), flatten(d2)], axis=1)
    M = np.stack([flatten(f) - o for f in frames]) if len(frames) else np.zeros((0, len(o)))
    coords = np.linalg.lstsq(A, M.T, rcond=None)[0].T if len(M) else np.zeros((0, 2))
    rest = M - coords @ A.T
    off = np.linalg.norm(rest, axis=1)
    total = float(np.sum(M * M))
    return coords, off, (float(np.sum(off * off)) / total if total > 0 else 0.0)


# --- the loss over many weight vectors at once -----------------------------------------
def _losses(output, z, Y) -> np.ndarray:
    """Per-weight-vector mean loss of logits ``z`` (g, n, k) against ``Y`` (n, k), by
    the same formulas as ``losses.loss``."""
    n = z.shape[1]
    if output == "sigmoid":
        soft = np.log1p(np.exp(-np.minimum(np.abs(z), 708.0)))
        return np.sum(np.maximum(z, 0.0) - Y * z + soft, axis=(1, 2)) / n
    if output == "softmax":
        m = np.max(z, axis=2, keepdims=True)
        e = np.exp(np.maximum(z - m, -708.0))
        lse = m + np.log(np.sum(e, axis=2, keepdims=True))
        return np.sum(Y * (lse - z), axis=(1, 2)) / n
    d = z - Y
    return 0.5 * np.sum(d * d, axis=(1, 2)) / n


def along(network, X, y, d1, d2, alphas, betas) -> np.ndarray:
    """The data loss (no L1/L2) at ``θ + α_k·d1 + β_k·d2`` for each pair ``(α_k, β_k)``.

    Everything is affine in (1, α, β) before an activation. The first layer's
    pre-activations ``X(W + αD1 + βD2)ᵀ + (b + αe1 + βe2)`` are three products computed
    once, combined for every point by one matrix product with the points' ``(1, α, β)``
    rows; each later layer's weights are combined per point the same way and applied
    as one stacked product. Points go in chunks of about ``CHUNK`` values a layer,
    through buffers allocated once (fresh large arrays cost more in page faults here
    than the arithmetic)."""
    X = network._check_input(X)
    Y = network._targets(y, len(X))
    alphas, betas = np.ravel(alphas).astype(np.float64), np.ravel(betas).astype(np.float64)
    if alphas.shape != betas.shape:
        raise ValueError("one β per α")
    C = np.column_stack([np.ones_like(alphas), alphas, betas])
    Wt, B = _stacks(network, d1, d2)
    F = np.stack([X @ Wt[0][c] + B[0][c] for c in range(3)])
    F = F.reshape(3, -1)  # (3, n·h): the first layer's products, shared by every point
    Ws = [W.reshape(3, -1) for W in Wt]
    widths = [len(L.biases) for L in network.layers]
    step = max(1, min(len(alphas), CHUNK // max(1, len(X) * max(widths))))
    # two buffers in turn (a product cannot be written over its input), each as wide as
    # the widest layer: a deep network holds two, not one a layer
    room = step * len(X) * max(widths)
    bufs = [np.empty(room), np.empty(room)]
    out = np.empty(len(alphas))
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for s in range(0, len(alphas), step):
            out[s:s + step] = _chunk(network, C[s:s + step], F, Ws, B, Y, bufs)
    return out


def _stacks(network, d1, d2):
    """Per layer, the weights ``(3, in, out)`` and biases ``(3, out)`` of θ, d1 and d2.

    A sigmoid layer is computed as ``σ(z) = ½ + ½·tanh(z/2)``, one pass where the
    logistic takes four: its own weights and biases are halved (``z/2``), and the
    next layer takes ``tanh`` for σ with weights ``½W`` and biases ``b + ½ΣW``, both
    linear in (1, α, β) like everything else."""
    Wt, B = [], []
    for i, (L, (D1, e1), (D2, e2)) in enumerate(zip(network.layers, _pairs(d1), _pairs(d2))):
        W = np.stack([L.weights.T, D1.T, D2.T]).astype(np.float64)
        b = np.stack([L.biases, e1, e2]).astype(np.float64)
        if i and network.layers[i - 1].activation == "sigmoid":
            b += 0.5 * W.sum(axis=1)
            W *= 0.5
        if i < len(network.layers) - 1 and L.activation == "sigmoid":
            W *= 0.5
            b *= 0.5
        Wt.append(W)
        B.append(b)
    return Wt, B


def _chunk(network, C, F, Ws, bs, Y, bufs) -> np.ndarray:
    """The losses of one chunk of points, ``C`` their (1, α, β) rows."""
    g, n = len(C), len(Y)
    h = F.shape[1] // n
    z = np.matmul(C, F, out=bufs[0][:g * n * h].reshape(g, -1)).reshape(g, n, h)  # bias in F
    for i in range(1, len(Ws)):
        name = network.layers[i - 1].activation
        f = np.tanh if name == "sigmoid" else acts.ACTIVATIONS[name].f  # see _stacks
        act = f(z, out=z)
        Wg = (C @ Ws[i]).reshape(g, act.shape[2], -1)
        h = Wg.shape[2]
        z = np.matmul(act, Wg, out=bufs[i % 2][:g * n * h].reshape(g, n, h))
        z += (C @ bs[i])[:, None, :]
    return _losses(network.output, z, Y)  # the output's logits (a value, for linear)


def plane(network, X, y, d1, d2, span: float = 1.0, n: int = 41):
    """The data loss (no L1/L2) on an n×n grid around the network's weights.

    Parameters
    ----------
    network : Network
    X, y : array_like
        The rows and targets the loss is measured on.
    d1, d2 : direction
    span : float
        α and β run over ``[−span, span]``.
    n : int
        Points per side (2 to ``MAX_GRID``).

    Returns
    -------
    alphas, betas : ndarray, shape (n,)
    grid : ndarray, shape (n, n)
        ``grid[j, i]`` is the loss at ``θ + alphas[i]·d1 + betas[j]·d2``.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 2 <= n <= MAX_GRID:
        raise ValueError(f"a plane has 2 to {MAX_GRID} points a side, not {n!r}")
    if not (isinstance(span, (int, float)) and math.isfinite(span) and span > 0):
        raise ValueError(f"the plane's span must be a positive finite number, not {span!r}")
    axis = np.linspace(-span, span, n)
    A, B = np.meshgrid(axis, axis)
    return axis, axis.copy(), along(network, X, y, d1, d2, A, B).reshape(n, n)


# --- curvature -------------------------------------------------------------------------
def _d2(name: str, a: np.ndarray, d1: np.ndarray) -> np.ndarray:
    """The activation's second derivative, from its output ``a`` and first derivative."""
    if name == "sigmoid":
        return d1 * (1.0 - 2.0 * a)
    if name == "tanh":
        return -2.0 * a * d1
    return np.zeros_like(a)


def hvp(network, X, Y, v) -> list:
    """The Hessian of the mean data loss (no L1/L2) times direction ``v``, exactly.

    Pearlmutter's R-operator: the forward pass carries ``R(z)``, the directional
    derivative of each pre-activation along ``v``; the backward pass carries
    ``R(δ)``, and ``R(∂L/∂W) = R(δ)ᵀa + δᵀR(a)`` is the product. ``Y`` is as
    ``Network._targets`` gives it."""
    layers, n = network.layers, len(X)
    zs, outs = network._forward(X)
    Rs, Ra = [], [np.zeros_like(X)]
    for i, (L, (VW, Vb)) in enumerate(zip(layers, v)):
        Rz = Ra[-1] @ L.weights.T + outs[i] @ VW.T + Vb
        a = outs[i + 1]
        if i < len(layers) - 1:
            Ra.append(acts.ACTIVATIONS[L.activation].df(a) * Rz)
        elif network.output == "sigmoid":
            Ra.append(a * (1.0 - a) * Rz)
        elif network.output == "softmax":
            Ra.append(a * (Rz - np.sum(a * Rz, axis=1, keepdims=True)))
        else:
            Ra.append(Rz)
        Rs.append(Rz)
    delta, Rdelta = (outs[-1] - Y) / n, Ra[-1] / n
    out = [None] * len(layers)
    for i in range(len(layers) - 1, -1, -1):
        W, VW = layers[i].weights, v[i][0]
        out[i] = (Rdelta.T @ outs[i] + delta.T @ Ra[i], Rdelta.sum(axis=0))
        if i:
            name, a = layers[i - 1].activation, outs[i]
            d1 = acts.ACTIVATIONS[name].df(a)
            back = delta @ W
            Rdelta = (Rdelta @ W + delta @ VW) * d1 + back * _d2(name, a, d1) * Rs[i - 1]
            delta = back * d1
    return out


@dataclass(frozen=True)
class Sharpness:
    """λmax and how it was found: ``iterations`` of power iteration until the estimate
    moved by at most ``tol`` relative (``converged``), in ``seconds``; ``vector`` is
    the top eigenvector (a warm start for the next measurement)."""

    value: float
    iterations: int
    tol: float
    converged: bool
    seconds: float
    vector: np.ndarray

    def __float__(self):
        return self.value


def _power(network, X, Y, like, v, shift, tol, max_iter):
    """Power iteration on ``H + shift·I``; ``(λ, v, iterations, converged)``."""
    lam = None
    for k in range(1, max_iter + 1):
        w = flatten(hvp(network, X, Y, unflatten(v, like))) + shift * v
        new = float(v @ w)
        norm = float(np.linalg.norm(w))
        if norm == 0.0 or not math.isfinite(norm):
            return new, v, k, norm == 0.0
        v = w / norm
        if lam is not None and abs(new - lam) <= tol * max(abs(new), 1e-30):
            return new, v, k, True
        lam = new
    return lam, v, max_iter, False


def sharpness(network, X, y, tol: float = 1e-9, max_iter: int = 500, v0=None,
              seed: int = 0) -> Sharpness:
    """The top eigenvalue λmax of the Hessian of the mean data loss (no L1/L2) with
    respect to every weight and bias, in float64.

    Power iteration on exact Hessian-vector products (``hvp``), as PyHessian does, until
    the Rayleigh quotient moves by at most ``tol`` relative or ``max_iter`` products.
    Power iteration finds the eigenvalue largest in size; when that is negative, it is
    run again on ``H + |λ|·I``, whose top eigenvalue is λmax + |λ|.

    Parameters
    ----------
    network : Network
    X, y : array_like
    tol : float
    max_iter : int
        Products at most per run.
    v0 : ndarray, optional
        A start vector (the last top eigenvector); by default a seeded random one.
    seed : int

    Returns
    -------
    Sharpness
        ``float(result)`` is λmax; ``iterations`` counts the products.
    """
    t0 = time.perf_counter()
    X = network._check_input(X)
    Y = network._targets(y, len(X))
    like = weights_of(network)
    size = sum(W.size + b.size for W, b in like)
    v = (np.random.default_rng(seed).standard_normal(size) if v0 is None or len(v0) != size
         else np.array(v0, dtype=np.float64))
    v /= max(np.linalg.norm(v), 1e-300)
    lam, v, its, ok = _power(network, X, Y, like, v, 0.0, tol, max_iter)
    if lam < 0:  # the most negative eigenvalue was the largest in size: shift past it
        shift = -lam
        v2 = np.random.default_rng(seed + 1).standard_normal(size)
        lam2, v, its2, ok = _power(network, X, Y, like, v2 / np.linalg.norm(v2), shift,
                                   tol, max_iter)
        lam, its = lam2 - shift, its + its2
    return Sharpness(float(lam), its, tol, ok, time.perf_counter() - t0, v)


def stability_threshold(optimizer, lr: float | None = None):
    """Where full-batch descent stops being stable on a quadratic: ``2/lr`` for SGD,
    ``(2 + 2μ)/lr`` for heavy-ball momentum; ``None`` for Adam (its step is
    preconditioned, so the line does not apply). ``lr`` defaults to the optimizer's."""
    lr = optimizer.lr if lr is None else lr
    if optimizer.name == "sgd":
        return 2.0 / lr
    if optimizer.name == "momentum":
        return (2.0 + 2.0 * optimizer.momentum) / lr
    return None


def threshold_name(optimizer) -> str:
    """How the threshold is written: "2/lr", "(2+2μ)/lr", or "" where none applies."""
    return {"sgd": "2/lr", "momentum": "(2+2μ)/lr"}.get(optimizer.name, "")


def edge_note(history, optimizer, lr: float) -> str:
    """The last measured sharpness against the stability threshold, for the divergence
    guard's message ("" when no sharpness was measured)."""
    if "sharpness" not in history.keys:
        return ""
    col = history["sharpness"]
    seen = np.flatnonzero(np.isfinite(col))
    if not len(seen):
        return ""
    lam, epoch = float(col[seen[-1]]), int(history["epoch"][seen[-1]])
    limit = stability_threshold(optimizer, lr)
    if limit is None:
        return (f" The last sharpness (epoch {epoch}) was λmax {lam:.3g}; the 2/lr line "
                f"does not apply to {optimizer.name}, whose steps are preconditioned.")
    verb = "had passed" if lam > limit else "was still below"
    return (f" At epoch {epoch} the sharpness λmax {lam:.3g} {verb} "
            f"{threshold_name(optimizer)} = {limit:.3g}.")


# --- the next step ------------------------------------------------------------------------
def next_step(trainer, network=None, optimizer=None, order=None, cursor=None) -> list:
    """The update the optimizer would make next, as a direction: its own ``propose``
    on the next minibatch's gradient (with the trainer's L1/L2), so momentum and Adam
    are drawn as they step. Nothing changes: ``propose`` keeps no state.

    ``network``, ``optimizer``, ``order`` and ``cursor`` default to the trainer's (a
    past frame passes its own)."""
    t = trainer
    net = network or t.network
    opt = optimizer or t.optimizer
    order = t.order if order is None else order
    cursor = t.cursor if cursor is None else cursor
    idx = order[cursor:cursor + t.batch_size]
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        grads = net._backprop(t.X_train[idx], t._Y_train[idx], t.l1, t.l2, with_loss=False)[4]
        updates, _ = opt.propose([g for pair in grads for g in pair], t.epoch)
    return [(updates[2 * i], updates[2 * i + 1]) for i in range(len(net.layers))]


def step_line(network, X, y, delta, s) -> np.ndarray:
    """The data loss at ``θ + s_k·Δ`` for each ``s_k``."""
    zero = [(np.zeros_like(W), np.zeros_like(b)) for W, b in _pairs(delta)]
    s = np.ravel(s).astype(np.float64)
    return along(network, X, y, delta, zero, s, np.zeros_like(s))


# --- the trainer's per-epoch measurement ----------------------------------------------------
class SharpnessProbe:
    """Measures the sharpness for the history's ``sharpness`` column at an epoch's end.

    ``every``: each epoch that is a multiple of it (the command line); or ``share``: at
    most that share of the training time since the last measurement (the app). Epochs
    not measured hold NaN. The last top eigenvector starts the next power iteration.

    Parameters
    ----------
    X, y : ndarray
        The rows measured on (``sample`` of the training set).
    every : int, optional
    share : float, optional
    """

    def __init__(self, X, y, every: int | None = None, share: float | None = None,
                 tol: float = 1e-6, max_iter: int = 200):
        self.X, self.y, self.every, self.share = X, y, every, share
        self.tol, self.max_iter = tol, max_iter
        self.last = None       # the last Sharpness
        self.spent = 0.0       # seconds measuring so far
        self._since = None     # the trainer's seconds at the last measurement

    def due(self, trainer) -> bool:
        """Whether this epoch should be measured."""
        if self.every is not None:
            return trainer.epoch % self.every == 0
        if self._since is None or self.last is None:
            return True
        return (trainer.seconds - self._since) * self.share >= self.last.seconds

    def __call__(self, trainer) -> float:
        if not self.due(trainer):
            return float("nan")
        v0 = None if self.last is None else self.last.vector
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            s = sharpness(trainer.network, self.X, self.y, self.tol, self.max_iter, v0)
        self.last, self._since = s, trainer.seconds
        self.spent += s.seconds
        return s.value if math.isfinite(s.value) else float("nan")
