"""Datasets: generators, engineered input features, the CSV loader and the split."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import checks, sklearn_ports, tasks
from .csvfile import LABEL_NAMES, MAX_CSV_BYTES, MIN_ROWS, load_csv, read_csv  # noqa: F401
from .generators import (ALL_GENERATORS, GENERATORS, MAX_GENERATED_CLASSES,  # noqa: F401
                         MAX_SAMPLES, MULTICLASS_GENERATORS, REGRESSION_GENERATORS,
                         check_classes, make)
from .inputs import CHUNK, FEATURES, Inputs, engineer  # noqa: F401
from .tasks import Task


def split(X, y, train_fraction: float = 0.75, seed: int = 0, stratify: bool = True):
    """Stratified train/test split: ``X_train, X_test, y_train, y_test``, exactly as
    scikit-learn's ``train_test_split`` makes it (through a numpy port: ``sklearn_ports``).

    Falls back to an unstratified split when a class is too small to stratify, and
    always splits regression targets (``stratify=False``) unstratified.
    """
    train, test = split_rows(y, train_fraction, seed, stratify)
    return X[train], X[test], y[train], y[test]


def split_rows(y, train_fraction: float = 0.75, seed: int = 0, stratify: bool = True):
    """``(train, test)``: the indices (int32) of the rows ``split`` puts in each part, in
    order."""
    if not 0 < train_fraction < 1:
        raise ValueError(f"train fraction must be between 0 and 1, not {train_fraction!r}")
    n_test = len(y) - int(round(train_fraction * len(y)))
    if n_test < 1 or n_test >= len(y):
        raise ValueError(f"a train fraction of {train_fraction} leaves an empty train or test set")
    _, counts = np.unique(y, return_counts=True)
    strat = (stratify and counts.min() >= 2 and n_test >= len(counts)
             and len(y) - n_test >= len(counts))
    rows = sklearn_ports.split_indices(y, n_test, seed, strat)
    # a dataset keeps them: int32 holds 2M rows in half the memory (8 MB less)
    return tuple(r.astype(np.int32) for r in rows)


@dataclass(frozen=True)
class DataSpec:
    """How a dataset was made, so a session can rebuild it (or carry the raw arrays).

    Frozen: one spec is shared by the config, the trainer's tag, frames and undo entries.
    """

    source: str = "circles"  # a generator name, or "csv"
    n_samples: int = 1000
    noise: float = 0.1
    seed: int = 0
    train_fraction: float = 0.75
    features: tuple = ()
    standardize: bool = True
    csv_path: str = ""
    factor: float = 0.1
    cluster_std: float | None = None
    # "auto" guesses from the labels (a generator's own task; a CSV's labels: up to 20
    # distinct values are classes); "classification" or "regression" overrides the guess
    task: str = "auto"
    classes: int = 2  # classes of the blobs (centres) and spiral (arms) generators

    def __post_init__(self):
        self.validate()

    def validate(self) -> "DataSpec":
        """Check every field's type and range (``ValueError``); normalise the numbers
        (the one place a frozen spec's fields are set after it is made)."""
        set_ = object.__setattr__
        checks.choice(self.source, "data source", [*ALL_GENERATORS, "csv"])
        set_(self, "n_samples", checks.whole(self.n_samples, "n_samples", MIN_ROWS, MAX_SAMPLES))
        set_(self, "noise", checks.number(self.noise, "noise", 0))
        # scikit-learn takes seeds below 2**32
        set_(self, "seed", checks.whole(self.seed, "data seed", 0, 2**32 - 1))
        set_(self, "train_fraction", checks.number(self.train_fraction, "train fraction", 0, 1,
                                                   lo_open=True, hi_open=True))
        set_(self, "features", tuple(checks.items(self.features, "features", len(FEATURES))))
        for f in self.features:
            checks.choice(f, "feature", list(FEATURES))
        checks.flag(self.standardize, "standardize")
        checks.text(self.csv_path, "CSV path")
        set_(self, "factor", checks.number(self.factor, "circles factor", 0, 1, hi_open=True))
        if self.cluster_std is not None:
            set_(self, "cluster_std",
                 checks.number(self.cluster_std, "cluster std", 0, lo_open=True))
        checks.choice(self.task, "task", [tasks.AUTO, *tasks.TASKS])
        if self.source == "csv":
            if self.classes != 2:
                raise ValueError("classes of a CSV come from its labels, not the classes "
                                 "setting")
        else:
            set_(self, "classes", check_classes(self.source, self.classes))
            own = generated_task(self.source)
            if self.task not in (tasks.AUTO, own):
                raise ValueError(f"{self.source} is a {own} set, not {self.task}")
        return self


def task_setting(spec: DataSpec) -> str:
    """The task to encode labels by: a generator's own, else ``spec.task`` (may be
    "auto")."""
    return spec.task if spec.source == "csv" else generated_task(spec.source)


def generated_task(name: str) -> str:
    """The task of the generator ``name``: "regression" or "classification"."""
    return tasks.REGRESSION if name in REGRESSION_GENERATORS else tasks.CLASSIFICATION


@dataclass
class Dataset:
    """A split dataset: raw points (for plotting) and network inputs (for training)."""

    raw_train: np.ndarray
    raw_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    names: list  # raw feature names, then the label's
    spec: DataSpec
    inputs: Inputs
    X_train: np.ndarray = None
    X_test: np.ndarray = None
    task: Task = None  # build() gives it; made by hand, guessed from the labels as they are
    # (train, test): which rows of the data as loaded each part holds (build() gives it),
    # so raw() can put them back in order without a second copy kept meanwhile
    rows: tuple | None = None

    def __post_init__(self):
        if self.task is None:
            y = np.concatenate([self.y_train, self.y_test])
            self.task = tasks.of_labels(y, task_setting(self.spec))
        self.X_train = self.inputs(self.raw_train)
        self.X_test = self.inputs(self.raw_test)
        if self.task.kind == tasks.REGRESSION:
            _check_targets(self)
        for X, part in ((self.X_train, "training"), (self.X_test, "test")):
            bad = ~np.all(np.isfinite(X), axis=0)
            if bad.any():
                name = self.input_names[int(np.argmax(bad))]
                raise ValueError(f"input column {name!r}: its {part} values overflow float64 "
                                 f"once engineered or standardised; rescale that column")

    def raw(self):
        """``(X, y, names, classes)`` as ``read_csv`` returns them and ``build`` takes them
        (what a session saves): the rows in the order loaded, or training then test rows
        for a dataset made by hand; ``classes`` is ``None`` for a regression target."""
        if self.rows is None:
            X = np.vstack([self.raw_train, self.raw_test])
            y = np.concatenate([self.y_train, self.y_test])
        else:
            n = len(self.y_train) + len(self.y_test)
            X = np.empty((n, self.raw_train.shape[1]),
                         np.result_type(self.raw_train, self.raw_test))
            y = np.empty(n, np.result_type(self.y_train, self.y_test))
            for part, labels, rows in zip((self.raw_train, self.raw_test),
                                          (self.y_train, self.y_test), self.rows):
                X[rows], y[rows] = part, labels
        return X, y, list(self.names), self.task.classes or None

    @property
    def n_features(self) -> int:
        """Network input width (raw columns plus engineered features)."""
        return self.X_train.shape[1]

    @property
    def input_names(self) -> list:
        return self.names[:-1] + list(self.inputs.features)

    @property
    def n_classes(self) -> int:
        """K for classification, 0 for regression (``task.n_classes``)."""
        return self.task.n_classes

    @property
    def n_outputs(self) -> int:
        """Output units the data need: K for K ≥ 3 classes, else 1."""
        return self.task.n_outputs

    @property
    def target_scale(self) -> tuple[float, float]:
        """Regression: the training targets' ``(mean, std)``, which the network learns
        to undo (``Network.set_target_scale``); ``(0, 1)`` for classification."""
        if self.task.kind != tasks.REGRESSION:
            return 0.0, 1.0
        return tasks.target_scale(self.y_train)


def _check_targets(ds: Dataset) -> None:
    mean, std = ds.target_scale
    with np.errstate(over="ignore", invalid="ignore"):
        fine = all(np.all(np.isfinite((y - mean) / std)) for y in (ds.y_train, ds.y_test))
    if not fine:
        raise ValueError(f"label column {ds.names[-1]!r}: its values overflow float64 once "
                         f"standardised; rescale that column")


def build(spec: DataSpec, raw=None, progress=None) -> Dataset:
    """Make (or take ``raw``), split, engineer and standardise by ``spec``.

    ``raw`` is ``(X, y, names)`` or ``(X, y, names, classes)`` as ``read_csv`` returns
    it: ``classes`` names the classes of labels ``0..K-1`` (``None``: regression, or
    guess). Without class names the task is guessed from ``y`` by ``spec.task``.
    Without ``raw`` the data are generated, or read from ``spec.csv_path`` (calling
    ``progress`` as ``read_csv`` does), and freed once split: a large file's rows are
    then never held twice beside the inputs.
    """
    if raw is None:
        raw = _make_raw(spec, progress)
    X, y, names, *rest = raw
    classes = rest[0] if rest else None
    task, y = tasks.encode(y, task_setting(spec), classes)
    rows = split_rows(y, spec.train_fraction, spec.seed, stratify=task.kind != tasks.REGRESSION)
    Xtr, Xte, ytr, yte = X[rows[0]], X[rows[1]], y[rows[0]], y[rows[1]]
    del raw, X, y  # freed now unless the caller holds them
    inputs = Inputs.fit(Xtr, spec.features, spec.standardize)
    return Dataset(Xtr, Xte, ytr, yte, list(names), spec, inputs, task=task, rows=rows)


def _make_raw(spec: DataSpec, progress=None):
    if spec.source == "csv":
        return read_csv(spec.csv_path, task=spec.task, progress=progress)
    X, y = make(spec.source, spec.n_samples, spec.noise, spec.seed, spec.factor,
                spec.cluster_std, spec.classes)
    own = generated_task(spec.source)  # all K classes, even if a tiny sample misses one
    classes = [str(k) for k in range(spec.classes)] if own == tasks.CLASSIFICATION else None
    return X, y, ["x1", "x2", "label"], classes
