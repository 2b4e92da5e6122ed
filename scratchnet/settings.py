"""Every training hyperparameter in one value: what the window's panel shows, what the
``Configure`` command carries whole, and what a session restores.

``Config.training`` holds one; ``TrainingSettings.of(config)`` and
``settings.applied_to(config)`` move between the two, so no code path ever sends or
applies part of them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from . import optimizers
from .optimizers import Schedule

BACKPROPS = ("correct", "article")  # the engine's exact backprop, or the article's loop
FIELDS = ("init", "optimizer", "lr", "momentum", "beta1", "beta2", "eps", "schedule",
          "batch_size", "l1", "l2", "max_epochs", "target_auc", "target_on", "backprop")


def full_schedule(schedule: dict) -> dict:
    """A schedule with every parameter spelled out (the defaults for those missing)."""
    return dataclasses.asdict(Schedule(**dict(schedule)))


@dataclass(frozen=True)
class TrainingSettings:
    """Initialisation, optimizer and its hyperparameters, schedule with its parameters,
    batch size, L1/L2, epoch limit, the target AUC with the set it is measured on, and
    the backprop: the engine's (``"correct"``) or the article's (``"article"``)."""

    init: str = "normal"
    optimizer: str = "sgd"
    lr: float = 0.1
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    schedule: dict = field(default_factory=lambda: full_schedule({}))
    batch_size: int = 10
    l1: float = 0.0
    l2: float = 0.0
    max_epochs: int = 1000
    target_auc: float | None = None
    target_on: str = "train"
    # "article": the article's per-sample loop with its two mistakes (all-sigmoid,
    # per-sample SGD only: ``article_layers.article_refusal``)
    backprop: str = "correct"

    @classmethod
    def of(cls, config) -> "TrainingSettings":
        """The training settings of ``config``, the schedule's parameters spelled out."""
        t = config.training
        return dataclasses.replace(t, schedule=full_schedule(t.schedule))

    def applied_to(self, config):
        """A validated copy of ``config`` with these settings (``ValueError`` names the
        first bad one; ``config`` itself is untouched)."""
        return config.replace(training=dataclasses.replace(
            self, schedule=dict(self.schedule))).validate()

    def make_optimizer(self) -> optimizers.Optimizer:
        """The optimizer these settings describe, with its own hyperparameters."""
        return optimizers.of_settings(self)

    def optimizer_state_kept(self, other: "TrainingSettings") -> bool:
        """Whether going from ``other`` to these settings keeps the optimizer's state
        (momentum, Adam's moments): the same optimizer with the same own parameters."""
        own = ("optimizer", "momentum", "beta1", "beta2", "eps")
        return all(getattr(self, k) == getattr(other, k) for k in own)
