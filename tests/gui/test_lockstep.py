"""Two training processes in lockstep: neither gets more than one epoch ahead, a Pause
stands both at one epoch, and a run that stops is waited for no longer."""

import time

from scratchnet.config import Config
from scratchnet.data import DataSpec
from scratchnet_gui import protocol as P
from scratchnet_gui.process.lockstep import Block
from scratchnet_gui.process.worker import WorkerProcess
from scratchnet_gui.snapshot import Snapshot

DEADLINE = 60.0  # seconds: holds with both cores busy elsewhere


def _pair(slow_a: Config, fast_b: Config):
    block = Block()
    runs = [WorkerProcess(slow_a), WorkerProcess(fast_b)]
    for i, w in enumerate(runs):
        w.send(1, P.SetSpeed(None))
        w.send(2, P.JoinLockstep(block.name, i))
    return block, runs


def _latest(worker, last):
    for item in worker.receive():
        if isinstance(item, Snapshot):
            last = item
    return last


def _until(check, what):
    deadline = time.monotonic() + DEADLINE
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.005)


def _stop(block, runs):
    for w in runs:
        w.stop()
    block.close()


# A trains per sample on a wide net (slow); B on batches of 100 (many times faster)
SLOW = Config(DataSpec("circles", 400, 0.1), hidden=[32, 32], activations=["tanh", "tanh"],
              batch_size=1, max_epochs=1000)
FAST = SLOW.replace(batch_size=100)


def test_neither_run_gets_more_than_one_epoch_ahead_and_pause_stands_both_at_one():
    block, runs = _pair(SLOW, FAST)
    try:
        for w in runs:
            w.send(3, P.Play())
        gaps, seen = [], 0
        deadline = time.monotonic() + DEADLINE
        while seen < 12:
            a, b = block.epochs()
            gaps.append(abs(a - b))
            seen = min(a, b)
            assert time.monotonic() < deadline, f"only {a} and {b} epochs"
            time.sleep(0.001)
        assert max(gaps) <= 1, f"a run got {max(gaps)} epochs ahead"
        block.hold_at_front()
        last = [None, None]

        def both_paused():
            for i, w in enumerate(runs):
                last[i] = _latest(w, last[i])
            # snapshots from before Play may still wait in the pipe: those after it
            return all(s is not None and s.ack >= 3 and not s.running and s.epoch >= 12
                       for s in last)

        _until(both_paused, "both runs to pause at the hold")
        assert abs(last[0].epoch - last[1].epoch) <= 1
        lag = block.behind([s.epoch for s in last], [s.running for s in last])
        if lag is not None:  # the window's catch-up step
            runs[lag].send(4, P.StepEpoch())
            _until(lambda: both_paused() and last[lag].ack == 4, "the catch-up epoch")
        assert last[0].epoch == last[1].epoch >= 12
        a, b = block.epochs()
        assert a == b == last[0].epoch
    finally:
        _stop(block, runs)


def test_a_run_that_stops_is_waited_for_no_longer():
    """A stops at its epoch limit; B goes on to its own."""
    block, runs = _pair(FAST.replace(max_epochs=3), FAST.replace(max_epochs=15))
    try:
        for w in runs:
            w.send(3, P.Play())
        last = [None, None]

        def b_finished():
            for i, w in enumerate(runs):
                last[i] = _latest(w, last[i])
            return last[1] is not None and not last[1].running and last[1].epoch == 15

        _until(b_finished, "B to reach its own epoch limit")
        assert last[0].epoch == 3 and not last[0].running
    finally:
        _stop(block, runs)


def test_the_run_ahead_keeps_publishing_while_it_waits():
    """B, many times faster, spends most of its time waiting for A: its snapshots must
    still come at the pacer's rate (the window's frames of B), not once per A epoch."""
    slower = SLOW.replace(data=DataSpec("circles", 2000, 0.1))  # snapshots within epochs
    block, runs = _pair(slower, slower.replace(batch_size=100))
    try:
        for w in runs:
            w.send(3, P.Play())
        counts, last = [0, 0], [None, None]

        def enough():
            for i, w in enumerate(runs):
                for item in w.receive():
                    if isinstance(item, Snapshot) and item.running and item.ack >= 3:
                        counts[i] += 1
                        last[i] = item
            return counts[0] >= 30

        _until(enough, "30 snapshots of the slow run")
        epochs = last[0].epoch
        assert counts[0] >= 3 * epochs, "the slow run should publish several times an epoch"
        assert counts[1] >= counts[0] / 2, (
            f"the waiting run sent {counts[1]} snapshots to the slow run's {counts[0]} "
            f"over {epochs} epochs")
    finally:
        _stop(block, runs)
