"""Issue 24 (round 3), the training process run inline: undo counts what it holds,
and panels' settings arrive as they were sent."""

import dataclasses
import tracemalloc

from scratchnet.settings import TrainingSettings
from scratchnet_gui import protocol as P

from .test_timeline_loop import _do, _loop


def test_undo_counts_the_history_each_entry_keeps():
    loop = _loop()
    h = loop.trainer.history
    for _ in range(40_000):  # a long run's history, without the run
        h.append(epoch=len(h))
    held = loop._held_bytes()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for k in range(10):  # setting edits: each entry copies the trainer
            s = dataclasses.replace(TrainingSettings.of(loop.config), l2=0.001 * (k + 1))
            _do(loop, P.Configure(s))
        grown = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    counted = loop._held_bytes() - held
    assert grown > 10 * 8 * len(h) * len(h.keys)  # what undo keeps: ten copies of the history
    assert 0.9 * grown <= counted <= 1.1 * grown, (counted, grown)
