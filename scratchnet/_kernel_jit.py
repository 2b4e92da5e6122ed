"""The compiled training loop (numba); ``scratchnet.kernel`` is the Python side.

Only ``kernel``'s compile thread imports this module, never ``import scratchnet``. The
parameters travel as one flat float64 buffer, ``theta = [W0.ravel(), b0, W1.ravel(), b1,
...]`` (the order of ``Network.parameters()``), and the architecture, activations and
optimizer as integer codes, so a single compiled specialisation serves every network.

Helpers are inlined into ``train`` (``inline="always"``): as separate calls they cost
an atomic reference-count pair per array argument per sample.

Every formula restates its numpy counterpart in ``network.py`` and ``optimizers.py``
operation for operation; only the order of the sums inside a matrix product differs
(BLAS chooses its own), which is why the two paths agree to ~1e-12, not bit for bit.
"""

from __future__ import annotations

import math

import numpy as np

try:
    from numba import njit
except ImportError:  # kernel.status() reports it; the module itself stays importable
    njit = None

    def _plain(*args, **kwargs):
        return lambda f: f
else:
    _plain = njit

# codes: the order of activations.ACTIVATIONS and optimizers.OPTIMIZERS (kernel.py checks)
SIGMOID, TANH, RELU, LEAKY_RELU, LINEAR = 0, 1, 2, 3, 4
SGD, MOMENTUM, ADAM = 0, 1, 2
LEAKY_SLOPE = 0.01   # activations.LEAKY_SLOPE
SIGMOID_CLIP = 708.0  # activations._SIGMOID_CLIP
MAX_WEIGHT = 1e6      # trainer.MAX_WEIGHT
# Indexing with a signed integer costs a "negative index wraps around" test on every
# access and keeps LLVM from vectorising; every index here is >= 0, so the hot loops
# index with _u(i). That took a quarter to a third off a step on 2-9-6-1 and 2-8x6-1.
_u = np.uint64


@_plain(cache=True, inline="always")
def _act(code, z):
    """f(z); nan stays nan, as with numpy's maximum/minimum."""
    if code == SIGMOID:
        if z < -SIGMOID_CLIP:
            z = -SIGMOID_CLIP
        elif z > SIGMOID_CLIP:
            z = SIGMOID_CLIP
        return 1.0 / (1.0 + math.exp(-z))
    if code == TANH:
        return math.tanh(z)
    if code == RELU:
        return z if (z > 0.0 or z != z) else 0.0
    if code == LEAKY_RELU:
        return z if z > 0.0 else LEAKY_SLOPE * z
    return z


@_plain(cache=True, inline="always")
def _dact(code, a):
    """f'(z) written through a = f(z), as in activations.py."""
    if code == SIGMOID:
        return a * (1.0 - a)
    if code == TANH:
        return 1.0 - a * a
    if code == RELU:
        return 1.0 if a > 0.0 else 0.0
    if code == LEAKY_RELU:
        return 1.0 if a > 0.0 else LEAKY_SLOPE
    return 1.0


@_plain(cache=True, inline="always")
def _forward(theta, sizes, woff, aoff, codes, acts, nb):
    """acts[layer i+1] = f(a_in @ W.T + b) for the nb rows already in acts[layer 0]."""
    for i in range(len(sizes) - 1):
        n_in, n_out, w, code = sizes[i], sizes[i + 1], woff[i], codes[i]
        b = w + n_in * n_out
        for r in range(nb):
            src, dst = aoff[i] + r * n_in, aoff[i + 1] + r * n_out
            for j in range(n_out):
                s = 0.0
                wj = w + j * n_in
                for k in range(n_in):
                    s += theta[_u(wj + k)] * acts[_u(src + k)]
                acts[_u(dst + j)] = _act(code, s + theta[_u(b + j)])


@_plain(cache=True, inline="always")
def _layer_grads(theta, grad, delta, acts, a_off, w, n_in, n_out, nb, l1, l2):
    """dW = delta.T @ a_in (+ l1 sign W, + l2 W) and db = delta summed over the rows."""
    b = w + n_in * n_out
    for q in range(w, b + n_out):
        grad[_u(q)] = 0.0
    for r in range(nb):  # rows in order, as numpy reduces axis 0
        ar = a_off + r * n_in
        for j in range(n_out):
            d = delta[_u(r * n_out + j)]
            grad[_u(b + j)] += d
            wj = w + j * n_in
            for k in range(n_in):
                grad[_u(wj + k)] += d * acts[_u(ar + k)]
    if l1 != 0.0 or l2 != 0.0:
        for q in range(w, b):
            if l1 != 0.0:
                grad[_u(q)] += l1 * np.sign(theta[_u(q)])
            if l2 != 0.0:
                grad[_u(q)] += l2 * theta[_u(q)]


@_plain(cache=True, inline="always")
def _backward(theta, grad, sizes, woff, aoff, codes, acts, delta, dprev, Y, idx, nb, l1, l2):
    """Gradients of the mean loss over the batch into grad (weights unchanged)."""
    top = len(sizes) - 1
    n_out = sizes[top]
    for r in range(nb):  # a - y: sigmoid+BCE and linear+half-MSE alike
        for j in range(n_out):
            delta[r * n_out + j] = acts[aoff[top] + r * n_out + j] - Y[idx[r], j]
            delta[r * n_out + j] /= nb
    for i in range(top - 1, -1, -1):
        n_in, n_out, w = sizes[i], sizes[i + 1], woff[i]
        _layer_grads(theta, grad, delta, acts, aoff[i], w, n_in, n_out, nb, l1, l2)
        if i == 0:
            break
        # delta @ W with the weights before the update, then times f' of layer i-1
        for q in range(nb * n_in):
            dprev[_u(q)] = 0.0
        for r in range(nb):
            for j in range(n_out):
                d, wj, pr = delta[_u(r * n_out + j)], w + j * n_in, r * n_in
                for k in range(n_in):
                    dprev[_u(pr + k)] += d * theta[_u(wj + k)]
        for q in range(nb * n_in):
            dprev[_u(q)] *= _dact(codes[i - 1], acts[_u(aoff[i] + q)])
        delta, dprev = dprev, delta


