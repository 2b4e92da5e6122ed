"""The divergence guard, the one stop rule, and settings checked by type and range."""

import numpy as np
import pytest

from scratchnet import SGD, DivergenceError, Network, Trainer, data, optimizers
from scratchnet.config import Config, make_trainer
from scratchnet.trainer import MAX_WEIGHT


@pytest.fixture
def split():
    X, y = data.make("circles", 200, 0.1, seed=0)
    return data.split(X, y, 0.75, seed=0)


def test_the_guard_checks_in_its_own_errstate(split):
    # +inf and -inf in one update sum to nan: numpy warns "invalid value in reduce"
    # (an error under this suite's filterwarnings) unless the check is quiet
    Xtr, _, ytr, _ = split
    opt = SGD(0.1)
    t = Trainer(Network([2, 3, 1], seed=0), Xtr, ytr, optimizer=opt, batch_size=8)
    real = opt.propose

    def poisoned(grads, epoch=0):
        updates, state = real(grads, epoch)
        updates[0] = updates[0].copy()
        updates[0].flat[:2] = [np.inf, -np.inf]
        return updates, state

    opt.propose = poisoned
    kept = [p.copy() for p in t.network.parameters()]
    with pytest.raises(DivergenceError, match="nan or infinite"):
        t.step_batch()
    assert all(np.array_equal(a, b) for a, b in zip(kept, t.network.parameters()))


def test_a_finite_blow_up_is_divergence_too(split):
    # relu at lr 1e6 used to reach weights of 1e51 and AUC 0.5 with every number finite
    Xtr, Xte, ytr, yte = split
    net = Network([2, 8, 8, 1], activation="relu", seed=0)
    t = Trainer(net, Xtr, ytr, Xte, yte, optimizer=SGD(1e6), batch_size=16)
    with pytest.raises(DivergenceError, match=r"past the ±1e\+06 bound.*learning rate "
                                              r"\(1e\+06\).*last finite weights"):
        t.run(50)
    assert max(float(np.abs(p).max()) for p in net.parameters()) <= MAX_WEIGHT


def test_xor_relu_at_lr_1000_diverges_instead_of_sitting_at_auc_one_half():
    cfg = Config(data.DataSpec("xor"), activations=["relu", "relu"], lr=1000)
    t = make_trainer(cfg, data.build(cfg.data))
    with pytest.raises(DivergenceError, match="epoch 1 "):
        t.run(30)


def test_large_but_bounded_weights_are_not_a_false_alarm(split):
    # a 2-norm above the bound sends the guard to the exact check, which lets it pass
    Xtr, _, ytr, _ = split
    net = Network([2, 3, 1], seed=0)
    net.layers[0].weights[0, :] = 0.9 * MAX_WEIGHT
    t = Trainer(net, Xtr, ytr, optimizer=SGD(1e-9), batch_size=8)
    t.step_epoch()
    assert t.epoch == 1


def test_stop_reason_is_the_one_rule(split):
    Xtr, Xte, ytr, yte = split
    t = Trainer(Network([2, 5, 1], seed=0), Xtr, ytr, Xte, yte, optimizer=SGD(0.5),
                target_auc=0.99, target_on="test")
    assert t.stop_reason(2) is None
    t.step_epoch()
    t.step_epoch()
    assert t.stop_reason(2) == "epochs" and t.stop_reason(3) is None
    t.target_auc = 0.01  # reached already: the target wins over the epoch limit
    assert t.stop_reason(2) == "target" and t.run(2) == "target"
    t.target_auc = None
    assert t.run(3) == "epochs" and t.epoch == 3


@pytest.mark.parametrize("change,message", [
    ({"max_epochs": "abc"}, "max epochs must be a whole number"),
    ({"max_epochs": -1}, "max epochs must be ≥ 0"),
    ({"target_on": "bogus"}, "target_on must be one of train, test"),
    ({"target_auc": 2.0}, "target AUC must be ≤ 1"),
    ({"batch_size": 2.5}, "batch size must be a whole number"),
    ({"l2": float("inf")}, "l2 must be a finite number"),
    ({"momentum": 1.0}, "momentum must be < 1"),
    ({"beta2": -0.1}, "beta2 must be ≥ 0"),
    ({"seed": -1}, "seed must be ≥ 0"),
    ({"hidden": [9, "6"]}, "hidden layer 2 size must be a whole number"),
    ({"activations": ["sigmoid", "bogus"]}, "activation of hidden layer 2 must be one of"),
    ({"schedule": {"kind": "step", "gamma": 0}}, "schedule gamma must be > 0"),
    ({"schedule": {"kind": "step", "step_size": "3"}}, "schedule step size must be a whole"),
    ({"schedule": {"kind": "cosine", "bogus": 1}}, "unknown schedule setting"),
])
def test_settings_are_checked_by_type_and_range(change, message):
    d = Config().to_dict()
    d.update(change)
    with pytest.raises(ValueError, match=message):
        Config.from_dict(d)


def test_trainer_refuses_an_unknown_target():
    X, y = data.make("xor", 40)
    with pytest.raises(ValueError, match="target_on"):
        Trainer(Network([2, 1]), X, y, target_on="bogus")


@pytest.mark.parametrize("name,kw", [("momentum", {"momentum": 0.5}),
                                     ("adam", {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6}),
                                     ("sgd", {})])
def test_optimizers_rebuild_from_their_hyperparameters(name, kw):
    opt = optimizers.make(name, 0.03, {"kind": "step", "gamma": 0.7, "step_size": 3}, **kw)
    again = optimizers.from_hyperparameters(opt.hyperparameters())
    assert type(again) is type(opt) and again.hyperparameters() == opt.hyperparameters()


def test_config_passes_adam_betas_to_the_optimizer():
    opt = Config(optimizer="adam", beta1=0.5, beta2=0.9, eps=1e-4).make_optimizer()
    assert (opt.beta1, opt.beta2, opt.eps) == (0.5, 0.9, 1e-4)
