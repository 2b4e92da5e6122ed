"""The training process's timeline: scrubbing through past epochs and resuming from
one (Qt-free). Undo is ``loop_undo``'s."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass

import numpy as np

from scratchnet import optimizers
from scratchnet.timeline import Frame

from .. import protocol as P
from .. import snapshot as snap
from .handlers import handles


@dataclass(frozen=True)
class State:
    """Everything an edit can change, held for undo (the data arrays are shared)."""

    config: object
    dataset: object
    points: object
    planes: object
    trainer: object


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


def refresh_frame(t) -> None:
    """After an edit of trainer ``t`` at an epoch's start, that epoch's frame and history
    row show the edited state: resuming from it then trains what the user set up."""
    tl = t.timeline
    if t.cursor != 0 or tl is None or not tl.frames or tl.frames[-1].epoch != t.epoch:
        return
    pinned = t.epoch in tl.pinned
    t.record_epoch(replace=True)
    if pinned:
        tl.pin(t.epoch)


class Scrubber:
    """The epoch shown instead of the live state, and the handlers that move it.

    Parameters
    ----------
    live : loop_state.Live
    pause, notify : callable
        The loop's: pause training; tell the user ``notify(text)``.
    """

    def __init__(self, live, pause, notify):
        self.live, self.pause, self.notify = live, pause, notify
        self.frame: Frame | None = None  # the frame shown instead of the live state
        self._net = None
        self._live_snap = None           # the last live snapshot, sent along while scrubbing

    @property
    def epoch(self) -> int | None:
        """The epoch shown, or None for the live state."""
        return None if self.frame is None else self.frame.epoch

    def leave(self) -> None:
        """Show the live state again."""
        self.frame = None

    @handles(P.Scrub)
    def on_Scrub(self, cmd):
        """Show epoch ``cmd.epoch`` (the nearest kept frame at or before it), or the
        live state again (None, or the live epoch); training pauses meanwhile."""
        t = self.live.trainer
        if cmd.epoch is None or cmd.epoch >= t.epoch or t.timeline is None:
            self.frame = None
            return
        frame = t.timeline.at(cmd.epoch)
        if frame is None:
            raise ValueError(f"epoch {cmd.epoch} is not on the timeline (it keeps "
                             + (f"epochs from {t.timeline.epochs[0]})" if t.timeline.frames
                                else "no epochs: one is larger than its memory budget)"))
        self.pause()
        if self.frame is None and (self._live_snap is None
                                   or self._live_snap.model_version != self.live.version):
            self._live_snap = None  # the live state changed since it was last sent
        if self.frame is not frame:
            self.frame, self._net = frame, frame.network.copy()

    def shown_trainer(self):
        """The live trainer, or while scrubbing a shallow stand-in holding the frame's
        network and counters (the data and the history are the live ones)."""
        f = self.frame
        if f is None:
            return self.live.trainer
        view = copy.copy(self.live.trainer)
        view.network, view.optimizer, view.epoch = self._net, f.optimizer, f.epoch
        view.samples_seen, view.cursor, view.seconds = f.samples_seen, 0, f.seconds
        return view

    def live_snapshot(self, seq: int, ack: int):
        """While scrubbing: the live state's snapshot, without points (the scrubbed one
        carries them), so ``current_snapshot`` still answers for the live state."""
        if self.frame is None:
            return None
        if self._live_snap is None:
            t, live = self.live.trainer, self.live
            with np.errstate(over="ignore", invalid="ignore", under="ignore"):
                self._live_snap = snap.take(t, live.points, live.planes, seq, ack, False,
                                            live_epoch=t.epoch,
                                            timeline=TimelineInfo.of(t.timeline))
        return dataclasses.replace(self._live_snap, points=None, notices=(), live=None)

    def sent(self, s) -> None:
        """``s`` was published: kept while it shows the live state."""
        if self.frame is None:
            self._live_snap = s

    @handles(P.BranchHere)
    def on_BranchHere(self, cmd):
        """Resume from the epoch shown: it becomes the live state, later epochs go."""
        if self.frame is None:
            raise ValueError("scrub the timeline back to an epoch first; the live state "
                             "is already where training resumes")
        frame, self.frame = self.frame, None
        live = self.live
        frame = live.trainer.branch(frame.epoch)
        cfg = frame_config(frame, live.config)
        live.trainer.tag = dataclasses.replace(cfg, data=live.config.data)
        live.set_config(live.trainer.tag, {})
        self.notify(f"Resumed from epoch {frame.epoch}; the later epochs are gone "
                    f"(Undo brings them back).")

    @handles(P.SetTimelineBudget)
    def on_SetTimelineBudget(self, cmd):
        """A new memory budget; a scrubbed view moves to the nearest epoch still kept."""
        live = self.live
        live.timeline_budget = cmd.megabytes * 2**20
        tl = live.trainer.timeline
        if tl is not None:
            tl.budget = live.timeline_budget
        if self.frame is not None:
            frame = tl.at(self.frame.epoch) if tl is not None else None
            if frame is not self.frame:  # the epoch shown is gone: show another
                live.version += 1
            self.frame = frame
            self._net = None if frame is None else frame.network.copy()
