"""``Trainer``'s single-sample steps (what the stepper walks), split out of ``trainer.py``.

``SampleSteps`` is a mixin: every method works on a ``Trainer``'s attributes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from .network import Trace


@dataclass(frozen=True)
class SampleStep:
    """One single-sample step: which sample, its trace, and the parameter updates."""

    index: int
    trace: Trace
    updates: list
    lr: float
    epoch_completed: bool = False


class SampleSteps:
    """One sample at a time for ``Trainer`` (see there): preview, then step."""

    def next_sample(self) -> int:
        """Index (into the train set) of the next sample in the shuffled order."""
        return int(self.order[self.cursor])

    def preview_sample(self, index: int | None = None) -> SampleStep:
        """The trace and the updates a single-sample step would make, changing nothing."""
        i = self.next_sample() if index is None else int(index)
        if not 0 <= i < self.n_train:
            raise ValueError(f"sample {i} is not in the training set (0..{self.n_train - 1})")
        tr = self.network.trace(self.X_train[i], self.y_train[i])
        if self.l1 or self.l2:  # the trace shows the data gradient; the step adds the penalty
            grads = self.network.gradients(self.X_train[i:i + 1], self.y_train[i:i + 1],
                                           self.l1, self.l2)
        else:
            grads = [(L.dW, L.db) for L in tr.layers]
        updates, _ = self.optimizer.propose([g for p in grads for g in p], self.epoch)
        return SampleStep(i, tr, updates, self.optimizer.lr_at(self.epoch))

    def step_sample(self, index: int | None = None) -> SampleStep:
        """One SGD step (batch size 1) on one sample.

        With ``index=None`` it takes the next sample of the shuffled order and moves the
        cursor on (completing the epoch after the last sample). A chosen ``index`` is
        trained on out of order and does not move the cursor; it still counts in
        ``samples_seen``.
        """
        step = self.preview_sample(index)
        t0 = time.perf_counter()
        i = step.index
        self._apply(slice(i, i + 1), f"sample {i}")
        self.seconds += time.perf_counter() - t0
        done = self._advance(1) if index is None else False
        return SampleStep(i, step.trace, step.updates, step.lr, done)
