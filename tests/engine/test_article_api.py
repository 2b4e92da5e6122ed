"""The article's own code, run on ``scratchnet.article`` (issue 10)."""

import numpy as np
import pytest
from sklearn.datasets import make_circles
from sklearn.model_selection import train_test_split

from scratchnet import article, gradcheck
from scratchnet.article import Layer, NeuralNetwork
from scratchnet.presets import BLOBS_SEED

PLOTS = ("graph", "plot_errors", "plot_scores")


@pytest.fixture
def no_windows(monkeypatch):
    """The listings' plot calls, recorded instead of opened (tests/gui draws them)."""
    calls = []
    for name in PLOTS:
        monkeypatch.setattr(NeuralNetwork, name,
                            lambda self, *a, _n=name, **k: calls.append(_n))
    return calls


# --- the article's listings: only the import lines differ from the article --------------
def blobs_listing(seed):
    from sklearn.datasets import make_blobs
    from sklearn.model_selection import train_test_split

    from scratchnet.article import NeuralNetwork

    X, y = make_blobs(n_samples=1000, centers=2, cluster_std=3.0, random_state=BLOBS_SEED)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=seed)
    nn = NeuralNetwork(2, 3, 1, epochs=100)
    nn.graph()
    nn.fit(X_train, y_train, target=0.99)
    nn.plot_errors(X_test, y_test)
    nn.plot_scores()
    return nn, nn.score(X_test, y_test)


def circles_listing(seed, *shape, epochs, target=None):
    from sklearn.datasets import make_circles
    from sklearn.model_selection import train_test_split

    from scratchnet.article import NeuralNetwork

    X, y = make_circles(n_samples=1000, factor=0.1, noise=0.1, random_state=seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=seed)
    nn = NeuralNetwork(*shape, epochs=epochs)
    nn.graph()
    nn.fit(X_train, y_train, target=target)
    nn.plot_errors(X_test, y_test)
    nn.plot_scores()
    return nn, nn.score(X_test, y_test)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_blobs_2_3_1_reaches_the_articles_target_on_test(seed, no_windows):
    nn, test_auc = blobs_listing(seed)
    assert test_auc >= 0.99
    assert nn.scores[-1] >= 0.99 and len(nn.scores) <= 3  # stopped by the train target
    assert no_windows == list(PLOTS)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_circles_2_9_6_1_reaches_the_articles_target_on_test(seed, no_windows):
    nn, test_auc = circles_listing(seed, 2, 9, 6, 1, epochs=500, target=0.975)
    assert test_auc >= 0.975
    assert nn.scores[-1] >= 0.975 and len(nn.scores) <= 3
    assert all(s < 0.975 for s in nn.scores[:-1])  # it stopped at the first that met it


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_circles_without_hidden_layer_stays_at_chance(seed, no_windows):
    nn, test_auc = circles_listing(seed, 2, 1, epochs=20)
    assert abs(test_auc - 0.5) <= 0.1
    assert len(nn.scores) == 20


def test_fit_scores_are_the_train_auc_before_each_epoch():
    X, y = make_circles(400, factor=0.1, noise=0.1, random_state=0)
    nn = NeuralNetwork(2, 9, 6, 1, epochs=3)
    first = nn.score(X, y, verbose=False)
    nn.fit(X, y)
    assert len(nn.scores) == 3 and nn.scores[0] == first
    assert nn.scores[1:] == nn.trainer.history["train_auc"][1:3].tolist()


def test_score_prints_the_auc(capsys):
    X, y = make_circles(200, factor=0.1, noise=0.1, random_state=0)
    auc = NeuralNetwork(2, 3, 1).score(X, y)
    assert capsys.readouterr().out == f"AUC: {auc:.4f}\n"


# --- layers are the engine's arrays -----------------------------------------------------
def test_layer_has_the_articles_shapes():
    L = Layer(3, 5)
    assert L.weights.shape == (5, 3) and L.biases.shape == (5, 1) and L.shape == (5, 3)
    x = np.ones((3, 1))
    assert L.forward(x).shape == (5, 1)
    with pytest.raises(ValueError, match=r"shape \(5, 1\)"):
        L.biases = np.zeros(5)


