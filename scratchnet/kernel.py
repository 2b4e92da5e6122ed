"""Compiled training for small networks: many minibatches per call, numpy as reference.

A batch-1 SGD step through numpy is ~50 calls of ~1 µs; the numba loop in
``_kernel_jit`` does the same arithmetic without the calls. It is an optional
accelerator: ``Trainer.step_batches`` uses it only when :func:`status` is READY and
it is the faster path for the network (:func:`fits`); otherwise it steps through numpy
exactly as before. The numpy path stays the reference the kernel is tested against.

Nothing here imports numba until :func:`start_compiling` is called, and compiling runs
on a background thread, so it never holds anyone up: training goes on through numpy
and switches to the kernel at its next call once the kernel is ready. Set
``SCRATCHNET_KERNEL=numpy`` to force the numpy path everywhere.
"""

from __future__ import annotations

import enum
import os
import threading
import time
from dataclasses import dataclass

import numpy as np

from . import activations, optimizers

ENV = "SCRATCHNET_KERNEL"
# Where numpy's BLAS products overtake the kernel (benchmarks/bench_kernel_threshold.py,
# BLAS on one thread): numpy pays ~15 µs of call overhead per layer per batch, the
# kernel ~1.3 ns per parameter per sample. For batches > 1 the crossover came at
# parameters × batch ≈ 10,000 per layer (2-w-w-1: w = 64 at batch 10, w ≈ 24 at 64;
# 2-w×6-1 near 65,000). At batch 1 numpy's matrix-vector products never caught up
# (kernel 46× faster at w = 16, 1.6× at w = 256), so batch 1 always takes the kernel.
WORK_PER_LAYER = 10_000

_ACT_CODES = {name: i for i, name in enumerate(activations.ACTIVATIONS)}
# outputs whose activation is elementwise and whose error is a - y; a regression's target
# scale needs nothing here (the kernel trains on Trainer's standardised targets)
KERNEL_OUTPUTS = ("sigmoid", "linear")
_OPT_CODES = {cls: i for i, cls in enumerate(optimizers.OPTIMIZERS.values())}



class KernelState(str, enum.Enum):
    """Where the kernel stands: not requested, compiling, ready, or unavailable (numba
    missing or failing, or ``SCRATCHNET_KERNEL=numpy``: training runs through numpy)."""

    IDLE = "idle"
    COMPILING = "compiling"
    READY = "ready"
    UNAVAILABLE = "unavailable"

    def __str__(self):
        return self.value


@dataclass(frozen=True)
class KernelStatus:
    """A ``KernelState`` and, when unavailable, why; prints as "unavailable: <reason>"."""

    state: KernelState
    reason: str = ""

    def __str__(self):
        return f"{self.state}: {self.reason}" if self.reason else str(self.state)


_lock = threading.Lock()
_done = threading.Event()
_state = KernelStatus(KernelState.IDLE)
_jit = None  # the _kernel_jit module once compiled


def status() -> KernelStatus:
    """Where the kernel stands.

    Returns
    -------
    KernelStatus
        Its ``state`` is IDLE (not requested), COMPILING, READY or UNAVAILABLE, with
        the ``reason`` (numba missing or failing, or ``SCRATCHNET_KERNEL=numpy``):
        training then runs through numpy.
    """
    if os.environ.get(ENV, "").strip().lower() == "numpy":
        return KernelStatus(KernelState.UNAVAILABLE, f"{ENV}=numpy forces the numpy path")
    return _state


def start_compiling() -> KernelStatus:
    """Compile (or load from numba's cache) on a daemon thread; return at once.

    Safe to call any number of times; only the first starts a thread. Returns
    :func:`status` as it stands on return.
    """
    global _state
    with _lock:
        if _state.state is not KernelState.IDLE or (
                status().state is KernelState.UNAVAILABLE):
            return status()
        _state = KernelStatus(KernelState.COMPILING)
        _done.clear()
    threading.Thread(target=_compile, name="scratchnet-kernel", daemon=True).start()
    return status()


def wait(timeout: float | None = None) -> KernelStatus:
    """Block until compiling has finished, for scripts and tests (training never waits).

    Parameters
    ----------
    timeout : float, optional
        Give up after this many seconds (no limit by default).

    Returns
    -------
    KernelStatus
        :func:`status`; IDLE at once if compiling was never started.
    """
    if _state.state is KernelState.COMPILING:
        _done.wait(timeout)
    return status()


def _compile() -> None:
    global _state, _jit
    try:
        from . import _kernel_jit as jit
        if jit.njit is None:
            raise ImportError("numba is not installed")
        _warm_up(jit)
        jit.train.disable_compile()  # a mismatched argument type must fail, not compile
        _jit, state = jit, KernelStatus(KernelState.READY)
    except Exception as e:  # any failure leaves the numpy path, and says why
        state = KernelStatus(KernelState.UNAVAILABLE, f"{type(e).__name__}: {e}")
    with _lock:
        _state = state
        _done.set()


def _warm_up(jit) -> None:
    """One call with arguments of exactly the types ``_run`` passes."""
    theta = np.zeros(3)
    X, Y = np.zeros((1, 1)), np.zeros((1, 1))
    sizes, codes, order = (np.array(v, np.int64) for v in ([1, 1], [0], [0]))
    jit.train(theta, theta.copy(), theta.copy(), sizes, codes, X, Y, order, 0, 1, 1, 0,
              np.zeros(5), 0, 0.0, 0.0)


