"""``scratchnet train … --compare KEY=VALUE,…``: run B is the same command with those
options, on the same data, split and seed; each run equals its solo run; bad input is
one line and exit 2 before any training."""

import csv
import json
import os

import numpy as np
import pytest

from scratchnet import data, session
from scratchnet.article import NeuralNetwork
from scratchnet_gui.cli import compare as cli_compare

from .test_cli import run
from .test_cli_hardening import main, one_line

MOONS = ["--dataset", "moons", "--samples", "200", "--layers", "2,5,1"]


def weights(path):
    trainer, cfg, _, _ = session.load(path)
    return [(L.weights, L.biases) for L in trainer.network.layers], trainer, cfg


def assert_same(got, want, tol=1e-12):
    assert len(got) == len(want)
    for (W, b), (W2, b2) in zip(got, want):
        assert W.shape == W2.shape
        assert np.max(np.abs(W - W2)) <= tol and np.max(np.abs(b - b2)) <= tol


@pytest.mark.parametrize("text,want", [
    ("activation=relu,init=he", {"activation": "relu", "init": "he"}),
    ("layers=2,9,6,1,lr=0.5", {"layers": "2,9,6,1", "lr": "0.5"}),
    ("lr=0.5,layers=2,9,6,1", {"lr": "0.5", "layers": "2,9,6,1"}),
    ("batch-size=5, activation=relu,tanh", {"batch_size": "5", "activation": "relu,tanh"}),
])
def test_pieces_continue_a_value_past_its_commas(text, want):
    assert cli_compare.pieces(text) == want


@pytest.mark.parametrize("compare,pattern", [
    ("foo=1", r"--compare has no key 'foo'; choose from layers, activation, init"),
    ("out=plots", r"--compare has no key 'out'"),
    ("seed=3", r"--compare cannot change seed: runs A and B share the data"),
    ("noise=0.3", r"--compare cannot change noise: runs A and B share the data"),
    ("dataset=xor", r"--compare cannot change dataset"),
    ("preset=classic", r"--compare cannot change preset"),
    ("lr=-1", r"^scratchnet: error: --compare lr=-1: the learning rate must be .* > 0"),
    ("init=he,lr=abc", r"--compare lr=abc: invalid float value: 'abc'$"),
    ("batch_size=0", r"--compare batch-size=0: .* from 1 to"),
    ("layers=2,x,1", r"--compare layers=2,x,1: hidden layer 1: 'x' is not a whole number"),
    ("optimizer=rmsprop", r"--compare optimizer=rmsprop: invalid choice"),
    ("lr=", r"--compare lr= needs a value"),
    ("2,3", r"--compare takes KEY=VALUE pieces"),
    ("lr=0.1,lr=0.2", r"--compare gives lr twice"),
    ("momentum=0.5", r"run B \(--compare momentum=0.5\): --momentum applies to --optimizer"),
    ("layers=3,4,1", r"run B .*the input layer must have 2 units"),
    ("backprop=article,activation=relu", r"run B .*the article's backprop needs"),
])
def test_a_bad_compare_is_one_line_and_exit_2_before_training(capsys, tmp_path, compare,
                                                             pattern):
    save = tmp_path / "s.scratchnet"
    one_line(capsys, [*MOONS, "--epochs", "1", "--save", str(save), "--compare", compare],
             2, pattern)
    assert os.listdir(tmp_path) == []  # nothing trained, nothing written


@pytest.mark.parametrize("extra,pattern", [
    (["--gif", "g.gif"], r"--compare trains two runs, and --gif records one run"),
    (["--export-model", "m.py"], r"--export-model writes one model"),
    (["--compare-preset", "sgd-vs-adam"], r"--compare and --compare-preset both"),
])
def test_outputs_of_one_run_are_refused(capsys, tmp_path, monkeypatch, extra, pattern):
    monkeypatch.chdir(tmp_path)
    one_line(capsys, [*MOONS, "--compare", "lr=0.5", *extra], 2, pattern)
    assert os.listdir(tmp_path) == []


def test_load_and_a_preset_with_its_own_settings_are_refused(capsys, tmp_path):
    one_line(capsys, ["--load", str(tmp_path / "x.scratchnet"), "--compare", "lr=0.5"],
             2, r"--compare trains two runs, and --load continues one saved session")
    one_line(capsys, ["--compare-preset", "sgd-vs-adam", "--lr", "0.1"], 2,
             r"--compare-preset .* takes --seed, --epochs and --target-auc, not --lr$")


