"""A trainer's past: its whole state at the end of every epoch, within a memory budget.

A ``Frame`` holds everything that decides how training goes on from an epoch: weights
(with the architecture and the network's RNG), the optimizer with its state, the batch
size and penalties, the counters, and the shuffling RNG's state *before* that epoch's
shuffle (the order is drawn again from it, so frames hold no per-sample arrays).
``Trainer.branch`` puts a frame back; training on from it is bit-identical to a run
that was stopped there.

Past the budget the timeline thins itself evenly: it keeps the epochs that are
multiples of a stride (doubled as needed), the first and the last, and the branch
points (``pinned``).
"""

from __future__ import annotations

import bisect
import copy
from dataclasses import dataclass

DEFAULT_BUDGET = 256 * 2**20   # bytes of frames a timeline keeps at most
MIN_BUDGET = 2**20
MAX_BUDGET = 64 * 2**30


@dataclass(frozen=True, eq=False)
class Frame:
    """The trainer's state when epoch ``epoch`` had ended (history row ``epoch``).

    ``network`` and ``optimizer`` are private copies: nothing trains them, and
    ``Trainer.branch`` copies them again before use.
    """

    epoch: int
    network: object
    optimizer: object
    settings: tuple          # batch_size, l1, l2, target_auc, target_on
    samples_seen: int
    seconds: float
    rng: dict                # the shuffling RNG before this epoch's shuffle
    history: int             # rows of history up to and including this epoch
    tag: object = None       # the owner's settings at the time (the app's Config)

    @classmethod
    def of(cls, trainer) -> "Frame":
        """The state of ``trainer`` (at the start of an epoch: cursor 0)."""
        return cls(trainer.epoch, trainer.network.copy(), trainer.optimizer.copy(),
                   (trainer.batch_size, trainer.l1, trainer.l2, trainer.target_auc,
                    trainer.target_on),
                   trainer.samples_seen, trainer.seconds, trainer.rng_at_epoch,
                   len(trainer.history), trainer.tag)

    @property
    def nbytes(self) -> int:
        """Memory held, Python objects included (measured with tracemalloc: ~1.6 kB a
        frame and ~160 bytes an array, which dominate for small networks)."""
        arrays = list(self.network.parameters()) + [
            a for v in self.optimizer.state.values() for a in v]
        return sum(a.nbytes + 160 for a in arrays) + 1600


class Timeline:
    """Frames by epoch, oldest first, within ``budget`` bytes.

    Parameters
    ----------
    budget : int
        Bytes of frames kept at most (``DEFAULT_BUDGET``, 256 MiB, by default).
    """

    def __init__(self, budget: int = DEFAULT_BUDGET):
        self.frames: list[Frame] = []
        self.pinned: set[int] = set()
        self.stride = 1
        self.dropped = 0     # frames thinned out so far
        self.nbytes = 0
        self.budget = budget

    @property
    def budget(self) -> int:
        """Bytes of frames kept at most; setting it thins the frames to fit at once."""
        return self._budget

    @budget.setter
    def budget(self, value) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not (
                MIN_BUDGET <= value <= MAX_BUDGET):
            raise ValueError(f"the timeline's memory budget must be {MIN_BUDGET // 2**20} MB "
                             f"to {MAX_BUDGET // 2**30} GB, not {value!r} bytes")
        self._budget = value
        self._fit()

    @property
    def thinned(self) -> bool:
        """Whether some epochs have been dropped to stay within the budget."""
        return self.dropped > 0

    @property
    def epochs(self) -> list[int]:
        """The epochs kept, oldest first."""
        return [f.epoch for f in self.frames]

    def copy(self) -> "Timeline":
        """A timeline of its own that shares the (immutable) frames."""
        new = copy.copy(self)
        new.frames, new.pinned = list(self.frames), set(self.pinned)
        return new

    def record(self, trainer) -> None:
        """Add the trainer's state as its epoch's frame (replacing any frame of that epoch
        or later: they belong to a past that training has left). A trainer whose RNG
        state before this epoch's shuffle is unknown (``rng_at_epoch`` None: an opened
        session) adds nothing."""
        self.truncate(trainer.epoch - 1)
        if trainer.rng_at_epoch is None:
            return
        frames = self.frames
        if len(frames) >= 2 and not self._kept(frames[-1], last=False):
            self._drop(len(frames) - 1)  # the last was kept only for being the last
        frame = Frame.of(trainer)
        frames.append(frame)
        self.nbytes += frame.nbytes
        self._fit()

    def at(self, epoch: int) -> Frame | None:
        """The kept frame nearest at or before ``epoch`` (None before the first)."""
        i = bisect.bisect_right(self.epochs, epoch) - 1
        return self.frames[i] if i >= 0 else None

    def truncate(self, epoch: int) -> None:
        """Forget every frame after ``epoch``."""
        while self.frames and self.frames[-1].epoch > epoch:
            self.nbytes -= self.frames.pop().nbytes
        self.pinned = {e for e in self.pinned if e <= epoch}

    def pin(self, epoch: int) -> None:
        """Keep ``epoch`` whatever thinning does (a branch point)."""
        self.pinned.add(epoch)

    # --- thinning -----------------------------------------------------------------------
    def _kept(self, f: Frame, last: bool = True) -> bool:
        return (f is self.frames[0] or (last and f is self.frames[-1])
                or f.epoch % self.stride == 0 or f.epoch in self.pinned)

    def _drop(self, i: int) -> None:
        self.nbytes -= self.frames.pop(i).nbytes
        self.dropped += 1

    def _fit(self) -> None:
        """Thin until the frames fit the budget: double the stride; once the stride
        passes every epoch, let go of branch points, then of the first frame; a single
        frame larger than the budget is not kept at all."""
        while self.nbytes > self.budget and self.frames:
            last_epoch = self.frames[-1].epoch
            if self.stride <= last_epoch:
                self.stride *= 2
            elif self.pinned:
                self.pinned.discard(min(self.pinned))
            else:
                self._drop(0)
                continue
            for i in range(len(self.frames) - 1, -1, -1):
                if not self._kept(self.frames[i]):
                    self._drop(i)