def test_layers_show_the_engine_weights_through_training():
    X, y = make_circles(200, factor=0.1, noise=0.1, random_state=0)
    nn = NeuralNetwork(2, 9, 6, 1, epochs=2)
    engine = nn.network.layers
    nn.fit(X, y)  # the trainer updates in place: the views must follow
    for L, D in zip(nn.layers, engine):
        assert L.weights is D.weights
        assert np.shares_memory(L.biases, D.biases)
        np.testing.assert_array_equal(L.biases[:, 0], D.biases)
    nn.layers[1].biases[2, 0] = 7.0
    nn.layers[0].weights = np.full((9, 2), 0.5)
    assert engine[1].biases[2] == 7.0 and np.all(engine[0].weights == 0.5)
    np.testing.assert_array_equal(nn.predict(X), nn.network.forward(X)[:, 0])
    np.testing.assert_array_equal(nn.forward(X[0]), nn.network.forward(X[:1]).T)


def test_both_modes_start_from_the_same_weights():
    a, b = NeuralNetwork(2, 9, 6, 1, seed=3), NeuralNetwork(2, 9, 6, 1, seed=3, backprop="article")
    assert b.network is None
    for p, q in zip(a.layers, b.layers):
        np.testing.assert_array_equal(p.weights, q.weights)
        np.testing.assert_array_equal(p.biases, q.biases)


# --- the article's backprop, and the gradient check that exposes it ---------------------
def test_article_step_without_its_mistakes_is_one_engine_step():
    X, y = make_circles(50, factor=0.1, noise=0.1, random_state=0)
    nn = NeuralNetwork(2, 9, 6, 1, seed=1)
    params = [[L.weights.copy(), L.biases.copy()] for L in nn.layers]
    grads = article.article_step(params, X[0], y[0], 0.5, wrap=False, updated=False)
    trace = nn.network.trace(X[0], y[0])
    for (dW, db), (W, b), L, t in zip(grads, params, nn.layers, trace.layers):
        np.testing.assert_allclose(dW, t.dW, rtol=0, atol=1e-15)
        np.testing.assert_allclose(db[:, 0], t.db, rtol=0, atol=1e-15)
        np.testing.assert_allclose(W, L.weights - 0.5 * t.dW, rtol=0, atol=1e-15)


@pytest.mark.parametrize("wrap, updated", [(True, False), (False, True)])
def test_each_article_mistake_changes_the_step(wrap, updated):
    X, y = make_circles(50, factor=0.1, noise=0.1, random_state=0)
    nn = NeuralNetwork(2, 9, 6, 1, seed=1)
    exact = nn.network.trace(X[0], y[0]).layers
    params = [[L.weights.copy(), L.biases.copy()] for L in nn.layers]
    grads = article.article_step(params, X[0], y[0], 0.5, wrap=wrap, updated=updated)
    wrong = [i for i, ((dW, _), t) in enumerate(zip(grads, exact)) if not np.allclose(dW, t.dW)]
    # wrap spoils layer 0 only; updated weights spoil every layer below the last
    assert wrong == ([0] if wrap else [0, 1])


def test_gradient_check_passes_for_correct_and_fails_for_the_article():
    X, y = make_circles(40, factor=0.1, noise=0.1, random_state=0)
    correct = NeuralNetwork(2, 9, 6, 1, seed=2)
    replay = NeuralNetwork(2, 9, 6, 1, seed=2, backprop="article")
    assert correct.gradcheck(X, y) <= 1e-7
    assert replay.gradcheck(X, y) >= 0.1
    # the check's numbers are scratchnet.gradcheck's, on the same loss
    assert correct.loss(X, y) == pytest.approx(replay.loss(X, y), rel=1e-12)
    assert correct.gradcheck(X, y) == pytest.approx(gradcheck(correct.network, X, y), rel=1e-6)


def test_article_mode_trains_without_a_network():
    X, y = make_circles(200, factor=0.1, noise=0.1, random_state=0)
    nn = NeuralNetwork(2, 3, 1, epochs=2, backprop="article")
    before = [L.weights.copy() for L in nn.layers]
    nn.fit(X, y)
    assert nn.network is None and len(nn.scores) == 2
    assert all(not np.array_equal(b, L.weights) for b, L in zip(before, nn.layers))
    # the wrapped (1, 1) input moves every column of layer 0 by the same amount
    d = nn.layers[0].weights - before[0]
    np.testing.assert_allclose(d[:, 0], d[:, 1], rtol=1e-12, atol=1e-15)


def test_bad_arguments_say_what_is_wrong():
    with pytest.raises(ValueError, match="backprop"):
        NeuralNetwork(2, 1, backprop="fast")
    with pytest.raises(ValueError, match="output"):
        NeuralNetwork(2, 3, 4, backprop="article")
