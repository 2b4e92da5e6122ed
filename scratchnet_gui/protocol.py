"""What the window and the training process say to each other: one frozen dataclass per
command and per event. Qt-free: the training process imports it.

Commands check their own fields when they are built, in the window's process, so a
bad value is refused with a clear ``ValueError`` before it reaches the trainer. Checks
that need the trainer's state (a weight index against the network's shape) happen
there, and come back as a ``Notice``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scratchnet import checks, data
from scratchnet.network import MAX_LAYERS, validate_sizes
from scratchnet.settings import TrainingSettings

STEP_KINDS = ("sample", "next", "apply", "unapply", "previous")


class Command:
    """Base of every command; ``id`` is set by the controller when it is sent."""

    def check(self) -> None:
        """Raise ``ValueError`` if a field is out of range (called on construction)."""

    def __post_init__(self):
        self.check()


# --- commands that need nothing ---------------------------------------------------------
@dataclass(frozen=True)
class Play(Command):
    pass


@dataclass(frozen=True)
class Pause(Command):
    pass


@dataclass(frozen=True)
class StepEpoch(Command):
    pass


@dataclass(frozen=True)
class StepBatch(Command):
    pass


@dataclass(frozen=True)
class Reset(Command):
    """Fresh weights and history from the seed; the data stay."""


@dataclass(frozen=True)
class GradCheck(Command):
    pass


@dataclass(frozen=True)
class Stop(Command):
    """End the training process."""


# --- commands with settings -------------------------------------------------------------
@dataclass(frozen=True)
class Configure(Command):
    """Every training setting at once: nothing is ever applied in part."""

    settings: TrainingSettings

    def check(self):
        if not isinstance(self.settings, TrainingSettings):
            raise ValueError(f"Configure takes TrainingSettings, not {self.settings!r}")


@dataclass(frozen=True)
class Resize(Command):
    """New hidden layers; every neuron that survives keeps its weights."""

    hidden: tuple
    activations: tuple

    def check(self):
        hidden = checks.items(self.hidden, "hidden sizes", MAX_LAYERS - 1)
        validate_sizes([1, *hidden, 1])
        names = checks.items(self.activations, "activations", MAX_LAYERS - 1)
        if len(names) != len(hidden):
            raise ValueError(f"{len(names)} activation(s) for {len(hidden)} hidden layer(s)")


@dataclass(frozen=True)
class SetWeight(Command):
    """One weight of ``layer`` (0-based), or its bias when ``col == -1``."""

    layer: int
    row: int
    col: int
    value: float

    def check(self):
        checks.whole(self.layer, "layer", 0)
        checks.whole(self.row, "row", 0)
        checks.whole(self.col, "column", -1)
        if not (isinstance(self.value, (int, float)) and math.isfinite(self.value)):
            raise ValueError(f"a weight must be a finite number, not {self.value!r}")


@dataclass(frozen=True)
class SetWeights(Command):
    """Every layer's ``(W, b)`` at once (a restarted trainer takes the last weights)."""

    weights: tuple


@dataclass(frozen=True)
class LoadExperiment(Command):
    """Replace data, model and training settings with ``config`` (fresh weights): the
    Examples menu's presets."""

    config: object

    def check(self):
        from scratchnet.config import Config

        if not isinstance(self.config, Config):
            raise ValueError(f"LoadExperiment takes a Config, not {self.config!r}")
        self.config.validate()


@dataclass(frozen=True)
class SetData(Command):
    """New data: generated from ``spec``, or ``raw = (X, y, names)`` from a CSV file."""

    spec: data.DataSpec
    raw: tuple | None = None

    def check(self):
        if not isinstance(self.spec, data.DataSpec):
            raise ValueError(f"SetData takes a DataSpec, not {self.spec!r}")
        self.spec.validate()


@dataclass(frozen=True)
class OpenData(Command):
    """Read the CSV file ``spec.csv_path`` in the training process, off the window's
    thread, reporting ``Progress``; on success it becomes the data (as ``SetData``)."""

    spec: data.DataSpec

    def check(self):
        if not isinstance(self.spec, data.DataSpec) or self.spec.source != "csv":
            raise ValueError(f"OpenData takes a CSV DataSpec, not {self.spec!r}")
        checks.text(self.spec.csv_path, "CSV path")


@dataclass(frozen=True)
class CancelLoad(Command):
    """Stop reading a CSV file; the current data stay."""


@dataclass(frozen=True)
class OpenSession(Command):
    path: str

    def check(self):
        checks.text(self.path, "session path")


@dataclass(frozen=True)
class SaveSession(Command):
    """Save to ``path``; ``view`` holds the window's own settings (the threshold)."""

    path: str
    view: dict | None = None

    def check(self):
        checks.text(self.path, "session path")


@dataclass(frozen=True)
class Step(Command):
    """The stepper: ``sample`` (one whole SGD step), ``next`` (a sample at its first
    phase), ``apply`` / ``unapply`` (its update), ``previous`` (the sample before)."""

    kind: str

    def check(self):
        checks.choice(self.kind, "step kind", STEP_KINDS)


@dataclass(frozen=True)
class SelectSample(Command):
    """Step training sample ``index`` next."""

    index: int

    def check(self):
        checks.whole(self.index, "sample index", 0)


@dataclass(frozen=True)
class SetSpeed(Command):
    """At most ``epochs_per_s`` epochs a second; ``None`` for as fast as possible."""

    epochs_per_s: float | None

    def check(self):
        if self.epochs_per_s is not None:
            checks.number(self.epochs_per_s, "speed (epochs per second)", 0, lo_open=True)


@dataclass(frozen=True)
class SetAxes(Command):
    """Which two raw columns the prediction view plots."""

    axes: tuple

    def check(self):
        if len(self.axes) != 2 or len(set(self.axes)) != 2:
            raise ValueError(f"choose two different columns to plot, not {self.axes!r}")
        for a in self.axes:
            checks.whole(a, "plotted column", 0)


# --- the timeline and undo -------------------------------------------------------------
@dataclass(frozen=True)
class Scrub(Command):
    """Show the timeline at ``epoch`` (``None``: the live state); training pauses."""

    epoch: int | None

    def check(self):
        if self.epoch is not None:
            checks.whole(self.epoch, "epoch", 0)


@dataclass(frozen=True)
class BranchHere(Command):
    """Resume from the epoch shown: it becomes the live state; later epochs go."""


@dataclass(frozen=True)
class Undo(Command):
    """Take back the last edit, to the bit."""


@dataclass(frozen=True)
class Redo(Command):
    """Make the last undone edit again."""


@dataclass(frozen=True)
class SetTimelineBudget(Command):
    """The most memory the timeline's frames may take, in MB."""

    megabytes: int

    def check(self):
        checks.whole(self.megabytes, "timeline memory (MB)", 1, 65536)


# --- events (training process → window) ------------------------------------------------
@dataclass(frozen=True)
class Notice:
    """A message for the user: ``level`` "info" or "error"; ``command`` is the id of the
    command that caused it (0 for none)."""

    id: int
    command: int
    level: str
    text: str


@dataclass(frozen=True)
class Progress:
    """How far a long job has got: ``fraction`` in [0, 1]; ``done`` when it ended
    (finished, failed or cancelled)."""

    what: str
    fraction: float
    done: bool = False


@dataclass(frozen=True)
class Fatal:
    """The training process cannot go on (it could not even start)."""

    text: str


@dataclass(frozen=True)
class ConfigChanged:
    """The experiment's settings as the trainer now holds them (sent when they change,
    not with every snapshot)."""

    config: object
    view: dict | None = None  # a session's window settings, after OpenSession
