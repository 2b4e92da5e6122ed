"""The training process's live state: what the views show and every edit changes
(Qt-free). The loop's parts share this one object and nothing else of one another."""

from __future__ import annotations

import dataclasses

from scratchnet import data
from scratchnet.config import Config, make_trainer
from scratchnet.timeline import DEFAULT_BUDGET

from .. import protocol as P
from .. import snapshot as snap
from .scrubber import State


class Live:
    """The config, dataset, points, planes and trainer training works on now, and the
    ``version`` that moves whenever the weights, the data or the history change.

    Parameters
    ----------
    config : Config
    dataset : scratchnet.data.Dataset
    emit : callable
        Called with ``ConfigChanged`` whenever the config changes.
    track_metrics : bool
        Passed to the first trainer (False: epoch 0 is measured later).
    """

    def __init__(self, config: Config, dataset: data.Dataset, emit, track_metrics=True):
        self.emit = emit
        self.config = config
        self.dataset = dataset  # CSV data's raw rows for a session: dataset.raw()
        self.version = 0
        self.timeline_budget = None       # bytes, or None for the default
        self.trainer = make_trainer(config, dataset, track_metrics=track_metrics)
        self._points_version = 0
        self.points, self.planes = self.points_of(dataset)
        self.adopt(self.trainer)

    def points_of(self, dataset, axes=(0, 1)):
        """``(points, planes)`` of ``dataset`` on ``axes``, with a new points version."""
        self._points_version += 1
        pts, grid, thumb = snap.Points.from_dataset(dataset, axes, self._points_version)
        return pts, (grid, thumb)

    def adopt(self, trainer, config=None) -> None:
        """Give a new trainer a timeline, and ``config`` (by default the live one) as its
        frames' tag: set before the first frame is recorded."""
        trainer.tag = config or self.config
        if trainer.timeline is None:
            trainer.keep_timeline()
        # the window's setting (Edit ▸ Timeline memory…), over a session's own
        budget = self.timeline_budget or DEFAULT_BUDGET
        if trainer.timeline.budget != budget:
            trainer.timeline.budget = budget

    def set_config(self, cfg, view=None) -> None:
        """Train with ``cfg`` from now on, and tell the window (``view``: its settings)."""
        self.config = self.trainer.tag = cfg  # the tag goes with the timeline's frames
        self.emit(P.ConfigChanged(cfg, view))

    def replace(self, trainer, dataset, config, view=None, axes=(0, 1)) -> None:
        """A whole new trainer and dataset (a reset, an example, a session)."""
        self.trainer, self.dataset = trainer, dataset
        self.adopt(trainer, config)
        self.points, self.planes = self.points_of(dataset, axes)
        self.set_config(config, view)

    def state(self, trainer) -> State:
        """The live state as a value, holding ``trainer`` (a copy, for undo)."""
        return State(self.config, self.dataset, self.points, self.planes, trainer)

    def install(self, s: State) -> None:
        """Make ``s`` the live state (its trainer is used, not copied: a popped entry)."""
        self.config, self.dataset = s.config, s.dataset
        self._points_version += 1  # the window may hold newer points: send these again
        self.points = dataclasses.replace(s.points, version=self._points_version)
        self.planes, self.trainer = s.planes, s.trainer
        self.adopt(self.trainer, s.config)  # the budget set since then holds
        self.set_config(s.config, {})
