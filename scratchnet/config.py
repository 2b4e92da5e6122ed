"""One experiment's settings in one dataclass, and the function that builds its trainer."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from . import activations, checks, data, optimizers
from .network import INITS, MAX_LAYERS, Network, validate_sizes
from .settings import TrainingSettings
from .trainer import MAX_EPOCHS, TARGETS, Trainer

_T = TrainingSettings()

BINARY_OUTPUTS = ("sigmoid", "linear")


@dataclass
class Config:
    """Everything that defines an experiment, except the learned state.

    The defaults are the classic demo: the article's circles with a 2-9-6-1 sigmoid
    network, trained by SGD on minibatches of 10. The task (classes or regression) is
    the data's (``data.task``, ``data.classes``); ``output`` applies to two classes,
    and ``target_auc`` is the target AUC, or R² for regression.
    """

    data: data.DataSpec = field(default_factory=data.DataSpec)
    hidden: list = field(default_factory=lambda: [9, 6])
    activations: list = field(default_factory=lambda: ["sigmoid", "sigmoid"])
    output: str = "sigmoid"
    # the training settings' defaults live in one place: TrainingSettings
    init: str = _T.init
    seed: int = 0
    optimizer: str = _T.optimizer
    lr: float = _T.lr
    momentum: float = _T.momentum
    beta1: float = _T.beta1
    beta2: float = _T.beta2
    eps: float = _T.eps
    schedule: dict = field(default_factory=lambda: {"kind": "constant"})
    batch_size: int = _T.batch_size
    l1: float = _T.l1
    l2: float = _T.l2
    max_epochs: int = _T.max_epochs
    target_auc: float | None = _T.target_auc
    target_on: str = _T.target_on

    def sizes(self, n_inputs: int, n_outputs: int = 1) -> list:
        """Units per layer for ``n_inputs`` input features and ``n_outputs`` outputs
        (``Dataset.n_outputs``: K for K ≥ 3 classes, else 1)."""
        return validate_sizes([n_inputs, *self.hidden, n_outputs])

    def make_optimizer(self) -> optimizers.Optimizer:
        """The optimizer these settings describe, with its own hyperparameters."""
        return optimizers.of_settings(self)

    def validate(self) -> "Config":
        """Check every field's type and range; return ``self`` or raise ``ValueError``.

        The data settings are checked by ``DataSpec``; the hidden sizes by
        ``validate_sizes``; the optimizer's own settings by building it once.
        """
        if not isinstance(self.data, data.DataSpec):
            raise ValueError(f"data settings must be a DataSpec, not {self.data!r}")
        self.data.validate()
        hidden = checks.items(self.hidden, "hidden sizes", MAX_LAYERS - 1)
        validate_sizes([1, *hidden, 1])
        acts = checks.items(self.activations, "activations", MAX_LAYERS - 1)
        if len(acts) != len(hidden):
            raise ValueError(f"{len(acts)} activation(s) for {len(hidden)} hidden layer(s)")
        for i, a in enumerate(acts):
            checks.choice(a, f"activation of hidden layer {i + 1}", list(activations.ACTIVATIONS))
        # the output of binary classification; other tasks fix theirs (make_trainer)
        checks.choice(self.output, "output", list(BINARY_OUTPUTS))
        checks.choice(self.init, "init", list(INITS))
        checks.whole(self.seed, "seed", 0, 2**63 - 1)
        checks.choice(self.optimizer, "optimizer", list(optimizers.OPTIMIZERS))
        # checked whichever optimizer is chosen: switching to it later must not fail
        checks.number(self.momentum, "momentum", 0, 1, hi_open=True)
        checks.number(self.beta1, "Adam beta1", 0, 1, hi_open=True)
        checks.number(self.beta2, "Adam beta2", 0, 1, hi_open=True)
        checks.number(self.eps, "Adam epsilon", 0, 1, lo_open=True)
        self.make_optimizer()  # the learning rate and the schedule
        checks.whole(self.batch_size, "batch size", 1, data.MAX_SAMPLES)
        checks.number(self.l1, "l1", 0)
        checks.number(self.l2, "l2", 0)
        checks.whole(self.max_epochs, "max epochs", 0, MAX_EPOCHS)
        if self.target_auc is not None:
            checks.number(self.target_auc, "target AUC", 0, 1, lo_open=True)
        checks.choice(self.target_on, "target_on", TARGETS)
        return self

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Config":
        """Settings from ``to_dict()`` output, every field validated (``ValueError``)."""
        d = dict(checks.mapping(d, "settings"))
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        spec = d.pop("data", {})
        dknown = {f.name for f in dataclasses.fields(data.DataSpec)}
        if not isinstance(spec, dict) or set(spec) - dknown:
            raise ValueError(f"bad data settings: {str(spec)[:80]}")
        return cls(data=data.DataSpec(**spec), **d).validate()


def make_trainer(config: Config, dataset: data.Dataset, network: Network | None = None,
                 track_metrics: bool = True) -> Trainer:
    """A fresh ``Trainer`` (and network, unless one is given) for ``config``.

    The data's task fixes the network's output (``Dataset.task``): softmax with one unit
    per class for K ≥ 3 classes, a linear unit for regression (with the training
    targets' scale, so predictions come back in their units), and ``config.output``
    (sigmoid by default) for two classes.
    """
    if network is None:
        task = dataset.task
        output = config.output if task.output == "sigmoid" else task.output
        mean, std = dataset.target_scale
        network = Network(config.sizes(dataset.n_features, task.n_outputs),
                          activation=list(config.activations), output=output,
                          init=config.init, seed=config.seed, target_mean=mean,
                          target_std=std)
    return Trainer(network, dataset.X_train, dataset.y_train, dataset.X_test, dataset.y_test,
                   optimizer=config.make_optimizer(), batch_size=config.batch_size,
                   l1=config.l1, l2=config.l2, seed=config.seed, target_auc=config.target_auc,
                   target_on=config.target_on, track_metrics=track_metrics)
