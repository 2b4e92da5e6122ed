"""The per-epoch diagnostics against independent computations: central differences for
the gradient's size, the timeline's frames for the update ratio, plain numpy for the
saturated and dead shares."""

import numpy as np
import pytest

from scratchnet import Network, Trainer, data, diagnostics
from scratchnet.optimizers import SGD


def _trainer(activation="tanh", hidden=(4, 3), l2=0.01, seed=0, **kw):
    ds = data.build(data.DataSpec("circles", 160, 0.1, seed=seed))
    net = Network([2, *hidden, 1], activation=activation, seed=seed)
    return Trainer(net, ds.X_train, ds.y_train, ds.X_test, ds.y_test, optimizer=SGD(0.3),
                   batch_size=8, l2=l2, seed=seed, **kw)


def _numeric_grad_norms(net, X, y, h=1e-6):
    """‖∂L/∂W_k‖_F by central differences of the mean data loss, in float64."""
    norms = []
    for L in net.layers:
        W = L.weights
        g = np.zeros_like(W)
        for idx in np.ndindex(W.shape):
            old = W[idx]
            W[idx] = old + h
            up = net.loss(X, y)
            W[idx] = old - h
            down = net.loss(X, y)
            W[idx] = old
            g[idx] = (up - down) / (2 * h)
        norms.append(np.linalg.norm(g))
    return np.array(norms)


def test_grad_norm_is_the_data_loss_gradient_over_the_whole_training_set():
    t = _trainer(l2=0.05)  # the L2 term must not be in it
    t.run(3)
    got = np.array([t.history.last(f"grad_norm_{k}") for k in (1, 2, 3)])
    want = _numeric_grad_norms(t.network, t.X_train, t.y_train)
    np.testing.assert_allclose(got, want, rtol=1e-6)
    assert np.all(got > 0)


def test_grad_norm_above_the_metric_rows_uses_the_metric_sample():
    t = _trainer(metric_rows=40)
    t.run(1)
    rows = np.linspace(0, t.n_train - 1, 40).astype(np.int64)
    want = _numeric_grad_norms(t.network, t.X_train[rows], t.y_train[rows])
    got = [t.history.last(f"grad_norm_{k}") for k in (1, 2, 3)]
    np.testing.assert_allclose(got, want, rtol=1e-6)
    every = _numeric_grad_norms(t.network, t.X_train, t.y_train)
    assert not np.allclose(got, every, rtol=1e-3)  # it really is the sample


def test_update_ratio_matches_the_timeline_frames():
    t = _trainer()
    t.keep_timeline()
    t.run(4)
    frames = {f.epoch: f for f in t.timeline.frames}
    assert np.all(np.isnan([t.history[f"update_ratio_{k}"][0] for k in (1, 2, 3)]))
    for e in range(1, 5):
        for k in (1, 2, 3):
            W0 = frames[e - 1].network.layers[k - 1].weights
            W1 = frames[e].network.layers[k - 1].weights
            want = np.linalg.norm(W1 - W0) / np.linalg.norm(W0)
            assert t.history[f"update_ratio_{k}"][e] == pytest.approx(want, rel=1e-12)


def test_update_ratio_after_a_branch_measures_from_the_frame():
    t = _trainer()
    t.keep_timeline()
    t.run(5)
    t.branch(2)
    t.run(3)
    frames = {f.epoch: f for f in t.timeline.frames}
    W0, W1 = (frames[e].network.layers[0].weights for e in (2, 3))
    assert t.history["update_ratio_1"][3] == pytest.approx(
        np.linalg.norm(W1 - W0) / np.linalg.norm(W0), rel=1e-12)


def _sigmoid_prime_shares(net, X):
    """Per hidden layer, plain numpy: z, σ(z) and σ′(z) < 0.0025 per (sample, unit)."""
    a, out = X, []
    for L in net.layers[:-1]:
        z = a @ L.weights.T + L.biases
        a = 1.0 / (1.0 + np.exp(-z))
        out.append(a * (1 - a) < 0.0025)
    return out


