"""The training process's Landscape part, run inline: nothing is computed while the view
is closed; open, snapshots carry the plane around the shown weights (the scrubbed epoch's
too), the path and the next step, and the history gains the sharpness."""

import numpy as np
import pytest

from scratchnet import data, landscape as ls
from scratchnet.config import Config
from scratchnet_gui import protocol as P
from scratchnet_gui.process import landscape as loop_landscape

from .inline_loop import handle, make_loop


def _loop(**kw):
    return make_loop(Config(data.DataSpec("circles", 120, 0.1), hidden=[4, 3],
                            activations=["tanh", "sigmoid"], lr=0.5, batch_size=30, **kw))


def _do(loop, cmd):
    handle(loop, cmd)
    loop.publish()
    return loop.snaps[-1]


def test_closed_computes_nothing():
    loop = _loop()
    for _ in range(3):
        s = _do(loop, P.StepEpoch())
    assert s.landscape is None and loop.live.trainer.probe is None
    assert np.isnan(s.history["sharpness"]).all()


def test_open_draws_the_plane_path_and_step_and_measures_the_sharpness(monkeypatch):
    monkeypatch.setattr(loop_landscape, "SHARPNESS_INTERVAL", 0.0)  # every epoch
    monkeypatch.setattr(loop_landscape, "SHARPNESS_SHARE", float("inf"))
    loop = _loop()
    _do(loop, P.SetLandscape(True))
    for _ in range(4):
        s = _do(loop, P.StepEpoch())
    f, t = s.landscape, loop.live.trainer
    assert f.directions == "pca" and f.grid.shape == (41, 41)
    assert f.path.shape == (5, 2) and list(f.path_epochs) == [0, 1, 2, 3, 4]
    np.testing.assert_allclose(f.path[-1], [0, 0], atol=1e-12)  # the shown weights
    assert f.off_share < 0.5  # two axes of a 5-frame path hold most of it
    # the centre of the grid is the loss of the shown weights, on the training set
    assert f.grid[20, 20] == pytest.approx(t.network.loss(t.X_train, t.y_train), rel=1e-12)
    # the step curve's s = 0 and s = 1: θ and θ + Δ, Δ the SGD step of the next batch
    assert f.step_loss[0] == pytest.approx(f.grid[20, 20], rel=1e-12)
    idx = t.order[t.cursor:t.cursor + t.batch_size]
    c = t.network.copy()
    for L, (dW, db) in zip(c.layers, t.network.gradients(t.X_train[idx], t.y_train[idx])):
        L.weights -= 0.5 * dW
        L.biases -= 0.5 * db
    assert f.step_loss[10] == pytest.approx(c.loss(t.X_train, t.y_train), rel=1e-10)
    assert f.factor == 2.0 and f.threshold_name == "2/lr"
    lam = s.history["sharpness"]
    assert np.isfinite(lam[1:]).all()  # no share to keep: every epoch is measured
    assert lam[-1] == pytest.approx(float(ls.sharpness(t.network, t.X_train, t.y_train)),
                                    rel=1e-4)
    _do(loop, P.SetLandscape(False))
    s = _do(loop, P.StepEpoch())
    assert s.landscape is None and loop.live.trainer.probe is None
    assert np.isnan(s.history["sharpness"][-1])


def test_random_directions_follow_the_seed_and_the_scrub():
    loop = _loop()
    for _ in range(3):
        _do(loop, P.StepEpoch())
    a = _do(loop, P.SetLandscape(True, "random", 5)).landscape
    b = _do(loop, P.SetLandscape(True, "random", 6)).landscape
    again = _do(loop, P.SetLandscape(True, "random", 5)).landscape
    assert a.directions == "random" and a.seed == 5
    np.testing.assert_array_equal(a.grid, again.grid)
    assert not np.allclose(a.grid, b.grid)
    live = loop.live.trainer
    s = _do(loop, P.Scrub(1))
    f = s.landscape
    net1 = live.timeline.at(1).network
    assert f.grid[20, 20] == pytest.approx(net1.loss(live.X_train, live.y_train), rel=1e-12)
    i = list(f.path_epochs).index(1)
    np.testing.assert_allclose(f.path[i], [0, 0], atol=1e-12)  # the shown epoch: origin
    assert f.version > again.version


def test_pca_needs_three_frames_and_adam_has_no_line():
    loop = _loop(optimizer="adam")
    f = _do(loop, P.SetLandscape(True, "pca")).landscape
    assert f.asked == "pca" and f.directions == "random" and "fewer than 3" in f.note
    assert f.factor is None and f.threshold_name == ""


def test_the_command_checks_its_fields():
    for bad in (dict(open=1), dict(open=True, directions="up"), dict(open=True, seed=-1)):
        with pytest.raises(ValueError):
            P.SetLandscape(**bad)
    assert P.SetLandscape(True).traits.standing


def test_the_sharpness_keeps_to_its_share_of_the_time(monkeypatch):
    monkeypatch.setattr(loop_landscape, "SHARPNESS_INTERVAL", 10.0)  # a slow rate
    loop = _loop()
    _do(loop, P.SetLandscape(True))
    for _ in range(5):
        s = _do(loop, P.StepEpoch())
    # the first epoch is measured, the rest come sooner than the rate allows
    assert np.isfinite(s.history["sharpness"]).tolist() == [False, True] + [False] * 4


def test_a_large_network_is_measured_on_fewer_rows(monkeypatch):
    per_row = 2 * 64 + 64 * 64 + 64
    monkeypatch.setattr(loop_landscape, "PLANE_WORK", 41 * 41 * per_row * 100)
    monkeypatch.setattr(loop_landscape, "HVP_WORK", per_row * 80)
    cfg = Config(data.DataSpec("circles", 400, 0.1), hidden=[64, 64],
                 activations=["tanh", "tanh"], lr=0.1, batch_size=50)
    loop = make_loop(cfg)
    f = _do(loop, P.SetLandscape(True, "random")).landscape
    t = loop.live.trainer
    assert f.data_note == "an even sample of 100 of 300 training rows"
    X, y, _ = ls.sample(t.X_train, t.y_train, 100)
    assert f.grid[20, 20] == pytest.approx(t.network.loss(X, y), rel=1e-12)
    assert len(t.probe.X) == 80
