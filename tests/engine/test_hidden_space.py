"""The hidden space against independent computations: ``Network.trace`` for the
activations, scikit-learn's PCA for the axes."""

import numpy as np
import pytest
from sklearn.decomposition import PCA

from scratchnet import Network, hidden_space


def _plane(n=100):
    gx, gy = np.meshgrid(np.linspace(-1.5, 1.5, n), np.linspace(-1.2, 1.2, n))
    return np.column_stack([gx.ravel(), gy.ravel()])


def _points(n=300, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 2)), (rng.random(n) > 0.5).astype(float)


def test_a_width_two_layer_is_drawn_on_its_units_as_trace_gives_them():
    net = Network([2, 5, 2, 1], activation="tanh", seed=1)
    X, y = _points()
    hs = hidden_space.compute(net, X, y, _plane())
    assert (hs.layer, hs.width, hs.axes) == (2, 2, "units")
    for i in (0, 17, 299):
        np.testing.assert_allclose(hs.points[i], net.trace(X[i], y[i]).layers[1].a, rtol=1e-14)
    w1, w2, b = hs.decision  # the output's logit is linear in this layer
    z = w1 * hs.points[:, 0] + w2 * hs.points[:, 1] + b
    np.testing.assert_array_equal(z > 0, hs.out > 0.5)


def test_a_wider_layer_is_drawn_on_the_principal_axes_as_sklearn_finds_them():
    net = Network([2, 9, 6, 1], activation="sigmoid", seed=0)
    X, y = _points()
    hs = hidden_space.compute(net, X, y, _plane(), layer=1)
    assert (hs.layer, hs.width, hs.axes) == (1, 9, "pca")
    A = np.array([net.trace(x, t).layers[0].a for x, t in zip(X, y)])
    pca = PCA(2).fit(A)
    signs = np.sign(np.sum(pca.components_ * hs.components, axis=1))
    np.testing.assert_allclose(hs.components, pca.components_ * signs[:, None], atol=1e-10)
    np.testing.assert_allclose(hs.points, pca.transform(A) * signs, atol=1e-10)
    shares = [float(s.split("(")[1].split("%")[0]) for s in hs.labels]
    np.testing.assert_allclose(shares, 100 * pca.explained_variance_ratio_, atol=0.5)
    assert "principal axes" in hs.note


def test_the_axes_keep_their_signs_from_frame_to_frame():
    net = Network([2, 9, 6, 1], activation="tanh", seed=3)
    X, y = _points()
    first = hidden_space.compute(net, X, y, _plane())
    rng = np.random.default_rng(5)
    for _ in range(10):  # small steps, as training makes them
        for L in net.layers:
            L.weights += 0.02 * rng.normal(size=L.weights.shape)
        nxt = hidden_space.compute(net, X, y, _plane(), previous=first)
        assert np.all(np.sum(nxt.components * first.components, axis=1) > 0)
        first = nxt
    # without a previous frame, the sign rule alone may flip an axis; with it, never
    flipped = -first.components
    again = hidden_space.compute(net, X, y, _plane(), previous=hidden_space.HiddenSpace(
        first.layer, first.width, "pca", first.labels, first.points, first.y, first.out,
        first.lines, components=flipped))
    np.testing.assert_allclose(again.components, flipped, atol=1e-12)


def test_grid_lines_are_the_plane_mapped_through_the_layers():
    net = Network([2, 4, 2, 1], activation="tanh", seed=2)
    plane = _plane()
    hs = hidden_space.compute(net, *_points(), plane, layer=2)
    segments = np.split(hs.lines, np.flatnonzero(np.isnan(hs.lines[:, 0])))
    assert len(segments) == 2 * hidden_space.GRID_LINES
    first_row = plane.reshape(100, 100, 2)[0]
    want = hidden_space.activations_at(net, first_row, 2)
    np.testing.assert_allclose(segments[0], want)


def test_no_hidden_layer_has_no_hidden_space():
    assert hidden_space.compute(Network([2, 1]), *_points(), _plane()) is None


@pytest.mark.parametrize("layer", [0, 5])
def test_a_layer_out_of_range_is_held_to_the_hidden_layers(layer):
    net = Network([2, 3, 4, 1], seed=0)
    hs = hidden_space.compute(net, *_points(50), _plane(), layer=layer)
    assert hs.layer == (1 if layer == 0 else 2)
