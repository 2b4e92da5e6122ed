"""Issue 24 (round 3), the training process run inline: undo counts what it holds,
and panels' settings arrive as they were sent."""

import dataclasses
import tracemalloc

from scratchnet.settings import TrainingSettings
from scratchnet_gui import protocol as P

from .test_timeline_loop import _do, _loop


def test_undo_counts_the_history_each_entry_keeps():
    loop = _loop()
    h = loop.live.trainer.history
    for _ in range(40_000):  # a long run's history, without the run
        h.append(epoch=len(h))
    held = loop.history.held_bytes()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        for k in range(10):  # setting edits: each entry copies the trainer
            s = dataclasses.replace(TrainingSettings.of(loop.live.config), l2=0.001 * (k + 1))
            _do(loop, P.Configure(s))
        grown = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    counted = loop.history.held_bytes() - held
    assert grown > 10 * 8 * len(h) * len(h.keys)  # what undo keeps: ten copies of the history
    assert 0.9 * grown <= counted <= 1.1 * grown, (counted, grown)


def _untagged_session(path):
    """A session whose frames carry no settings (as ``scratchnet train --load`` wrote
    them): 2-4-3-1 tanh, sgd at lr 0.1."""
    from scratchnet import data, session
    from scratchnet.config import Config, make_trainer

    cfg = Config(data.DataSpec("circles", 120, 0.1), hidden=[4, 3],
                 activations=["tanh", "tanh"], lr=0.1, batch_size=16)
    t = make_trainer(cfg, data.build(cfg.data))
    t.keep_timeline()  # no tag: the frames know no Config
    t.run(3)
    session.save(path, t, cfg)
    return cfg


def test_resuming_from_an_untagged_frame_restores_its_settings_too(tmp_path):
    path = tmp_path / "cli.scratchnet"
    _untagged_session(path)
    loop = _loop()
    _do(loop, P.OpenSession(str(path)))
    _do(loop, P.Resize((7,), ("relu",)))
    _do(loop, P.Configure(dataclasses.replace(TrainingSettings.of(loop.live.config), lr=0.5)))
    _do(loop, P.Scrub(1))
    _do(loop, P.BranchHere())
    t, cfg = loop.live.trainer, loop.live.config
    assert t.network.sizes == [2, 4, 3, 1] and t.optimizer.lr == 0.1
    assert (cfg.model.hidden, cfg.model.activations, cfg.training.lr,
            cfg.training.batch_size) == ((4, 3), ("tanh", "tanh"), 0.1, 16)
    assert t.tag == cfg  # frames trained from here carry it


def test_a_session_timeline_budget_does_not_replace_the_windows_and_is_said(tmp_path):
    from scratchnet import session
    from scratchnet.timeline import DEFAULT_BUDGET, MAX_BUDGET

    path = tmp_path / "big-budget.scratchnet"
    _untagged_session(path)
    t, cfg, _, _ = session.load(path)
    t.timeline.budget = MAX_BUDGET  # 64 GiB, saved with the session
    session.save(path, t, cfg)
    loop = _loop()
    _do(loop, P.OpenSession(str(path)))
    assert loop.live.trainer.timeline.budget == DEFAULT_BUDGET  # what Timeline memory… offers
    said = [n.text for n in loop._notices]
    assert any("timeline memory (65,536 MB) is not used: this window keeps 256 MB" in s
               for s in said), said
    _do(loop, P.SetTimelineBudget(3))
    _do(loop, P.OpenSession(str(path)))
    assert loop.live.trainer.timeline.budget == 3 * 2**20