@pytest.mark.parametrize("compare,same_layers", [
    ("lr=0.5", [0, 1]),                 # only the learning rate: every weight alike
    ("layers=2,5,3,1", [0]),            # only the deeper layers: the first alike
])
def test_b_starts_from_as_weights_wherever_the_shapes_match(capsys, tmp_path, compare,
                                                             same_layers):
    save = tmp_path / "s.scratchnet"
    layers = ["--layers", "2,5,4,1"] if "layers" in compare else []
    code, _, lines = main(capsys, *MOONS, *layers, "--epochs", "0", "--save", str(save),
                          "--compare", compare)
    assert code == 0, lines
    (a, _, _), (b, _, _) = weights(tmp_path / "s-a.scratchnet"), weights(
        tmp_path / "s-b.scratchnet")
    for k in same_layers:
        assert np.array_equal(a[k][0], b[k][0]) and np.array_equal(a[k][1], b[k][1])
    if "layers" in compare:
        assert a[1][0].shape == (4, 5) and b[1][0].shape == (3, 5)


def test_each_run_equals_its_solo_run_after_30_epochs(capsys, tmp_path):
    """B changes its optimizer (a state of its own), its rate and its depth."""
    b_opts = ["--optimizer", "adam", "--lr", "0.05", "--layers", "2,6,3,1"]
    base = [*MOONS, "--epochs", "30", "--json"]
    code, out, lines = main(capsys, *base, "--save", str(tmp_path / "c.scratchnet"),
                            "--compare", "optimizer=adam,lr=0.05,layers=2,6,3,1")
    assert code == 0, lines
    both = json.loads(out)
    for name, opts in (("a", []), ("b", b_opts)):
        solo_path = tmp_path / f"solo-{name}.scratchnet"
        code, solo_out, lines = main(capsys, *base, *opts, "--save", str(solo_path))
        assert code == 0, lines
        (mine, trainer, _), (solo, solo_trainer, _) = (
            weights(tmp_path / f"c-{name}.scratchnet"), weights(solo_path))
        assert_same(mine, solo)
        assert trainer.epoch == solo_trainer.epoch == 30
        np.testing.assert_allclose(trainer.history["test_auc"],
                                   solo_trainer.history["test_auc"], rtol=0, atol=1e-12)
        solo = json.loads(solo_out)
        for key in ("test_auc", "train_loss", "architecture", "stopped_by", "confusion"):
            assert both[name][key] == solo[key], key
    assert both["a"]["architecture"] == [2, 5, 1] and both["b"]["architecture"] == [2, 6, 3, 1]


def test_json_is_a_b_and_exactly_the_settings_that_differ(capsys):
    code, out, _ = main(capsys, *MOONS, "--epochs", "2", "--json", "--compare", "lr=0.5")
    done = json.loads(out)
    assert code == 0 and set(done) == {"a", "b", "differs", "files"}
    assert done["differs"] == {"lr": [0.1, 0.5]}  # nothing unchanged listed
    assert done["a"]["epochs"] == done["b"]["epochs"] == 2
    code, out, _ = main(capsys, *MOONS, "--epochs", "2", "--json", "--compare",
                        "activation=relu,init=he")
    assert json.loads(out)["differs"] == {"activations": [["sigmoid"], ["relu"]],
                                          "init": ["normal", "he"]}
    code, out, _ = main(capsys, *MOONS, "--epochs", "2", "--compare", "lr=0.5")
    assert out.splitlines()[0] == "B: lr 0.5" and out.count("trained 2 epochs") == 2


def test_the_runs_train_in_lockstep_and_a_stopped_run_waits():
    """Epoch by epoch, A then B: neither is more than one epoch ahead while both train,
    and B, done after its 2 epochs, waits while A trains on to its 5."""
    from scratchnet.config import Config, make_trainer

    ds = data.build(data.DataSpec("moons", 100, 0.1))
    seen, both = [], []
    for name, goal in (("a", 5), ("b", 2)):
        cfg = Config(ds.spec, hidden=[3], activations=["tanh"])
        t = make_trainer(cfg, ds)
        both.append(cli_compare.Run(name, None, cfg, t, goal))

        def step(name=name, real=t.step_epoch):
            real()
            seen.append((name, *(r.trainer.epoch for r in both)))
        t.step_epoch = step
    cli_compare.step_both(both)
    assert seen == [("a", 1, 0), ("b", 1, 1), ("a", 2, 1), ("b", 2, 2), ("a", 3, 2),
                    ("a", 4, 2), ("a", 5, 2)]
    assert [r.reason for r in both] == ["epochs", "epochs"]


