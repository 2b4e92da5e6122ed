"""One experiment's settings in one dataclass, and the function that builds its trainer."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from . import data, optimizers
from .network import Network, validate_sizes
from .trainer import Trainer


@dataclass
class Config:
    """Everything that defines an experiment, except the learned state.

    The defaults are the classic demo: the article's circles with a 2-9-6-1 sigmoid
    network, trained by SGD on minibatches of 10.
    """

    data: data.DataSpec = field(default_factory=data.DataSpec)
    hidden: list = field(default_factory=lambda: [9, 6])
    activations: list = field(default_factory=lambda: ["sigmoid", "sigmoid"])
    output: str = "sigmoid"
    init: str = "normal"
    seed: int = 0
    optimizer: str = "sgd"
    lr: float = 0.1
    momentum: float = 0.9
    schedule: dict = field(default_factory=lambda: {"kind": "constant"})
    batch_size: int = 10
    l1: float = 0.0
    l2: float = 0.0
    max_epochs: int = 1000
    target_auc: float | None = None
    target_on: str = "train"

    def sizes(self, n_inputs: int) -> list:
        """Units per layer for ``n_inputs`` input features (output width 1)."""
        return validate_sizes([n_inputs, *self.hidden, 1])

    def make_optimizer(self) -> optimizers.Optimizer:
        extra = {"momentum": self.momentum} if self.optimizer == "momentum" else {}
        return optimizers.make(self.optimizer, self.lr, dict(self.schedule), **extra)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Config":
        d = dict(d)
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        spec = d.pop("data", {})
        dknown = {f.name for f in dataclasses.fields(data.DataSpec)}
        if not isinstance(spec, dict) or set(spec) - dknown:
            raise ValueError(f"bad data settings: {spec!r}")
        return cls(data=data.DataSpec(**spec), **d)


def make_trainer(config: Config, dataset: data.Dataset, network: Network | None = None,
                 track_metrics: bool = True) -> Trainer:
    """A fresh ``Trainer`` (and network, unless one is given) for ``config``."""
    if network is None:
        network = Network(config.sizes(dataset.n_features), activation=list(config.activations),
                          output=config.output, init=config.init, seed=config.seed)
    return Trainer(network, dataset.X_train, dataset.y_train, dataset.X_test, dataset.y_test,
                   optimizer=config.make_optimizer(), batch_size=config.batch_size,
                   l1=config.l1, l2=config.l2, seed=config.seed, target_auc=config.target_auc,
                   target_on=config.target_on, track_metrics=track_metrics)
