"""Generators, features, the split and the validated CSV loader."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scratchnet import data, inputs


@pytest.mark.parametrize("name", data.GENERATORS)
def test_generators_are_seeded_two_class_two_feature(name):
    X, y = data.make(name, 300, 0.1, seed=1)
    X2, y2 = data.make(name, 300, 0.1, seed=1)
    X3, _ = data.make(name, 300, 0.1, seed=2)
    assert X.shape == (300, 2) and X.dtype == np.float64 and set(np.unique(y)) == {0.0, 1.0}
    assert np.array_equal(X, X2) and np.array_equal(y, y2) and not np.array_equal(X, X3)


@pytest.mark.parametrize("name", ["moons", "circles"])
def test_noise_is_gaussian_with_the_given_spread(name):
    # the same seed draws the same clean points; noise is added on top of them
    clean, y0 = data.make(name, 4000, 0.0, seed=0)
    noisy, y1 = data.make(name, 4000, 0.3, seed=0)
    assert np.array_equal(y0, y1)
    d = noisy - clean
    assert abs(d.mean()) < 0.02 and abs(d.std() - 0.3) < 0.01


@pytest.mark.parametrize("kw,msg", [({"name": "swirl"}, "unknown dataset"),
                                    ({"n_samples": 2}, "n_samples"),
                                    ({"noise": -1.0}, "noise")])
def test_bad_generator_settings(kw, msg):
    with pytest.raises(ValueError, match=msg):
        data.make(**kw)


def test_engineered_features():
    X = np.array([[3.0, 4.0], [-1.0, 2.0]])
    F = data.engineer(X, ["x1²", "x2²", "x1·x2", "sin x1", "sin x2", "radius"])
    np.testing.assert_allclose(F[0], [3, 4, 9, 16, 12, np.sin(3), np.sin(4), 5])
    assert data.engineer(X, []) is X
    with pytest.raises(ValueError, match="unknown feature"):
        data.engineer(X, ["x3"])


def test_split_is_stratified_and_seeded():
    X, y = data.make("circles", 1000, 0.1, 0)
    Xtr, Xte, ytr, yte = data.split(X, y, 0.75, seed=0)
    assert len(Xtr) == 750 and len(Xte) == 250 and yte.mean() == 0.5
    assert np.array_equal(Xtr, data.split(X, y, 0.75, seed=0)[0])
    with pytest.raises(ValueError, match="train fraction"):
        data.split(X, y, 1.5)


def test_build_applies_features_split_and_train_standardisation():
    ds = data.build(data.DataSpec("blobs", 200, 3.0, seed=3, features=["radius"]))
    assert ds.X_train.shape == (150, 3) and ds.input_names == ["x1", "x2", "radius"]
    np.testing.assert_allclose(ds.X_train.mean(0), 0, atol=1e-12)
    np.testing.assert_allclose(ds.X_train.std(0), 1, rtol=1e-12)
    np.testing.assert_allclose(ds.inputs(ds.raw_test), ds.X_test)
    raw = data.build(data.DataSpec("blobs", 200, 3.0, seed=3, standardize=False))
    np.testing.assert_array_equal(raw.X_train, raw.raw_train)



def test_a_large_set_is_standardised_chunk_by_chunk_as_a_whole(monkeypatch):
    X = np.random.default_rng(4).normal(3.0, 2.0, size=(1000, 3))
    whole = data.Inputs.fit(X, ["x1·x2"])
    monkeypatch.setattr(inputs, "CHUNK", 64)  # 16 chunks
    pieces = data.Inputs.fit(X, ["x1·x2"])
    np.testing.assert_allclose(pieces.mean, whole.mean, rtol=1e-13)
    np.testing.assert_allclose(pieces.std, whole.std, rtol=1e-13)
    np.testing.assert_array_equal(pieces(X), whole(X))


@pytest.mark.parametrize("source", ["csv", "moons"])
def test_raw_gives_back_the_rows_in_the_order_loaded(tmp_path, source):
    p = _write(tmp_path, "a,b,label\n" + "".join(f"{i},{i % 7},{'yes' if i % 3 else 'no'}\n"
                                                  for i in range(40)))
    raw = (data.read_csv(p) if source == "csv" else
           (*data.make("moons", 40, 0.1), ["x1", "x2", "label"], ("0", "1")))
    ds = data.build(data.DataSpec(source, 40, csv_path=str(p)), raw)
    X, y, names, classes = ds.raw()
    np.testing.assert_array_equal(X, raw[0])
    np.testing.assert_array_equal(y, raw[1])
    assert names == list(raw[2]) and classes == tuple(raw[3])
    again = data.build(ds.spec, ds.raw())  # what a session saves splits the same way
    np.testing.assert_array_equal(again.raw_test, ds.raw_test)

# --- CSV -------------------------------------------------------------------------------
def _write(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


GOOD = "x1,x2,label\n0.1,0.2,0\n0.3,0.1,1\n-1,2,0\n4,5,1\n"


def test_load_csv_reads_header_features_and_labels(tmp_path):
    X, y, names = data.load_csv(_write(tmp_path, GOOD))
    assert names == ["x1", "x2", "label"] and X.shape == (4, 2) and y.tolist() == [0, 1, 0, 1]


def test_load_csv_without_header_and_text_labels(tmp_path):
    X, y, names = data.load_csv(_write(tmp_path, "1,2,yes\n3,4,no\n5,6,no\n7,8,yes\n"))
    assert names == ["x1", "x2", "label"] and y.tolist() == [1, 0, 0, 1]


def test_load_csv_label_column_by_name_anywhere(tmp_path):
    X, y, names = data.load_csv(_write(tmp_path, "class,a,b,c\n-1,1,2,3\n1,4,5,6\n-1,0,0,0\n1,1,1,1\n"))
    assert names == ["a", "b", "c", "class"] and y.tolist() == [0, 1, 0, 1] and X[1, 2] == 6


@pytest.mark.parametrize("text,msg", [
    ("", "the file is empty"),
    ("\n\n", "the file is empty"),
    ("x1,x2,label\n1,2,0\n3,4\n5,6,1\n7,8,0\n", r"line 3 has 2 field\(s\), expected 3"),
    ("x1,x2,label\n1,2,0\n3,abc,1\n5,6,1\n7,8,0\n", r"line 3, column 'x2': 'abc' is not a number"),
    ("x1,x2,label\n1,2,0\n3,,1\n5,6,1\n7,8,0\n", r"line 3, column 'x2': 'an empty cell'"),
    ("x1,x2,label\n1,2,0\n3,4,1\nnan,6,1\n7,8,0\n", r"line 4, column 'x1': nan is not a finite"),
    ("x1,x2,label\n1,2,0\n3,4,1\n5,inf,1\n7,8,0\n", r"line 4, column 'x2': inf is not a finite"),
    # 21 distinct labels, not all numbers: neither classes nor a regression target
    ("x,label\n" + "".join(f"{i},c{i}\n" for i in range(21)),
     r"column 'label' has 21 distinct values, the 21st first on line 22.*'c0' \(line 2\)"),
    ("x1,x2,label\n1,2,1\n3,4,1\n5,6,1\n7,8,1\n", r"single class"),
    ("x1,x2,label\n1,2,0\n3,4,1\n", r"only 2 data row\(s\)"),
    ("label\n0\n1\n0\n1\n", "need at least one feature column"),
    ("a,a,label\n1,2,0\n3,4,1\n5,6,1\n7,8,0\n", "column name 'a' appears twice"),
    ("x1,x2,label\n1,2,0\n3,4,1\n5,6,\n7,8,0\n", r"line 4, column 'label': the label is empty"),
    ("x1,x2,label\n1,2,1\n3,4,1.0\n5,6,1\n7,8,1\n", "same class written twice"),
])
def test_bad_csv_names_what_and_where(tmp_path, text, msg):
    with pytest.raises(ValueError, match=msg):
        data.load_csv(_write(tmp_path, text))


def test_missing_file_folder_and_binary_are_value_errors(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        data.load_csv(tmp_path / "nope.csv")
    with pytest.raises(ValueError, match="folder"):
        data.load_csv(tmp_path)
    (tmp_path / "b.csv").write_bytes(b"\xff\xfe\x00\x81binary")
    with pytest.raises(ValueError, match="not UTF-8|not valid CSV"):
        data.load_csv(tmp_path / "b.csv")


def test_label_argument_is_validated(tmp_path):
    p = _write(tmp_path, GOOD)
    with pytest.raises(ValueError, match="no column named 'z'"):
        data.load_csv(p, label="z")
    X, y, names = data.load_csv(_write(tmp_path, "a,b\n1,5\n2,5\n2,6\n1,7\n"), label=0)
    assert names == ["b", "a"] and y.tolist() == [0, 1, 1, 0] and X[:, 0].tolist() == [5, 5, 6, 7]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("01,.-e\n\r\"ab x9nfi;")), max_size=120))
def test_any_text_either_loads_or_raises_value_error(tmp_path, text):
    p = tmp_path / "fuzz.csv"
    p.write_text(text, encoding="utf-8", newline="")
    try:
        X, y, names = data.load_csv(p)
    except ValueError as e:
        assert str(e)
    else:
        assert np.all(np.isfinite(X)) and np.all(np.isfinite(y))
        _, _, _, classes = data.read_csv(p)
        if classes is not None:  # class indices 0..K-1, every class present
            assert set(np.unique(y)) == set(range(len(classes))) and len(classes) >= 2
        assert len(names) == X.shape[1] + 1
