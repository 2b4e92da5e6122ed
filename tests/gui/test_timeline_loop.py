"""The training loop's timeline and undo, run inline: scrubbing shows the past without
touching the live state, Resume from here is a fresh run's continuation, and every edit
undoes and redoes to the bit."""

import dataclasses

import numpy as np
import pytest

from scratchnet import data, session
from scratchnet.config import Config, make_trainer
from scratchnet.settings import TrainingSettings
from scratchnet_gui import protocol as P

from .inline_loop import handle, make_loop


def _loop(cfg=None):
    return make_loop(cfg or Config(data.DataSpec("circles", 120, 0.1), hidden=[4, 3],
                                   activations=["tanh", "relu"], optimizer="adam", lr=0.02))


_do = handle


def _frames(tl):
    if tl is None:
        return None
    return ([(f.epoch, f.rng, f.history, f.settings, f.tag, f.samples_seen,
              [p.tobytes() for p in f.network.parameters()],
              {k: [a.tobytes() for a in v] for k, v in f.optimizer.state.items()})
             for f in tl.frames], tl.stride, sorted(tl.pinned), tl.dropped, tl.nbytes)


def fingerprint(loop) -> dict:
    """The whole state an edit may change, as comparable plain values."""
    t, net, opt = loop.live.trainer, loop.live.trainer.network, loop.live.trainer.optimizer
    arrays = (t.X_train, t.y_train, t.X_test, t.y_test, t.order)
    return {
        "config": loop.live.config, "spec": loop.live.dataset.spec if hasattr(loop.live.dataset, "spec") else None,
        "data": [a.tobytes() for a in arrays], "source": loop.live.dataset.spec.source,
        "net": (net.sizes, net.activations, net.output, net.rng.bit_generator.state,
                [p.tobytes() for p in net.parameters()]),
        "opt": (type(opt).__name__, opt.hyperparameters(), opt.t,
                {k: [a.tobytes() for a in v] for k, v in opt.state.items()}),
        "trainer": (t.epoch, t.cursor, t.samples_seen, t.seconds, t.batch_size, t.l1, t.l2,
                    t.target_auc, t.target_on, t.rng.bit_generator.state, t.rng_at_epoch),
        "history": {k: v.tobytes() for k, v in t.history.arrays().items()},
        "timeline": _frames(t.timeline), "tag": t.tag,
        "points": loop.live.points.raw_train.tobytes(),
        "planes": [p.tobytes() for p in loop.live.planes],
    }


def _csv(tmp_path, rows, label):
    """A CSV file of ``rows`` normal points ``a, b`` and ``label(a, b)``."""
    path = tmp_path / "d.csv"
    X = np.random.default_rng(1).normal(size=(rows, 2))
    path.write_text("a,b,label\n" + "".join(f"{a},{b},{label(a, b)}\n" for a, b in X))
    return path


def _train(loop, epochs):
    for _ in range(epochs):
        _do(loop, P.StepEpoch())


def _edits(tmp_path, loop):
    """One of each kind of edit, as (label, command) pairs; built against ``loop``."""
    cfg = loop.live.config
    spec = cfg.data
    path = tmp_path / "s.scratchnet"
    other = Config(data.DataSpec("xor", 80, 0.2, seed=5), hidden=[3], activations=["relu"])
    session.save(path, make_trainer(other, data.build(other.data)), other)
    settings = dataclasses.replace(TrainingSettings.of(cfg), lr=0.005)
    return [
        ("edit weight", P.SetWeight(1, 0, 2, 0.75)),
        ("edit bias", P.SetWeight(0, 1, -1, -0.5)),
        ("add layer", P.Resize((4, 3, 2), ("tanh", "relu", "sigmoid"))),
        ("remove layer", P.Resize((4,), ("tanh",))),
        ("change neurons", P.Resize((6, 3), ("tanh", "relu"))),
        ("change activation", P.Resize((4, 3), ("sigmoid", "relu"))),
        ("change data", P.SetData(dataclasses.replace(spec, noise=0.3))),
        ("regenerate data", P.SetData(spec)),
        ("change lr", P.Configure(settings)),
        ("change training settings", P.Configure(dataclasses.replace(settings, l2=0.01))),
        ("reset", P.Reset()),
        ("load example", P.LoadExperiment(other)),
        ("open session", P.OpenSession(str(path))),
    ]


