"""The training process's timeline and undo: scrubbing through past epochs, resuming
from one, and undoing or redoing whole edits, each to the bit (Qt-free)."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass

import numpy as np

from scratchnet import optimizers
from scratchnet.settings import TrainingSettings
from scratchnet.timeline import DEFAULT_BUDGET, Frame

from . import protocol as P
from . import snapshot as snap
from .handlers import handles

MAX_UNDO = 100              # edits kept for undo (older ones are forgotten first) ...
MAX_UNDO_BYTES = 256 * 2**20  # ... and the memory they may hold beyond the live state


@dataclass(frozen=True)
class State:
    """Everything an edit can change, held for undo (the data arrays are shared)."""

    config: object
    dataset: object
    points: object
    planes: object
    trainer: object


def clone_trainer(trainer):
    """A deep copy that shares what no edit changes in place: the data arrays, the
    config tag and the timeline's frames."""
    t = trainer
    memo = {id(a): a for a in (t.X_train, t.y_train, t.X_test, t.y_test, t._Y_train, t.tag)
            if a is not None}
    if t.timeline is not None:
        memo[id(t.timeline)] = t.timeline.copy()
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


def frame_config(frame, live):
    """The settings ``frame`` was trained with: its tag, or for a frame without one (an
    older session's, or one the command line added) ``live`` with the frame's own
    architecture, optimizer and training settings, which ``Trainer.branch`` restores."""
    if frame.tag is not None:
        return frame.tag
    net, opt = frame.network, frame.optimizer
    h = opt.hyperparameters()
    extras = {k: getattr(opt, k) for k in optimizers.EXTRAS.get(opt.name, ())}
    batch_size, l1, l2, target_auc, target_on = frame.settings
    return dataclasses.replace(
        live, hidden=list(net.sizes[1:-1]), activations=[L.activation for L in net.layers[:-1]],
        init=net.init, optimizer=opt.name, lr=h["lr"], schedule=h["schedule"], **extras,
        batch_size=batch_size, l1=l1, l2=l2, target_auc=target_auc, target_on=target_on)


def _changes(a, b) -> list[str]:
    return [f.name for f in dataclasses.fields(a) if getattr(a, f.name) != getattr(b, f.name)]


