"""What a dataset asks of the network: classification into K classes, or regression.

One task, three network outputs:

* classification, K = 2: one sigmoid unit, the probability of class 1 (the article's);
* classification, K ≥ 3: K softmax units, one probability per class;
* regression: one linear unit, trained on standardised targets and answering in the
  targets' units (the scale is the network's, see ``Network.set_target_scale``).

Labels are class indices ``0..K-1`` (float64, like every array in the engine); the
class names travel with the task. A network's output alone tells its task
(:meth:`Task.of_network`); the names come from the dataset (``Dataset.task``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .history import HISTORY_KEYS, LANDSCAPE_KEYS, REGRESSION_KEYS

CLASSIFICATION, REGRESSION = "classification", "regression"
TASKS = (CLASSIFICATION, REGRESSION)
AUTO = "auto"
# Up to this many distinct labels are guessed to be classes (any spelling); more numeric
# values make a regression target. Asked for explicitly, classification takes up to
# MAX_CLASSES (one softmax unit each).
GUESS_MAX_CLASSES = 20
MAX_CLASSES = 100


@dataclass(frozen=True)
class Task:
    """A learning task.

    Attributes
    ----------
    kind : {"classification", "regression"}
    classes : tuple of str
        Class names in label order (label ``k`` is ``classes[k]``); empty for regression.
    """

    kind: str = CLASSIFICATION
    classes: tuple = ("0", "1")

    def __post_init__(self):
        if self.kind not in TASKS:
            raise ValueError(f"task must be one of {', '.join(TASKS)}, not {self.kind!r}")
        object.__setattr__(self, "classes", tuple(str(c) for c in self.classes))
        k = len(self.classes)
        if self.kind == REGRESSION and k:
            raise ValueError("a regression task has no classes")
        if self.kind == CLASSIFICATION and not 2 <= k <= MAX_CLASSES:
            raise ValueError(f"classification needs 2 to {MAX_CLASSES} classes, not {k}")

    @classmethod
    def classification(cls, k: int, names=None) -> "Task":
        """``k`` classes named ``names`` (default ``"0".."k-1"``)."""
        return cls(CLASSIFICATION, tuple(names) if names is not None else
                   tuple(str(i) for i in range(k)))

    @classmethod
    def regression(cls) -> "Task":
        return cls(REGRESSION, ())

    @classmethod
    def of_network(cls, network) -> "Task":
        """The task a network's output implies (class names ``"0".."K-1"``)."""
        if network.output == "linear":
            return cls.regression()
        width = network.sizes[-1]
        return cls.classification(2 if network.output == "sigmoid" else width)

    @property
    def n_classes(self) -> int:
        """K for classification, 0 for regression."""
        return len(self.classes)

    @property
    def output(self) -> str:
        """The network output for this task: "sigmoid", "softmax" or "linear"."""
        if self.kind == REGRESSION:
            return "linear"
        return "sigmoid" if self.n_classes == 2 else "softmax"

    @property
    def n_outputs(self) -> int:
        """Output units: K for K ≥ 3 classes, else 1."""
        return self.n_classes if self.output == "softmax" else 1

    @property
    def metric(self) -> str:
        """The history's score the "target" stop rule reads: "auc" (classification:
        binary AUC, or macro one-vs-rest AUC) or "r2" (regression)."""
        return "r2" if self.kind == REGRESSION else "auc"

    @property
    def history_keys(self) -> tuple:
        """The per-epoch history's columns for this task (see ``scratchnet.history``)."""
        return (HISTORY_KEYS + (REGRESSION_KEYS if self.kind == REGRESSION else ())
                + LANDSCAPE_KEYS)


def probabilities(network, X) -> np.ndarray:
    """Class probabilities ``(n, K)`` from a classifier (binary too: ``[1 − p, p]``);
    for the app's boundary grid and per-class maps."""
    out = network.forward(X)
    if network.output == "sigmoid":
        return np.column_stack([1.0 - out[:, 0], out[:, 0]])
    if network.output != "softmax":
        raise ValueError("class probabilities need a classifier, not a regression network")
    return out


def predict(network, X) -> np.ndarray:
    """Predicted class indices (classification, as float64) or values in the targets'
    units (regression), shape ``(n,)``."""
    out = network.forward(X)
    if network.output == "linear":
        return out[:, 0]
    if network.output == "sigmoid":
        return (out[:, 0] >= 0.5).astype(np.float64)
    return np.argmax(out, axis=1).astype(np.float64)


def target_scale(y) -> tuple[float, float]:
    """``(mean, std)`` of regression targets (``std`` 1 for a constant), computed after
    dividing by a power of two near their size so the squares cannot overflow."""
    y = np.asarray(y, dtype=np.float64).ravel()
    if len(y) == 0 or not np.all(np.isfinite(y)):
        raise ValueError("regression targets must be finite numbers")
    top = float(np.max(np.abs(y)))
    scale = float(np.ldexp(1.0, np.frexp(top)[1] - 1)) if top > 0 else 1.0
    ys = y / scale
    std = float(ys.std()) * scale
    return float(ys.mean()) * scale, std if std > 0 else 1.0


