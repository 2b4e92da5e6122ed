"""One sample at a time (what the stepper walks): a part each ``Trainer`` holds as
``trainer.samples``."""

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
    """One sample at a time for a ``Trainer``: ``preview``, then ``step``.

    Parameters
    ----------
    trainer : Trainer
        The trainer it steps (through its optimizer step, ``Trainer.train_rows``).
    """

    def __init__(self, trainer):
        self.trainer = trainer

    def next_index(self) -> int:
        """Index (into the train set) of the next sample in the shuffled order."""
        t = self.trainer
        return int(t.order[t.cursor])

    def preview(self, index: int | None = None) -> SampleStep:
        """The trace and the updates a single-sample step would make, changing nothing."""
        t = self.trainer
        if t.backprop != "correct":  # its trace would show numbers the step does not use
            raise ValueError("the stepper shows the correct backprop; this run trains with "
                             "the article's (its mistakes are in scratchnet.article's "
                             "gradcheck)")
        i = self.next_index() if index is None else int(index)
        if not 0 <= i < t.n_train:
            raise ValueError(f"sample {i} is not in the training set (0..{t.n_train - 1})")
        tr = t.network.trace(t.X_train[i], t.y_train[i])
        if t.l1 or t.l2:  # the trace shows the data gradient; the step adds the penalty
            grads = t.network.gradients(t.X_train[i:i + 1], t.y_train[i:i + 1], t.l1, t.l2)
        else:
            grads = [(L.dW, L.db) for L in tr.layers]
        updates, _ = t.optimizer.propose([g for p in grads for g in p], t.epoch)
        return SampleStep(i, tr, updates, t.optimizer.lr_at(t.epoch))

    def step(self, index: int | None = None) -> SampleStep:
        """One SGD step (batch size 1) on one sample.

        With ``index=None`` it takes the next sample of the shuffled order and moves the
        cursor on (completing the epoch after the last sample). A chosen ``index`` is
        trained on out of order and does not move the cursor; it still counts in
        ``samples_seen``.
        """
        step = self.preview(index)
        i = step.index
        done = self.trainer.train_rows(slice(i, i + 1), f"sample {i}", advance=index is None)
        return SampleStep(i, step.trace, step.updates, step.lr, done)