class TimelineCommands:
    """``TrainingLoop``'s timeline, scrubbing and undo (a mixin: see there)."""

    def _init_timeline(self) -> None:
        self.scrub: Frame | None = None   # the frame shown instead of the live state
        self._scrub_net = None
        self._live_snap = None            # the last live snapshot, sent along while scrubbing
        self.undo_stack: list[tuple[str, State]] = []
        self.redo_stack: list[tuple[str, State]] = []
        self.timeline_budget = None       # bytes, or None for the default
        self._adopt(self.trainer)

    def _adopt(self, trainer, config=None) -> None:
        """Give a new trainer a timeline, and ``config`` (by default the loop's) as its
        frames' tag: set before the first frame is recorded."""
        trainer.tag = config or self.config
        if trainer.timeline is None:
            trainer.keep_timeline()
        # the window's setting (Edit ▸ Timeline memory…), over a session's own
        budget = self.timeline_budget or DEFAULT_BUDGET
        if trainer.timeline.budget != budget:
            trainer.timeline.budget = budget

    # --- scrubbing ----------------------------------------------------------------------
    @handles(P.Scrub)
    def on_Scrub(self, cmd):
        """Show epoch ``cmd.epoch`` (the nearest kept frame at or before it), or the
        live state again (None, or the live epoch); training pauses meanwhile."""
        t = self.trainer
        if cmd.epoch is None or cmd.epoch >= t.epoch or t.timeline is None:
            self.scrub = None
            return
        frame = t.timeline.at(cmd.epoch)
        if frame is None:
            raise ValueError(f"epoch {cmd.epoch} is not on the timeline (it keeps "
                             + (f"epochs from {t.timeline.epochs[0]})" if t.timeline.frames
                                else "no epochs: one is larger than its memory budget)"))
        self.running = False
        if self.scrub is None and (self._live_snap is None
                                   or self._live_snap.model_version != self.version):
            self._live_snap = None  # the live state changed since it was last sent
        if self.scrub is not frame:
            self.scrub, self._scrub_net = frame, frame.network.copy()

    def shown_trainer(self):
        """The live trainer, or while scrubbing a shallow stand-in holding the frame's
        network and counters (the data and the history are the live ones)."""
        f = self.scrub
        if f is None:
            return self.trainer
        view = copy.copy(self.trainer)
        view.network, view.optimizer, view.epoch = self._scrub_net, f.optimizer, f.epoch
        view.samples_seen, view.cursor, view.seconds = f.samples_seen, 0, f.seconds
        return view

    def _live_for_scrub(self):
        """While scrubbing: the live state's snapshot, without points (the scrubbed one
        carries them), so ``current_snapshot`` still answers for the live state."""
        if self.scrub is None:
            return None
        if self._live_snap is None:
            t = self.trainer
            with np.errstate(over="ignore", invalid="ignore", under="ignore"):
                self._live_snap = snap.take(t, self.points, self.planes, self._seq,
                                            self._ack, False, live_epoch=t.epoch,
                                            timeline=TimelineInfo.of(t.timeline))
        return dataclasses.replace(self._live_snap, points=None, notices=(), live=None)

    @handles(P.BranchHere)
    def on_BranchHere(self, cmd):
        """Resume from the epoch shown: it becomes the live state, later epochs go."""
        if self.scrub is None:
            raise ValueError("scrub the timeline back to an epoch first; the live state "
                             "is already where training resumes")
        frame, self.scrub = self.scrub, None
        self.running = False
        frame = self.trainer.branch(frame.epoch)
        cfg = frame_config(frame, self.config)
        self.trainer.tag = dataclasses.replace(cfg, data=self.config.data)
        self._set_config(self.trainer.tag, {})
        self._notify(f"Resumed from epoch {frame.epoch}; the later epochs are gone "
                     f"(Undo brings them back).")

    def refresh_frame(self) -> None:
        """After an edit at an epoch's start, that epoch's frame and history row show
        the edited state: resuming from it then trains what the user set up."""
        t = self.trainer
        tl = t.timeline
        if t.cursor != 0 or tl is None or not tl.frames or tl.frames[-1].epoch != t.epoch:
            return
        pinned = t.epoch in tl.pinned
        t.record_epoch(replace=True)
        if pinned:
            tl.pin(t.epoch)

    @handles(P.SetTimelineBudget)
    def on_SetTimelineBudget(self, cmd):
        """A new memory budget; a scrubbed view moves to the nearest epoch still kept."""
        self.timeline_budget = cmd.megabytes * 2**20
        tl = self.trainer.timeline
        if tl is not None:
            tl.budget = self.timeline_budget
        if self.scrub is not None:
            frame = tl.at(self.scrub.epoch) if tl is not None else None
            if frame is not self.scrub:  # the epoch shown is gone: show another
                self.version += 1
            self.scrub = frame
            self._scrub_net = None if frame is None else frame.network.copy()

    # --- undo ---------------------------------------------------------------------------
    def capture(self) -> State:
        return State(self.config, self.dataset, self.points, self.planes,
                     clone_trainer(self.trainer))

    def install(self, s: State) -> None:
        """Make ``s`` the live state (its trainer is used, not copied: a popped entry)."""
        self.running, self.scrub = False, None
        self.config, self.dataset = s.config, s.dataset
        self._points_version += 1  # the window may hold newer points: send these again
        self.points = dataclasses.replace(s.points, version=self._points_version)
        self.planes, self.trainer = s.planes, s.trainer
        self._adopt(self.trainer, s.config)  # the budget set since then holds
        self._set_config(s.config, {})

    def record_edit(self, label: str, before: State) -> None:
        self.undo_stack.append((label, before))
        del self.undo_stack[:-MAX_UNDO]
        self.redo_stack.clear()
        while len(self.undo_stack) > 1 and self._held_bytes() > MAX_UNDO_BYTES:
            del self.undo_stack[0]  # e.g. large datasets replaced again and again

    def _held_bytes(self) -> int:
        """Memory the undo entries hold that the live state does not: other datasets and
        timeline frames (each counted once), and each entry's own trainer state
        (weights, optimizer state, order, history)."""
        tl = self.trainer.timeline
        seen = {id(self.dataset)} | {id(f) for f in (tl.frames if tl else ())}
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
            self._notify(f"There is nothing to {what}.")
            return
        label, state = source.pop()
        target.append((label, self.capture()))
        self.install(state)
        self._notify(f"{what.capitalize()} {label}.")

    def labels(self) -> tuple:
        """``(undo, redo)``: the names of the edits Undo and Redo would take back."""
        return (self.undo_stack[-1][0] if self.undo_stack else "",
                self.redo_stack[-1][0] if self.redo_stack else "")


@dataclass(frozen=True)
class TimelineInfo:
    """What the window's timeline bar shows of the trainer's timeline."""

    first: int          # the earliest epoch kept
    frames: int         # epochs kept
    stride: int         # past the budget, epochs kept are multiples of this
    thinned: bool
    nbytes: int
    budget: int

    @classmethod
    def of(cls, timeline) -> "TimelineInfo | None":
        if timeline is None or not timeline.frames:
            return None
        return cls(timeline.frames[0].epoch, len(timeline.frames), timeline.stride,
                   timeline.thinned, timeline.nbytes, timeline.budget)
