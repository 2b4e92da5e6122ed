"""Classification and regression metrics, all computed by scikit-learn.

Binary: AUC (``roc_curve`` + ``auc``), accuracy at 0.5, the 2×2 confusion matrix.
K ≥ 3 classes: accuracy of the most probable class, macro one-vs-rest AUC
(``roc_auc_score(multi_class="ovr", average="macro")``) and the K×K confusion matrix.
Regression: mean squared error and R².

scikit-learn's input validation costs more than the metric itself at the sizes we
train on (about 2 ms of ``roc_auc_score`` against 0.3 ms of ``roc_curve`` + ``auc``),
and our inputs are already validated float64 arrays, so the calls run with
``skip_parameter_validation`` and ``assume_finite``. scikit-learn is imported on first
use: importing it takes about a second, which the app's window should not wait for.
"""

from __future__ import annotations

import numpy as np

_FAST = {"assume_finite": True, "skip_parameter_validation": True}


def _fast():
    """scikit-learn's metrics module and a context that skips its input validation."""
    import sklearn
    from sklearn import metrics

    return metrics, sklearn.config_context(**_FAST)


def undefined_reason(y) -> str | None:
    """Why AUC/ROC are undefined for labels ``y``, or ``None`` when they are defined."""
    y = np.asarray(y).ravel()
    if len(y) == 0:
        return "no samples"
    classes = np.unique(y)
    if len(classes) < 2:
        return f"only one class ({classes[0]:g}) is present, so AUC is undefined"
    return None


def roc(y, scores):
    """ROC curve ``(fpr, tpr, thresholds)``, or ``None`` when undefined (one class)."""
    if undefined_reason(y):
        return None
    skm, fast = _fast()
    with fast:
        return skm.roc_curve(np.ravel(y), np.ravel(scores))


def auc(y, scores) -> float:
    """Area under the ROC curve; ``nan`` when undefined (see ``undefined_reason``)."""
    curve = roc(y, scores)
    if curve is None:
        return float("nan")
    skm, fast = _fast()
    with fast:
        return float(skm.auc(curve[0], curve[1]))


def auc_and_accuracy(y, scores, threshold: float = 0.5) -> tuple[float, float]:
    """AUC and accuracy from a single ``roc_curve`` call (what every epoch records).

    With all thresholds kept, the point at the smallest threshold ``≥ threshold`` is the
    confusion matrix of ``scores ≥ threshold``: accuracy is ``(tp + tn) / n``. This halves
    the per-epoch metric cost; tests check it against ``accuracy_score``.
    """
    y = np.ravel(y)
    if undefined_reason(y):
        return float("nan"), accuracy(y, scores, threshold)
    skm, fast = _fast()
    with fast:
        fpr, tpr, thr = skm.roc_curve(y, np.ravel(scores), drop_intermediate=False)
        area = float(skm.auc(fpr, tpr))
    k = np.searchsorted(-thr, -threshold, side="right") - 1  # thr is decreasing
    pos = float(np.count_nonzero(y))
    tp, tn = tpr[k] * pos, (1.0 - fpr[k]) * (len(y) - pos)
    return area, float((tp + tn) / len(y))


def accuracy(y, scores, threshold: float = 0.5) -> float:
    """Fraction of samples whose thresholded score equals the label."""
    y = np.ravel(y)
    if len(y) == 0:
        return float("nan")
    skm, fast = _fast()
    with fast:
        return float(skm.accuracy_score(y, np.ravel(scores) >= threshold))


def confusion(y, scores, threshold: float = 0.5) -> np.ndarray:
    """Confusion matrix, rows the true class and columns the predicted one.

    ``scores`` of shape ``(n,)`` or ``(n, 1)`` are binary probabilities of class 1 (the
    2×2 ``[[tn, fp], [fn, tp]]``); of shape ``(n, K)``, class probabilities (K×K, the
    prediction being the most probable class).
    """
    skm, _ = _fast()
    scores = np.asarray(scores)
    if scores.ndim == 2 and scores.shape[1] > 1:
        k = scores.shape[1]
        return skm.confusion_matrix(np.ravel(y).astype(int), np.argmax(scores, axis=1),
                                    labels=list(range(k)))
    return skm.confusion_matrix(np.ravel(y).astype(int),
                                (np.ravel(scores) >= threshold).astype(int), labels=[0, 1])


def multiclass_auc_and_accuracy(y, proba) -> tuple[float, float]:
    """Macro one-vs-rest AUC and accuracy of class probabilities ``proba`` (n, K).

    The AUC is ``nan`` unless every class is present in ``y`` (a one-vs-rest AUC needs
    both sides of each split); accuracy counts the most probable class.
    """
    y = np.ravel(y)
    if len(y) == 0:
        return float("nan"), float("nan")
    k = proba.shape[1]
    skm, fast = _fast()
    with fast:
        acc = float(skm.accuracy_score(y, np.argmax(proba, axis=1).astype(np.float64)))
        if len(np.unique(y)) < k:
            return float("nan"), acc
        # softmax rows sum to 1 up to rounding; scikit-learn checks it to 1e-5 (allclose)
        area = float(skm.roc_auc_score(y, proba, multi_class="ovr", average="macro",
                                       labels=list(range(k))))
    return area, acc


def mse_and_r2(y, pred) -> tuple[float, float]:
    """Mean squared error and R² of regression predictions (``nan`` with < 2 samples,
    where R² is undefined)."""
    y, pred = np.ravel(y), np.ravel(pred)
    if len(y) < 2:
        return (float(np.mean((pred - y) ** 2)) if len(y) else float("nan")), float("nan")
    skm, fast = _fast()
    with fast:
        return float(skm.mean_squared_error(y, pred)), float(skm.r2_score(y, pred))


def confusion_of_labels(y, pred, k: int) -> np.ndarray:
    """The K×K confusion matrix of predicted class indices ``pred`` (rows the true
    class ``0..k-1``, columns the predicted one), by scikit-learn."""
    skm, _ = _fast()
    return skm.confusion_matrix(np.ravel(y).astype(int), np.ravel(pred).astype(int),
                                labels=list(range(k)))
