"""Two training processes in lockstep (compare mode), through a few shared numbers
(Qt-free).

Each run writes the epochs it has completed into its own slot; before it starts an
epoch it waits until the other has completed as many, so neither gets more than one
epoch ahead. A run that stops (its target, its epoch limit, divergence) marks itself
done and is waited for no longer. The window pauses both by writing the ``hold`` slot:
each run pauses at the first epoch start at or past it, so they stand at most one
epoch apart, and ``behind`` names the one the window then steps one epoch on (a run
may start an epoch just as the hold is written: deciding that in the runs alone would
race). Shared memory, not messages: a relay through the window would cap both runs at
its frame rate.
"""

from __future__ import annotations

import math
from multiprocessing import shared_memory

import numpy as np

from .. import protocol as P
from .handlers import handles

# slots: epochs completed by run 0 and run 1, done flags of run 0 and run 1, hold
SLOTS = 5
HOLD = 4
FREE = math.inf  # no hold: train on


class Block:
    """The shared numbers of one comparison, created by the window (``Block()``) or
    attached by a run (``Block(name)``)."""

    def __init__(self, name: str | None = None):
        if name is None:
            self.shm = shared_memory.SharedMemory(create=True, size=SLOTS * 8)
        else:
            # the runs share the window's resource tracker (spawn and forkserver hand
            # it down): attaching registers the name again, a no-op, and the window
            # unlinks it
            self.shm = shared_memory.SharedMemory(name=name)
        self.owner = name is None
        self.slots = np.ndarray((SLOTS,), dtype=np.float64, buffer=self.shm.buf)
        if self.owner:
            self.slots[:] = 0.0
            self.slots[HOLD] = FREE

    @property
    def name(self) -> str:
        return self.shm.name

    def hold_at_front(self) -> float:
        """Pause both at the leader's epoch (the window's Pause): the epoch both stand
        at once each has reached its next epoch start."""
        live = [self.slots[i] for i in (0, 1) if not self.slots[2 + i]]
        at = max(live) if live else max(self.slots[0], self.slots[1])
        self.slots[HOLD] = at
        return at

    def behind(self, epochs, running) -> int | None:
        """Once both runs stand still after a hold: the one an epoch behind a live
        other (step it on), or None when they stand at one epoch or one has stopped."""
        if any(running) or any(self.slots[2:4]) or epochs[0] == epochs[1]:
            return None
        return 0 if epochs[0] < epochs[1] else 1

    def release(self) -> None:
        self.slots[HOLD] = FREE

    def epochs(self) -> tuple:
        return int(self.slots[0]), int(self.slots[1])

    def close(self) -> None:
        """Let go of the block (the window also unlinks it)."""
        self.slots = None
        self.shm.close()
        if self.owner:
            try:
                self.shm.unlink()
            except FileNotFoundError:
                pass


class Lockstep:
    """The training loop's part for compare mode: ``JoinLockstep`` joins or leaves a
    comparison; the loop asks ``may_start`` before each epoch and calls ``mark``."""

    def __init__(self):
        self.block: Block | None = None
        self.run = 0
        self.done = False  # stopped on its own: the other run no longer waits for it

    @property
    def joined(self) -> bool:
        return self.block is not None

    @handles(P.JoinLockstep)
    def on_JoinLockstep(self, cmd):
        if self.block is not None:
            self.block.close()
            self.block = None
        if cmd.name is not None:
            self.block, self.run = Block(cmd.name), cmd.run

    def mark(self, epoch: int) -> None:
        """Say how many epochs this run has completed, and whether it has stopped."""
        if self.block is not None:
            s = self.block.slots
            s[self.run], s[2 + self.run] = epoch, 1.0 if self.done else 0.0

    def held(self, epoch: int) -> bool:
        """True at an epoch start at or past the window's hold: pause here."""
        return self.block is not None and epoch >= self.block.slots[HOLD]

    def may_start(self, epoch: int) -> bool:
        """Whether this run, having completed ``epoch`` epochs, may start the next: the
        other has completed as many, or has stopped."""
        if self.block is None:
            return True
        s, other = self.block.slots, 1 - self.run
        return bool(s[2 + other]) or s[other] >= epoch
