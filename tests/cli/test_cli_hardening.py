"""The CLI refuses what it would ignore or fail on later, in one line, before training;
divergence is exit 1 with the outputs still written; the engine's options are there."""

import json
import re

import numpy as np
import pytest

from scratchnet import session
from scratchnet.trainer import MAX_WEIGHT
from scratchnet_gui.cli import main as cli

from .test_cli import run


def main(capsys, *args):
    """``(exit code, stdout, stderr lines)`` of the command run in this process."""
    try:
        code = cli.main(["train", *args])
    except SystemExit as e:  # argparse
        code = e.code
    out, err = capsys.readouterr()
    return code, out, err.strip().splitlines()


def one_line(capsys, args, code, pattern):
    got, _, lines = main(capsys, *args)
    assert got == code and len(lines) == 1, lines
    assert re.search(pattern, lines[0]), lines[0]
    return lines[0]


@pytest.fixture
def saved(tmp_path, capsys):
    path = tmp_path / "s.scratchnet"
    assert main(capsys, "--dataset", "moons", "--samples", "80", "--layers", "2,4,1",
                "--epochs", "1", "--save", str(path))[0] == 0
    return path


def test_load_refuses_the_options_it_would_ignore(capsys, saved):
    one_line(capsys, ["--load", str(saved), "--layers", "2,3,1", "--lr", "0.5",
                      "--optimizer", "adam", "--batch-size", "4", "--dataset", "xor"], 2,
             r"--load .* cannot take --dataset, --layers, --optimizer, --lr, --batch-size$")
    one_line(capsys, ["--load", str(saved), "--epochs", "-5"], 2,
             r"argument --epochs: .* from 0 to 10,000,000, not -5")
    code, out, _ = main(capsys, "--load", str(saved), "--epochs", "2", "--target-auc",
                        "0.999", "--json")
    assert code == 0 and json.loads(out)["epochs"] == 3


@pytest.mark.parametrize("args,pattern", [
    (["--samples", "1000000000"], r"argument --samples: .*2,000,000, not 1000000000"),
    (["--seed", "-1"], r"argument --seed: the seed must be .*, not -1"),
    (["--epochs", "-1"], r"argument --epochs:"),
    (["--momentum", "1.5", "--optimizer", "momentum"], r"argument --momentum: .*< 1"),
    (["--beta1", "-0.1"], r"argument --beta1:"),
    (["--gamma", "0", "--schedule", "step"], r"argument --gamma: .*> 0"),
    (["--step-size", "0"], r"argument --step-size:"),
    (["--period", "x"], r"argument --period: invalid int value"),
    (["--min-lr", "-1"], r"argument --min-lr:"),
    (["--l1", "-1"], r"argument --l1:"),
    (["--l2", "nan"], r"argument --l2: .*finite"),
    (["--init", "bogus"], r"argument --init: invalid choice"),
    (["--schedule", "bogus"], r"argument --schedule: invalid choice"),
    (["--gamma", "0.5"], r"--gamma applies to --schedule step or exponential, not constant"),
    (["--period", "5", "--schedule", "step"], r"--period applies to --schedule cosine"),
    (["--momentum", "0.5"], r"--momentum applies to --optimizer momentum, not sgd"),
    (["--beta2", "0.9", "--optimizer", "momentum"], r"--beta2 applies to --optimizer adam"),
    (["--csv", "x.csv", "--samples", "100"], r"--samples and --noise shape generated data"),
])
def test_bad_values_are_one_line_naming_the_option(capsys, args, pattern):
    assert "Traceback" not in one_line(capsys, args, 2, pattern)


def test_unwritable_outputs_are_refused_before_training(tmp_path, capsys):
    (tmp_path / "afile").write_text("")
    save = tmp_path / "x.scratchnet"
    one_line(capsys, ["--out", str(tmp_path / "afile"), "--save", str(save)], 2,
             r"cannot write .*afile: it is a file, not a folder$")
    one_line(capsys, ["--save", str(tmp_path / "nodir" / "x.scratchnet")], 2,
             r"cannot write .*nodir/x.scratchnet: the folder does not exist$")
    one_line(capsys, ["--gif", str(tmp_path / "afile" / "t.gif")], 2,
             r"t.gif: a part of the path is a file, not a folder$")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


@pytest.mark.parametrize("name,args,check", [
    ("momentum", ["--optimizer", "momentum", "--momentum", "0.5", "--schedule", "step",
                  "--gamma", "0.9", "--step-size", "3", "--init", "xavier", "--l1", "0.001",
                  "--l2", "0.01"],
     lambda t, c: (t.optimizer.momentum, t.optimizer.schedule.kind, t.optimizer.schedule.gamma,
                   t.optimizer.schedule.step_size, c.training.init, t.l1, t.l2)
     == (0.5, "step", 0.9, 3, "xavier", 0.001, 0.01)),
    ("adam", ["--optimizer", "adam", "--lr", "0.01", "--beta1", "0.8", "--beta2", "0.99",
              "--schedule", "cosine", "--period", "7", "--min-lr", "0.001", "--init", "he"],
     lambda t, c: (t.optimizer.beta1, t.optimizer.beta2, t.optimizer.schedule.period,
                   t.optimizer.schedule.min_lr, t.network.init) == (0.8, 0.99, 7, 0.001, "he")),
    ("exponential", ["--schedule", "exponential", "--gamma", "0.95"],
     lambda t, c: t.optimizer.lr_at(2) == pytest.approx(0.1 * 0.95 ** 2)),
])
def test_the_engines_options_reach_the_trainer(tmp_path, capsys, name, args, check):
    path = tmp_path / f"{name}.scratchnet"
    code, _, lines = main(capsys, "--dataset", "moons", "--samples", "80", "--layers", "2,4,1",
                          "--epochs", "2", "--save", str(path), *args)
    assert code == 0, lines
    trainer, cfg, _, _ = session.load(path)
    assert check(trainer, cfg)


def test_divergence_is_one_line_exit_1_and_still_writes_the_outputs(tmp_path):
    # xor with relu at lr 1000 used to reach loss 170.8 and AUC 0.5 and exit 0
    save, out = tmp_path / "d.scratchnet", tmp_path / "plots"
    done = run("train", "--dataset", "xor", "--activation", "relu", "--lr", "1000",
               "--epochs", "20", "--save", str(save), "--out", str(out), "--json")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("scratchnet: error: training diverged at")
    summary = json.loads(done.stdout)
    assert summary["stopped_by"] == "diverged" and str(save) in summary["files"]
    assert (out / "network.png").exists() and (out / "auc.csv").exists()
    trainer, _, _, _ = session.load(save)  # the last good weights
    assert all(np.all(np.abs(p) <= MAX_WEIGHT) for p in trainer.network.parameters())


def test_ten_by_64_relu_with_he_init_trains_on_circles(capsys):
    layers = ",".join(["2"] + ["64"] * 10 + ["1"])
    code, out, lines = main(capsys, "--dataset", "circles", "--layers", layers,
                            "--activation", "relu", "--init", "he", "--epochs", "5", "--json")
    assert code == 0, lines
    summary = json.loads(out)
    assert summary["stopped_by"] == "epochs" and summary["test_auc"] > 0.95


def test_the_cli_stops_by_the_trainers_rule_at_the_target(capsys):
    code, out, _ = main(capsys, "--dataset", "moons", "--samples", "200", "--layers", "2,6,1",
                        "--target-auc", "0.9", "--epochs", "50", "--json")
    summary = json.loads(out)
    assert code == 0 and summary["stopped_by"] == "target" and summary["target_reached"]
    assert summary["epochs_run"] < 50
