"""Walking one sample through backprop, phase by phase (runs in the training process).

Every number shown comes from ``Network.trace`` and ``Trainer.preview_sample``: the
stepper keeps no arithmetic of its own. The update is applied through
``Trainer.step_sample``, so the epoch count and the history stay honest.
"""

from __future__ import annotations

from dataclasses import dataclass

from scratchnet.gradcheck import gradcheck as _gradcheck
from scratchnet.timeline import TrainerState

from .. import protocol as P
from .handlers import handles
from ..step_view import StepView, phases


MAX_BACK = 100                # stepped samples ← can walk back through ...
MAX_BACK_BYTES = 64 * 2**20   # ... within this much memory for their checkpoints


@dataclass
class _Entry:
    """One stepped sample: the trainer's state before it, and what it computed."""

    checkpoint: TrainerState
    preview: object
    index: int | None          # a chosen sample, or None for the shuffled order
    serial: int
    applied: bool = False
    check: float | None = None

    @property
    def nbytes(self) -> int:
        return self.checkpoint.nbytes


class Stepper:
    """Samples stepped one at a time, newest last, each undoable to the bit.

    Commands: ``next`` (a sample at its first phase), ``apply`` and ``unapply`` (its
    update), ``previous`` (back to the sample before, update applied), ``step_sample``
    (next and apply at once) and ``select`` (a chosen sample at its first phase). Each
    of their commands pauses training (``Traits.pauses``).

    Parameters
    ----------
    trainer : callable
        Returns the live trainer (a new one clears the stack: see ``Traits.keeps_steps``).
    """

    def __init__(self, trainer):
        self.trainer = trainer
        self.stack: list[_Entry] = []
        self.serial = 0

    def clear(self):
        self.stack = []

    @property
    def active(self) -> bool:
        return bool(self.stack)

    def _start(self, index=None):
        t = self.trainer()
        if self.stack and not self.stack[-1].applied:
            self.stack.pop()  # nothing of it was applied: the trainer is as it found it
        self.serial += 1
        self.stack.append(_Entry(TrainerState.of(t, within_epoch=True), t.samples.preview(index),
                                 index, self.serial))
        while len(self.stack) > MAX_BACK + 1 or (
                len(self.stack) > 1 and sum(e.nbytes for e in self.stack) > MAX_BACK_BYTES):
            self.stack.pop(0)

    # --- commands -----------------------------------------------------------------------
    @handles(P.Step)
    def on_Step(self, cmd):
        K = P.StepKind
        {K.SAMPLE: self.step_sample, K.NEXT: self.next, K.APPLY: self.apply,
         K.UNAPPLY: self.unapply, K.PREVIOUS: self.previous}[cmd.kind]()

    @handles(P.SelectSample)
    def on_SelectSample(self, cmd):
        self.select(cmd.index)

    @handles(P.GradCheck)
    def on_GradCheck(self, cmd):
        self.gradcheck()

    def next(self):
        self._start(None)

    def select(self, index: int):
        """Show sample ``index`` next (from its first phase), instead of the order's."""
        self._start(int(index))

    def apply(self):
        top = self.stack[-1] if self.stack else None
        if top is not None and not top.applied:
            self.trainer().step_sample(top.index)
            top.applied = True

    def unapply(self):
        """Undo the update: weights, optimizer, cursor, counters and history, to the bit."""
        top = self.stack[-1] if self.stack else None
        if top is not None and top.applied:
            top.checkpoint.restore(self.trainer())
            top.applied = False

    def previous(self):
        """Back to the sample stepped before this one (its update still applied)."""
        if len(self.stack) > 1 and not self.stack[-1].applied:
            self.stack.pop()
            self.serial += 1
            self.stack[-1].serial = self.serial

    def step_sample(self):
        """Train on exactly one sample and show all of it (the update phase)."""
        if not self.stack or self.stack[-1].applied:
            self._start(None)
        self.apply()

    def gradcheck(self):
        """Backprop against central differences for this sample, before the update."""
        if not self.stack:
            self._start(None)
        top = self.stack[-1]
        t = self.trainer()
        net = top.checkpoint.network.copy()
        i = top.preview.index
        top.check = _gradcheck(net, t.X_train[i:i + 1], t.y_train[i:i + 1])

    def view(self) -> StepView | None:
        if not self.stack:
            return None
        top = self.stack[-1]
        p, opt = top.preview, self.trainer().optimizer
        ups, params = p.updates, top.checkpoint.params
        ph = phases(len(params) // 2)
        return StepView(
            index=p.index, pos=len(ph) - 1 if top.applied else 0, phases=ph,
            applied=top.applied, trace=p.trace,
            updates=tuple((ups[2 * k], ups[2 * k + 1]) for k in range(len(ups) // 2)),
            weights_before=tuple((params[2 * k], params[2 * k + 1])
                                 for k in range(len(params) // 2)),
            lr=p.lr, optimizer=opt.name, formula=opt.formula, gradcheck=top.check,
            serial=top.serial, back=len(self.stack) - 1)
