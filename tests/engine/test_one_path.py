"""One arithmetic path for every front end: the library, the CLI and the app's training
process take the compiled kernel where it fits, and agree to 1e-12 whenever it arrives."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from scratchnet import data, kernel, presets, session
from scratchnet.config import make_trainer

EPOCHS = 300
RTOL = 1e-12


@pytest.fixture(scope="module")
def ready():
    """The kernel compiled (or loaded from numba's cache) in this process."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(kernel.ENV, raising=False)
        kernel.start_compiling()
        assert kernel.wait(300).state is kernel.KernelState.READY, kernel.status()
    return True


@pytest.fixture(scope="module")
def reference():
    """The classic preset trained 300 epochs on numpy alone."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(kernel.ENV, "numpy")
        cfg = presets.get("classic")
        t = make_trainer(cfg, data.build(cfg.data))
        for _ in range(EPOCHS):
            t.step_epoch()
    return _params(t.network)


def _params(net):
    return [p.copy() for p in net.parameters()]


def assert_same_weights(params, reference):
    flat, ref = np.concatenate([p.ravel() for p in params]), np.concatenate(
        [p.ravel() for p in reference])
    err = np.max(np.abs(flat - ref)) / np.max(np.abs(ref))
    assert err <= RTOL, f"relative difference {err:.3g}"
    return err


@pytest.mark.parametrize("switch_at", [0, 1, 150, 299])
def test_the_library_agrees_whichever_epoch_the_kernel_arrives(ready, reference,
                                                               monkeypatch, switch_at):
    cfg = presets.get("classic")
    t = make_trainer(cfg, data.build(cfg.data))
    monkeypatch.setenv(kernel.ENV, "numpy")
    for _ in range(switch_at):
        t.step_epoch()
    monkeypatch.delenv(kernel.ENV)
    assert kernel.fits(t) and kernel.status().state is kernel.KernelState.READY
    t.run(EPOCHS)
    assert t.epoch == EPOCHS
    err = assert_same_weights(_params(t.network), reference)
    if switch_at < EPOCHS - 1:  # the kernel did train: not the numpy bits to the last one
        assert err > 0.0


def test_the_cli_takes_the_kernel_and_agrees(ready, reference, tmp_path):
    """A fresh ``scratchnet train`` process: its weights are the kernel's (not numpy's
    bits), within 1e-12 of numpy's, and its summary says which path it ended on."""
    env = {k: v for k, v in os.environ.items() if k != kernel.ENV}
    out = tmp_path / "classic.scratchnet"
    done = subprocess.run([sys.executable, "-m", "scratchnet_gui.cli", "train", "--preset",
                           "classic", "--epochs", str(EPOCHS), "--save", str(out), "--json"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["kernel"] == "ready"
    trainer, *_ = session.load(out)
    assert trainer.epoch == EPOCHS
    assert assert_same_weights(_params(trainer.network), reference) > 0.0


def test_run_starts_the_compile_itself(monkeypatch):
    """A library user who never heard of the kernel gets it: ``Trainer.run`` starts it."""
    monkeypatch.delenv(kernel.ENV, raising=False)
    started = []
    monkeypatch.setattr(kernel, "status", lambda: kernel.KernelStatus(kernel.KernelState.IDLE))
    monkeypatch.setattr(kernel, "start_compiling", lambda: started.append(1)
                        or kernel.KernelStatus(kernel.KernelState.COMPILING))
    monkeypatch.setattr(kernel, "step_batches", lambda t, *a: t.step_batch())
    cfg = presets.get("classic")
    t = make_trainer(cfg, data.build(cfg.data))
    t.run(1)
    assert started == [1]
    t.step_epoch()
    assert started == [1, 1]  # each asks; start_compiling itself starts one thread only


def test_run_with_should_stop_takes_the_same_path(ready, reference, monkeypatch):
    """Looking at ``should_stop`` between batches changes nothing: the kernel still
    trains, and the weights are those of a run without it."""
    monkeypatch.delenv(kernel.ENV, raising=False)
    cfg = presets.get("classic")
    t = make_trainer(cfg, data.build(cfg.data))
    assert t.run(EPOCHS, should_stop=lambda: False) == "epochs"
    free = make_trainer(cfg, data.build(cfg.data))
    free.run(EPOCHS)
    np.testing.assert_array_equal(np.concatenate([p.ravel() for p in t.network.parameters()]),
                                  np.concatenate([p.ravel() for p in free.network.parameters()]))
    assert assert_same_weights(_params(t.network), reference) > 0.0  # the kernel's bits
