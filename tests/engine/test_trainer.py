"""Trainer: batching, mixing step kinds, history, stopping and the divergence guard."""

import dataclasses

import numpy as np
import pytest

from scratchnet import SGD, Adam, DivergenceError, Network, Trainer, data


@pytest.fixture
def split():
    X, y = data.make("circles", 200, 0.1, seed=0)
    return data.split(X, y, 0.75, seed=0)


def _trainer(split, **kw):
    Xtr, Xte, ytr, yte = split
    kw.setdefault("optimizer", SGD(0.5))
    return Trainer(Network([2, 5, 1], seed=0), Xtr, ytr, Xte, yte, **kw)


@pytest.mark.parametrize("bs", [1, 7, 64, 150, 1000])
def test_an_epoch_visits_every_sample_once_for_any_batch_size(split, bs):
    t = _trainer(split, batch_size=bs)
    t.step_epoch()
    assert t.epoch == 1 and t.samples_seen == 150 and t.cursor == 0
    assert len(t.history) == 2


def test_history_starts_with_the_untrained_network(split):
    t = _trainer(split)
    assert len(t.history) == 1 and t.history.last("epoch") == 0
    assert 0 <= t.history.last("train_auc") <= 1


def test_mixed_steps_complete_epochs_honestly(split):
    t = _trainer(split, batch_size=10)
    for _ in range(5):
        t.step_sample()
    t.step_batch()
    assert t.cursor == 15 and t.samples_seen == 15 and t.epoch == 0
    t.step_epoch()
    assert t.epoch == 1 and t.samples_seen == 150
    for _ in range(150):
        t.step_sample()
    assert t.epoch == 2 and t.history["samples"].tolist() == [0, 150, 300]


def test_a_chosen_sample_trains_out_of_order(split):
    t = _trainer(split)
    step = t.step_sample(index=3)
    assert step.index == 3 and t.cursor == 0 and t.samples_seen == 1
    with pytest.raises(ValueError, match="not in the training set"):
        t.step_sample(index=150)


def test_same_seeds_train_bit_identically(split):
    a, b = _trainer(split, batch_size=4, seed=3), _trainer(split, batch_size=4, seed=3)
    for t in (a, b):
        t.run(3)
    assert all(np.array_equal(p, q) for p, q in zip(a.network.parameters(), b.network.parameters()))
    ra, rb = a.history.rows, b.history.rows
    del ra["seconds"], rb["seconds"]  # wall time
    np.testing.assert_equal(ra, rb)  # NaN-aware: sharpness, update_ratio at epoch 0
    assert len(ra["epoch"]) == 4


def test_run_stops_at_the_target_auc(split):
    t = _trainer(split, batch_size=1, target_auc=0.95)
    assert t.run(200) == "target"
    assert t.history.last("train_auc") >= 0.95 and t.epoch < 200


def test_run_stops_between_batches_when_asked(split):
    t = _trainer(split, batch_size=10)
    calls = []

    def stop():
        calls.append(1)
        return len(calls) > 3

    assert t.run(100, should_stop=stop) == "stopped"
    assert t.samples_seen == 30


def test_divergence_stops_with_a_clear_error_and_keeps_finite_weights(split):
    Xtr, Xte, ytr, yte = split
    net = Network([2, 8, 8, 1], activation="relu", output="linear", seed=0)
    t = Trainer(net, Xtr * 1e3, ytr, optimizer=SGD(1e6), batch_size=16)
    with pytest.raises(DivergenceError, match=r"learning rate \(1e\+06\).*last finite weights"):
        t.run(50)
    assert all(np.all(np.isfinite(p)) for p in net.parameters())
    kept = [p.copy() for p in net.parameters()]
    with pytest.raises(DivergenceError):
        t.step_batch()
    assert all(np.array_equal(a, b) for a, b in zip(kept, net.parameters()))


def test_adam_trains_and_regularisation_shrinks_weights(split):
    plain = _trainer(split, optimizer=Adam(0.05), batch_size=16)
    reg = _trainer(split, optimizer=Adam(0.05), batch_size=16, l2=0.5)
    for t in (plain, reg):
        t.run(20)
    assert plain.history.last("train_auc") > 0.9
    norm = lambda t: sum(float((L.weights ** 2).sum()) for L in t.network.layers)
    assert norm(reg) < norm(plain)


