"""Edits of a live ``Trainer`` that reach past its settings: a new architecture and new
data (``Trainer.resize``, ``Trainer.set_data``)."""

from __future__ import annotations

import numpy as np

from .history import History
from .timeline import Timeline


def resize(t, sizes, activations=None) -> None:
    """Change the architecture (see ``Network.resize``), resizing optimizer state too.

    On ``ValueError`` nothing changes.
    """
    old = [p.shape for p in t.network.parameters()]
    if list(sizes)[0] != t.X_train.shape[1]:
        raise ValueError(f"the input layer must have {t.X_train.shape[1]} units, one "
                         f"per input feature, not {list(sizes)[0]}")
    if list(sizes)[-1] != t.network.sizes[-1]:  # the targets fix the output width
        raise ValueError(f"the output layer must keep its {t.network.sizes[-1]} "
                         f"unit(s), not {list(sizes)[-1]}")
    carried = t.network.resize(sizes, activations)
    t.guard.reset()
    keep = [old[2 * i + k] if c and 2 * i + k < len(old) else None
            for i, c in enumerate(carried) for k in (0, 1)]
    t.optimizer.resize(keep, [p.shape for p in t.network.parameters()])


def set_data(t, X_train, y_train, X_test=None, y_test=None) -> None:
    """Train on new data from here on: the history restarts at epoch 0 and the
    network's input layer follows the new width, keeping every other weight."""
    X_train = np.asarray(X_train, dtype=np.float64)
    if X_train.shape[1] != t.network.sizes[0]:
        carried = t.network.resize([X_train.shape[1], *t.network.sizes[1:]])
        t.optimizer.resize([None] * 2 * len(carried),
                              [p.shape for p in t.network.parameters()])
    t.X_train, t.y_train = X_train, np.asarray(y_train, dtype=np.float64)
    t.X_test = None if X_test is None else np.asarray(X_test, dtype=np.float64)
    t.y_test = None if y_test is None else np.asarray(y_test, dtype=np.float64)
    t._Y_train = t.network._targets(t.y_train, len(t.y_train))
    t.epoch, t.cursor, t.samples_seen, t.seconds = 0, 0, 0, 0.0
    t.guard.reset()
    t.rng_at_epoch = t.rng.bit_generator.state
    t.order = t.rng.permutation(t.n_train)
    t.history = History(keys=t.task.history_keys)
    if t.timeline is not None:  # a past on other data cannot be resumed on these
        t.timeline = Timeline(t.timeline.budget)
    t.record_epoch()
