"""Datasets: generators, engineered input features, the CSV loader and the split."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import checks, sklearn_ports
from .csvfile import LABEL_NAMES, MAX_CSV_BYTES, MIN_ROWS, load_csv  # noqa: F401 (API)

GENERATORS = ("circles", "blobs", "moons", "xor", "spiral", "gaussian")
# Points per dataset, generated or read. A million 2-D points train at a few seconds an
# epoch and fill the views' budget many times over; 10**9 would ask for 16 GB before the
# first epoch. Checked before anything is allocated.
MAX_SAMPLES = 1_000_000


def make(name: str = "circles", n_samples: int = 1000, noise: float = 0.1, seed: int = 0,
         factor: float = 0.1, cluster_std: float | None = None):
    """Generate a two-class, two-feature dataset.

    Parameters
    ----------
    name : {"circles", "blobs", "moons", "xor", "spiral", "gaussian"}
    n_samples : int
        From ``MIN_ROWS`` up to ``MAX_SAMPLES`` (checked before anything is allocated).
    noise : float
        Gaussian noise on the points; for "blobs" it is the cluster standard deviation
        unless ``cluster_std`` is given.
    seed : int
    factor : float
        Inner to outer radius for "circles" (the article's 0.1).

    Returns
    -------
    X : ndarray (n, 2) float64, y : ndarray (n,) float64 in {0, 1}
    """
    if name not in GENERATORS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(GENERATORS)}")
    n_samples = checks.whole(n_samples, "n_samples", MIN_ROWS, MAX_SAMPLES)  # before allocating
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number ≥ 0, not {noise!r}")
    rng = np.random.default_rng(seed)
    if name == "circles":  # the classic demo: no scikit-learn import before its first frame
        X, y = sklearn_ports.make_circles(n_samples, noise, factor, seed)
    elif name in ("moons", "blobs"):
        X, y = _sklearn_generated(name, n_samples, noise, seed, cluster_std)
    elif name == "xor":
        X = rng.uniform(-1, 1, (n_samples, 2))
        y = (X[:, 0] * X[:, 1] > 0).astype(float)
        X = X + rng.normal(0, noise, X.shape)
    elif name == "gaussian":
        y = rng.integers(0, 2, n_samples).astype(float)
        X = rng.normal(0, 0.5 + noise, (n_samples, 2)) + np.where(y[:, None] > 0, 1.0, -1.0)
    else:  # two interleaved spirals
        y = np.arange(n_samples) % 2
        t = np.sqrt(rng.uniform(0, 1, n_samples)) * 3 * np.pi
        X = np.column_stack([t * np.cos(t + np.pi * y), t * np.sin(t + np.pi * y)]) / (3 * np.pi)
        X = X + rng.normal(0, noise, X.shape)
    return np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)


def _sklearn_generated(name, n_samples, noise, seed, cluster_std):
    from sklearn import datasets as skd  # here, not at the top: it costs the window ~1 s

    if name == "moons":
        return skd.make_moons(n_samples, noise=noise, random_state=seed)
    std = cluster_std if cluster_std is not None else max(noise, 1e-9)
    return skd.make_blobs(n_samples, centers=2, cluster_std=std, random_state=seed)


# --- engineered features ---------------------------------------------------------------
FEATURES = {
    "x1²": lambda x1, x2: x1 * x1,
    "x2²": lambda x1, x2: x2 * x2,
    "x1·x2": lambda x1, x2: x1 * x2,
    "sin x1": lambda x1, x2: np.sin(x1),
    "sin x2": lambda x1, x2: np.sin(x2),
    "radius": lambda x1, x2: np.sqrt(x1 * x1 + x2 * x2),
}


def engineer(X: np.ndarray, features=()) -> np.ndarray:
    """Append the named engineered ``features`` (keys of ``FEATURES``), built from the
    first two columns, to ``X``."""
    features = list(features)
    if not features:
        return X
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ValueError(f"unknown feature(s) {unknown}; choose from {', '.join(FEATURES)}")
    if X.shape[1] < 2:
        raise ValueError("engineered features need at least two input columns")
    x1, x2 = X[:, 0], X[:, 1]
    with np.errstate(over="ignore", invalid="ignore"):  # Dataset names a column that overflows
        return np.column_stack([X] + [FEATURES[f](x1, x2) for f in features])


def split(X, y, train_fraction: float = 0.75, seed: int = 0):
    """Stratified train/test split: ``X_train, X_test, y_train, y_test``, exactly as
    scikit-learn's ``train_test_split`` makes it (through a numpy port: ``sklearn_ports``).

    Falls back to an unstratified split when a class is too small to stratify.
    """
    if not 0 < train_fraction < 1:
        raise ValueError(f"train fraction must be between 0 and 1, not {train_fraction!r}")
    n_test = len(y) - int(round(train_fraction * len(y)))
    if n_test < 1 or n_test >= len(y):
        raise ValueError(f"a train fraction of {train_fraction} leaves an empty train or test set")
    _, counts = np.unique(y, return_counts=True)
    strat = counts.min() >= 2 and n_test >= len(counts) and len(y) - n_test >= len(counts)
    train, test = sklearn_ports.split_indices(y, n_test, seed, strat)
    return X[train], X[test], y[train], y[test]


@dataclass
class DataSpec:
    """How a dataset was made, so a session can rebuild it (or carry the raw arrays)."""

    source: str = "circles"  # a generator name, or "csv"
    n_samples: int = 1000
    noise: float = 0.1
    seed: int = 0
    train_fraction: float = 0.75
    features: list = field(default_factory=list)
    standardize: bool = True
    csv_path: str = ""
    factor: float = 0.1
    cluster_std: float | None = None

    def __post_init__(self):
        self.validate()

    def validate(self) -> "DataSpec":
        """Check every field's type and range (``ValueError``); normalise the numbers."""
        checks.choice(self.source, "data source", [*GENERATORS, "csv"])
        self.n_samples = checks.whole(self.n_samples, "n_samples", MIN_ROWS, MAX_SAMPLES)
        self.noise = checks.number(self.noise, "noise", 0)
        # scikit-learn takes seeds below 2**32
        self.seed = checks.whole(self.seed, "data seed", 0, 2**32 - 1)
        self.train_fraction = checks.number(self.train_fraction, "train fraction", 0, 1,
                                            lo_open=True, hi_open=True)
        self.features = checks.items(self.features, "features", len(FEATURES))
        for f in self.features:
            checks.choice(f, "feature", list(FEATURES))
        checks.flag(self.standardize, "standardize")
        checks.text(self.csv_path, "CSV path")
        self.factor = checks.number(self.factor, "circles factor", 0, 1, hi_open=True)
        if self.cluster_std is not None:
            self.cluster_std = checks.number(self.cluster_std, "cluster std", 0, lo_open=True)
        return self


@dataclass(frozen=True)
class Inputs:
    """Raw points → network inputs: engineered features, then optional standardisation
    with the *training* set's mean and standard deviation.

    Each column is first divided by ``scale``, a power of two near its largest size, so
    the sums of squares cannot overflow (values of 1e200 or 1e308 standardise as well
    as values of 1). Scaling by a power of two is exact: the results are bit-identical
    to ``(X − mean) / std`` whenever that does not overflow.
    """

    features: tuple = ()
    mean: np.ndarray | None = None
    std: np.ndarray | None = None
    scale: np.ndarray | None = None

    def __call__(self, X_raw: np.ndarray) -> np.ndarray:
        X = engineer(np.asarray(X_raw, dtype=np.float64), self.features)
        if self.mean is None:
            return X
        s = 1.0 if self.scale is None else self.scale
        with np.errstate(over="ignore", invalid="ignore"):  # Dataset names such a column
            return (X / s - self.mean / s) / (self.std / s)

    @classmethod
    def fit(cls, X_raw, features=(), standardize=True) -> "Inputs":
        X = engineer(np.asarray(X_raw, dtype=np.float64), features)
        if not standardize or not np.all(np.isfinite(X)):
            return cls(tuple(features))  # Dataset refuses non-finite inputs by name
        top = np.max(np.abs(X), axis=0) if len(X) else np.zeros(X.shape[1])
        scale = np.ldexp(1.0, np.frexp(top)[1] - 1)  # max|x|/scale in [1, 2): 2**1023 at most
        Xs = X / scale
        std = Xs.std(axis=0)
        # std ≤ max|x| and |mean| ≤ max|x|: both are finite in real units
        return cls(tuple(features), Xs.mean(axis=0) * scale,
                   np.where(std > 0, std * scale, 1.0), scale)


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

    def __post_init__(self):
        self.X_train = self.inputs(self.raw_train)
        self.X_test = self.inputs(self.raw_test)
        for X, part in ((self.X_train, "training"), (self.X_test, "test")):
            bad = ~np.all(np.isfinite(X), axis=0)
            if bad.any():
                name = self.input_names[int(np.argmax(bad))]
                raise ValueError(f"input column {name!r}: its {part} values overflow float64 "
                                 f"once engineered or standardised; rescale that column")

    @property
    def n_features(self) -> int:
        """Network input width (raw columns plus engineered features)."""
        return self.X_train.shape[1]

    @property
    def input_names(self) -> list:
        return self.names[:-1] + list(self.inputs.features)


def build(spec: DataSpec, raw=None) -> Dataset:
    """Make (or take ``raw = (X, y, names)``), split, engineer and standardise by ``spec``."""
    if raw is None:
        if spec.source == "csv":
            raw = load_csv(spec.csv_path)
        else:
            X, y = make(spec.source, spec.n_samples, spec.noise, spec.seed, spec.factor,
                        spec.cluster_std)
            raw = (X, y, ["x1", "x2", "label"])
    X, y, names = raw
    Xtr, Xte, ytr, yte = split(X, y, spec.train_fraction, spec.seed)
    inputs = Inputs.fit(Xtr, spec.features, spec.standardize)
    return Dataset(Xtr, Xte, ytr, yte, list(names), spec, inputs)
