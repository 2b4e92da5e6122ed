"""``Trainer``'s checkpoints and edits (architecture, data), split out of ``trainer.py``.

``TrainerEdits`` is a mixin: every method works on a ``Trainer``'s attributes.
"""

from __future__ import annotations

import numpy as np

from .history import History
from .timeline import DEFAULT_BUDGET, Frame, Timeline


class TrainerEdits:
    """Checkpoints, architecture edits and new data for ``Trainer`` (see there)."""

    # --- checkpoints --------------------------------------------------------------------
    def checkpoint(self) -> dict:
        """Copies of everything training changes: weights, optimizer state, cursor, order,
        counters, RNG and history length. ``restore`` puts them back to the bit."""
        opt = self.optimizer
        return {"params": [p.copy() for p in self.network.parameters()],
                "opt_state": {k: [a.copy() for a in v] for k, v in opt.state.items()},
                "opt_t": opt.t, "epoch": self.epoch, "cursor": self.cursor,
                "order": self.order.copy(), "samples_seen": self.samples_seen,
                "seconds": self.seconds, "rng": self.rng.bit_generator.state,
                "rng_at_epoch": self.rng_at_epoch, "history": len(self.history)}

    def restore(self, cp: dict) -> None:
        """Return to a ``checkpoint`` taken on this trainer with the same architecture."""
        for p, saved in zip(self.network.parameters(), cp["params"]):
            p[...] = saved
        self.optimizer.state = {k: [a.copy() for a in v] for k, v in cp["opt_state"].items()}
        self.optimizer.t = cp["opt_t"]
        self.epoch, self.cursor = cp["epoch"], cp["cursor"]
        self.order = cp["order"].copy()
        self.samples_seen, self.seconds = cp["samples_seen"], cp["seconds"]
        self.rng.bit_generator.state = cp["rng"]
        self.rng_at_epoch = cp["rng_at_epoch"]
        while len(self.history) > cp["history"]:
            self.history.pop()
        if self.timeline is not None:
            self.timeline.truncate(self.epoch)
        self._norm = None  # the divergence guard's running bound belongs to other weights

    # --- the timeline -------------------------------------------------------------------
    def keep_timeline(self, budget: int = DEFAULT_BUDGET) -> None:
        """Keep a ``Timeline`` of this trainer's epochs from now on (from this epoch, if
        it is at an epoch's start)."""
        self.timeline = Timeline(budget)
        if self.cursor == 0:
            self.timeline.record(self)

    def branch(self, epoch: int) -> Frame:
        """Make the timeline's frame at (or nearest before) ``epoch`` the live state.

        Weights, architecture, optimizer and its state, batch size, penalties, counters
        and the shuffling RNG all return, so training on is bit-identical to a run that
        was stopped at that epoch. Later history rows and frames are dropped; the epoch
        is pinned (thinning keeps it). Returns the frame.
        """
        f = None if self.timeline is None else self.timeline.at(epoch)
        if f is None:
            raise ValueError(f"epoch {epoch} is not on the timeline")
        self.network = f.network.copy()
        self.optimizer = f.optimizer.copy()
        self.batch_size, self.l1, self.l2, self.target_auc, self.target_on = f.settings
        self.epoch, self.cursor = f.epoch, 0
        self.samples_seen, self.seconds, self.tag = f.samples_seen, f.seconds, f.tag
        self.rng.bit_generator.state = self.rng_at_epoch = f.rng
        self.order = self.rng.permutation(self.n_train)
        while len(self.history) > f.history:
            self.history.pop()
        self.timeline.truncate(f.epoch)
        self.timeline.pin(f.epoch)
        self._norm = None
        return f

    # --- edits --------------------------------------------------------------------------
    def resize(self, sizes, activations=None) -> None:
        """Change the architecture (see ``Network.resize``), resizing optimizer state too.

        On ``ValueError`` nothing changes.
        """
        old = [p.shape for p in self.network.parameters()]
        if list(sizes)[0] != self.X_train.shape[1]:
            raise ValueError(f"the input layer must have {self.X_train.shape[1]} units, one "
                             f"per input feature, not {list(sizes)[0]}")
        if list(sizes)[-1] != self.network.sizes[-1]:  # the targets fix the output width
            raise ValueError(f"the output layer must keep its {self.network.sizes[-1]} "
                             f"unit(s), not {list(sizes)[-1]}")
        carried = self.network.resize(sizes, activations)
        self._norm = None
        keep = [old[2 * i + k] if c and 2 * i + k < len(old) else None
                for i, c in enumerate(carried) for k in (0, 1)]
        self.optimizer.resize(keep, [p.shape for p in self.network.parameters()])

    def set_data(self, X_train, y_train, X_test=None, y_test=None) -> None:
        """Train on new data from here on: the history restarts at epoch 0 and the
        network's input layer follows the new width, keeping every other weight."""
        X_train = np.asarray(X_train, dtype=np.float64)
        if X_train.shape[1] != self.network.sizes[0]:
            carried = self.network.resize([X_train.shape[1], *self.network.sizes[1:]])
            self.optimizer.resize([None] * 2 * len(carried),
                                  [p.shape for p in self.network.parameters()])
        self.X_train, self.y_train = X_train, np.asarray(y_train, dtype=np.float64)
        self.X_test = None if X_test is None else np.asarray(X_test, dtype=np.float64)
        self.y_test = None if y_test is None else np.asarray(y_test, dtype=np.float64)
        self._Y_train = self.network._targets(self.y_train, len(self.y_train))
        self.epoch, self.cursor, self.samples_seen, self.seconds = 0, 0, 0, 0.0
        self._norm = None
        self.rng_at_epoch = self.rng.bit_generator.state
        self.order = self.rng.permutation(self.n_train)
        self.history = History(keys=self.task.history_keys)
        if self.timeline is not None:  # a past on other data cannot be resumed on these
            self.timeline = Timeline(self.timeline.budget)
        self.record_epoch()
