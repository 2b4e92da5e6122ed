"""``backprop="article"`` as a training setting of the engine: the article's loop, its two
mistakes included, wherever it applies; refused with a message elsewhere."""

import numpy as np
import pytest

from scratchnet import data
from scratchnet.article import NeuralNetwork
from scratchnet.config import Config, make_trainer
from scratchnet.network import Network
from scratchnet.optimizers import SGD
from scratchnet.trainer import Trainer

ARTICLE = dict(hidden=[9, 6], activations=["sigmoid", "sigmoid"], batch_size=1, lr=0.5,
               backprop="article")


def _circles(n=120):
    return data.build(data.DataSpec("circles", n, 0.1, seed=3))


def test_the_engine_trains_as_scratchnet_article_does():
    ds = _circles()
    X, y = ds.X_train, ds.y_train
    nn = NeuralNetwork(2, 9, 6, 1, epochs=30, lr=0.5, backprop="article", seed=4)
    t = make_trainer(Config(ds.spec, seed=4, **ARTICLE), ds)
    for L, A in zip(t.network.layers, nn.layers):  # the same starting weights
        L.weights[...], L.biases[...] = A.weights, A.biases[:, 0]
    nn.fit(X, y)
    for _ in range(30):
        t.step_epoch()
    for L, A in zip(t.network.layers, nn.layers):
        for mine, theirs in ((L.weights, A.weights), (L.biases, A.biases[:, 0])):
            assert np.max(np.abs(mine - theirs)) <= 1e-12 * max(1.0, np.max(np.abs(theirs)))
    # and it is not the engine's own backprop: that run ends elsewhere
    exact = Trainer(Network([2, 9, 6, 1], seed=4), X, y, optimizer=SGD(0.5), batch_size=1,
                    seed=4)
    for L, A in zip(exact.network.layers, NeuralNetwork(2, 9, 6, 1, backprop="article",
                                                        seed=4).layers):
        L.weights[...], L.biases[...] = A.weights, A.biases[:, 0]
    for _ in range(30):
        exact.step_epoch()
    assert np.max(np.abs(exact.network.layers[0].weights - t.network.layers[0].weights)) > 1e-3


@pytest.mark.parametrize("change,need", [
    (dict(activations=["relu", "sigmoid"]), "all-sigmoid"),
    (dict(batch_size=10), "per-sample SGD"),
    (dict(optimizer="adam"), "per-sample SGD"),
    (dict(l2=0.01), "no L1 or L2"),
    (dict(schedule={"kind": "step"}), "constant learning rate"),
    (dict(backprop="sideways"), "backprop must be one of"),
])
def test_settings_the_articles_loop_cannot_train_are_refused(change, need):
    with pytest.raises(ValueError, match=need):
        Config(**{**ARTICLE, **change}).validate()


def test_a_trainer_refuses_it_where_the_network_does_not_fit():
    ds = data.build(data.DataSpec("spiral", 90, 0.1, classes=3))
    with pytest.raises(ValueError, match="all-sigmoid network with a sigmoid output"):
        make_trainer(Config(ds.spec, **{**ARTICLE, "hidden": [4], "activations": ["sigmoid"]}),
                     ds)  # three classes: a softmax output


def test_the_kernel_and_the_stepper_leave_it_alone():
    from scratchnet import kernel

    t = make_trainer(Config(_circles().spec, **ARTICLE), _circles())
    assert not kernel.fits(t)
    with pytest.raises(ValueError, match="stepper shows the correct backprop"):
        t.step_sample()


def test_sessions_keep_it():
    cfg = Config(_circles().spec, **ARTICLE)
    assert Config.from_dict(cfg.to_dict()).training.backprop == "article"
    old = cfg.to_dict()
    del old["backprop"]  # a session written before the setting existed
    assert Config.from_dict(old).training.backprop == "correct"