N_EDITS = 13


def test_the_edits_cover_every_undoable_command(tmp_path):
    undoable = {c for c in P.command_types()
                if isinstance(c.traits, P.Traits) and c.traits.undoable}
    edits = _edits(tmp_path, _loop())
    assert len(edits) == N_EDITS  # one parametrized case each, below
    assert {type(c) for _, c in edits} == undoable - {P.BranchHere}  # tested apart


@pytest.mark.parametrize("k", range(N_EDITS))
def test_each_edit_undoes_and_redoes_to_the_bit(tmp_path, k):
    loop = _loop()
    _train(loop, 3)
    label, cmd = _edits(tmp_path, loop)[k]
    before = fingerprint(loop)
    _do(loop, cmd)
    after = fingerprint(loop)
    assert after != before, "the edit changed nothing: the test would prove nothing"
    assert loop.history.labels() == (label, "")
    _do(loop, P.Undo())
    assert fingerprint(loop) == before
    assert loop.history.labels() == ("", label)
    _do(loop, P.Redo())
    assert fingerprint(loop) == after
    _do(loop, P.StepEpoch())  # and the restored trainer trains on
    assert loop.live.trainer.epoch >= 1


def test_resume_from_here_undoes_with_the_later_epochs(tmp_path):
    loop = _loop()
    _train(loop, 6)
    live = fingerprint(loop)
    _do(loop, P.Scrub(2))
    assert fingerprint(loop) == live  # scrubbing leaves the live state alone
    _do(loop, P.BranchHere())
    assert loop.live.trainer.epoch == 2 and loop.live.trainer.timeline.epochs == [0, 1, 2]
    assert loop.history.labels() == ("resume from epoch 2", "")
    _do(loop, P.Undo())
    assert fingerprint(loop) == live


def test_an_opened_csv_file_undoes(tmp_path):
    csv = _csv(tmp_path, 60, lambda a, b: int(a > b))
    loop = _loop()
    _train(loop, 2)
    before = fingerprint(loop)
    _do(loop, P.OpenData(data.DataSpec(source="csv", csv_path=str(csv))))
    loop.files.loader.thread.join(60)
    loop.finish_load()
    assert loop.live.dataset.spec.source == "csv" and loop.history.labels() == ("open data", "")
    _do(loop, P.Undo())
    assert fingerprint(loop) == before


def test_the_scrubbed_snapshot_is_a_fresh_run_stopped_there():
    loop = _loop()
    _train(loop, 12)
    _do(loop, P.Scrub(5))
    loop.publish()
    s = loop.snaps[-1]
    fresh = make_trainer(loop.live.config, data.build(loop.live.config.data))
    while fresh.epoch < 5:
        fresh.step_epoch()
    assert s.scrub == 5 and s.epoch == 5 and s.live_epoch == 12
    for (W, b), L in zip(s.weights, fresh.network.layers):
        assert np.array_equal(W, L.weights) and np.array_equal(b, L.biases)
    assert s.live.epoch == 12 and s.live.points is None
    assert all(np.array_equal(W, L.weights)
               for (W, _), L in zip(s.live.weights, loop.live.trainer.network.layers))
    _do(loop, P.Scrub(None))
    loop.publish()
    assert loop.snaps[-1].scrub is None and loop.snaps[-1].epoch == 12


def test_nothing_to_undo_and_branching_from_the_live_state_are_explained():
    loop = _loop()
    # the menu may still offer an Undo that an edit sent since has taken: no error
    for cmd, text, level in ((P.Undo(), "nothing to undo", "info"),
                             (P.Redo(), "nothing to redo", "info"),
                             (P.BranchHere(), "scrub the timeline back", "error")):
        loop._handle((1, cmd))
        assert loop._notices[-1].level == level and text in loop._notices[-1].text


