"""The training loop itself, run inline with a scripted command pipe and a fake clock."""

import pytest

from scratchnet import data
from scratchnet.config import Config
from scratchnet_gui import protocol as P
from scratchnet_gui.process import loop as worker


class Clock:
    """Advances a little at every reading, so a time slice ends without real time."""

    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        self.t += 1e-5
        return self.t


class Commands:
    """Never has a command, but records how long the loop asked to wait for one; after
    ``n`` waits it delivers "stop"."""

    def __init__(self, n):
        self.n, self.waits = n, []

    def poll(self, timeout=0.0):
        if timeout != 0.0:  # a wait: None blocks until a command comes
            self.waits.append(timeout)
        return len(self.waits) >= self.n

    def recv(self):
        return (1, P.Stop())


@pytest.mark.parametrize("cap", [None, 4])
def test_the_speed_cap_waits_a_whole_period_after_each_epoch(monkeypatch, cap):
    monkeypatch.setattr(worker.time, "perf_counter", Clock())
    cfg = Config(data.DataSpec("circles", 40, 0.1), max_epochs=5)
    snaps = []
    loop = worker.TrainingLoop(cfg, data.build(cfg.data), Commands(1 if cap is None else 3),
                               snaps.append)
    loop.dispatch(P.SetSpeed(cap))
    loop.dispatch(P.Play())
    loop.run()
    if cap is None:  # as fast as possible: no wait until the epoch limit stops it
        assert loop.commands.waits == [None]
        assert loop.live.trainer.epoch == 5
    else:  # one wait of ~1/cap s per epoch, nothing trained while waiting
        assert len(loop.commands.waits) == 3
        assert all(0.24 < w <= 0.25 for w in loop.commands.waits)
        assert loop.live.trainer.epoch == 3


def test_a_missing_kernel_is_said_once_and_training_runs_on_numpy(monkeypatch):
    from scratchnet import kernel

    monkeypatch.delenv(kernel.ENV, raising=False)
    monkeypatch.setattr(kernel, "status", lambda: kernel.KernelStatus(
        kernel.KernelState.UNAVAILABLE, "ImportError: no numba"))
    cfg = Config(data.DataSpec("circles", 40, 0.1), max_epochs=3)
    snaps = []
    loop = worker.TrainingLoop(cfg, data.build(cfg.data), Commands(1), snaps.append)
    loop.dispatch(P.Play())
    loop.run()
    said = [n.text for n in snaps[-1].notices if "numpy" in n.text]
    assert said == ["Training runs on numpy only (ImportError: no numba)."]
    assert loop.live.trainer.epoch == 3


def test_a_csv_read_but_unusable_is_refused_and_the_data_stay(tmp_path):
    p = tmp_path / "huge.csv"  # reads fine; x1² overflows float64 once engineered
    p.write_text("a,b,label\n1e200,1,0\n2,1e200,1\n3,4,0\n5,6,1\n7,8,0\n9,1,1\n")
    cfg = Config(data.DataSpec("circles", 40, 0.1))
    loop = worker.TrainingLoop(cfg, data.build(cfg.data), Commands(1), lambda s: None)
    before = loop.live.dataset
    loop.dispatch(P.OpenData(data.DataSpec("csv", csv_path=str(p), features=["x1²"])))
    loop.files.loader.thread.join()
    loop.finish_load()
    assert loop.live.dataset is before and loop.files.loader is None
    assert "overflow" in loop._notices[-1].text and loop._notices[-1].level == "error"
