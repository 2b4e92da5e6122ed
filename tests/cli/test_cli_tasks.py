"""``scratchnet train`` beyond two classes: K-class spirals, regression, CSV labels."""

import json

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix, r2_score, roc_auc_score

from scratchnet import session

from .test_cli import run
from .test_cli_hardening import main, one_line

SPIRAL3 = ["--dataset", "spiral", "--classes", "3", "--layers", "2,16,16,3", "--activation",
           "tanh", "--optimizer", "adam", "--lr", "0.01", "--epochs", "300", "--seed", "0"]


def test_a_three_arm_spiral_reaches_090_test_accuracy(tmp_path):
    saved = tmp_path / "s.scratchnet"
    done = run("train", *SPIRAL3, "--json", "--save", str(saved))
    assert done.returncode == 0, done.stderr
    s = json.loads(done.stdout)
    assert s["task"] == "classification" and s["classes"] == ["0", "1", "2"]
    assert s["test_accuracy"] >= 0.9 and s["architecture"] == [2, 16, 16, 3]
    assert s["seconds"] < 30, s["seconds"]  # the whole run, in a loaded test process
    # the reported scores, recomputed by scikit-learn from the saved model
    t, _, ds, _ = session.load(saved)
    P = t.network.forward(ds.X_test)
    assert s["confusion"] == confusion_matrix(ds.y_test, P.argmax(1)).tolist()
    assert np.sum(s["confusion"]) == len(ds.y_test) == 250
    assert s["test_auc"] == pytest.approx(roc_auc_score(ds.y_test, P, multi_class="ovr"),
                                          rel=1e-12)
    assert s["test_accuracy"] == np.trace(s["confusion"]) / 250


def test_a_regression_on_reg_plane_reaches_r2_095(tmp_path):
    saved = tmp_path / "r.scratchnet"
    done = run("train", "--dataset", "reg-plane", "--task", "regression", "--layers", "2,8,1",
               "--epochs", "100", "--seed", "0", "--json", "--save", str(saved))
    assert done.returncode == 0, done.stderr
    s = json.loads(done.stdout)
    assert s["task"] == "regression" and s["target_metric"] == "r2"
    assert s["test_r2"] >= 0.95 and "test_auc" not in s and "confusion" not in s
    t, _, ds, _ = session.load(saved)
    pred = t.network.forward(ds.X_test)[:, 0]
    assert s["test_r2"] == pytest.approx(r2_score(ds.y_test, pred), rel=1e-12)
    assert s["test_mse"] == pytest.approx(np.mean((pred - ds.y_test) ** 2), rel=1e-12)
    again = run("train", "--load", str(saved), "--epochs", "5", "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["epochs"] == 105


def _write_csv(path, rows, header):
    path.write_text(header + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows))
    return path


def test_csv_string_classes_and_float_targets_train(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (240, 2))
    names = np.array(["north", "east", "south", "west"])
    k = (X[:, 0] > 0) * 2 + (X[:, 1] > 0)
    classes = _write_csv(tmp_path / "c.csv", zip(X[:, 0], X[:, 1], names[k]), "a,b,where")
    saved = tmp_path / "c.scratchnet"
    code, out, err = main(capsys, "--csv", str(classes), "--layers", "2,8,4", "--activation",
                          "tanh", "--optimizer", "adam", "--lr", "0.03", "--epochs", "60",
                          "--json", "--save", str(saved))
    s = json.loads(out)
    assert code == 0 and s["classes"] == ["east", "north", "south", "west"]
    assert np.shape(s["confusion"]) == (4, 4) and s["test_accuracy"] >= 0.9
    assert session.load(saved)[2].task.classes == ("east", "north", "south", "west")
    values = _write_csv(tmp_path / "v.csv", zip(X[:, 0], X[:, 1], 3 * X[:, 0] - X[:, 1] + 0.5),
                        "a,b,target")
    code, out, err = main(capsys, "--csv", str(values), "--layers", "2,4,1", "--epochs", "60",
                          "--json")
    s = json.loads(out)
    assert code == 0 and s["task"] == "regression" and s["test_r2"] >= 0.95


def test_the_task_option_overrides_the_guess(tmp_path, capsys):
    rows = [(i, i % 3) for i in range(60)]
    path = _write_csv(tmp_path / "t.csv", rows, "a,level")
    s = json.loads(main(capsys, "--csv", str(path), "--layers", "1,3", "--epochs", "1",
                        "--json")[1])
    assert s["task"] == "classification" and s["classes"] == ["0", "1", "2"]
    s = json.loads(main(capsys, "--csv", str(path), "--task", "regression", "--layers",
                        "1,4,1", "--epochs", "1", "--json")[1])
    assert s["task"] == "regression"


@pytest.mark.parametrize("args,pattern", [
    (["--dataset", "spiral", "--classes", "3", "--layers", "2,8,1"],
     r"output layer needs 3 units, one per class \(0, 1, 2\), not 1$"),
    (["--dataset", "reg-plane", "--layers", "2,8,2"], r"one unit \(the predicted value\), not 2"),
    (["--layers", "2,8,2"], r"one unit \(the probability of class 1\), not 2"),
    (["--classes", "3"], r"circles has 2 classes; only blobs and spiral take another number"),
    (["--dataset", "blobs", "--classes", "9"], r"argument --classes: .* from 2 to 6, not 9"),
    (["--csv", "x.csv", "--classes", "3"], r"--classes shapes generated data"),
    (["--dataset", "spiral", "--task", "regression"], r"spiral is a classification set"),
    (["--task", "clusters"], r"argument --task: invalid choice"),
])
def test_task_options_are_checked_in_one_line(tmp_path, monkeypatch, capsys, args, pattern):
    monkeypatch.chdir(tmp_path)
    one_line(capsys, args, 2, pattern)
    assert not (tmp_path / "plots").exists()  # refused before anything was written


def test_load_refuses_task_options(tmp_path, capsys):
    saved = tmp_path / "s.scratchnet"
    assert main(capsys, "--dataset", "blobs", "--classes", "4", "--epochs", "1", "--layers",
                "2,3,4", "--save", str(saved))[0] == 0
    one_line(capsys, ["--load", str(saved), "--classes", "3", "--task", "regression"], 2,
             r"cannot take --classes, --task$")


def test_the_final_scores_of_a_large_set_are_measured_on_every_row():
    from scratchnet import Network, Trainer, data
    from scratchnet_gui.cli import main as cli

    ds = data.build(data.DataSpec("moons", 400, 0.3, seed=2))
    t = Trainer(Network([2, 4, 1], seed=0), ds.X_train, ds.y_train, ds.X_test, ds.y_test,
                metric_rows=50)  # the history measures 50 of 300 and of 100 rows
    t.step_epoch()
    s = cli._scores(t, ds)
    every = {p: t.evaluate(X, y) for p, X, y in (("train", ds.X_train, ds.y_train),
                                                 ("test", ds.X_test, ds.y_test))}
    assert s["train_auc"] == every["train"]["auc"] != t.history.last("train_auc")
    assert s["test_accuracy"] == every["test"]["acc"] and s["train_loss"] == every["train"]["loss"]