def fits(trainer) -> bool:
    """Whether the kernel should train ``trainer`` (whether or not it is compiled yet).

    Parameters
    ----------
    trainer : Trainer

    Returns
    -------
    bool
        True when the optimizer is SGD, Momentum or Adam itself (not a subclass), the
        output is one the kernel implements (sigmoid or linear, not softmax: its
        activation couples the units of a row) and the kernel is the faster path for
        the network and batch size (``WORK_PER_LAYER``).
    """
    net, b = trainer.network, trainer.batch_size
    if trainer.backprop != "correct":  # the article's loop runs only on numpy
        return False
    if net.output not in KERNEL_OUTPUTS or type(trainer.optimizer) not in _OPT_CODES or any(
            L.activation not in _ACT_CODES for L in net.layers):
        return False
    n_params = sum(L.weights.size + L.biases.size for L in net.layers)
    return b == 1 or n_params * b <= WORK_PER_LAYER * len(net.layers)


def step_batches(trainer, max_batches: int | None = None,
                 deadline: float | None = None) -> bool:
    """``Trainer.step_batches`` (see there): the kernel when ready and fitting, else a
    loop of ``trainer.step_batch()``."""
    if max_batches is not None and max_batches < 1:
        raise ValueError(f"max_batches must be at least 1, not {max_batches!r}")
    if status().state is KernelState.READY and fits(trainer):
        return _run(trainer, max_batches, deadline)
    n = 0
    while True:
        done = trainer.step_batch()
        n += 1
        if done or (max_batches is not None and n >= max_batches) or (
                deadline is not None and time.perf_counter() >= deadline):
            return done


def _run(trainer, max_batches, deadline) -> bool:
    """Kernel calls until the epoch ends, ``max_batches`` or ``deadline``."""
    t0 = time.perf_counter()
    net, opt = trainer.network, trainer.optimizer
    params = net.parameters()
    pack = _Packed(params, opt)
    X, Y = _plain_array(trainer.X_train), _plain_array(trainer._Y_train)
    order, sizes = _plain_array(trainer.order, np.int64), np.array(net.sizes, np.int64)
    codes = np.array([_ACT_CODES[L.activation] for L in net.layers], np.int64)
    hyper = np.array([opt.lr_at(trainer.epoch), getattr(opt, "momentum", 0.0),
                      getattr(opt, "beta1", 0.0), getattr(opt, "beta2", 0.0),
                      getattr(opt, "eps", 0.0)])
    left = np.inf if max_batches is None else max_batches
    rest = trainer.n_train - trainer.cursor  # the epoch's samples still to train
    trainer.check_room(int(min(left, -(-rest // trainer.batch_size))), rest)
    chunk, samples, batches, refused = 8 if deadline is not None else left, 0, 0, False
    while True:
        c0 = time.perf_counter()
        n, refused = _jit.train(
            pack.theta, pack.s1, pack.s2, sizes, codes, X, Y, order,
            trainer.cursor + samples, int(min(chunk, left, 2**62)), trainer.batch_size,
            _OPT_CODES[type(opt)], hyper, opt.t + batches, trainer.l1, trainer.l2)
        batches += n
        left -= n
        samples = min(batches * trainer.batch_size, trainer.n_train - trainer.cursor)
        at_end = trainer.cursor + samples >= trainer.n_train
        if refused or at_end or left <= 0 or deadline is None:
            break
        now = time.perf_counter()
        if now >= deadline:
            break
        # fill the time that is left at the rate just measured
        chunk = max(1, int(0.9 * (deadline - now) * n / max(now - c0, 1e-9)))
    pack.store(params, opt, batches)
    trainer.guard.reset()  # the numpy guard's running weight bound: re-measure it
    trainer.samples_seen += samples
    trainer.seconds += time.perf_counter() - t0
    # at an epoch's end _advance replaces the order and measures the epoch: the old
    # order (a 2M-row set's is 11 MiB) should not outlive it meanwhile
    del X, Y, order
    if refused:  # numpy takes the failing batch: its own guard raises its own message
        trainer.cursor += samples
        return trainer.step_batch()
    return trainer._advance(samples)


def _plain_array(a: np.ndarray, dtype=np.float64) -> np.ndarray:
    """C-contiguous and writeable: the one array type the kernel was compiled for."""
    a = np.ascontiguousarray(a, dtype=dtype)
    return a if a.flags.writeable else a.copy()


def _flat(arrays) -> np.ndarray:
    """One new float64 buffer holding ``arrays`` one after another."""
    return np.concatenate([a.ravel() for a in arrays]).astype(np.float64, copy=False)


class _Packed:
    """Parameters and optimizer state as flat buffers, and back."""

    _KEYS = {optimizers.SGD: (), optimizers.Momentum: ("v",), optimizers.Adam: ("m", "v")}

    def __init__(self, params, opt):
        self.theta = _flat(params)
        slots = [_flat(opt._slots(k, params)) for k in self._KEYS[type(opt)]]
        empty = np.empty(0)
        self.s1, self.s2 = (slots + [empty, empty])[:2]

    def store(self, params, opt, batches: int) -> None:
        """Write the weights back in place; commit the state of ``batches`` steps."""
        bounds = np.cumsum([0] + [p.size for p in params])
        for p, a, b in zip(params, bounds[:-1], bounds[1:]):
            p[...] = self.theta[a:b].reshape(p.shape)
        if batches == 0:
            return
        keys = self._KEYS[type(opt)]
        state = {k: [flat[a:b].reshape(p.shape).copy()
                     for p, a, b in zip(params, bounds[:-1], bounds[1:])]
                 for k, flat in zip(keys, (self.s1, self.s2))}
        opt.commit((state if keys else opt.state, opt.t + batches))
