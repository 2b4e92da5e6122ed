"""K-class and regression data: generators, the CSV label guess, tasks and the split."""

import hashlib

import numpy as np
import pytest

from scratchnet import data, tasks
from scratchnet.config import Config, make_trainer

# sha256 of X and y of make(name, 301, 0.1, seed=5) before K classes existed
BEFORE = {"circles": "3afc88e916a4693c", "blobs": "4ab38c01b33fc254",
          "moons": "a0a5949273234b3f", "xor": "bc947b4dcf80a293",
          "spiral": "709d6d6b96fb971f", "gaussian": "a4387cb6373bc228"}


@pytest.mark.parametrize("name", data.GENERATORS)
def test_two_class_data_are_bit_identical_to_before(name):
    X, y = data.make(name, 301, 0.1, seed=5, classes=2)
    assert hashlib.sha256(X.tobytes() + y.tobytes()).hexdigest()[:16] == BEFORE[name]


@pytest.mark.parametrize("name,k", [(n, k) for n in data.MULTICLASS_GENERATORS
                                    for k in range(3, data.MAX_GENERATED_CLASSES + 1)])
def test_multiclass_generators_make_k_balanced_seeded_classes(name, k):
    X, y = data.make(name, 600, 0.1, seed=1, classes=k)
    assert X.shape == (600, 2) and np.array_equal(np.unique(y), np.arange(k))
    assert np.bincount(y.astype(int)).min() >= 600 // k - 1
    X2, y2 = data.make(name, 600, 0.1, seed=1, classes=k)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)


@pytest.mark.parametrize("k,gap", [(2, 1 / 3), (3, 1 / 2), (6, 1 / 2)])
def test_spiral_arms_keep_their_gap_whatever_their_number(k, gap):
    X, y = data.make("spiral", 2000, 0.0, seed=0, classes=k)
    r = np.hypot(X[:, 0], X[:, 1])
    turn = 3 * np.pi if k == 2 else 4 * np.pi / k  # arm a at radius r: angle r·turn + 2πa/k
    angle = r * turn + 2 * np.pi * y / k
    np.testing.assert_allclose(X, np.column_stack([r * np.cos(angle), r * np.sin(angle)]),
                               atol=1e-12)
    assert r.max() <= 1 and r.max() > 0.99
    # so arm a + 1 passes the same angle 2π/k later: (2π/k) / turn further out
    assert (2 * np.pi / k) / turn == pytest.approx(gap)


@pytest.mark.parametrize("kw,msg", [
    ({"name": "circles", "classes": 3}, "circles has 2 classes; only blobs and spiral take"),
    ({"name": "spiral", "classes": 7}, "classes of spiral must be ≤ 6"),
    ({"name": "blobs", "classes": 1}, "classes of blobs must be ≥ 2"),
    ({"name": "reg-plane", "classes": 3}, "regression set; it has no classes"),
])
def test_bad_class_counts_are_refused(kw, msg):
    with pytest.raises(ValueError, match=msg):
        data.make(**kw)


def test_reg_plane_is_the_mean_of_the_inputs_read_through_noise():
    X, y = data.make("reg-plane", 5000, 0.0, seed=0)
    assert np.all(np.abs(X) <= 1)
    np.testing.assert_allclose(y, (X[:, 0] + X[:, 1]) / 2, rtol=1e-15)
    Xn, yn = data.make("reg-plane", 5000, 0.2, seed=0)
    np.testing.assert_array_equal(X, Xn)  # the noise moves the target, not the point
    assert abs(np.std(yn - y) - 0.2 / np.sqrt(2)) < 0.005


def test_reg_gauss_is_a_sum_of_six_signed_gaussians():
    X, y = data.make("reg-gauss", 4000, 0.0, seed=0)
    bumps = [(-2 / 3, 5 / 12, 1), (0, 5 / 12, -1), (2 / 3, 5 / 12, 1),
             (-2 / 3, -5 / 12, -1), (0, -5 / 12, 1), (2 / 3, -5 / 12, -1)]
    expect = sum(s * np.exp(-((X[:, 0] - a) ** 2 + (X[:, 1] - b) ** 2) / (2 * 0.2 ** 2))
                 for a, b, s in bumps)
    np.testing.assert_allclose(y, expect, rtol=1e-12, atol=1e-15)
    assert y.max() > 0.9 and y.min() < -0.9


