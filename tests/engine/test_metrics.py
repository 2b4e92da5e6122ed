"""Metrics come from scikit-learn; the single-call AUC+accuracy must agree with it."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, roc_auc_score

from scratchnet import metrics


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.floats(0, 1)), min_size=2, max_size=60),
       st.sampled_from([0.5, 0.0, 1.0, 0.3]))
def test_auc_and_accuracy_agree_with_sklearn(pairs, threshold):
    y = np.array([p[0] for p in pairs], dtype=float)
    s = np.array([p[1] for p in pairs])
    area, acc = metrics.auc_and_accuracy(y, s, threshold)
    assert acc == pytest.approx(accuracy_score(y, s >= threshold), abs=1e-12)
    if len(np.unique(y)) == 2:
        assert area == pytest.approx(roc_auc_score(y, s), abs=1e-12)
        assert metrics.auc(y, s) == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    else:
        assert np.isnan(area)


def test_undefined_auc_says_why():
    y = np.ones(5)
    assert np.isnan(metrics.auc(y, np.linspace(0, 1, 5)))
    assert "only one class" in metrics.undefined_reason(y)
    assert metrics.roc(y, np.zeros(5)) is None
    assert metrics.undefined_reason([0, 1]) is None


def test_roc_and_confusion():
    y = np.array([0, 0, 1, 1.0])
    fpr, tpr, _ = metrics.roc(y, np.array([0.1, 0.6, 0.4, 0.9]))
    assert fpr[-1] == 1 and tpr[-1] == 1
    cm = metrics.confusion(y, np.array([0.1, 0.6, 0.4, 0.9]))
    assert cm.tolist() == [[1, 1], [1, 1]]