def test_bad_batch_sizes_are_refused(split):
    t = _trainer(split)
    for bad in (0, -1, 2.5, "10", True):
        with pytest.raises(ValueError, match="batch size"):
            t.batch_size = bad
    assert t.batch_size == 32


def test_one_class_test_set_reports_undefined_auc_without_crashing(split):
    Xtr, Xte, ytr, yte = split
    t = Trainer(Network([2, 3, 1], seed=0), Xtr, ytr, Xte[yte == 1], yte[yte == 1])
    t.step_epoch()
    assert np.isnan(t.history.last("test_auc")) and 0 <= t.history.last("test_acc") <= 1


def test_chunked_evaluation_gives_the_same_scores(monkeypatch):
    from scratchnet import tasks

    rng = np.random.default_rng(3)
    X = rng.normal(size=(500, 2))
    y = (X[:, 0] > 0).astype(float)
    net = Network([2, 5, 1], activation="tanh", seed=1)
    whole = tasks.evaluate(net, X, y)
    monkeypatch.setattr(tasks, "EVAL_CHUNK", 64)
    chunked = tasks.evaluate(net, X, y)
    assert chunked.keys() == whole.keys()
    for k in whole:
        assert chunked[k] == pytest.approx(whole[k], rel=1e-12, abs=1e-15)


def test_a_large_set_is_measured_each_epoch_on_the_same_even_sample(split):
    Xtr, Xte, ytr, yte = split
    t = _trainer(split, metric_rows=40)
    t.step_epoch()
    rows = np.linspace(0, len(Xtr) - 1, 40).astype(int)  # every ~4th of the 150 rows
    sampled = t.evaluate(Xtr[rows], ytr[rows])
    assert t.history.last("train_auc") == sampled["auc"]
    assert t.history.last("train_loss") == sampled["loss"]
    assert t.history.last("train_auc") != t.evaluate(Xtr, ytr)["auc"]  # an estimate
    test_rows = np.linspace(0, len(Xte) - 1, 40).astype(int)  # 40 of 50
    assert t.history.last("test_acc") == t.evaluate(Xte[test_rows], yte[test_rows])["acc"]


def test_sets_within_the_limit_are_measured_on_every_row(split):
    within, every = _trainer(split, metric_rows=150), _trainer(split, metric_rows=None)
    for t in (within, every):
        t.step_epoch()
    for k in ("train_auc", "test_auc", "train_loss", "test_loss", "train_acc", "test_acc"):
        assert within.history[k].tobytes() == every.history[k].tobytes()


def test_apply_writes_every_training_setting_and_keeps_state_only_when_asked():
    from scratchnet.settings import TrainingSettings
    from scratchnet.optimizers import make
    X = np.random.default_rng(0).normal(size=(40, 2))
    y = (X[:, 0] > 0).astype(float)
    t = Trainer(Network([2, 3, 1], seed=0), X, y, optimizer=make("momentum", 0.1, {}),
                batch_size=8)
    t.step_batch()
    velocity = [a.copy() for v in t.optimizer.state.values() for a in v]
    assert velocity and any(np.any(a) for a in velocity)
    s = TrainingSettings(optimizer="momentum", lr=0.05, batch_size=4, l1=0.01, l2=0.02,
                         target_auc=0.9, target_on="test")
    opt = t.optimizer
    t.apply(s, keep_state=True)
    assert t.optimizer is opt and t.optimizer.lr == 0.05
    assert all(np.array_equal(a, b) for a, b in zip(
        velocity, [a for v in t.optimizer.state.values() for a in v]))
    assert (t.batch_size, t.l1, t.l2, t.target_auc, t.target_on) == (4, 0.01, 0.02, 0.9, "test")
    t.apply(s)
    assert t.optimizer is not opt and not any(t.optimizer.state.values())
    with pytest.raises(ValueError, match="batch size"):
        t.apply(dataclasses.replace(s, batch_size=0, lr=0.5))
    assert t.batch_size == 4 and t.optimizer.lr == 0.05  # refused whole