def test_saturated_and_dead_shares_match_numpy():
    t = _trainer(activation="sigmoid", hidden=(6, 5))
    t.network.layers[0].weights *= 8.0  # large weights: many saturated pairs
    t.network.layers[1].biases[:2] = 12.0  # two units past σ′ < 0.0025 on every sample
    t.record_epoch(replace=True)
    masks = _sigmoid_prime_shares(t.network, t.X_train)
    for k, m in enumerate(masks, 1):
        assert t.history.last(f"saturated_{k}") == pytest.approx(m.mean(), abs=1e-15)
        assert t.history.last(f"dead_{k}") == pytest.approx(np.all(m, axis=0).mean())
    assert 0 < t.history.last("saturated_1") < 1
    assert t.history.last("dead_2") == pytest.approx(2 / 5)
    shares = diagnostics.network_unit_shares(t.network, t.X_train)
    for s, m in zip(shares, masks):
        np.testing.assert_allclose(s, m.mean(axis=0))


@pytest.mark.parametrize("activation,limit", [("tanh", 0.01), ("relu", None)])
def test_thresholds_per_activation(activation, limit):
    a = np.array([[0.0, 0.5, 0.995, -0.9999]])
    mask = diagnostics.saturated_mask(activation, a)
    if activation == "tanh":
        np.testing.assert_array_equal(mask, 1 - a * a < limit)
    else:  # relu: z ≤ 0, i.e. a == 0
        np.testing.assert_array_equal(mask, a <= 0)
    for never in ("leaky_relu", "linear"):
        assert diagnostics.saturated_mask(never, a) is None


def test_a_relu_net_with_a_large_negative_bias_has_its_dead_units_counted():
    t = _trainer(activation="relu", hidden=(8, 4))
    t.network.layers[0].biases[[1, 4, 6]] = -100.0  # z ≤ 0 on every sample
    t.run(2)
    L = t.network.layers[0]
    dead = set(np.flatnonzero(np.all(t.X_train @ L.weights.T + L.biases <= 0, axis=0)))
    assert {1, 4, 6} <= dead  # and any unit training killed on its own
    assert t.history.last("dead_1") == pytest.approx(len(dead) / 8)
    shares = diagnostics.network_unit_shares(t.network, t.X_train)
    assert set(np.flatnonzero(shares[0] >= 1.0)) == dead
    text = diagnostics.dead_text(shares, t.network.activations)
    assert f"{len(dead)} of 8 relu units in layer 1 are dead" in text
    counts = diagnostics.dead_counts({"dead_1": t.history.last("dead_1")}, [8])
    assert counts["layer_1"] == len(dead)


def test_columns_follow_a_network_that_grows_a_layer():
    t = _trainer(hidden=(4,))
    t.run(2)
    assert "grad_norm_3" not in t.history.keys
    t.resize([2, 4, 3, 1])
    t.run(3)
    g3 = t.history["grad_norm_3"]
    assert np.all(np.isnan(g3[:3])) and np.isfinite(g3[3])


def test_a_session_saved_within_an_epoch_keeps_its_start_weights_checked(tmp_path):
    from scratchnet import session
    from scratchnet.config import Config, make_trainer

    from .test_session_hostile import read_arrays, refused, write_arrays

    cfg = Config(data.DataSpec("moons", 60, 0.2, seed=1), hidden=[3], activations=["tanh"],
                 batch_size=7)
    t = make_trainer(cfg, data.build(cfg.data))
    t.run(2)
    t.step_batch()
    path = tmp_path / "s.scratchnet"
    session.save(path, t, cfg)
    arrays = read_arrays(path)
    np.testing.assert_array_equal(arrays["start_W0"], t.epoch_start[0])
    loaded, *_ = session.load(path)
    assert all(np.array_equal(a, b) for a, b in zip(loaded.epoch_start, t.epoch_start))
    arrays["start_W1"] = np.full(arrays["start_W1"].shape, np.nan)
    write_arrays(path, arrays)
    refused(path, "start_W1")
    del arrays["start_W1"]
    arrays["start_W0"] = arrays["start_W0"][:, :1]
    write_arrays(path, arrays)
    refused(path, "start_W")