@_plain(cache=True, inline="always")
def _propose(grad, upd, s1, s2, n1, n2, opt, lr, mu, b1, b2, eps, t):
    """Updates into upd and Adam's next m, v into n1, n2 (state untouched).

    Returns whether every update is finite: the step is refused when one is not."""
    if opt == SGD:
        for q in range(len(grad)):
            upd[_u(q)] = -lr * grad[_u(q)]
    elif opt == MOMENTUM:
        for q in range(len(grad)):
            upd[_u(q)] = mu * s1[_u(q)] - lr * grad[_u(q)]
    else:  # float(t): pow() as Python's float ** int does, not repeated multiplication
        c1, c2 = 1.0 - b1 ** float(t), 1.0 - b2 ** float(t)
        for q in range(len(grad)):
            g = grad[_u(q)]
            m = b1 * s1[_u(q)] + (1.0 - b1) * g
            v = b2 * s2[_u(q)] + (1.0 - b2) * (g * g)
            n1[_u(q)], n2[_u(q)] = m, v
            upd[_u(q)] = -lr * (m / c1) / (math.sqrt(v / c2) + eps)
    return _finite_sum(upd)


@_plain(cache=True, inline="always")
def _finite_sum(x):
    """Whether the sum of x is finite, as Trainer._apply tests (nan or inf anywhere makes
    it nan or inf). Four running sums instead of one: a single chain of dependent adds
    was ~15% of a batch-1 step on 2-8x6-1; only the order of the adds changes."""
    s0 = s1 = s2 = s3 = 0.0
    n4 = len(x) - len(x) % 4
    for q in range(0, n4, 4):
        s0 += x[_u(q)]
        s1 += x[_u(q + 1)]
        s2 += x[_u(q + 2)]
        s3 += x[_u(q + 3)]
    for q in range(n4, len(x)):
        s0 += x[_u(q)]
    return math.isfinite((s0 + s1) + (s2 + s3))


@_plain(cache=True, inline="always")
def _bounded(theta, upd):
    """Whether every weight stays within Trainer's MAX_WEIGHT after the step (a finite
    blow-up is divergence too; numpy then refuses the step with its own message)."""
    for q in range(len(theta)):
        if abs(theta[_u(q)] + upd[_u(q)]) > MAX_WEIGHT:
            return False
    return True


@_plain(cache=True, inline="always")
def _commit(theta, upd, s1, s2, n1, n2, opt):
    """Apply a step that passed the check: weights and optimizer state."""
    for q in range(len(theta)):
        theta[_u(q)] += upd[_u(q)]
    if opt == MOMENTUM:  # the new velocity is the update
        for q in range(len(theta)):
            s1[_u(q)] = upd[_u(q)]
    elif opt == ADAM:
        for q in range(len(theta)):
            s1[_u(q)], s2[_u(q)] = n1[_u(q)], n2[_u(q)]


@_plain(cache=True, nogil=True)  # the training process's sender thread keeps running
def train(theta, s1, s2, sizes, codes, X, Y, order, start, n_batches, batch, opt, hyper,
          t0, l1, l2):
    """Train up to ``n_batches`` minibatches of ``order`` from ``start`` (not past its end).

    ``hyper = [lr, momentum, beta1, beta2, eps]``; ``t0`` is the optimizer's step count.
    Returns ``(batches applied, refused)``: ``refused`` is True when the next batch's
    update was not finite; it was not applied and nothing after it ran.
    """
    n_layers = len(sizes) - 1
    woff, aoff = np.zeros(n_layers, np.int64), np.zeros(n_layers + 1, np.int64)
    for i in range(1, n_layers):
        woff[i] = woff[i - 1] + sizes[i - 1] * sizes[i] + sizes[i]
    for i in range(1, n_layers + 1):
        aoff[i] = aoff[i - 1] + batch * sizes[i - 1]
    acts = np.empty(aoff[n_layers] + batch * sizes[n_layers])
    delta, dprev = np.empty(batch * sizes.max()), np.empty(batch * sizes.max())
    grad, upd = np.empty(len(theta)), np.empty(len(theta))
    n1, n2 = np.empty(len(s1)), np.empty(len(s2))
    lr, mu, b1, b2, eps = hyper[0], hyper[1], hyper[2], hyper[3], hyper[4]
    pos, done, n_in = start, 0, sizes[0]
    while done < n_batches and pos < len(order):
        nb = min(batch, len(order) - pos)
        idx = order[pos:pos + nb]
        for r in range(nb):
            for k in range(n_in):
                acts[_u(r * n_in + k)] = X[idx[r], k]
        _forward(theta, sizes, woff, aoff, codes, acts, nb)
        _backward(theta, grad, sizes, woff, aoff, codes, acts, delta, dprev, Y, idx, nb,
                  l1, l2)
        if not (_propose(grad, upd, s1, s2, n1, n2, opt, lr, mu, b1, b2, eps, t0 + done + 1)
                and _bounded(theta, upd)):
            return done, True
        _commit(theta, upd, s1, s2, n1, n2, opt)
        done += 1
        pos += nb
    return done, False
