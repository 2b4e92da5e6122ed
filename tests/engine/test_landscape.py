"""scratchnet.landscape against independent computations: Network.loss of copies, a dense
Hessian by central differences of the gradients, scikit-learn's PCA, textbook optimizer
steps."""

import math

import numpy as np
import pytest
from sklearn.decomposition import PCA

from scratchnet import DivergenceError, Network, Trainer
from scratchnet import landscape as ls
from scratchnet.optimizers import SGD, Adam, Momentum


def _data(n, d, out, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    if out == "softmax":
        return X, rng.integers(0, 3, n).astype(float)
    if out == "sigmoid":
        return X, (X[:, 0] * X[:, 1] > 0).astype(float)
    return X, np.sin(X[:, 0]) + 0.1 * rng.standard_normal(n)


def _moved(net, d1, d2, a, b):
    c = net.copy()
    for L, (D1, e1), (D2, e2) in zip(c.layers, d1, d2):
        L.weights += a * D1 + b * D2
        L.biases += a * e1 + b * e2
    return c


@pytest.mark.parametrize("out,acts,k", [("sigmoid", ["sigmoid", "sigmoid"], 1),
                                        ("sigmoid", ["tanh", "relu"], 1),
                                        ("softmax", ["leaky_relu", "sigmoid"], 3),
                                        ("linear", ["tanh", "linear"], 1)])
def test_plane_equals_network_loss_of_copies_at_every_point(out, acts, k):
    net = Network([3, 5, 4, k], acts, output=out, seed=1)
    X, y = _data(60, 3, out)
    d1, d2 = ls.random_directions(net, 3)
    d1 = [(W, b + 0.3) for W, b in d1]  # bias directions too: the plane takes any
    alphas, betas, grid = ls.plane(net, X, y, d1, d2, span=0.7, n=9)
    np.testing.assert_array_equal(alphas, np.linspace(-0.7, 0.7, 9))
    ref = np.array([[_moved(net, d1, d2, a, b).loss(X, y) for a in alphas] for b in betas])
    np.testing.assert_allclose(grid, ref, rtol=1e-12)
    assert grid[4, 4] == pytest.approx(net.loss(X, y), rel=1e-12)  # the centre: θ itself


def test_plane_of_a_deep_network_of_mixed_widths():
    net = Network([3, 7, 2, 9, 4, 1], ["sigmoid", "tanh", "relu", "sigmoid"], seed=5)
    X, y = _data(30, 3, "sigmoid")
    d1, d2 = ls.random_directions(net, 1)
    alphas, betas, grid = ls.plane(net, X, y, d1, d2, span=0.5, n=5)
    ref = np.array([[_moved(net, d1, d2, a, b).loss(X, y) for a in alphas] for b in betas])
    np.testing.assert_allclose(grid, ref, rtol=1e-12)


def test_plane_in_chunks_equals_one_pass(monkeypatch):
    net = Network([2, 6, 1], "sigmoid", seed=2)
    X, y = _data(50, 2, "sigmoid")
    d1, d2 = ls.random_directions(net, 0)
    whole = ls.plane(net, X, y, d1, d2, 1.0, 11)[2]
    monkeypatch.setattr(ls, "CHUNK", 300)  # one point a chunk
    np.testing.assert_allclose(ls.plane(net, X, y, d1, d2, 1.0, 11)[2], whole, rtol=1e-13)


@pytest.mark.parametrize("n,span", [(1, 1.0), (500, 1.0), (41, 0.0), (41, math.inf), (True, 1.0)])
def test_plane_refuses_bad_sizes(n, span):
    net = Network([2, 3, 1], seed=0)
    d1, d2 = ls.random_directions(net, 0)
    with pytest.raises(ValueError):
        ls.plane(net, np.zeros((4, 2)), np.zeros(4), d1, d2, span, n)


def test_random_directions_are_filter_normalised_and_seeded():
    net = Network([2, 9, 6, 1], seed=4)
    d1, d2 = ls.random_directions(net, 7)
    for d in (d1, d2):
        for L, (D, e) in zip(net.layers, d):
            np.testing.assert_allclose(np.linalg.norm(D, axis=1),
                                       np.linalg.norm(L.weights, axis=1), rtol=1e-12)
            assert not e.any()
    again = ls.random_directions(net, 7)
    other = ls.random_directions(net, 8)
    assert np.array_equal(ls.flatten(again[0]), ls.flatten(d1))
    assert not np.allclose(ls.flatten(other[0]), ls.flatten(d1))
    assert not np.allclose(ls.flatten(d1), ls.flatten(d2))


def _dense_hessian(net, X, y, eps=1e-5):
    theta = ls.flatten(ls.weights_of(net))
    H = np.empty((len(theta), len(theta)))

    def grad_at(v):
        c = net.copy()
        for L, (W, b) in zip(c.layers, ls.unflatten(v, net)):
            L.weights[...], L.biases[...] = W, b
        return ls.flatten(c.gradients(X, y))

    for i in range(len(theta)):
        e = np.zeros_like(theta)
        e[i] = eps
        H[:, i] = (grad_at(theta + e) - grad_at(theta - e)) / (2 * eps)
    return (H + H.T) / 2


@pytest.mark.parametrize("sizes,act,out", [([2, 3, 1], "sigmoid", "sigmoid"),
                                           ([2, 4, 4, 1], "tanh", "sigmoid"),
                                           ([2, 4, 3], "tanh", "softmax"),
                                           ([2, 4, 1], "tanh", "linear")])
def test_sharpness_is_the_dense_hessians_top_eigenvalue(sizes, act, out):
    net = Network(sizes, act, output=out, seed=3)
    X, y = _data(40, 2, out, seed=5)
    H = _dense_hessian(net, X, y)
    top = np.linalg.eigvalsh(H)[-1]
    s = ls.sharpness(net, X, y, tol=1e-12, max_iter=5000)
    assert s.converged and s.iterations > 1 and s.tol == 1e-12
    assert float(s) == pytest.approx(top, rel=1e-5)


def test_hessian_vector_product_matches_the_dense_hessian():
    net = Network([2, 4, 4, 1], "tanh", seed=6)
    X, y = _data(30, 2, "sigmoid", seed=1)
    H = _dense_hessian(net, X, y)
    v = np.random.default_rng(0).standard_normal(len(H))
    Hv = ls.flatten(ls.hvp(net, X, net._targets(y, len(X)), ls.unflatten(v, net)))
    np.testing.assert_allclose(Hv, H @ v, rtol=1e-6, atol=1e-8)


def test_sharpness_shifts_past_a_dominant_negative_eigenvalue():
    # a linear output's half-MSE far from its targets: a saddle whose most negative
    # eigenvalue is the largest in size; λmax is still the top one
    for seed in range(40):
        net = Network([2, 3, 1], "tanh", output="linear", seed=seed)
        X, y = _data(20, 2, "linear", seed=seed)
        y = y * 30.0
        ev = np.linalg.eigvalsh(_dense_hessian(net, X, y))
        if -ev[0] > ev[-1] * 1.5:
            break
    else:
        pytest.fail("no network with a dominant negative eigenvalue was found")
    s = ls.sharpness(net, X, y, tol=1e-12, max_iter=20000)
    assert float(s) == pytest.approx(ev[-1], rel=1e-5)


def test_pca_directions_agree_with_sklearn_up_to_sign():
    rng = np.random.default_rng(2)
    net = Network([2, 5, 1], seed=0)
    origin = ls.weights_of(net)
    frames = [[(W + rng.standard_normal(W.shape) * (1 + k), b + rng.standard_normal(b.shape))
               for W, b in origin] for k in range(8)]
    d1, d2, explained = ls.pca_directions(frames, origin)
    M = np.stack([ls.flatten(f) - ls.flatten(origin) for f in frames])
    pca = PCA(n_components=2).fit(M)
    for mine, theirs in zip((d1, d2), pca.components_):
        v = ls.flatten(mine)
        assert abs(v @ theirs) == pytest.approx(1.0, abs=1e-10)
    np.testing.assert_allclose(explained, pca.explained_variance_ratio_, rtol=1e-10)
    with pytest.raises(ValueError, match="3 frames"):
        ls.pca_directions(frames[:2], origin)


def test_project_rebuilds_frames_that_lie_in_the_plane():
    net = Network([2, 4, 1], seed=1)
    origin = ls.weights_of(net)
    d1, d2 = ls.random_directions(net, 5)
    d2 = [(W, b + 1.0) for W, b in d2]  # not orthogonal to d1, not unit: still exact
    coords = np.array([[0.5, -1.0], [2.0, 0.25], [-0.3, 0.0], [0.0, 0.0]])
    frames = [_moved(net, d1, d2, a, b) for a, b in coords]
    got, off, share = ls.project([ls.weights_of(f) for f in frames], origin, d1, d2)
    np.testing.assert_allclose(got, coords, atol=1e-12)
    assert np.all(off < 1e-12) and share < 1e-24
    # a frame pushed off the plane by a known vector orthogonal to both directions
    A = np.stack([ls.flatten(d1), ls.flatten(d2)], axis=1)
    q = np.linalg.qr(np.column_stack([A, np.ones(len(A))]))[0][:, 2]
    pushed = ls.unflatten(ls.flatten(ls.weights_of(frames[0])) + 0.5 * q, net)
    got, off, share = ls.project([pushed], origin, d1, d2)
    np.testing.assert_allclose(got[0], coords[0], atol=1e-12)
    inplane = np.linalg.norm(A @ coords[0])
    assert off[0] == pytest.approx(0.5)
    assert share == pytest.approx(0.25 / (0.25 + inplane ** 2))


def _trainer(opt, batch=8):
    net = Network([2, 4, 1], "tanh", seed=0)
    X, y = _data(32, 2, "sigmoid")
    t = Trainer(net, X, y, optimizer=opt, batch_size=batch, l2=0.01, seed=1)
    for _ in range(3):
        t.step_batch()
    return t


def _next_grads(t):
    idx = t.order[t.cursor:t.cursor + t.batch_size]
    return ls.flatten(t.network.gradients(t.X_train[idx], t.y_train[idx], t.l1, t.l2))


@pytest.mark.parametrize("opt", [SGD(0.3), Momentum(0.1, momentum=0.8), Adam(0.01)])
def test_next_step_is_the_textbook_step_and_changes_nothing(opt):
    t = _trainer(opt)
    state = {k: [a.copy() for a in v] for k, v in t.optimizer.state.items()}
    steps, w = t.optimizer.t, ls.flatten(ls.weights_of(t.network))
    g = _next_grads(t)
    delta = ls.flatten(ls.next_step(t))
    if opt.name == "sgd":
        expect = -0.3 * g
    elif opt.name == "momentum":
        v = np.concatenate([a.ravel() for a in state["v"]])
        expect = 0.8 * v - 0.1 * g
    else:
        m = np.concatenate([a.ravel() for a in state["m"]])
        v = np.concatenate([a.ravel() for a in state["v"]])
        k = steps + 1
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        expect = -0.01 * (m / (1 - 0.9 ** k)) / (np.sqrt(v / (1 - 0.999 ** k)) + 1e-8)
    np.testing.assert_allclose(delta, expect, rtol=1e-10, atol=1e-15)
    assert t.optimizer.t == steps  # nothing moved: state, step count, weights
    for k, v in state.items():
        for a, b in zip(v, t.optimizer.state[k]):
            assert np.array_equal(a, b)
    assert np.array_equal(ls.flatten(ls.weights_of(t.network)), w)
    before = ls.flatten(ls.weights_of(t.network))  # and the step it drew is the step taken
    t.step_batch()
    np.testing.assert_allclose(ls.flatten(ls.weights_of(t.network)) - before, expect,
                               rtol=1e-9, atol=1e-14)


def test_step_line_is_the_loss_along_the_step():
    t = _trainer(Momentum(0.5))
    delta = ls.next_step(t)
    zero = [(np.zeros_like(W), np.zeros_like(b)) for W, b in delta]
    s = np.linspace(0, 3, 7)
    got = ls.step_line(t.network, t.X_train, t.y_train, delta, s)
    ref = [_moved(t.network, delta, zero, a, 0.0).loss(t.X_train, t.y_train) for a in s]
    np.testing.assert_allclose(got, ref, rtol=1e-12)


def test_thresholds_and_the_divergence_message():
    assert ls.stability_threshold(SGD(0.1)) == pytest.approx(20.0)
    assert ls.stability_threshold(Momentum(0.1, momentum=0.9)) == pytest.approx(38.0)
    assert ls.stability_threshold(Adam(0.01)) is None
    net = Network([2, 4, 1], seed=0)
    X, y = _data(64, 2, "sigmoid")
    t = Trainer(net, X, y, optimizer=SGD(1e9), batch_size=64)
    t.probe = ls.SharpnessProbe(X, y, every=1)
    t.record_epoch(replace=True)
    lam = t.history.last("sharpness")
    assert math.isfinite(lam) and lam > 0
    with pytest.raises(DivergenceError, match=r"λmax .* had passed 2/lr = 2e-09"):
        t.step_epoch()


def test_adam_says_the_line_does_not_apply():
    net = Network([2, 4, 1], seed=0)
    X, y = _data(32, 2, "sigmoid")
    t = Trainer(net, X, y, optimizer=Adam(0.01), batch_size=32)
    t.probe = ls.SharpnessProbe(X, y, every=1)
    t.record_epoch(replace=True)
    assert "does not apply to adam" in ls.edge_note(t.history, t.optimizer, 0.01)
    t.probe = None
    t.record_epoch(replace=True)  # no sharpness measured: nothing to cite
    assert ls.edge_note(t.history, t.optimizer, 0.01) == ""


def test_the_probe_fills_the_history_column_at_its_rate():
    net = Network([2, 4, 1], seed=0)
    X, y = _data(32, 2, "sigmoid")
    t = Trainer(net, X, y, optimizer=SGD(0.5), batch_size=32)
    t.probe = ls.SharpnessProbe(X, y, every=3)
    for _ in range(6):
        t.step_epoch()
    col = t.history["sharpness"]
    assert np.isfinite(col).tolist() == [False, False, False, True, False, False, True]
    # the weights have not moved since epoch 6 was measured
    assert col[6] == pytest.approx(float(ls.sharpness(t.network, X, y)), rel=1e-5)
    assert t.probe.last.iterations >= 1


def test_a_session_keeps_the_sharpness_column(tmp_path):
    from scratchnet import data, presets, session
    from scratchnet.config import make_trainer

    cfg = presets.get("classic")
    cfg = cfg.replace(max_epochs=3)
    ds = data.build(cfg.data)
    t = make_trainer(cfg, ds)
    t.probe = ls.SharpnessProbe(*ls.sample(t.X_train, t.y_train)[:2], every=2)
    t.run(3)
    session.save(tmp_path / "s.scratchnet", t, cfg)
    loaded = session.load(tmp_path / "s.scratchnet")[0]
    np.testing.assert_array_equal(loaded.history["sharpness"], t.history["sharpness"])
    assert np.isfinite(loaded.history["sharpness"]).sum() == 1  # epoch 2 only


def test_momentum_divergence_cites_its_own_threshold():
    net = Network([2, 4, 1], seed=0)
    X, y = _data(64, 2, "sigmoid")
    t = Trainer(net, X, y, optimizer=Momentum(1e9, momentum=0.5), batch_size=64)
    t.probe = ls.SharpnessProbe(X, y, every=1)
    t.record_epoch(replace=True)
    with pytest.raises(DivergenceError, match=r"λmax .* had passed \(2\+2μ\)/lr = 3e-09"):
        t.step_epoch()
