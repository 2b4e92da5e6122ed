"""The compiled kernel against the numpy path (the reference), and how it is loaded."""

import copy
import subprocess
import sys

import numpy as np
import pytest

from scratchnet import (SGD, Adam, DivergenceError, Momentum, Network, Schedule, Trainer,
                        activations, data, kernel, optimizers)

OPTIMIZERS = {  # learning rates where 1-ulp differences do not grow (see _assert_close)
    "sgd": lambda schedule=None: SGD(0.1, schedule=schedule),
    "momentum": lambda schedule=None: Momentum(0.01, 0.9, schedule=schedule),
    "adam": lambda schedule=None: Adam(0.005, schedule=schedule),
}


@pytest.fixture(scope="module")
def compiled():
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(kernel.ENV, raising=False)
        before = kernel._state
        kernel.start_compiling()
        assert kernel.wait(120).state is kernel.KernelState.READY, kernel.status()
        yield
        kernel._state = before  # the other test modules keep the numpy path they test


@pytest.fixture(scope="module")
def split():
    X, y = data.make("circles", 400, 0.1, seed=0)
    return data.split(X, y, 0.75, seed=0)


def _trainer(split, act="tanh", opt="sgd", bs=1, output="sigmoid", schedule=None, **kw):
    Xtr, Xte, ytr, yte = split
    net = Network([2, 9, 6, 1], activation=act, output=output, seed=1)
    return Trainer(net, Xtr, ytr, Xte, yte, optimizer=OPTIMIZERS[opt](schedule),
                   batch_size=bs, seed=2, **kw)


def _twins(t, warm_batches=3):
    """Two identical trainers, mid-epoch with optimizer state, from one numpy run."""
    for _ in range(warm_batches):
        t.step_batch()
    return t, copy.deepcopy(t)


def _assert_close(a, b, rel=1e-12):
    """Each array of ``a`` within ``rel`` of ``b`` relative to ``b``'s largest entry.

    Not bit for bit: BLAS orders the sums in a matrix product its own way. At learning
    rates where training is chaotic (momentum 0.05 at batch 1), a 1-ulp nudge to one
    weight changes numpy's own weights by 5% within two epochs, so the tests train where
    such differences stay at ~1e-15."""
    assert len(a) == len(b)
    for p, q in zip(a, b):
        assert p.shape == q.shape
        scale = max(np.max(np.abs(q)), 1e-300)
        assert np.max(np.abs(p - q)) <= rel * scale, np.max(np.abs(p - q)) / scale


def _assert_same_run(ref, fast):
    _assert_close(fast.network.parameters(), ref.network.parameters())
    assert fast.optimizer.state.keys() == ref.optimizer.state.keys()
    for key in ref.optimizer.state:
        _assert_close(fast.optimizer.state[key], ref.optimizer.state[key])
    assert (fast.epoch, fast.cursor, fast.samples_seen, fast.optimizer.t) == (
        ref.epoch, ref.cursor, ref.samples_seen, ref.optimizer.t)
    assert np.array_equal(fast.order, ref.order)
    assert fast.rng.bit_generator.state == ref.rng.bit_generator.state
    for key in ("epoch", "samples", "lr"):
        assert np.array_equal(fast.history[key], ref.history[key])
    np.testing.assert_allclose(fast.history["train_loss"], ref.history["train_loss"],
                               rtol=1e-10)


def _three_epochs(ref, fast):
    """Finish the current epoch and two more: numpy batch by batch, kernel in runs."""
    assert kernel.status().state is kernel.KernelState.READY and kernel.fits(fast)
    target = ref.epoch + 3
    while ref.epoch < target:
        ref.step_batch()
    while fast.epoch < target:
        fast.step_batches()


@pytest.mark.parametrize("bs", [1, 10, 64])
@pytest.mark.parametrize("opt", list(OPTIMIZERS))
@pytest.mark.parametrize("act", list(activations.ACTIVATIONS))
def test_the_kernel_trains_like_numpy(compiled, split, act, opt, bs):
    ref, fast = _twins(_trainer(split, act, opt, bs))
    _three_epochs(ref, fast)
    _assert_same_run(ref, fast)