def test_specs_refuse_tasks_and_classes_that_do_not_apply():
    with pytest.raises(ValueError, match="reg-plane is a regression set, not classification"):
        data.DataSpec("reg-plane", task="classification")
    with pytest.raises(ValueError, match="spiral is a classification set, not regression"):
        data.DataSpec("spiral", task="regression")
    with pytest.raises(ValueError, match="classes of a CSV come from its labels"):
        data.DataSpec("csv", classes=3)
    with pytest.raises(ValueError, match="task must be one of auto"):
        data.DataSpec("csv", task="clustering")


def test_built_datasets_carry_their_task():
    blobs = data.build(data.DataSpec("blobs", 400, 1.0, seed=2, classes=4))
    assert blobs.task == tasks.Task.classification(4) and blobs.n_outputs == 4
    assert blobs.task.output == "softmax" and blobs.target_scale == (0.0, 1.0)
    # stratified: each class keeps its share in the test set
    assert np.array_equal(np.bincount(blobs.y_test.astype(int)), [25, 25, 25, 25])
    plane = data.build(data.DataSpec("reg-plane", 400, 0.1, seed=2))
    assert plane.task.kind == "regression" and plane.n_outputs == 1 and plane.n_classes == 0
    mean, std = plane.target_scale
    assert mean == pytest.approx(plane.y_train.mean(), abs=1e-15)
    assert std == pytest.approx(plane.y_train.std(), rel=1e-14)
    circles = data.build(data.DataSpec("circles", 100))
    assert circles.task == tasks.Task() and circles.n_outputs == 1


def test_huge_regression_targets_standardise_without_overflow():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    ds = data.build(data.DataSpec("csv", task="regression"),
                    (X, 1e300 * X[:, 0], ["a", "b", "y"]))
    mean, std = ds.target_scale
    assert np.isfinite(mean) and np.isfinite(std) and std > 1e299
    with pytest.raises(ValueError, match="label column 'y': its values overflow"):
        data.build(data.DataSpec("csv", task="regression"),
                   (X, np.where(X[:, 0] > 0, 1.7e308, -1.7e308), ["a", "b", "y"]))


def test_a_dataset_made_by_hand_guesses_its_task_from_labels_as_they_are():
    X = np.zeros((6, 2))
    spec = data.DataSpec("csv", standardize=False)
    one = data.Dataset(X, X[:0], np.zeros(6), np.zeros(0), ["a", "b", "y"], spec, data.Inputs())
    assert one.task == tasks.Task()  # one class shown (the article's plots): still binary
    three = data.Dataset(X, X[:2], np.array([0.0, 2, 2, 0, 1, 2]), np.array([2.0, 0]),
                         ["a", "b", "y"], spec, data.Inputs())
    assert three.task == tasks.Task.classification(3)
    values = data.Dataset(X, X[:0], np.linspace(0, 1, 6), np.zeros(0), ["a", "b", "y"], spec,
                          data.Inputs())
    assert values.task.kind == "regression"


# --- tasks.encode ----------------------------------------------------------------------
def test_encode_guesses_classes_then_regression():
    task, y = tasks.encode([3.0, -1, 3, 7, -1])
    assert task.classes == ("-1", "3", "7") and y.tolist() == [1, 0, 1, 2, 0]
    task, y = tasks.encode(np.arange(21.0) / 2)
    assert task.kind == "regression" and y.tolist() == list(np.arange(21.0) / 2)
    task, _ = tasks.encode(np.arange(21.0), "classification")
    assert task.n_classes == 21 and task.output == "softmax"
    task, _ = tasks.encode([0.0, 1, 1], "regression")
    assert task.kind == "regression"
    with pytest.raises(ValueError, match="single class"):
        tasks.encode([2.0, 2, 2])
    with pytest.raises(ValueError, match="class indices 0 to 2"):
        tasks.encode([0.0, 3], classes=["a", "b", "c"])


