"""What the window and the training process say to each other: one frozen dataclass per
command and per event. Qt-free: the training process imports it.

Commands check their own fields when they are built, in the window's process, so a
bad value is refused with a clear ``ValueError`` before it reaches the trainer. Checks
that need the trainer's state (a weight index against the network's shape) happen
there, and come back as a ``Notice``.
"""

from __future__ import annotations

import dataclasses
import enum
import math
from dataclasses import dataclass

from scratchnet import checks, data
from scratchnet.config import ModelSpec
from scratchnet.network import MAX_LAYERS
from scratchnet.settings import TrainingSettings



class Word(str, enum.Enum):
    """An enum whose members are words: each compares, hashes and prints as its value,
    so a view's table keyed by the word still finds it."""

    def __str__(self):
        return self.value


class StepKind(Word):
    """What a ``Step`` asks of the stepper (see ``Step``)."""

    SAMPLE = "sample"
    NEXT = "next"
    APPLY = "apply"
    UNAPPLY = "unapply"
    PREVIOUS = "previous"


class NoticeLevel(Word):
    """How a ``Notice`` is shown: news in the status bar, or an error in a dialog."""

    INFO = "info"
    ERROR = "error"


@dataclass(frozen=True)
class Traits:
    """What a command does to the training process's state, declared by each command.

    Parameters
    ----------
    undoable : bool
        An edit that Undo takes back whole (``label`` names it: "Undo add layer").
    in_place : bool
        An undoable edit of the live trainer in place: at an epoch's start, that
        epoch's timeline frame is recorded again to show it.
    keeps_steps : bool
        The stepper's stack of stepped samples still holds after it.
    keeps_scrub : bool
        A scrubbed timeline view stays where it is (else the live state shows again).
    changes_model : bool
        It may change the weights, the data or the history (``model_version`` moves).
    pauses : bool
        Training pauses once it has been handled (not if it failed).
    label : str
        The Edit menu's name for an undoable command (``Command.edit_label`` may say
        more from the state it edits).
    standing : bool
        A preference of the window's that the training process keeps (its pace, its
        timeline memory): the latest one is sent again to a restarted process.
    """

    undoable: bool = False
    in_place: bool = False
    keeps_steps: bool = False
    keeps_scrub: bool = False
    changes_model: bool = True
    pauses: bool = False
    label: str = ""
    standing: bool = False

    def __post_init__(self):
        if self.undoable != bool(self.label):
            raise ValueError("an undoable command has a label, and only it")
        if self.in_place and not self.undoable:
            raise ValueError("only an undoable edit is recorded in place")


# the commands that change nothing the trainer holds: the stepper and a scrubbed view stay
LOOKS_ONLY = Traits(keeps_steps=True, keeps_scrub=True, changes_model=False)
STANDING = Traits(keeps_steps=True, keeps_scrub=True, changes_model=False, standing=True)


class Command:
    """Base of every command; ``id`` is set by the controller when it is sent.

    Each subclass declares ``traits`` (a ``Traits``) in its own body: nothing about what
    a command does is left to a default (``test_protocol`` checks it).
    """

    traits: Traits

    def check(self) -> None:
        """Raise ``ValueError`` if a field is out of range (called on construction)."""

    def __post_init__(self):
        self.check()

    def edit_label(self, config, shown_epoch=None) -> str:
        """What the Edit menu calls this edit, given the ``config`` it changes and the
        epoch shown on the timeline; by default ``traits.label``."""
        return self.traits.label


# --- commands that need nothing ---------------------------------------------------------
@dataclass(frozen=True)
class Play(Command):
    traits = Traits()


@dataclass(frozen=True)
class Pause(Command):
    traits = Traits(keeps_scrub=True, changes_model=False, pauses=True)


@dataclass(frozen=True)
class StepEpoch(Command):
    traits = Traits(pauses=True)


@dataclass(frozen=True)
class StepBatch(Command):
    traits = Traits(pauses=True)


@dataclass(frozen=True)
class Reset(Command):
    """Fresh weights and history from the seed; the data stay."""

    traits = Traits(undoable=True, pauses=True, label="reset")


@dataclass(frozen=True)
class GradCheck(Command):
    traits = Traits(keeps_steps=True, changes_model=False, pauses=True)


@dataclass(frozen=True)
class Stop(Command):
    """End the training process."""

    traits = LOOKS_ONLY


# --- commands with settings -------------------------------------------------------------
@dataclass(frozen=True)
class Configure(Command):
    """Every training setting at once: nothing is ever applied in part."""

    traits = Traits(undoable=True, in_place=True, label="change training settings")

    settings: TrainingSettings

    def check(self):
        if not isinstance(self.settings, TrainingSettings):
            raise ValueError(f"Configure takes TrainingSettings, not {self.settings!r}")

    def edit_label(self, config, shown_epoch=None):
        now = TrainingSettings.of(config)
        changed = [f.name for f in dataclasses.fields(self.settings)
                   if getattr(self.settings, f.name) != getattr(now, f.name)]
        return (f"change {changed[0].replace('_', ' ')}" if len(changed) == 1
                else self.traits.label)


