"""The headless command, run in a subprocess like a user would."""

import csv
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PIL import Image


def run(*args, cwd=None):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "scratchnet_gui.cli", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300)


def test_circles_deep_preset_reaches_the_target_and_writes_every_plot(tmp_path):
    out = tmp_path / "plots"
    done = run("train", "--preset", "circles-deep", "--seed", "0", "--json", "--out", str(out))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["test_auc"] >= 0.975 and summary["target_reached"]
    assert summary["epochs"] <= 100 and summary["seconds"] > 0
    for name in ("network", "prediction", "auc", "loss", "roc"):
        with Image.open(out / f"{name}.png") as im:
            assert im.size == (900, 650)
        assert ET.parse(out / f"{name}.svg").getroot().tag.endswith("svg")
        with open(out / f"{name}.csv", newline="") as fh:
            rows = list(csv.reader(fh))
        assert len(rows) > 1
    with open(out / "auc.csv", newline="") as fh:
        assert len(list(csv.reader(fh))) == 1 + summary["epochs"] + 1


def test_gif_records_one_frame_per_n_epochs(tmp_path):
    gif = tmp_path / "train.gif"
    done = run("train", "--dataset", "moons", "--layers", "2,4,1", "--epochs", "4",
               "--gif", str(gif), "--gif-every", "2", "--json")
    assert done.returncode == 0, done.stderr
    assert str(gif) in json.loads(done.stdout)["files"]
    with Image.open(gif) as im:
        assert im.size == (960, 300) and im.n_frames == 3  # epochs 0, 2 and 4
        frames = []
        for k in range(im.n_frames):
            im.seek(k)
            frames.append(im.convert("RGB").tobytes())
    assert frames[0] != frames[1]  # the network and its boundary moved


def test_save_then_load_continues(tmp_path):
    s = tmp_path / "s.scratchnet"
    a = run("train", "--dataset", "moons", "--layers", "2,5,1", "--epochs", "3", "--save", str(s), "--json")
    assert a.returncode == 0, a.stderr
    b = run("train", "--load", str(s), "--epochs", "2", "--json")
    assert b.returncode == 0, b.stderr
    assert json.loads(b.stdout)["epochs"] == 5


@pytest.mark.parametrize("args,message", [
    (["train", "--layers", "2,0,1"], "hidden layer 1 size must be at least 1"),
    (["train", "--lr", "-1"], "learning rate"),
    (["train", "--lr", "fast"], "invalid float value"),
    (["train", "--csv", "nope.csv"], "no such file"),
    (["train", "--preset", "nope"], "invalid choice"),
    (["train", "--load", "nope.scratchnet"], "no such file"),
    (["train", "--layers", "3,4,1"], "input layer must have 2 units|inputs"),
])
def test_bad_arguments_exit_nonzero_with_one_line(tmp_path, args, message):
    done = run(*args, cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert __import__("re").search(message, lines[0]), lines[0]


def test_the_gui_command_explains_a_missing_display():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "scratchnet_gui"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 2
    assert "QT_QPA_PLATFORM=offscreen" in done.stderr and "scratchnet train" in done.stderr


def test_the_blobs_preset_keeps_its_draw_whatever_the_seed():
    from scratchnet.presets import BLOBS_SEED
    from scratchnet_gui.cli import main as cli

    for argv, data_seed in ((["--preset", "blobs", "--seed", "3"], BLOBS_SEED),
                            (["--preset", "circles-deep", "--seed", "3"], 3),
                            (["--preset", "blobs", "--dataset", "moons", "--seed", "3"], 3),
                            (["--dataset", "blobs", "--seed", "3"], 3)):
        cfg = cli.build_config(cli.parser().parse_args(["train", *argv]))
        assert (cfg.data.seed, cfg.seed) == (data_seed, 3), argv


def test_backprop_article_trains_as_the_engine_does_and_is_refused_where_it_cannot(tmp_path):
    from scratchnet import data, presets
    from scratchnet.config import make_trainer

    done = run("train", "--preset", "classic", "--backprop", "article", "--epochs", "2")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "the article's backprop needs per-sample SGD" in done.stderr
    args = ["--preset", "classic", "--backprop", "article", "--batch-size", "1", "--lr", "0.5",
            "--epochs", "5"]
    done = run("train", *args, "--json", "--save", str(tmp_path / "a.scratchnet"))
    assert done.returncode == 0, done.stderr
    cfg = presets.get("classic").replace(backprop="article", batch_size=1, lr=0.5)
    t = make_trainer(cfg, data.build(cfg.data))
    for _ in range(5):
        t.step_epoch()
    assert json.loads(done.stdout)["train_loss"] == pytest.approx(t.history["train_loss"][-1],
                                                                rel=1e-12)
