"""Issue 24 (round 3): the article API refuses what it cannot do, before it works, in
its own words."""

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from scratchnet.article import NeuralNetwork


def _close_windows():
    for w in QApplication.topLevelWidgets():
        w.close()


@pytest.mark.parametrize("call", [
    lambda nn, X, y: nn.plot_scores(), lambda nn, X, y: nn.graph(),
    lambda nn, X, y: nn.graph(X), lambda nn, X, y: nn.plot_errors(X, y),
    lambda nn, X, y: nn.show(X, y)])
def test_a_window_on_the_offscreen_platform_is_refused_not_waited_on(qapp, call):
    assert QApplication.platformName() == "offscreen"  # as the README tells headless users
    nn = NeuralNetwork(2, 3, 1)
    X = np.random.default_rng(0).normal(size=(20, 2))
    y = (X[:, 0] > 0).astype(float)
    guard = QTimer()  # a window that waits for ever (as before) returns, and fails below
    guard.setSingleShot(True)
    guard.timeout.connect(_close_windows)
    guard.start(20_000)
    try:
        with pytest.raises(RuntimeError, match=r"'offscreen' platform, where a window is "
                                               r"never shown nor closed; pass path='plot.png'"):
            call(nn, X, y)
    finally:
        guard.stop()  # it must not close a later test's windows


def _data(n=150):
    X = np.random.default_rng(1).normal(size=(n, 2))
    return X, (X[:, 0] > 0).astype(float)


@pytest.mark.parametrize("call,message", [
    (lambda nn, X, y: nn.predict(X[:4, [0, 1, 0]]),
     r"X has shape \(4, 3\); this network takes 2 input\(s\): rows of 2 value\(s\)"),
    (lambda nn, X, y: nn.predict(X[:4, :1]), r"X has shape \(4, 1\); this network takes 2"),
    (lambda nn, X, y: nn.fit(X[:, [0, 1, 0]], y), r"X has shape \(150, 3\)"),
    (lambda nn, X, y: nn.fit(X, y[:145]), r"y has 145 label\(s\) \(shape \(145,\)\) for 150 row"),
    (lambda nn, X, y: nn.fit(X, y + 1),
     r"y must hold labels 0 and 1 \(the network's two classes\), not 2; map your classes"),
    (lambda nn, X, y: nn.score(X, y + 1, verbose=False), r"y must hold labels 0 and 1"),
    (lambda nn, X, y: nn.fit(np.where(np.arange(150)[:, None] == 7, np.nan, X), y),
     r"X holds a NaN or infinite value \(row 7\)"),
    (lambda nn, X, y: NeuralNetwork(2, 3, 1, epochs=-1), r"epochs must be ≥ 0, not -1"),
    (lambda nn, X, y: NeuralNetwork(2, 3, 1, lr=0), r"lr must be > 0"),
    (lambda nn, X, y: nn.fit(X, y, target=2), r"target must be ≤ 1"),
    (lambda nn, X, y: nn.graph(path="g.png", size=(0, 0)),
     r"size must be \(width, height\), whole numbers of pixels from 16 to 20,000, not \(0, 0\)"),
    (lambda nn, X, y: nn.forward(X[0, :1]), r"x has 1 value\(s\); this network takes 2"),
])
def test_the_article_api_says_what_is_wrong_in_its_own_words(qapp, tmp_path, monkeypatch,
                                                             call, message):
    monkeypatch.chdir(tmp_path)
    nn = NeuralNetwork(2, 3, 1, epochs=2)
    X, y = _data()
    with pytest.raises(ValueError, match=message):
        call(nn, X, y)
    assert not (tmp_path / "g.png").exists()
