"""The CSV reader streams: progress after each chunk, Cancel mid-file, and chunks that
agree with the one-at-a-time reading (errors still name their line and column)."""

import numpy as np
import pytest

from scratchnet import csvfile


def _write(path, n, bad_line=None):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] > 0).astype(int)
    lines = ["a,b,label"] + [f"{float(a)!r},{float(b)!r},{c}" for (a, b), c in zip(X, y)]
    if bad_line is not None:
        lines[bad_line - 1] = "1.0,oops,1"
    path.write_text("\n".join(lines) + "\n")
    return X, y


def test_chunks_read_the_same_numbers_with_progress(tmp_path, monkeypatch):
    monkeypatch.setattr(csvfile, "CHUNK", 1000)
    p = tmp_path / "big.csv"
    X, y = _write(p, 4500)
    seen = []
    Xr, yr, names, classes = csvfile.read_csv(p, progress=seen.append)
    np.testing.assert_array_equal(Xr, X)  # repr round-trips floats exactly
    np.testing.assert_array_equal(yr, y)
    assert names == ["a", "b", "label"] and len(seen) == 5
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_a_bad_cell_deep_in_a_chunk_is_named_by_its_line(tmp_path, monkeypatch):
    monkeypatch.setattr(csvfile, "CHUNK", 1000)
    p = tmp_path / "bad.csv"
    _write(p, 4500, bad_line=3003)
    with pytest.raises(ValueError, match="line 3003, column 'b': 'oops' is not a number"):
        csvfile.read_csv(p)


def test_cancel_stops_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(csvfile, "CHUNK", 1000)
    p = tmp_path / "big.csv"
    _write(p, 4500)
    calls = []

    def stop(fraction):
        calls.append(fraction)
        if len(calls) == 2:
            raise csvfile.Cancelled()

    with pytest.raises(csvfile.Cancelled):
        csvfile.read_csv(p, progress=stop)
    assert len(calls) == 2 and calls[-1] < 1.0


def test_too_many_rows_are_refused_as_soon_as_they_are_counted(tmp_path, monkeypatch):
    monkeypatch.setattr(csvfile, "CHUNK", 1000)
    monkeypatch.setattr(csvfile, "MAX_ROWS", 2500)
    p = tmp_path / "big.csv"
    _write(p, 4500)
    seen = []
    with pytest.raises(ValueError, match="more than 2,500 data rows"):
        csvfile.read_csv(p, progress=seen.append)
    assert len(seen) == 2  # refused in the third chunk, before reading the rest


def test_the_garbage_collector_is_paused_only_while_reading(tmp_path):
    import gc

    seen = []
    _write(tmp_path / "ok.csv", 50)
    _write(tmp_path / "bad.csv", 50, bad_line=30)
    csvfile.read_csv(tmp_path / "ok.csv", progress=lambda f: seen.append(gc.isenabled()))
    assert seen and not any(seen) and gc.isenabled()
    with pytest.raises(ValueError, match="line 30"):
        csvfile.read_csv(tmp_path / "bad.csv")
    assert gc.isenabled()
    gc.disable()  # a caller's own choice stands
    try:
        csvfile.read_csv(tmp_path / "ok.csv")
        assert not gc.isenabled()
    finally:
        gc.enable()