# --- CSV -------------------------------------------------------------------------------
def _csv(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _four_class_csv(tmp_path, n=200, seed=0):
    """Four well separated clusters labelled by colour names, in shuffled order."""
    rng = np.random.default_rng(seed)
    names = ["red", "green", "blue", "amber"]
    centres = np.array([[2, 2], [-2, 2], [-2, -2], [2, -2]])
    k = np.concatenate([[0, 1, 2, 3], rng.integers(0, 4, n - 4)])  # first seen: not sorted
    X = centres[k] + rng.normal(0, 0.5, (n, 2))
    rows = "".join(f"{a:.6f},{names[c]},{b:.6f}\n" for (a, b), c in zip(X, k))
    return _csv(tmp_path, "u,colour,v\n" + rows), X, k, names


def test_a_four_class_csv_with_string_labels_loads_and_trains(tmp_path):
    path, X, k, names = _four_class_csv(tmp_path)
    Xr, y, cols, classes = data.read_csv(path, label="colour")
    assert classes == ("amber", "blue", "green", "red") and cols == ["u", "v", "colour"]
    assert [classes[int(i)] for i in y] == [names[c] for c in k]
    np.testing.assert_allclose(Xr, X, atol=1e-6)
    spec = data.DataSpec("csv", csv_path=str(path), seed=1)
    ds = data.build(spec, (Xr, y, cols, classes))
    assert ds.task.classes == classes and ds.n_outputs == 4
    cfg = Config(spec, hidden=[8], activations=["tanh"], optimizer="adam", lr=0.02)
    t = make_trainer(cfg, ds)
    t.run(30)
    assert t.network.output == "softmax" and t.history.last("test_acc") >= 0.95


def test_a_csv_with_float_labels_trains_as_regression(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, (300, 2))
    y = 250.0 + 40.0 * X[:, 0] - 15.0 * X[:, 1] + rng.normal(0, 1.0, 300)
    path = _csv(tmp_path, "a,b,target\n" + "".join(f"{a},{b},{t}\n" for (a, b), t in zip(X, y)))
    Xr, yr, names, classes = data.read_csv(path)
    assert classes is None and np.array_equal(yr, y)
    spec = data.DataSpec("csv", csv_path=str(path))
    t = make_trainer(Config(spec, hidden=[4], activations=["tanh"], optimizer="adam",
                            lr=0.02), data.build(spec))
    t.run(40)
    assert t.network.output == "linear" and t.history.last("test_r2") >= 0.98
    # predictions in the data's units: near 250, not near 0
    assert abs(np.mean(t.network.forward(t.X_test)) - 250) < 5


def test_the_task_argument_overrides_the_guess(tmp_path):
    text = "a,label\n" + "".join(f"{i},{i % 3}\n" for i in range(12))
    p = _csv(tmp_path, text)
    assert data.read_csv(p)[3] == ("0", "1", "2")
    y, classes = data.read_csv(p, task="regression")[1:4:2]
    assert classes is None and y.tolist() == [i % 3 for i in range(12)]
    many = _csv(tmp_path, "a,label\n" + "".join(f"{i},{i}\n" for i in range(30)), "m.csv")
    assert data.read_csv(many)[3] is None  # 30 numbers: a regression target
    assert len(data.read_csv(many, task="classification")[3]) == 30


@pytest.mark.parametrize("text,task,msg", [
    ("a,label\n1,2\n2,x\n3,4\n4,5\n", "regression",
     r"line 3, column 'label': the label 'x' is not a number, so it cannot be a regression"),
    ("a,label\n" + "".join(f"{i},{i}\n" for i in range(102)), "classification",
     r"102 distinct values, the 101st first on line 102: the limit is 100 classes"),
    ("a,label\n1,0\n2,0\n3,0\n4,0\n", "auto", r"single class \('0'\)"),
    ("a,label\n1,0\n2,nan\n3,1\n4,2\n", "auto", r"line 3, column 'label'.*not a finite"),
])
def test_label_errors_name_the_line_and_column(tmp_path, text, task, msg):
    with pytest.raises(ValueError, match=msg):
        data.read_csv(_csv(tmp_path, text), task=task)
