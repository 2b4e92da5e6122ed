"""The command line's landscape: the sharpness measured into the history while it
trains, and at the end the Landscape view's frame and ``sharpness.csv`` (``--out``)."""

from __future__ import annotations

import math
import os

from scratchnet import landscape as ls

MAX_MEASURED = 200  # epochs measured at most: every k-th epoch of a longer run


class PathProbe(ls.SharpnessProbe):
    """A probe that also keeps the weights of each epoch it measures: the path the
    landscape is drawn with (the command line keeps no timeline)."""

    def __init__(self, X, y, every):
        super().__init__(X, y, every=every)
        self.weights, self.epochs = [], []

    def __call__(self, trainer) -> float:
        value = super().__call__(trainer)
        if self.due(trainer):
            self.weights.append(ls.weights_of(trainer.network))
            self.epochs.append(float(trainer.epoch))
        return value


def measure(trainer, epochs: int) -> None:
    """Give ``trainer`` a probe that measures λmax every ``ceil(epochs / 200)`` epochs
    (the same epochs every run: the command line's output is reproducible), and keeps
    the weights there for the landscape's path. The weights trained from are its
    first point."""
    X, y, _ = ls.sample(trainer.X_train, trainer.y_train)
    probe = PathProbe(X, y, every=max(1, math.ceil(epochs / MAX_MEASURED)))
    probe.weights.append(ls.weights_of(trainer.network))
    probe.epochs.append(float(trainer.epoch))
    trainer.probe = probe


def frame(trainer):
    """The Landscape view's frame of the trained network (the path's PCA axes)."""
    import numpy as np

    from ..process.landscape import compute

    probe = trainer.probe
    weights, epochs = list(probe.weights), list(probe.epochs)
    if not epochs or epochs[-1] != trainer.epoch:
        weights.append(ls.weights_of(trainer.network))
        epochs.append(float(trainer.epoch))
    return compute(trainer, "pca", 0, 1, probe=probe, path=(weights, np.array(epochs)))


def write_sharpness(snap, folder) -> str:
    """``sharpness.csv`` in ``folder``: λmax per measured epoch with the threshold."""
    from . import export

    path = os.path.join(folder, "sharpness.csv")
    export.write_csv(snap, "sharpness", path)
    return path
