"""The command line's diagnostics: gradients.* and hidden_space.* in --out, and the last
epoch's dead units in --json."""

import csv
import json
import xml.etree.ElementTree as ET

import numpy as np
from PIL import Image

from scratchnet import data, session
from scratchnet.config import Config, make_trainer

from .test_cli import run


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_out_writes_the_gradients_and_the_hidden_space(tmp_path):
    out = tmp_path / "plots"
    done = run("train", "--dataset", "circles", "--layers", "2,5,3,1", "--activation", "tanh",
               "--epochs", "3", "--seed", "1", "--json", "--out", str(out))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    for stem in ("gradients", "hidden_space"):
        with Image.open(out / f"{stem}.png") as im:
            assert im.size == (900, 650)
            assert len(np.unique(np.asarray(im.convert("RGB")).reshape(-1, 3), axis=0)) > 5
        assert ET.parse(out / f"{stem}.svg").getroot().tag.endswith("svg")
    header, *rows = _rows(out / "gradients.csv")
    assert header[:4] == ["epoch", "grad_norm_1", "grad_norm_2", "grad_norm_3"]
    assert "dead_2" in header and len(rows) == summary["epochs"] + 1
    assert all(float(r[1]) > 0 for r in rows)
    header, *rows = _rows(out / "hidden_space.csv")
    assert header[:4] == ["index", "layer", "h1", "h2"] or header[2].startswith("PC1")
    assert {r[1] for r in rows} == {"2"} and len(rows) > 100
    assert summary["dead"] == {"layer_1": 0, "layer_2": 0}


def test_json_counts_dead_units(tmp_path):
    cfg = Config(data.DataSpec("circles", 300, 0.1, seed=2), hidden=[8], activations=["relu"],
                 init="he", lr=0.05, max_epochs=50)
    t = make_trainer(cfg, data.build(cfg.data))
    t.network.layers[0].biases[[0, 3]] = -100.0  # z ≤ 0 on every sample
    start, end = tmp_path / "start.scratchnet", tmp_path / "end.scratchnet"
    session.save(start, t, cfg)
    done = run("train", "--load", str(start), "--epochs", "2", "--save", str(end), "--json")
    assert done.returncode == 0, done.stderr
    dead = json.loads(done.stdout)["dead"]
    trained, _, ds, _ = session.load(end)
    L = trained.network.layers[0]
    want = int(np.sum(np.all(ds.X_train @ L.weights.T + L.biases <= 0, axis=0)))
    assert want >= 2 and dead == {"layer_1": want}
