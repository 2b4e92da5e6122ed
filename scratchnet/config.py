"""One experiment's settings in one dataclass, and the function that builds its trainer."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from . import activations, checks, data, optimizers
from . import data as _data  # ``data`` is also a field's name in Config
from .network import INITS, MAX_LAYERS, Network, validate_sizes
from .article_layers import article_refusal
from .settings import BACKPROPS, FIELDS, TrainingSettings
from .trainer import MAX_EPOCHS, TARGETS, Trainer

BINARY_OUTPUTS = ("sigmoid", "linear")
MODEL_FIELDS = ("hidden", "activations", "output")


@dataclass(frozen=True)
class ModelSpec:
    """The network's shape: the hidden layers' sizes and activations, and the output
    unit of two-class classification (``sigmoid`` or ``linear``; other tasks fix
    theirs: ``output_for``)."""

    hidden: tuple = (9, 6)
    activations: tuple = ("sigmoid", "sigmoid")
    output: str = "sigmoid"

    def __post_init__(self):
        for name in ("hidden", "activations"):  # lists in, tuples kept (hashable, shared)
            if isinstance(getattr(self, name), list):
                object.__setattr__(self, name, tuple(getattr(self, name)))

    def output_for(self, task) -> str:
        """The output rule, in one place: softmax for K ≥ 3 classes and linear for
        regression (the task's own), ``output`` for two classes."""
        return self.output if task.output == "sigmoid" else task.output

    def sizes(self, n_inputs: int, n_outputs: int = 1) -> list:
        """Units per layer for ``n_inputs`` features and ``n_outputs`` outputs."""
        return validate_sizes([n_inputs, *self.hidden, n_outputs])

    def validate(self) -> "ModelSpec":
        """Check the sizes and activations; return ``self`` or raise ``ValueError``."""
        hidden = checks.items(self.hidden, "hidden sizes", MAX_LAYERS - 1)
        validate_sizes([1, *hidden, 1])
        acts = checks.items(self.activations, "activations", MAX_LAYERS - 1)
        if len(acts) != len(hidden):
            raise ValueError(f"{len(acts)} activation(s) for {len(hidden)} hidden layer(s)")
        for i, a in enumerate(acts):
            checks.choice(a, f"activation of hidden layer {i + 1}", list(activations.ACTIVATIONS))
        checks.choice(self.output, "output", list(BINARY_OUTPUTS))
        return self


def _check_training(t: TrainingSettings) -> None:
    checks.choice(t.init, "init", list(INITS))
    checks.choice(t.optimizer, "optimizer", list(optimizers.OPTIMIZERS))
    # checked whichever optimizer is chosen: switching to it later must not fail
    checks.number(t.momentum, "momentum", 0, 1, hi_open=True)
    checks.number(t.beta1, "Adam beta1", 0, 1, hi_open=True)
    checks.number(t.beta2, "Adam beta2", 0, 1, hi_open=True)
    checks.number(t.eps, "Adam epsilon", 0, 1, lo_open=True)
    t.make_optimizer()  # the learning rate and the schedule
    checks.whole(t.batch_size, "batch size", 1, data.MAX_SAMPLES)
    checks.number(t.l1, "l1", 0)
    checks.number(t.l2, "l2", 0)
    checks.whole(t.max_epochs, "max epochs", 0, MAX_EPOCHS)
    if t.target_auc is not None:
        checks.number(t.target_auc, "target AUC", 0, 1, lo_open=True)
    checks.choice(t.target_on, "target_on", TARGETS)
    checks.choice(t.backprop, "backprop", list(BACKPROPS))


@dataclass(frozen=True, init=False)
class Config:
    """Everything that defines an experiment, except the learned state: the data
    (``DataSpec``), the network's shape (``ModelSpec``), the training settings
    (``TrainingSettings``) and the seed of the weights and the shuffles.

    Frozen, so the config, the trainer's tag, the timeline's frames and undo entries
    share one value safely. The defaults are the classic demo: the article's circles
    with a 2-9-6-1 sigmoid network, trained by SGD on minibatches of 10.

    Parameters
    ----------
    data, model, training : optional
        The parts; their defaults when omitted.
    seed : int
    **settings
        Fields of ``ModelSpec`` or ``TrainingSettings`` by name, applied to the parts:
        ``Config(hidden=[4], lr=0.5)``. An unknown name is a ``TypeError``.
    """

    data: data.DataSpec
    model: ModelSpec
    training: TrainingSettings
    seed: int

    def __init__(self, data: data.DataSpec | None = None, model: ModelSpec | None = None,
                 training: TrainingSettings | None = None, seed: int = 0, **settings):
        unknown = set(settings) - set(MODEL_FIELDS) - set(FIELDS)
        if unknown:
            raise TypeError(f"Config has no setting {', '.join(sorted(unknown))}")
        model = model if model is not None else ModelSpec()
        training = training if training is not None else TrainingSettings()
        shape = {k: settings.pop(k) for k in MODEL_FIELDS if k in settings}
        set_ = object.__setattr__
        set_(self, "data", data if data is not None else _data.DataSpec())
        set_(self, "model", dataclasses.replace(model, **shape) if shape else model)
        set_(self, "training", dataclasses.replace(training, **settings) if settings
             else training)
        set_(self, "seed", seed)

    def replace(self, **changes) -> "Config":
        """A copy with ``changes``: parts (``data``, ``model``, ``training``), ``seed``,
        or fields of the model and training settings by name (not validated)."""
        parts = {k: changes.pop(k, getattr(self, k)) for k in ("data", "model", "training",
                                                              "seed")}
        return Config(**parts, **changes)

    def sizes(self, n_inputs: int, n_outputs: int = 1) -> list:
        """Units per layer for ``n_inputs`` input features and ``n_outputs`` outputs
        (``Dataset.n_outputs``: K for K ≥ 3 classes, else 1)."""
        return self.model.sizes(n_inputs, n_outputs)

    def make_optimizer(self) -> optimizers.Optimizer:
        """The optimizer these settings describe, with its own hyperparameters."""
        return self.training.make_optimizer()

    def validate(self) -> "Config":
        """Check every field's type and range; return ``self`` or raise ``ValueError``.

        The data settings are checked by ``DataSpec``, the shape by ``ModelSpec``, the
        optimizer's own settings by building it once.
        """
        if not isinstance(self.data, _data.DataSpec):
            raise ValueError(f"data settings must be a DataSpec, not {self.data!r}")
        self.data.validate()
        if not isinstance(self.model, ModelSpec) or not isinstance(self.training,
                                                                   TrainingSettings):
            raise ValueError("the model and training settings must be a ModelSpec and "
                             "TrainingSettings")
        self.model.validate()
        _check_training(self.training)
        m, t = self.model, self.training
        need = t.backprop == "article" and article_refusal(
            m.activations, m.output, t.optimizer, t.batch_size, t.l1, t.l2, t.schedule)
        if need:
            raise ValueError(f"the article's backprop needs {need}")
        checks.whole(self.seed, "seed", 0, 2**63 - 1)
        return self

    def to_dict(self) -> dict:
        """Flat, as sessions store it: ``data`` (a dict), the model's and the training
        settings' fields by name, and ``seed``."""
        out = {"data": dataclasses.asdict(self.data)}
        out.update({k: _plain(getattr(self.model, k)) for k in MODEL_FIELDS})
        out.update({k: _plain(getattr(self.training, k)) for k in FIELDS})
        out["seed"] = self.seed
        out["data"]["features"] = list(self.data.features)
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "Config":
        """Settings from ``to_dict()`` output, every field validated (``ValueError``)."""
        d = dict(checks.mapping(d, "settings"))
        known = {"data", "seed", *MODEL_FIELDS, *FIELDS}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        spec = d.pop("data", {})
        dknown = {f.name for f in dataclasses.fields(_data.DataSpec)}
        if not isinstance(spec, dict) or set(spec) - dknown:
            raise ValueError(f"bad data settings: {str(spec)[:80]}")
        return cls(data=_data.DataSpec(**spec), **d).validate()


def _plain(value):
    """A tuple as a list (JSON's and the sessions' shape); other values as they are."""
    return list(value) if isinstance(value, tuple) else value


def make_trainer(config: Config, dataset: data.Dataset, network: Network | None = None,
                 track_metrics: bool = True) -> Trainer:
    """A fresh ``Trainer`` (and network, unless one is given) for ``config``.

    The data's task fixes the network's output (``Dataset.task``): softmax with one unit
    per class for K ≥ 3 classes, a linear unit for regression (with the training
    targets' scale, so predictions come back in their units), and ``config.output``
    (sigmoid by default) for two classes.
    """
    t = config.training
    if network is None:
        task = dataset.task
        mean, std = dataset.target_scale
        network = Network(config.sizes(dataset.n_features, task.n_outputs),
                          activation=list(config.model.activations),
                          output=config.model.output_for(task), init=t.init,
                          seed=config.seed, target_mean=mean, target_std=std)
    return Trainer(network, dataset.X_train, dataset.y_train, dataset.X_test, dataset.y_test,
                   optimizer=config.make_optimizer(), batch_size=t.batch_size, l1=t.l1,
                   l2=t.l2, seed=config.seed, target_auc=t.target_auc,
                   target_on=t.target_on, track_metrics=track_metrics, backprop=t.backprop)