@dataclass(frozen=True)
class Resize(Command):
    """New hidden layers; every neuron that survives keeps its weights."""

    traits = Traits(undoable=True, in_place=True, label="edit layers")

    hidden: tuple
    activations: tuple

    def check(self):
        ModelSpec(self.hidden, self.activations).validate()  # the one shape check

    def edit_label(self, config, shown_epoch=None):
        old_h, old_a = list(config.model.hidden), list(config.model.activations)
        new_h, new_a = list(self.hidden), list(self.activations)
        if len(new_h) != len(old_h):
            return "add layer" if len(new_h) > len(old_h) else "remove layer"
        return "change neurons" if new_h != old_h else (
            "change activation" if new_a != old_a else self.traits.label)


@dataclass(frozen=True)
class SetWeight(Command):
    """One weight of ``layer`` (0-based), or its bias when ``col == -1``."""

    traits = Traits(undoable=True, in_place=True, label="edit weight")

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

    def edit_label(self, config, shown_epoch=None):
        return "edit bias" if self.col < 0 else self.traits.label


@dataclass(frozen=True)
class SetWeights(Command):
    """Every layer's ``(W, b)`` at once (a restarted trainer takes the last weights)."""

    traits = Traits()

    weights: tuple


@dataclass(frozen=True)
class LoadExperiment(Command):
    """Replace data, model and training settings with ``config`` (fresh weights): the
    Examples menu's presets."""

    traits = Traits(undoable=True, pauses=True, label="load example")

    config: object

    def check(self):
        from scratchnet.config import Config

        if not isinstance(self.config, Config):
            raise ValueError(f"LoadExperiment takes a Config, not {self.config!r}")
        self.config.validate()


@dataclass(frozen=True)
class SetData(Command):
    """New data: generated from ``spec``, or ``raw = (X, y, names)`` from a CSV file."""

    traits = Traits(undoable=True, label="change data")

    spec: data.DataSpec
    raw: tuple | None = None

    def check(self):
        if not isinstance(self.spec, data.DataSpec):
            raise ValueError(f"SetData takes a DataSpec, not {self.spec!r}")
        self.spec.validate()

    def edit_label(self, config, shown_epoch=None):
        return "regenerate data" if self.spec == config.data else self.traits.label


@dataclass(frozen=True)
class OpenData(Command):
    """Read the CSV file ``spec.csv_path`` in the training process, off the window's
    thread, reporting ``Progress``; on success it becomes the data (as ``SetData``)."""

    traits = LOOKS_ONLY  # the data change later, when the file is read (finish_load)

    spec: data.DataSpec

    def check(self):
        if not isinstance(self.spec, data.DataSpec) or self.spec.source != "csv":
            raise ValueError(f"OpenData takes a CSV DataSpec, not {self.spec!r}")
        checks.text(self.spec.csv_path, "CSV path")


@dataclass(frozen=True)
class CancelLoad(Command):
    """Stop reading a CSV file; the current data stay."""

    traits = LOOKS_ONLY


@dataclass(frozen=True)
class OpenSession(Command):
    traits = Traits(undoable=True, pauses=True, label="open session")

    path: str

    def check(self):
        checks.text(self.path, "session path")


@dataclass(frozen=True)
class SaveSession(Command):
    """Save to ``path``; ``view`` holds the window's own settings (the threshold)."""

    traits = LOOKS_ONLY

    path: str
    view: dict | None = None

    def check(self):
        checks.text(self.path, "session path")


@dataclass(frozen=True)
class Step(Command):
    """The stepper: ``sample`` (one whole SGD step), ``next`` (a sample at its first
    phase), ``apply`` / ``unapply`` (its update), ``previous`` (the sample before)."""

    kind: StepKind

    def check(self):
        try:
            kind = StepKind(self.kind)
        except ValueError:
            raise ValueError(f"step kind must be one of {', '.join(StepKind)}, "
                             f"not {self.kind!r}") from None
        object.__setattr__(self, "kind", kind)  # a member, whatever word it was given

    @property
    def traits(self) -> Traits:
        """Moving to the next or the previous sample shows it without changing the
        model; the other kinds train or take back a sample's update."""
        moves = self.kind in (StepKind.NEXT, StepKind.PREVIOUS)
        return Traits(keeps_steps=True, changes_model=not moves, pauses=True)


@dataclass(frozen=True)
class SelectSample(Command):
    """Step training sample ``index`` next."""

    traits = Traits(keeps_steps=True, changes_model=False, pauses=True)

    index: int

    def check(self):
        checks.whole(self.index, "sample index", 0)


