"""The training process's undo history: whole states before each edit, swapped back
and forth to the bit (Qt-free)."""

from __future__ import annotations

import copy

import numpy as np

from .. import protocol as P
from .handlers import handles
from .scrubber import State

MAX_UNDO = 100              # edits kept for undo (older ones are forgotten first) ...
MAX_UNDO_BYTES = 256 * 2**20  # ... and the memory they may hold beyond the live state


def clone_trainer(trainer):
    """A deep copy that shares what no edit changes in place: the data arrays, the
    config tag and the timeline's frames."""
    t = trainer
    memo = {id(a): a for a in (t.X_train, t.y_train, t.X_test, t.y_test, t._Y_train, t.tag)
            if a is not None}
    if t.timeline is not None:
        memo[id(t.timeline)] = t.timeline.copy()
    if getattr(t, "probe", None) is not None:
        memo[id(t.probe)] = None  # an undo entry measures nothing; the live one is given one
    return copy.deepcopy(t, memo)


def _frames_key(tl):
    """Names a timeline's frames: frames are only ever appended after the last one or
    thinned (which shortens the list), so the same length, first and last frame mean the
    same frames. Undo entries taken without training in between then cost one walk."""
    if tl is None or not tl.frames:
        return None
    return len(tl.frames), id(tl.frames[0]), id(tl.frames[-1])


def _trainer_bytes(t) -> int:
    """What an undo entry's trainer holds of its own: weights, optimizer state, the
    sample order and the history's columns (a long run's history dwarfs the weights)."""
    arrays = [*t.network.parameters(), *(a for v in t.optimizer.state.values() for a in v),
              t.order]
    return sum(a.nbytes for a in arrays) + t.history.nbytes


def _dataset_bytes(ds) -> int:
    arrays = [a for v in vars(ds).values() for a in (v if isinstance(v, tuple) else (v,))]
    return sum(a.nbytes for a in arrays if isinstance(a, np.ndarray))


class History:
    """Named states before each edit, newest last, and the Undo/Redo handlers.

    Parameters
    ----------
    live : loop_state.Live
    pause, notify : callable
        The loop's: pause training; tell the user ``notify(text)``.
    """

    def __init__(self, live, pause, notify):
        self.live, self.pause, self.notify = live, pause, notify
        self.undo_stack: list[tuple[str, State]] = []
        self.redo_stack: list[tuple[str, State]] = []

    def capture(self) -> State:
        """The live state, with a copy of its trainer."""
        return self.live.state(clone_trainer(self.live.trainer))

    def record(self, label: str, before: State) -> None:
        """An edit named ``label`` was made from state ``before``."""
        self.undo_stack.append((label, before))
        del self.undo_stack[:-MAX_UNDO]
        self.redo_stack.clear()
        while len(self.undo_stack) > 1 and self.held_bytes() > MAX_UNDO_BYTES:
            del self.undo_stack[0]  # e.g. large datasets replaced again and again

    def held_bytes(self) -> int:
        """Memory the undo entries hold that the live state does not: other datasets and
        timeline frames (each counted once), and each entry's own trainer state
        (weights, optimizer state, order, history)."""
        tl = self.live.trainer.timeline
        seen = {id(self.live.dataset)} | {id(f) for f in (tl.frames if tl else ())}
        walked = {_frames_key(tl)}
        total = 0
        for _, s in self.undo_stack + self.redo_stack:
            t = s.trainer
            total += _trainer_bytes(t)
            if _frames_key(t.timeline) not in walked:  # edits in a row share one list
                walked.add(_frames_key(t.timeline))
                for f in t.timeline.frames:
                    if id(f) not in seen:
                        seen.add(id(f))
                        total += f.nbytes
            if id(s.dataset) not in seen:
                seen.add(id(s.dataset))
                total += _dataset_bytes(s.dataset)
        return total

    @handles(P.Undo)
    def on_Undo(self, cmd):
        self._swap(self.undo_stack, self.redo_stack, "undo")

    @handles(P.Redo)
    def on_Redo(self, cmd):
        self._swap(self.redo_stack, self.undo_stack, "redo")

    def _swap(self, source, target, what):
        if not source:  # the menu offered it, but an edit sent since has cleared it
            self.notify(f"There is nothing to {what}.")
            return
        label, state = source.pop()
        target.append((label, self.capture()))
        self.pause()
        self.live.install(state)
        self.notify(f"{what.capitalize()} {label}.")

    def labels(self) -> tuple:
        """``(undo, redo)``: the names of the edits Undo and Redo would take back."""
        return (self.undo_stack[-1][0] if self.undo_stack else "",
                self.redo_stack[-1][0] if self.redo_stack else "")