@pytest.mark.parametrize("act, opt, bs, output, l1, l2, schedule", [
    ("tanh", "sgd", 1, "sigmoid", 1e-3, 0.0, None),
    ("relu", "momentum", 10, "sigmoid", 0.0, 1e-2, Schedule("step", 0.5, 1)),
    ("sigmoid", "adam", 64, "sigmoid", 1e-3, 1e-2, Schedule("cosine", period=3)),
    ("leaky_relu", "sgd", 10, "linear", 0.0, 0.0, None),
    ("tanh", "adam", 1, "linear", 1e-4, 1e-3, Schedule("exponential", 0.7)),
    ("linear", "momentum", 64, "linear", 0.0, 1e-3, None),
])
def test_penalties_schedules_and_the_linear_output_match(compiled, split, act, opt, bs,
                                                         output, l1, l2, schedule):
    t = _trainer(split, act, opt, bs, output, schedule, l1=l1, l2=l2)
    ref, fast = _twins(t)
    _three_epochs(ref, fast)
    _assert_same_run(ref, fast)
    assert len(set(ref.history["lr"])) == (1 if schedule is None else 4)


@pytest.mark.parametrize("sizes, bs, opt, act", [
    ([2, 64, 64, 1], 1, "adam", "relu"),
    ([2, 3, 40, 5, 1], 10, "sgd", "leaky_relu"),
    ([2, 1], 7, "momentum", "sigmoid"),
])
def test_other_shapes_and_a_ragged_last_batch_match(compiled, split, sizes, bs, opt, act):
    Xtr, Xte, ytr, yte = split
    t = Trainer(Network(sizes, act, init="xavier", seed=3), Xtr, ytr, Xte, yte,
                optimizer=OPTIMIZERS[opt](), batch_size=bs, l2=1e-3, seed=4)
    ref, fast = _twins(t)
    _three_epochs(ref, fast)
    _assert_same_run(ref, fast)


@pytest.mark.parametrize("bs, scale", [(1, 3), (10, 10)])  # diverging within 10 batches
def test_a_diverging_step_is_refused_the_same_way(compiled, split, bs, scale):
    Xtr, Xte, ytr, yte = split
    t = Trainer(Network([2, 9, 6, 1], "linear", output="linear", seed=1), Xtr * scale, ytr,
                optimizer=Momentum(0.03), batch_size=bs, seed=2)
    ref, fast = _twins(t, warm_batches=1)
    with pytest.raises(DivergenceError) as numpy_err:
        while True:
            ref.step_batch()
    with pytest.raises(DivergenceError) as kernel_err:
        fast.step_epoch()
    assert str(kernel_err.value) == str(numpy_err.value)
    assert ref.samples_seen > bs  # past the warm-up batch: the kernel applied some first
    _assert_same_run(ref, fast)
    assert all(np.isfinite(p).all() for p in fast.network.parameters())


def test_runs_stop_at_max_batches_the_deadline_and_the_epoch_end(compiled, split):
    ref, fast = _twins(_trainer(split, bs=10), warm_batches=0)
    assert fast.step_batches(max_batches=4) is False and fast.cursor == 40
    assert fast.step_batches(deadline=0.0) is False and 40 < fast.cursor < 300
    assert fast.step_batches() is True and (fast.epoch, fast.cursor) == (1, 0)
    for _ in range(30):
        ref.step_batch()
    _assert_same_run(ref, fast)
    with pytest.raises(ValueError, match="max_batches"):
        fast.step_batches(max_batches=0)


def test_the_numpy_path_is_used_when_the_kernel_does_not_fit(compiled, split, monkeypatch):
    wide = _trainer(split, bs=64)
    wide.resize([2, 64, 64, 1])
    assert not kernel.fits(wide) and kernel.fits(_trainer(split, bs=1))

    class Custom(SGD):
        pass
    assert not kernel.fits(Trainer(Network([2, 3, 1]), *split[::2], optimizer=Custom(0.1)))
    monkeypatch.setenv(kernel.ENV, "numpy")
    assert kernel.status() == kernel.KernelStatus(kernel.KernelState.UNAVAILABLE,
                                                  "SCRATCHNET_KERNEL=numpy forces the numpy path")
    ref, fast = _twins(_trainer(split, bs=10))
    calls = []
    monkeypatch.setattr(kernel, "_run", lambda *a: calls.append(a))
    fast.step_epoch()
    while ref.epoch < 1:
        ref.step_batch()
    assert calls == [] and all(np.array_equal(p, q) for p, q in
                               zip(fast.network.parameters(), ref.network.parameters()))


