"""Each optimizer step against its textbook formula, written out independently here."""

import math

import numpy as np
import pytest

from scratchnet import optimizers
from scratchnet.optimizers import Adam, Momentum, SGD, Schedule


def _grads(t):
    rng = np.random.default_rng(t)
    return [rng.normal(size=(3, 2)), rng.normal(size=3)]


def test_sgd_matches_p_minus_lr_g():
    p = [np.ones((3, 2)), np.zeros(3)]
    ref = [x.copy() for x in p]
    opt = SGD(0.3)
    for t in range(4):
        g = _grads(t)
        opt.step(p, g)
        ref = [r - 0.3 * gi for r, gi in zip(ref, g)]
    for a, b in zip(p, ref):
        np.testing.assert_allclose(a, b, rtol=1e-15)


def test_momentum_matches_the_heavy_ball_formula():
    p = [np.ones((3, 2)), np.zeros(3)]
    ref, vel = [x.copy() for x in p], [np.zeros((3, 2)), np.zeros(3)]
    opt = Momentum(0.05, momentum=0.8)
    for t in range(5):
        g = _grads(t)
        opt.step(p, g)
        vel = [0.8 * v - 0.05 * gi for v, gi in zip(vel, g)]
        ref = [r + v for r, v in zip(ref, vel)]
    for a, b in zip(p, ref):
        np.testing.assert_allclose(a, b, rtol=1e-14)


def test_adam_matches_kingma_and_ba_algorithm_1():
    p = [np.ones((3, 2)), np.zeros(3)]
    opt = Adam(0.01, beta1=0.9, beta2=0.999, eps=1e-8)
    ref = [x.copy() for x in p]
    m = [np.zeros_like(x) for x in p]
    v = [np.zeros_like(x) for x in p]
    for t in range(1, 7):
        g = _grads(t)
        opt.step(p, g)
        for k in range(2):
            m[k] = 0.9 * m[k] + 0.1 * g[k]
            v[k] = 0.999 * v[k] + 0.001 * g[k] ** 2
            mhat = m[k] / (1 - 0.9 ** t)
            vhat = v[k] / (1 - 0.999 ** t)
            ref[k] = ref[k] - 0.01 * mhat / (np.sqrt(vhat) + 1e-8)
    for a, b in zip(p, ref):
        np.testing.assert_allclose(a, b, rtol=1e-13)


def test_adam_first_step_is_lr_times_sign():
    p = [np.zeros(4)]
    g = [np.array([3.0, -0.2, 1e-3, -50.0])]
    Adam(0.01).step(p, g)
    np.testing.assert_allclose(p[0], -0.01 * np.sign(g[0]), rtol=1e-4)


def test_propose_changes_nothing_until_commit():
    opt = Adam(0.1)
    g = _grads(0)
    u1, state = opt.propose(g)
    u2, _ = opt.propose(g)
    assert opt.t == 0 and all(np.array_equal(a, b) for a, b in zip(u1, u2))
    opt.commit(state)
    assert opt.t == 1


@pytest.mark.parametrize("kind,epoch,expect", [
    ("constant", 50, 0.2),
    ("step", 25, 0.2 * 0.5 ** 2),
    ("exponential", 3, 0.2 * 0.5 ** 3),
    ("cosine", 0, 0.2),
    ("cosine", 50, 0.1),
    ("cosine", 100, 0.0),
    ("cosine", 400, 0.0),
])
def test_schedules(kind, epoch, expect):
    sched = Schedule(kind, gamma=0.5, step_size=10, period=100)
    assert SGD(0.2, schedule=sched).lr_at(epoch) == pytest.approx(expect, abs=1e-15)


def test_schedule_drives_the_step_size():
    p = [np.zeros(1)]
    SGD(1.0, schedule=Schedule("exponential", gamma=0.1)).step(p, [np.ones(1)], epoch=2)
    assert p[0][0] == pytest.approx(-0.01)


@pytest.mark.parametrize("lr", [0, -1, float("nan"), float("inf"), "fast"])
def test_bad_learning_rates_are_refused(lr):
    with pytest.raises(ValueError, match="learning rate"):
        SGD(lr)


def test_make_builds_by_name_and_refuses_unknown_names():
    assert isinstance(optimizers.make("adam", lr=0.01), Adam)
    assert optimizers.make("sgd", 0.5, {"kind": "step"}).schedule.kind == "step"
    with pytest.raises(ValueError, match="sgd, momentum, adam"):
        optimizers.make("lbfgs")


def test_resize_keeps_carried_state_blocks():
    opt = Momentum(0.1)
    opt.step([np.zeros((2, 2))], [np.ones((2, 2))])
    opt.resize([(2, 2)], [(3, 2)])
    v = opt.state["v"][0]
    assert v.shape == (3, 2) and np.all(v[:2] == -0.1) and np.all(v[2] == 0)
    assert math.isclose(opt.lr, 0.1)