def of_labels(y, task: str = AUTO) -> Task:
    """The task of labels that are already encoded (class indices, or values), for a
    ``Dataset`` made by hand: whole numbers ``0..`` (at most ``GUESS_MAX_CLASSES``
    distinct) are classes, at least two even if fewer are present; anything else is a
    regression target."""
    y = np.asarray(y, dtype=np.float64).ravel()
    whole = len(y) == 0 or bool(np.all(y == np.floor(y)) and y.min() >= 0
                                and y.max() < MAX_CLASSES)
    if task == REGRESSION or (task == AUTO and not (
            whole and len(np.unique(y)) <= GUESS_MAX_CLASSES)):
        return Task.regression()
    if not whole:
        raise ValueError(f"class labels must be whole numbers from 0 to {MAX_CLASSES - 1}")
    return Task.classification(max(2, int(y.max()) + 1) if len(y) else 2)


def encode(y, task: str = AUTO, classes=None):
    """Numeric labels → ``(Task, y)`` with ``y`` as class indices or regression values.

    Parameters
    ----------
    y : array_like
        Finite numbers.
    task : {"auto", "classification", "regression"}
        "auto" guesses: up to ``GUESS_MAX_CLASSES`` distinct values are classes.
    classes : sequence of str, optional
        Class names when ``y`` already holds indices ``0..K-1`` (a CSV's text labels).

    Distinct values become classes in increasing order (0 and 1 stay 0 and 1), each
    named by its value.
    """
    y = np.asarray(y, dtype=np.float64).ravel()
    if task not in (AUTO, *TASKS):
        raise ValueError(f"task must be one of auto, {', '.join(TASKS)}, not {task!r}")
    if not np.all(np.isfinite(y)):
        raise ValueError("labels must be finite numbers")
    if classes is not None:
        if task == REGRESSION:
            raise ValueError("labels with class names cannot be a regression target")
        t = Task.classification(len(classes), classes)
        if len(y) and (np.any(y != np.floor(y)) or y.min() < 0 or y.max() >= t.n_classes):
            raise ValueError(f"labels must be class indices 0 to {t.n_classes - 1}")
        return t, y
    values = np.unique(y)
    if task == REGRESSION or (task == AUTO and len(values) > GUESS_MAX_CLASSES):
        return Task.regression(), y
    if len(values) < 2:
        raise ValueError(f"the labels hold a single class ({values[0]:g} if any); "
                         f"classification needs two" if len(values) else "there are no labels")
    if len(values) > MAX_CLASSES:
        raise ValueError(f"{len(values)} distinct labels are too many classes; the limit is "
                         f"{MAX_CLASSES}")
    index = np.searchsorted(values, y).astype(np.float64)
    return Task.classification(len(values), [f"{v:g}" for v in values]), index


EVAL_CHUNK = 65_536  # rows per forward pass: a large set's hidden layers never all at once
# The per-epoch metrics of a larger set are measured on an even sample of this many rows:
# all 2M rows took 0.6 s an epoch (half the training time, and the window waited for it).
METRIC_ROWS = 65_536


def metric_sample(X, y, limit: int | None = METRIC_ROWS):
    """``(X, y)`` as per-epoch metrics measure them: all rows, or of more than ``limit``
    an even sample of ``limit`` rows (every k-th: the same rows each epoch, and a fair
    sample, since the split shuffled them). ``limit=None`` keeps every row."""
    if X is None or limit is None or len(X) <= limit:
        return X, y
    rows = np.linspace(0, len(X) - 1, limit).astype(np.int64)
    return X[rows], y[rows]


def _output_layer(network, X):
    """The output layer's ``(z, a)`` for every row of ``X``, a chunk of rows at a time."""
    if len(X) <= EVAL_CHUNK:
        zs, outs = network._forward(X)
        return zs[-1], outs[-1]
    z, a = [], []
    for i in range(0, len(X), EVAL_CHUNK):
        zs, outs = network._forward(X[i:i + EVAL_CHUNK])  # hidden layers freed each turn
        z.append(zs[-1])
        a.append(outs[-1])
    return np.concatenate(z), np.concatenate(a)


def evaluate(network, X, y, penalty: float = 0.0, output=None) -> dict:
    """The task's per-epoch scores of ``network`` on ``(X, y)`` (``{}`` without rows).

    Classification: ``auc``, ``loss``, ``acc``; regression: ``loss``, ``mse``, ``r2``
    (see ``scratchnet.history`` for what each means). ``penalty`` is added to the loss.
    ``output``: the output layer's ``(z, a)`` on ``X`` if already computed (the
    diagnostics' pass, ``scratchnet.diagnostics.measure``).
    """
    if X is None or len(X) == 0:
        return {}
    from . import losses, metrics  # metrics loads scikit-learn lazily; losses is light

    z, out = _output_layer(network, X) if output is None else output
    loss = losses.loss(network.output, z, out, network._targets(y, len(X))) + penalty
    if network.output == "sigmoid":
        auc, acc = metrics.auc_and_accuracy(y, out[:, 0])
        return {"auc": auc, "loss": loss, "acc": acc}
    if network.output == "softmax":
        auc, acc = metrics.multiclass_auc_and_accuracy(y, out)
        return {"auc": auc, "loss": loss, "acc": acc}
    mean, std = network.target_mean, network.target_std
    with np.errstate(over="ignore", invalid="ignore"):
        mse, r2 = metrics.mse_and_r2(y, out[:, 0] * std + mean)
        if not (np.isfinite(mse) and np.isfinite(r2)) and len(y) >= 2:
            # targets past ~1e154 overflow when squared; R² does not depend on their
            # scale, so it is measured on the standardised ones (MSE rescaled: inf only
            # when it is beyond float64)
            mse_std, r2 = metrics.mse_and_r2((np.ravel(y) - mean) / std, out[:, 0])
            mse = mse_std * std * std
    return {"loss": loss, "mse": float(mse), "r2": float(r2)}
