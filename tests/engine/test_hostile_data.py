"""Hostile data: absurd sizes, overflowing columns, odd labels and files that never end."""

import os
import threading
import tracemalloc

import numpy as np
import pytest

from scratchnet import data


def refused_at_once(fn, fifo):
    """``fn()``'s exception; fails (instead of hanging) if ``fn`` blocks on ``fifo``."""
    out = {}

    def call():
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - the test inspects it
            out["error"] = e

    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # opened the FIFO and waits for a writer: release it, then fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(10)
        pytest.fail("blocked opening a FIFO")
    return out.get("error")


def test_absurd_sample_counts_are_refused_before_allocating():
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"n_samples must be ≤ 2,000,000, not "
                                             r"1,000,000,000"):
            data.make("circles", 10**9)
        with pytest.raises(ValueError, match="n_samples must be ≤ 2,000,000"):
            data.DataSpec("xor", n_samples=10**9)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 10 * 2**20
    assert data.make("xor", data.MAX_SAMPLES // 100)[0].shape == (data.MAX_SAMPLES // 100, 2)


@pytest.mark.parametrize("field,value,message", [
    ("n_samples", "1000", "n_samples must be a whole number"),
    ("noise", float("nan"), "noise must be a finite number"),
    ("train_fraction", 1.0, "train fraction must be < 1"),
    ("seed", -1, "data seed must be ≥ 0"),
    ("features", ["x3"], "feature must be one of"),
    ("standardize", "yes", "standardize must be true or false"),
    ("source", "bogus", "data source must be one of"),
])
def test_data_settings_are_checked_when_made(field, value, message):
    with pytest.raises(ValueError, match=message):
        data.DataSpec(**{field: value})


def _csv(tmp_path, text):
    p = tmp_path / "d.csv"
    p.write_text(text)
    return p


def test_standardising_huge_columns_neither_zeroes_them_nor_makes_nan(tmp_path):
    rows = "\n".join(f"{(i % 7 + 1) * 1e200!r},{(-1) ** i * 1.7e308!r},{i % 3},{i % 2}"
                     for i in range(40))
    X, y, names = data.load_csv(_csv(tmp_path, "a,b,c,label\n" + rows + "\n"))
    ds = data.build(data.DataSpec("csv", seed=0), (X, y, names))
    assert np.all(np.isfinite(ds.X_train)) and np.all(np.isfinite(ds.X_test))
    np.testing.assert_allclose(ds.X_train.std(axis=0), 1.0, rtol=1e-12)
    np.testing.assert_allclose(ds.X_train.mean(axis=0), 0.0, atol=1e-12)


def test_standardising_ordinary_columns_is_unchanged_bit_for_bit():
    ds = data.build(data.DataSpec("blobs", 200, 3.0, seed=3, features=["radius"]))
    X = data.engineer(ds.raw_train, ["radius"])
    mean, std = X.mean(axis=0), X.std(axis=0)
    np.testing.assert_array_equal(ds.X_train, (X - mean) / std)


def test_an_engineered_column_that_overflows_is_named():
    X = np.array([[1e200, 1.0], [2e200, 2.0], [3e200, 1.0], [4e200, 2.0]] * 3)
    y = np.array([0.0, 1.0] * 6)
    with pytest.raises(ValueError, match="input column 'x1²'.*overflow"):
        data.build(data.DataSpec("csv", features=["x1²"]), (X, y, ["x1", "x2", "label"]))


def test_labels_0_and_0_point_0_are_one_class(tmp_path):
    X, y, _ = data.load_csv(_csv(tmp_path, "a,label\n1,0\n2,0.0\n3,1\n4,1.0\n5,0e0\n"))
    assert y.tolist() == [0, 0, 1, 1, 0]


def test_a_non_finite_label_names_its_line_and_column(tmp_path):
    with pytest.raises(ValueError, match=r"line 3, column 'label': the label 'nan' is not a "
                                         r"finite number"):
        data.load_csv(_csv(tmp_path, "a,label\n1,0\n2,nan\n3,1\n4,1\n"))


def test_a_fifo_is_refused_at_once_as_csv(tmp_path):
    fifo = tmp_path / "d.csv"
    os.mkfifo(fifo)
    error = refused_at_once(lambda: data.load_csv(fifo), fifo)
    assert isinstance(error, ValueError) and "FIFO" in str(error) and str(fifo) in str(error)