def test_undo_forgets_the_oldest_edits_past_its_memory(monkeypatch):
    from scratchnet_gui.process import history as loop_undo

    loop = _loop()
    spec = loop.live.config.data
    for n in (100, 200, 300, 400):  # each holds the data it replaced
        _do(loop, P.SetData(dataclasses.replace(spec, n_samples=n)))
    assert len(loop.history.undo_stack) == 4
    monkeypatch.setattr(loop_undo, "MAX_UNDO_BYTES", loop.history.held_bytes() - 1)
    _do(loop, P.SetWeight(0, 0, 0, 0.5))
    held = loop.history.held_bytes()
    assert len(loop.history.undo_stack) < 5 and held <= loop_undo.MAX_UNDO_BYTES
    assert loop.history.labels()[0] == "edit weight"


def test_the_timeline_budget_setting_reaches_every_trainer():
    loop = _loop()
    _do(loop, P.SetTimelineBudget(3))
    assert loop.live.trainer.timeline.budget == 3 * 2**20
    _do(loop, P.Reset())
    assert loop.live.trainer.timeline.budget == 3 * 2**20
    with pytest.raises(ValueError, match="timeline memory"):
        P.SetTimelineBudget(0)


def test_data_of_another_task_get_a_timeline_too():
    loop = _loop()
    _train(loop, 2)
    spec = dataclasses.replace(loop.live.config.data, source="spiral", classes=3)
    _do(loop, P.SetData(spec))
    assert loop.live.trainer.network.sizes[-1] == 3 and loop.live.trainer.timeline.epochs == [0]
    _train(loop, 3)
    _do(loop, P.Scrub(1))
    loop.publish()
    assert loop.snaps[-1].scrub == 1
    _do(loop, P.Undo())
    assert loop.live.trainer.network.sizes[-1] == 1 and loop.live.trainer.epoch == 2


def test_a_csv_spec_reuses_its_rows_or_reads_the_file_off_the_loop(tmp_path, monkeypatch):
    csv = _csv(tmp_path, 80, lambda a, b: a + 2 * b)
    loop = _loop()
    _do(loop, P.OpenData(data.DataSpec(source="csv", csv_path=str(csv))))
    loop.files.loader.thread.join(60)
    loop.finish_load()
    spec = loop.live.dataset.spec
    labels = np.sort(np.concatenate([loop.live.dataset.y_train, loop.live.dataset.y_test]))

    def no_read(*a, **k):
        raise AssertionError("the file was read on the training loop's thread")

    with monkeypatch.context() as m:
        m.setattr(data, "read_csv", no_read)
        _do(loop, P.SetData(dataclasses.replace(spec, seed=7)))  # a new split, same rows
    assert loop.live.dataset.spec.seed == 7 and loop.history.labels()[0] == "change data"
    np.testing.assert_array_equal(
        np.sort(np.concatenate([loop.live.dataset.y_train, loop.live.dataset.y_test])), labels)
    n_edits = len(loop.history.undo_stack)
    _do(loop, P.SetData(dataclasses.replace(spec, task="regression")))  # labels read anew
    assert loop.files.loader is not None and len(loop.history.undo_stack) == n_edits  # nothing to undo yet
    loop.files.loader.thread.join(60)
    loop.finish_load()
    assert loop.live.dataset.spec.task == "regression" and loop.history.labels()[0] == "open data"


def test_an_edit_at_an_epochs_start_is_what_resuming_from_it_trains():
    loop = _loop()
    _train(loop, 2)
    _do(loop, P.Resize((6, 5), ("tanh", "relu")))
    _do(loop, P.SetWeight(0, 0, 0, 0.25))
    _train(loop, 3)
    _do(loop, P.Scrub(2))
    loop.publish()
    assert loop.snaps[-1].sizes == [2, 6, 5, 1] and loop.snaps[-1].weights[0][0][0, 0] == 0.25
    _do(loop, P.BranchHere())
    assert loop.live.trainer.network.sizes == [2, 6, 5, 1] and loop.live.config.model.hidden == (6, 5)