@dataclass(frozen=True)
class SetSpeed(Command):
    """At most ``epochs_per_s`` epochs a second; ``None`` for as fast as possible."""

    traits = STANDING

    epochs_per_s: float | None

    def check(self):
        if self.epochs_per_s is not None:
            checks.number(self.epochs_per_s, "speed (epochs per second)", 0, lo_open=True)


@dataclass(frozen=True)
class SetAxes(Command):
    """Which two raw columns the prediction view plots."""

    traits = Traits(keeps_steps=True, keeps_scrub=True)  # new points: the views redraw

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

    traits = Traits(keeps_scrub=True)  # the model shown changes

    epoch: int | None

    def check(self):
        if self.epoch is not None:
            checks.whole(self.epoch, "epoch", 0)


@dataclass(frozen=True)
class BranchHere(Command):
    """Resume from the epoch shown: it becomes the live state; later epochs go."""

    traits = Traits(undoable=True, keeps_scrub=True, pauses=True, label="resume from epoch")

    def edit_label(self, config, shown_epoch=None):
        return f"resume from epoch {'?' if shown_epoch is None else shown_epoch}"


@dataclass(frozen=True)
class Undo(Command):
    """Take back the last edit, to the bit."""

    traits = Traits()  # pauses when it swaps (History)


@dataclass(frozen=True)
class Redo(Command):
    """Make the last undone edit again."""

    traits = Traits()  # pauses when it swaps (History)


@dataclass(frozen=True)
class SetTimelineBudget(Command):
    """The most memory the timeline's frames may take, in MB."""

    traits = STANDING  # a scrubbed view moved to another frame says so itself

    megabytes: int

    def check(self):
        checks.whole(self.megabytes, "timeline memory (MB)", 1, 65536)


@dataclass(frozen=True)
class SetLandscape(Command):
    """The Landscape view is ``open`` (or closed: nothing is computed): the loss plane
    around the shown weights along ``directions`` ("pca": the path's principal axes,
    "random": filter-normalised ones drawn from ``seed``), and the sharpness."""

    traits = STANDING  # a restarted training process computes it again

    open: bool
    directions: str = "pca"
    seed: int = 0

    def check(self):
        if not isinstance(self.open, bool):
            raise ValueError(f"open must be True or False, not {self.open!r}")
        checks.choice(self.directions, "landscape directions", ["pca", "random"])
        checks.whole(self.seed, "landscape seed", 0, 2**32 - 1)


# --- what the training process computes for a view that is open -------------------------
@dataclass(frozen=True)
class ShowHiddenSpace(Command):
    """The hidden-space view is open on hidden ``layer`` (1 for the first, 0 for the
    last), or closed (``None``): its coordinates are computed only while it is open."""

    traits = STANDING  # a restarted process computes them again while the view is open

    layer: int | None

    def check(self):
        if self.layer is not None:
            checks.whole(self.layer, "hidden layer", 0, MAX_LAYERS)


@dataclass(frozen=True)
class JoinLockstep(Command):
    """Train in lockstep with another run through the shared block ``name`` as run
    ``run`` (0 for A, 1 for B), or alone again (``name`` None): compare mode."""

    traits = STANDING  # a restarted process joins its comparison again

    name: str | None
    run: int = 0

    def check(self):
        if self.name is not None and not (isinstance(self.name, str)
                                          and 0 < len(self.name) <= 64
                                          and self.name.replace("_", "").isalnum()):
            raise ValueError(f"bad shared block name {self.name!r}")
        checks.whole(self.run, "run", 0, 1)


def command_types() -> list:
    """Every command class (each subclass of ``Command``, however deep)."""
    found, todo = [], list(Command.__subclasses__())
    while todo:
        cls = todo.pop(0)
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


# --- events (training process → window) ------------------------------------------------
class Event:
    """Base of everything the training process sends the window: ``Snapshot`` (in
    ``snapshot``), ``Notice``, ``Progress``, ``Fatal`` and ``ConfigChanged``. The
    controller handles each kind in one ``match``; anything else is an error."""


@dataclass(frozen=True)
class Notice(Event):
    """A message for the user at ``level``; ``command`` is the id of the command that
    caused it (0 for none)."""

    id: int
    command: int
    level: NoticeLevel
    text: str


@dataclass(frozen=True)
class Progress(Event):
    """How far a long job has got: ``fraction`` in [0, 1]; ``done`` when it ended
    (finished, failed or cancelled)."""

    what: str
    fraction: float
    done: bool = False


@dataclass(frozen=True)
class Fatal(Event):
    """The training process cannot go on (it could not even start)."""

    text: str


@dataclass(frozen=True)
class ConfigChanged(Event):
    """The experiment's settings as the trainer now holds them (sent when they change,
    not with every snapshot)."""

    config: object
    view: dict | None = None  # a session's window settings, after OpenSession
