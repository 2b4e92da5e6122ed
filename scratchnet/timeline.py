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
class TrainerState:
    """A trainer's whole state, as one value: the timeline's frames (at an epoch's start)
    and the stepper's checkpoints (anywhere in an epoch) are both this.

    ``network`` and ``optimizer`` are private copies: nothing trains them, and
    ``restore`` copies them again before use. A frame is the state when epoch ``epoch``
    had ended (history row ``epoch``): its order is drawn again from ``rng``, so it holds
    no per-sample array; a state taken within an epoch (``of(..., within_epoch=True)``)
    holds the order, the cursor and the RNG as they are.
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
    cursor: int = 0
    order: object = None     # the epoch's order (None: drawn again from ``rng``)
    rng_now: dict | None = None  # the shuffling RNG as it is (None: after the shuffle)
    start: tuple | None = None   # within an epoch: the weights at its start (diagnostics)

    @classmethod
    def of(cls, trainer, within_epoch: bool = False) -> "TrainerState":
        """The state of ``trainer``: at the start of an epoch (cursor 0), or with
        ``within_epoch`` wherever it is."""
        t = trainer
        extra = {} if not within_epoch else {
            "cursor": t.cursor, "order": t.order.copy(), "rng_now": t.rng.bit_generator.state,
            "start": (t.epoch_start, t._ratio_base)}
        return cls(t.epoch, t.network.copy(), t.optimizer.copy(),
                   (t.batch_size, t.l1, t.l2, t.target_auc, t.target_on),
                   t.samples_seen, t.seconds, t.rng_at_epoch, len(t.history), t.tag, **extra)

    def restore(self, trainer) -> None:
        """Put this state back into ``trainer`` (the one writer of a trainer's state):
        weights, architecture, optimizer and its state, batch size, penalties, counters,
        order and RNG, to the bit. Later history rows go, and later timeline frames."""
        t = trainer
        t.network = self.network.copy()
        t.optimizer = self.optimizer.copy()
        t.batch_size, t.l1, t.l2, t.target_auc, t.target_on = self.settings
        t.epoch, t.cursor = self.epoch, self.cursor
        t.samples_seen, t.seconds, t.tag = self.samples_seen, self.seconds, self.tag
        t.rng.bit_generator.state = t.rng_at_epoch = self.rng
        if self.order is None:
            t.order = t.rng.permutation(t.n_train)
        else:
            t.order = self.order.copy()
            t.rng.bit_generator.state = self.rng_now
        while len(t.history) > self.history:
            t.history.pop()
        if t.timeline is not None:
            t.timeline.truncate(self.epoch)
        self._restore_start(t)
        t.guard.reset()  # the divergence guard's bound belongs to other weights

    def _restore_start(self, t) -> None:
        """The weights ``update_ratio_k`` measures from: the epoch's start (held by a
        state within an epoch; a frame's own weights), and the row's before it."""
        if self.start is not None:
            t.epoch_start, t._ratio_base = self.start
            return
        t.epoch_start = tuple(L.weights.copy() for L in t.network.layers)
        prev = None if t.timeline is None else t.timeline.at(self.epoch - 1)
        t._ratio_base = (None if prev is None or prev.epoch != self.epoch - 1 else
                         tuple(L.weights.copy() for L in prev.network.layers))

    @property
    def params(self) -> list:
        """The network's parameters, ``[W1, b1, W2, b2, ...]`` (read only)."""
        return self.network.parameters()

    @property
    def nbytes(self) -> int:
        """Memory held, Python objects included (measured with tracemalloc: ~1.6 kB a
        frame and ~160 bytes an array, which dominate for small networks)."""
        arrays = list(self.network.parameters()) + [
            a for v in self.optimizer.state.values() for a in v]
        extra = 0 if self.order is None else self.order.nbytes
        return sum(a.nbytes + 160 for a in arrays) + 1600 + extra


Frame = TrainerState  # a timeline's frame: a trainer's state at an epoch's start


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
