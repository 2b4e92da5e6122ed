"""The timeline: frames at every epoch, bit-exact branching, thinning within the budget."""

import numpy as np
import pytest

from scratchnet import Network, Trainer, data
from scratchnet.optimizers import make
from scratchnet.timeline import Timeline, TrainerState


@pytest.fixture(scope="module")
def split():
    X, y = data.make("circles", 160, 0.1, seed=0)
    return data.split(X, y, 0.75, seed=0)


def _trainer(split, opt="adam", timeline=True, sizes=(2, 5, 1)):
    Xtr, Xte, ytr, yte = split
    t = Trainer(Network(list(sizes), seed=3), Xtr, ytr, Xte, yte,
                optimizer=make(opt, lr=0.05), batch_size=8, seed=4)
    if timeline:
        t.keep_timeline()
    return t


def _train(t, epochs):
    while t.epoch < epochs:
        t.step_batches()


def _state(t) -> dict:
    """Everything that decides how training goes on, as plain values."""
    h = t.history.arrays()
    h.pop("seconds")
    return {"params": [p.copy() for p in t.network.parameters()],
            "sizes": t.network.sizes, "acts": t.network.activations,
            "opt": {k: [a.copy() for a in v] for k, v in t.optimizer.state.items()},
            "t": t.optimizer.t, "epoch": t.epoch, "cursor": t.cursor,
            "order": t.order.copy(), "rng": t.rng.bit_generator.state,
            "net_rng": t.network.rng.bit_generator.state, "seen": t.samples_seen,
            "history": h}


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for k in a:
        x, y = a[k], b[k]
        if k == "history":
            assert x.keys() == y.keys()
            for c in x:
                np.testing.assert_array_equal(x[c], y[c], err_msg=c)
        elif k in ("params",):
            assert len(x) == len(y) and all(np.array_equal(p, q) for p, q in zip(x, y)), k
        elif k == "opt":
            assert x.keys() == y.keys()
            assert all(np.array_equal(p, q) for s in x for p, q in zip(x[s], y[s])), k
        elif k == "order":
            np.testing.assert_array_equal(x, y)
        else:
            assert x == y, k


@pytest.mark.parametrize("opt", ["sgd", "momentum", "adam"])
def test_branching_is_bit_identical_to_a_run_stopped_there(split, opt):
    t = _trainer(split, opt)
    _train(t, 30)
    t.branch(10)
    fresh = _trainer(split, opt, timeline=False)
    _train(fresh, 10)
    _assert_same(_state(t), _state(fresh))
    _train(t, 20)
    _train(fresh, 20)
    _assert_same(_state(t), _state(fresh))


def test_branching_returns_the_architecture_and_settings_of_the_time(split):
    t = _trainer(split, "sgd")
    _train(t, 4)
    t.resize([2, 7, 3, 1])
    t.batch_size, t.l2 = 5, 0.01
    _train(t, 8)
    t.branch(3)
    assert t.network.sizes == [2, 5, 1] and t.batch_size == 8 and t.l2 == 0.0
    assert t.timeline.epochs == [0, 1, 2, 3] and len(t.history) == 4


def test_a_stepped_back_sample_forgets_the_frame_its_epoch_made(split):
    t = _trainer(split, "sgd")
    _train(t, 2)
    t.cursor = t.n_train - 1  # the next sample ends the epoch
    cp = TrainerState.of(t, within_epoch=True)
    t.step_sample()
    assert t.timeline.epochs[-1] == 3
    cp.restore(t)
    assert t.timeline.epochs[-1] == 2


def test_new_data_start_a_new_timeline(split):
    t = _trainer(split)
    _train(t, 3)
    Xtr, Xte, ytr, yte = split
    t.set_data(Xtr[:50], ytr[:50], Xte, yte)
    assert t.timeline.epochs == [0]
    with pytest.raises(ValueError, match="epoch 2 is not on the timeline"):
        Trainer.branch(_trainer(split, timeline=False), 2)


def test_thinning_keeps_the_budget_the_ends_and_the_branch_points(split):
    t = _trainer(split, "adam", sizes=(2, 64, 64, 1))
    _train(t, 1)
    frame = t.timeline.frames[-1].nbytes  # with Adam's state, which epoch 0 has not
    t.timeline.budget = max(2**20, 40 * frame)
    limit = t.timeline.budget // frame
    _train(t, 30)
    assert not t.timeline.thinned
    t.branch(27)
    for _ in range(3):
        _train(t, t.epoch + 60)
        tl = t.timeline
        assert tl.nbytes <= tl.budget and tl.nbytes == sum(f.nbytes for f in tl.frames)
        assert tl.thinned and len(tl.frames) <= limit
        assert tl.epochs[0] == 0 and tl.epochs[-1] == t.epoch and 27 in tl.epochs
        inner = [e for e in tl.epochs[1:-1] if e != 27]
        assert inner and all(e % tl.stride == 0 for e in inner)
        # evenly: every multiple of the stride up to the last epoch is kept
        assert inner == list(range(tl.stride, t.epoch, tl.stride))


def test_a_budget_out_of_range_is_refused():
    with pytest.raises(ValueError, match="memory budget"):
        Timeline(budget=10)
    with pytest.raises(ValueError, match="memory budget"):
        Timeline(budget="256")


def test_frames_and_checkpoints_are_one_state_put_back_by_one_writer(split):
    t = _trainer(split, "sgd")
    _train(t, 2)
    t.step_batch()  # within epoch 2
    cp = TrainerState.of(t, within_epoch=True)
    assert isinstance(t.timeline.at(2), TrainerState) and cp.cursor == t.cursor > 0
    weights = [p.copy() for p in t.network.parameters()]
    order, rng = t.order.copy(), t.rng.bit_generator.state
    t.step_epoch()
    cp.restore(t)
    assert all(np.array_equal(a, b) for a, b in zip(weights, t.network.parameters()))
    assert np.array_equal(t.order, order) and t.rng.bit_generator.state == rng
    assert t.epoch == 2 and t.timeline.epochs[-1] == 2
