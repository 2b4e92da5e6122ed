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
    QTimer.singleShot(20_000, _close_windows)  # today's hang returns, and fails below
    with pytest.raises(RuntimeError, match=r"'offscreen' platform, where a window is never "
                                           r"shown nor closed; pass path='plot.png'"):
        call(nn, X, y)