def test_resuming_a_loaded_example_keeps_its_own_settings():
    loop = _loop()
    other = Config(data.DataSpec("xor", 80, 0.2, seed=5), hidden=[7], activations=["relu"],
                   optimizer="momentum", lr=0.3)
    _do(loop, P.LoadExperiment(other))
    _train(loop, 3)
    _do(loop, P.Scrub(0))
    _do(loop, P.BranchHere())
    assert loop.live.config == other and loop.live.trainer.network.sizes == [2, 7, 1]


def test_new_regression_data_bring_their_own_target_scale():
    cfg = Config(data.DataSpec("reg-plane", 200, 0.0), hidden=[8], activations=["tanh"])
    loop = _loop(cfg)
    _do(loop, P.SetData(dataclasses.replace(cfg.data, source="reg-gauss", seed=3)))
    ds = loop.live.dataset
    assert (loop.live.trainer.network.target_mean, loop.live.trainer.network.target_std) == \
        ds.target_scale


def test_a_file_the_network_cannot_take_is_refused_and_the_loop_lives(tmp_path, monkeypatch):
    csv = _csv(tmp_path, 60, lambda a, b: int(a > b))
    loop = _loop()
    _do(loop, P.OpenData(data.DataSpec(source="csv", csv_path=str(csv))))
    loop.files.loader.thread.join(60)

    def refuse(*a, **k):
        raise ValueError("input size 4097 is too large")

    monkeypatch.setattr(loop.files, "use_data", refuse)
    loop.commands = type("Once", (), {"poll": lambda self, t=0.0: True,
                                      "recv": lambda self: (9, P.Stop())})()
    loop.run()  # takes the loader's data, fails, reports, then stops on the command
    assert any(n.level == "error" and "4097" in n.text for n in loop._notices)
    assert loop.live.dataset.spec.source == "circles"


def test_a_lower_budget_while_scrubbed_resumes_where_it_shows():
    cfg = Config(data.DataSpec("circles", 120, 0.1), hidden=[64, 64],
                 activations=["tanh", "tanh"], optimizer="adam", lr=0.01)
    loop = _loop(cfg)  # frames of ~100 kB: 1 MB keeps about 9 of 41
    _train(loop, 40)
    _do(loop, P.Scrub(37))
    _do(loop, P.SetTimelineBudget(1))
    tl = loop.live.trainer.timeline
    assert tl.thinned and 37 not in tl.epochs
    shown = loop.scrubber.epoch
    assert shown in tl.epochs and shown < 37
    _do(loop, P.BranchHere())
    assert loop.live.trainer.epoch == shown and f"epoch {shown};" in loop._notices[-1].text


def test_undo_counts_each_frame_it_alone_holds_once():
    loop = _loop()
    for k in range(4):  # training between edits: each entry holds its own timeline
        _train(loop, 2)
        _do(loop, P.SetWeight(0, 0, 0, 0.1 * k))
        _do(loop, P.SetWeight(0, 0, 1, 0.1 * k))  # no training: the same frames again
    _do(loop, P.Reset())  # the live timeline starts again: every old frame is undo's
    entries = loop.history.undo_stack + loop.history.redo_stack
    frames = {id(f): f.nbytes for _, s in entries for f in s.trainer.timeline.frames}
    frames.update({id(f): 0 for f in loop.live.trainer.timeline.frames})
    other = sum(s.trainer.order.nbytes + s.trainer.history.nbytes + sum(
        a.nbytes for a in [*s.trainer.network.parameters(),
                           *(a for v in s.trainer.optimizer.state.values() for a in v)])
        for _, s in entries)
    assert loop.history.held_bytes() == sum(frames.values()) + other
