"""The window's side of the stepper: which phase is shown, and what to ask the trainer.

Moving between phases of a sample whose trace the window already has is local: no round
trip to the training process. Only applying an update, undoing it, and starting or
returning to another sample are commands (see ``stepper.Stepper``).
"""

from __future__ import annotations

import dataclasses

from ..protocol import StepKind


class StepWalk:
    """Phase cursor over the newest ``StepView``; ``send(kind)`` asks the trainer for a
    ``protocol.Step`` of that kind."""

    def __init__(self, send):
        self.send = send
        self.step = None
        self.pos = 0

    def update(self, step) -> None:
        """Follow a snapshot's step: a new sample starts where the trainer put it."""
        if step is None or self.step is None or step.serial != self.step.serial:
            self.pos = 0 if step is None else step.pos
        self.step = step

    def shown(self, step):
        """``step`` with the phase this window shows."""
        if step is None:
            return None
        return dataclasses.replace(step, pos=min(max(self.pos, 0), step.last))

    def forward(self) -> None:
        """One phase on; from the update, the next sample."""
        s = self.step
        if s is None or (s.applied and self.pos >= s.last):
            self.send(StepKind.NEXT)
        elif self.pos >= s.last - 1:
            self.pos = s.last
            self.send(StepKind.APPLY)
        else:
            self.pos += 1

    def back(self) -> None:
        """One phase back; through the update (undone), then into the sample before."""
        s = self.step
        if s is None:
            return
        if self.pos >= s.last and s.applied:
            self.pos = s.last - 1
            self.send(StepKind.UNAPPLY)
        elif self.pos > 0:
            self.pos -= 1
        elif s.back > 0:
            self.send(StepKind.PREVIOUS)

    def jump(self, pos: int) -> None:
        """Show phase ``pos`` of this sample, applying or undoing its update to match."""
        s = self.step
        if s is None or not 0 <= pos <= s.last:
            return
        if pos == s.last and not s.applied:
            self.send(StepKind.APPLY)
        elif pos < s.last and s.applied:
            self.send(StepKind.UNAPPLY)
        self.pos = pos