def test_a_run_that_diverges_stops_while_the_other_trains_on(capsys):
    code, out, lines = main(capsys, "--dataset", "xor", "--activation", "relu",
                            "--epochs", "20", "--json", "--compare", "lr=1000")
    done = json.loads(out)
    assert code == 1 and len(lines) == 1 and lines[0].startswith(
        "scratchnet: error: B: training diverged at")
    assert done["b"]["stopped_by"] == "diverged" and done["b"]["epochs"] < 20
    assert done["a"]["stopped_by"] == "epochs" and done["a"]["epochs"] == 20


def test_the_article_preset_run_is_scratchnet_article(capsys, tmp_path):
    """Run A of the article comparison trains as ``scratchnet.article``'s own loop."""
    save = tmp_path / "p.scratchnet"
    code, out, lines = main(capsys, "--compare-preset", "article-vs-correct-backprop",
                            "--epochs", "3", "--save", str(save), "--json")
    assert code == 0, lines
    assert json.loads(out)["differs"] == {"backprop": ["article", "correct"]}
    mine, _, cfg = weights(tmp_path / "p-a.scratchnet")
    ds = data.build(cfg.data)
    nn = NeuralNetwork(2, 9, 6, 1, epochs=3, lr=0.1, backprop="article", seed=cfg.seed)
    nn.fit(ds.X_train, ds.y_train)
    assert_same(mine, [(L.weights, L.biases[:, 0]) for L in nn.layers])
    correct, _, _ = weights(tmp_path / "p-b.scratchnet")
    assert np.max(np.abs(correct[0][0] - mine[0][0])) > 1e-3  # B trained otherwise


def test_out_writes_each_runs_views_and_the_overlaid_curves(tmp_path):
    out, solo = tmp_path / "plots", tmp_path / "solo"
    done = run("train", *MOONS, "--epochs", "4", "--out", str(out), "--json",
               "--compare", "lr=0.5,activation=tanh")
    assert done.returncode == 0, done.stderr
    both = json.loads(done.stdout)
    alone = run("train", *MOONS, "--epochs", "4", "--out", str(solo), "--json",
                "--lr", "0.5", "--activation", "tanh")
    assert alone.returncode == 0, alone.stderr
    names = sorted(os.listdir(solo))
    assert sorted(os.listdir(out / "a")) == sorted(os.listdir(out / "b")) == names
    for f in ("network.csv", "auc.csv", "prediction.csv"):  # B's views are its solo run's
        assert (out / "b" / f).read_text() == (solo / f).read_text()
    assert (out / "a" / "network.csv").read_text() != (solo / "network.csv").read_text()
    for stem in ("auc", "loss", "gradients"):
        for ext in ("png", "svg", "csv"):
            assert str(out / f"{stem}.{ext}") in both["files"]
    with open(out / "auc.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["epoch", "A train AUC", "A test AUC", "B train AUC",
                             "B test AUC"]
    assert [float(r["B test AUC"]) for r in rows][-1] == json.loads(alone.stdout)["test_auc"]
    assert float(rows[-1]["A test AUC"]) == both["a"]["test_auc"]


def test_the_overlays_draw_a_solid_and_b_dashed_each_named():
    from PySide6.QtCore import Qt

    from scratchnet import tasks
    from scratchnet.history import History
    from scratchnet_gui.cli import compare_plots

    row = dict(epoch=0, train_auc=0.5, test_auc=0.4, train_loss=0.7, test_loss=0.8,
               grad_norm_1=0.1, grad_norm_2=0.0)
    h = History(keys=tuple(row))
    h.append(**row)
    figs = compare_plots.figures([("A", h), ("B", h)], tasks.of_labels(np.array([0, 1])))
    for stem, (_, _, _, lines) in figs.items():
        for name, _, _, pen in lines:
            style = Qt.PenStyle.SolidLine if name.startswith("A ") else Qt.PenStyle.DashLine
            assert pen.style() == style, (stem, name)
    assert [n for n, *_ in figs["gradients"][3]] == ["A layer 1", "A layer 2", "B layer 1",
                                                     "B layer 2"]
    assert np.isnan(figs["gradients"][3][1][2][0])  # a zero norm: a gap on the log axis