def test_the_codes_match_the_engine():
    from scratchnet import _kernel_jit as jit
    assert kernel._ACT_CODES == {"sigmoid": jit.SIGMOID, "tanh": jit.TANH, "relu": jit.RELU,
                                 "leaky_relu": jit.LEAKY_RELU, "linear": jit.LINEAR}
    assert kernel._OPT_CODES == {SGD: jit.SGD, Momentum: jit.MOMENTUM, Adam: jit.ADAM}
    assert set(optimizers.OPTIMIZERS.values()) == set(kernel._OPT_CODES)
    assert jit.LEAKY_SLOPE == activations.LEAKY_SLOPE
    assert jit.SIGMOID_CLIP == activations._SIGMOID_CLIP


def _run_python(code, **env):
    import os
    base = {k: v for k, v in os.environ.items() if k != kernel.ENV}  # the user's default
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**base, **env}, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


TRAIN = ("import sys, time; from scratchnet import Network, Trainer, data, kernel;"
         "X, y = data.make('circles', 200, 0.1, seed=0);"
         "t = Trainer(Network([2, 4, 1]), X, y, batch_size=1);")


def test_numba_is_imported_only_when_the_kernel_is_requested():
    out = _run_python(TRAIN + "t.step_batch(); t.step_batches();"
                      "print('numba' in sys.modules, kernel.status())")
    assert out.split() == ["False", "idle"]
    # a whole epoch or a run asks for it: every front end takes the app's path
    for call in ("t.step_epoch()", "t.run(2)"):
        out = _run_python(TRAIN + call + "; print(kernel.status(), kernel.wait(240))")
        assert out.split()[0] in ("compiling", "ready") and out.split()[1] == "ready"
    out = _run_python(TRAIN + "kernel.start_compiling(); t.run(2);"
                      "print('numba' in sys.modules, kernel.status())",
                      SCRATCHNET_KERNEL="numpy")
    assert out.split()[:2] == ["False", "unavailable:"]


def test_training_goes_on_while_compiling_and_switches_when_ready():
    out = _run_python(TRAIN + "print(kernel.start_compiling()); t.step_epoch();"
                      "print(kernel.wait(240)); calls = [];"
                      "run = kernel._run; kernel._run = lambda *a: calls.append(1) or run(*a);"
                      "t.step_epoch(); print(len(calls), t.epoch)")
    assert out.split() == ["compiling", "ready", "1", "2"]


def test_without_numba_the_status_says_why_and_numpy_trains():
    out = _run_python("import sys; sys.modules['numba'] = None;" + TRAIN +
                      "kernel.start_compiling(); print(kernel.wait(60)); t.step_epoch();"
                      "print(t.epoch)")
    status, epoch = out.strip().splitlines()
    assert status.startswith("unavailable: ") and "numba" in status and epoch == "1"


def test_the_kernels_weight_bound_is_the_trainers():
    from scratchnet import _kernel_jit, trainer

    assert _kernel_jit.MAX_WEIGHT == trainer.MAX_WEIGHT


def test_softmax_is_refused_and_trains_through_numpy_unchanged(compiled):
    X, y = data.make("spiral", 200, 0.1, seed=0, classes=3)
    t = Trainer(Network([2, 6, 3], "tanh", output="softmax", seed=1), X, y,
                optimizer=OPTIMIZERS["adam"](), batch_size=1, seed=2)
    assert kernel.status().state is kernel.KernelState.READY and not kernel.fits(t)
    ref, fast = _twins(t)
    while not ref.step_batch():
        pass
    fast.step_batches()  # the same numpy steps, bit for bit
    for a, b in zip(fast.network.parameters(), ref.network.parameters()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("bs", [1, 10])
def test_a_scaled_regression_matches_numpy(compiled, bs):
    X, y = data.make("reg-gauss", 300, 0.1, seed=0)
    y = 1e4 + 300 * y  # far from unit scale: the network learns (y - mean) / std
    net = Network([2, 9, 6, 1], "tanh", output="linear", seed=1, target_mean=float(y.mean()),
                  target_std=float(y.std()))
    t = Trainer(net, X[:200], y[:200], X[200:], y[200:], optimizer=OPTIMIZERS["adam"](),
                batch_size=bs, seed=2)
    assert kernel.fits(t)
    ref, fast = _twins(t)
    _three_epochs(ref, fast)
    _assert_same_run(ref, fast)
    np.testing.assert_allclose(fast.history["test_r2"], ref.history["test_r2"], rtol=1e-9)
