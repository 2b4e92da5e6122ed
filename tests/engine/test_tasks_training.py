"""Training by task: scores against scikit-learn, history columns, the target rule."""

import numpy as np
import pytest
from sklearn.metrics import (accuracy_score, confusion_matrix, mean_squared_error, r2_score,
                             roc_auc_score)

from scratchnet import Network, Trainer, data, diagnostics, metrics, tasks
from scratchnet.config import Config, make_trainer
from scratchnet.history import HISTORY_KEYS, LANDSCAPE_KEYS, REGRESSION_KEYS


def _trained(spec, epochs=5, **kw):
    cfg = Config(spec, **{"hidden": [6], "activations": ["tanh"], "optimizer": "adam",
                          "lr": 0.01, **kw})
    t = make_trainer(cfg, data.build(spec))
    t.run(epochs)
    return t


@pytest.fixture(scope="module")
def blobs4():
    return _trained(data.DataSpec("blobs", 400, 3.0, seed=4, classes=4))


@pytest.fixture(scope="module")
def gauss():
    return _trained(data.DataSpec("reg-gauss", 400, 0.1, seed=4))


def test_multiclass_scores_match_scikit_learn(blobs4):
    t = blobs4
    for part, X, y in (("train", t.X_train, t.y_train), ("test", t.X_test, t.y_test)):
        P = t.network.forward(X)
        assert t.history.last(f"{part}_auc") == pytest.approx(
            roc_auc_score(y, P, multi_class="ovr", average="macro"), rel=1e-12)
        assert t.history.last(f"{part}_acc") == accuracy_score(y, P.argmax(axis=1))
        np.testing.assert_array_equal(metrics.confusion(y, P),
                                      confusion_matrix(y, P.argmax(axis=1)))
    assert 0.5 < t.history.last("test_auc") < 1.0  # not a trivial score


def test_macro_auc_weighs_every_class_alike():
    rng = np.random.default_rng(5)
    y = np.repeat([0.0, 1, 2], [150, 40, 10])  # unbalanced: weighted ≠ macro
    P = rng.dirichlet([1, 1, 1], 200)
    P[np.arange(200), y.astype(int)] += rng.uniform(0, 1, 200)
    P /= P.sum(1, keepdims=True)
    auc, acc = metrics.multiclass_auc_and_accuracy(y, P)
    assert auc == pytest.approx(roc_auc_score(y, P, multi_class="ovr", average="macro"),
                                rel=1e-12)
    assert acc == accuracy_score(y, P.argmax(1))
    assert np.isnan(metrics.multiclass_auc_and_accuracy(y[y < 2], P[y < 2])[0])  # class 2 absent


def test_regression_scores_match_scikit_learn_in_the_targets_units(gauss):
    t = gauss
    assert (t.network.target_mean, t.network.target_std) == tasks.target_scale(t.y_train)
    for part, X, y in (("train", t.X_train, t.y_train), ("test", t.X_test, t.y_test)):
        pred = t.network.forward(X)[:, 0]
        assert t.history.last(f"{part}_r2") == pytest.approx(r2_score(y, pred), rel=1e-12)
        assert t.history.last(f"{part}_mse") == pytest.approx(mean_squared_error(y, pred),
                                                              rel=1e-12)
    # the loss is half the MSE of the standardised targets
    assert t.history.last("train_loss") == pytest.approx(
        t.history.last("train_mse") / t.network.target_std ** 2 / 2, rel=1e-12)
    assert np.isnan(t.history.last("test_auc")) and np.isnan(t.history.last("test_acc"))


def test_history_columns_per_task(blobs4, gauss):
    binary = _trained(data.DataSpec("moons", 100), epochs=1)
    base = lambda t: tuple(k for k in t.history.rows if not diagnostics.is_key(k))  # noqa: E731
    assert base(binary) == HISTORY_KEYS + LANDSCAPE_KEYS  # as before, + λmax, + diagnostics
    assert base(blobs4) == HISTORY_KEYS + LANDSCAPE_KEYS
    assert base(gauss) == HISTORY_KEYS + REGRESSION_KEYS + LANDSCAPE_KEYS
    for t in (binary, blobs4, gauss):
        extra = tuple(k for k in t.history.rows if diagnostics.is_key(k))
        assert extra == diagnostics.history_keys(len(t.network.layers))
    assert len(gauss.history["test_r2"]) == 6


def test_the_target_rule_reads_auc_for_classes_and_r2_for_regression():
    spec = data.DataSpec("reg-plane", 400, 0.1, seed=1)
    t = make_trainer(Config(spec, hidden=[4], activations=["tanh"], optimizer="adam", lr=0.05,
                            target_auc=0.9, target_on="test"), data.build(spec))
    assert t.task.metric == "r2" and t.run(200) == "target"
    assert t.history["test_r2"][-1] >= 0.9 > t.history["test_r2"][-2]
    c = _trained(data.DataSpec("spiral", 300, 0.1, classes=3), epochs=0, target_auc=0.8,
                 target_on="train", lr=0.05)
    assert c.task.metric == "auc" and c.run(300) == "target"
    assert c.history["train_auc"][-1] >= 0.8 > c.history["train_auc"][-2]


def test_tasks_follow_the_network_and_give_probabilities():
    X = np.random.default_rng(0).normal(size=(5, 2))
    binary = Network([2, 3, 1], seed=0)
    P = tasks.probabilities(binary, X)
    np.testing.assert_array_equal(P[:, 1], binary.forward(X)[:, 0])
    np.testing.assert_allclose(P.sum(1), 1.0)
    assert tasks.predict(binary, X).tolist() == (P[:, 1] >= 0.5).tolist()
    soft = Network([2, 3, 4], output="softmax", seed=0)
    assert tasks.Task.of_network(soft) == tasks.Task.classification(4)
    assert tasks.predict(soft, X).tolist() == soft.forward(X).argmax(1).tolist()
    reg = Network([2, 3, 1], output="linear", seed=0, target_mean=5.0, target_std=2.0)
    assert tasks.Task.of_network(reg).kind == "regression"
    np.testing.assert_array_equal(tasks.predict(reg, X), reg.forward(X)[:, 0])
    with pytest.raises(ValueError, match="need a classifier"):
        tasks.probabilities(reg, X)


def test_the_output_width_is_fixed_by_the_classes(blobs4):
    with pytest.raises(ValueError, match="output layer must keep its 4 unit"):
        blobs4.resize([2, 5, 3])
    with pytest.raises(ValueError, match="class labels must be whole numbers from 0 to 2"):
        Trainer(Network([2, 3, 3], output="softmax"), np.zeros((4, 2)), [0, 1, 2, 3])
