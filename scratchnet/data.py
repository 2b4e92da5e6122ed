"""Datasets: generators, engineered input features, the CSV loader and the split."""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, field

import numpy as np

from . import sklearn_ports

GENERATORS = ("circles", "blobs", "moons", "xor", "spiral", "gaussian")
MIN_ROWS = 4
MAX_CSV_BYTES = 200 * 1024 * 1024


def make(name: str = "circles", n_samples: int = 1000, noise: float = 0.1, seed: int = 0,
         factor: float = 0.1, cluster_std: float | None = None):
    """Generate a two-class, two-feature dataset.

    Parameters
    ----------
    name : {"circles", "blobs", "moons", "xor", "spiral", "gaussian"}
    n_samples : int
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
    if not isinstance(n_samples, (int, np.integer)) or n_samples < MIN_ROWS:
        raise ValueError(f"n_samples must be a whole number ≥ {MIN_ROWS}, not {n_samples!r}")
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


# --- CSV -------------------------------------------------------------------------------
LABEL_NAMES = ("label", "y", "class", "target")


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _text_cells(row) -> set:
    return {j for j, c in enumerate(row) if not _is_number(c.strip())}


def load_csv(path, label: str | int | None = None):
    """Load numeric feature columns plus a binary label column from a CSV file.

    The first row is a header when it has text cells where the second row does not
    (so ``0.5,1.2,yes`` over ``0.1,0.3,no`` is data, not a header); otherwise the
    columns are named ``x1, x2, ...`` and ``label``. The label column is ``label`` if
    given (a name or 0-based index), else the first column named one of
    ``label, y, class, target``, else the last column. Its two distinct values map to
    0 and 1 (``0/1`` stay as they are; otherwise in sorted order).

    Returns
    -------
    X : ndarray (n, d) float64
    y : ndarray (n,) float64 in {0, 1}
    names : list of str
        The feature column names, then the label column's name.

    Raises
    ------
    ValueError
        For anything wrong with the file, naming the 1-based line and the column.
    """
    path = os.fspath(path)
    try:
        size = os.path.getsize(path)
        if size > MAX_CSV_BYTES:
            raise ValueError(f"{path}: {size / 2**20:.0f} MiB is larger than the "
                             f"{MAX_CSV_BYTES // 2**20} MiB limit")
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValueError(f"{path}: is a folder, not a CSV file") from None
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 text (byte {e.start}); is it really a CSV?") from None
    except csv.Error as e:
        raise ValueError(f"{path}: not valid CSV ({e})") from None
    except OSError as e:
        raise ValueError(f"{path}: cannot be read ({e.strerror or e})") from None
    return _parse_rows(path, rows, label)


def _parse_rows(path, rows, label):
    numbered = [(i + 1, r) for i, r in enumerate(rows) if any(c.strip() for c in r)]
    if not numbered:
        raise ValueError(f"{path}: the file is empty")
    first_line, first = numbered[0]
    text = _text_cells(first)
    has_header = bool(text) and (len(numbered) < 2 or text != _text_cells(numbered[1][1]))
    if has_header:
        names = [c.strip() or f"column {j + 1}" for j, c in enumerate(first)]
        numbered = numbered[1:]
        if len(set(names)) != len(names):
            dup = next(n for n in names if names.count(n) > 1)
            raise ValueError(f"{path}: line {first_line}: column name {dup!r} appears twice")
    else:
        names = [f"x{j + 1}" for j in range(len(first) - 1)] + ["label"]
    width = len(names)
    if width < 2:
        raise ValueError(f"{path}: line {first_line}: need at least one feature column and a "
                         f"label column, found {width} column")
    li = _label_index(path, names, label)
    if len(numbered) < MIN_ROWS:
        raise ValueError(f"{path}: only {len(numbered)} data row(s); need at least {MIN_ROWS}")
    feats = [j for j in range(width) if j != li]
    X = np.empty((len(numbered), width - 1))
    raw_labels = []
    for r, (line, row) in enumerate(numbered):
        if len(row) != width:
            raise ValueError(f"{path}: line {line} has {len(row)} field(s), expected {width}")
        for k, j in enumerate(feats):
            cell = row[j].strip()
            try:
                v = float(cell)
            except ValueError:
                shown = cell if cell else "an empty cell"
                raise ValueError(f"{path}: line {line}, column {names[j]!r}: {shown!r} is not "
                                 f"a number") from None
            if not math.isfinite(v):
                raise ValueError(f"{path}: line {line}, column {names[j]!r}: {cell} is not a "
                                 f"finite number")
            X[r, k] = v
        raw_labels.append((line, row[li].strip()))
    y = _binary_labels(path, names[li], raw_labels)
    return X, y, [names[j] for j in feats] + [names[li]]


def _label_index(path, names, label):
    if label is None:
        lowered = [n.lower() for n in names]
        return next((lowered.index(n) for n in LABEL_NAMES if n in lowered), len(names) - 1)
    if isinstance(label, (int, np.integer)) and not isinstance(label, bool):
        if not -len(names) <= label < len(names):
            raise ValueError(f"{path}: label column {label} does not exist ({len(names)} columns)")
        return int(label) % len(names)
    if label not in names:
        raise ValueError(f"{path}: no column named {label!r}; columns are {', '.join(names)}")
    return names.index(label)


def _binary_labels(path, name, raw):
    values = {}
    for line, cell in raw:
        if cell == "":
            raise ValueError(f"{path}: line {line}, column {name!r}: the label is empty")
        values.setdefault(cell, line)
    if len(values) == 1:
        raise ValueError(f"{path}: column {name!r} has a single class ({next(iter(values))!r}); "
                         f"a binary label needs two")
    if len(values) > 2:
        shown = ", ".join(repr(v) for v in list(values)[:5])
        raise ValueError(f"{path}: column {name!r} is not two-valued: it has {len(values)} "
                         f"distinct values ({shown}{', …' if len(values) > 5 else ''}); "
                         f"the third first appears on line {list(values.values())[2]}")
    a, b = values
    if all(_is_number(v) for v in (a, b)):
        fa, fb = float(a), float(b)
        if not (math.isfinite(fa) and math.isfinite(fb)):
            raise ValueError(f"{path}: column {name!r}: labels must be finite")
        if fa == fb:
            raise ValueError(f"{path}: column {name!r}: {a!r} and {b!r} are the same class "
                             f"written twice; a binary label needs two classes")
        lo = a if fa < fb else b
    else:
        lo = min(a, b)
    return np.array([0.0 if cell == lo else 1.0 for _, cell in raw])


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


@dataclass(frozen=True)
class Inputs:
    """Raw points → network inputs: engineered features, then optional standardisation
    with the *training* set's mean and standard deviation."""

    features: tuple = ()
    mean: np.ndarray | None = None
    std: np.ndarray | None = None

    def __call__(self, X_raw: np.ndarray) -> np.ndarray:
        X = engineer(np.asarray(X_raw, dtype=np.float64), self.features)
        return X if self.mean is None else (X - self.mean) / self.std

    @classmethod
    def fit(cls, X_raw, features=(), standardize=True) -> "Inputs":
        X = engineer(np.asarray(X_raw, dtype=np.float64), features)
        if not standardize:
            return cls(tuple(features))
        std = X.std(axis=0)
        return cls(tuple(features), X.mean(axis=0), np.where(std > 0, std, 1.0))


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
