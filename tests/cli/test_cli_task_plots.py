"""``scratchnet train --out/--gif`` draw K classes and regression as the window does."""

import csv
import json

import numpy as np
from PIL import Image

from .test_cli import run


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_three_classes_write_every_plot_and_the_confusion_matrix(tmp_path):
    out, gif = tmp_path / "plots", tmp_path / "run.gif"
    done = run("train", "--dataset", "spiral", "--classes", "3", "--layers", "2,12,3",
               "--activation", "tanh", "--optimizer", "adam", "--lr", "0.01", "--epochs", "20",
               "--json", "--out", str(out), "--gif", str(gif), "--gif-every", "5")
    assert done.returncode == 0, done.stderr
    s = json.loads(done.stdout)
    header, *rows = _rows(out / "confusion.csv")
    assert header == ["true \\ predicted", "0", "1", "2"]
    assert [[int(v) for v in r[1:]] for r in rows] == s["confusion"]  # all 250 test points
    roc = _rows(out / "roc.csv")
    assert roc[0] == ["class", "fpr", "tpr"] and {r[0] for r in roc[1:]} == {"0", "1", "2"}
    pred = _rows(out / "prediction.csv")
    assert pred[0][-3:] == ["label", "predicted", "correct"] and len(pred) == 1 + 1000
    with Image.open(out / "prediction.png") as im:  # the three class colours, blended
        assert len(np.unique(np.asarray(im.convert("RGB")).reshape(-1, 3), axis=0)) > 50
    with Image.open(gif) as im:
        assert im.n_frames == 5  # epochs 0, 5, 10, 15, 20


def test_regression_writes_its_scores_and_predicted_against_actual(tmp_path):
    out = tmp_path / "plots"
    done = run("train", "--dataset", "reg-plane", "--layers", "2,8,1", "--epochs", "5",
               "--json", "--out", str(out))
    assert done.returncode == 0, done.stderr
    s = json.loads(done.stdout)
    auc = _rows(out / "auc.csv")
    assert auc[0][:3] == ["epoch", "train_r2", "test_r2"]
    assert float(auc[-1][2]) == s["test_r2"]
    roc = _rows(out / "roc.csv")
    assert roc[0] == ["actual", "predicted"] and len(roc) == 1 + 250
    assert _rows(out / "confusion.csv")[1] == ["regression has no classes"]
    pred = _rows(out / "prediction.csv")
    assert pred[0][-3:] == ["target", "predicted", "residual"]
    assert all(float(r[-1]) == float(r[-2]) - float(r[-3]) for r in pred[1:])
