"""``scratchnet train --out`` writes the Landscape view (PNG, SVG, CSV) and
``sharpness.csv``: λmax per measured epoch against 2/lr, checked against the engine."""

import csv
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from scratchnet import data, landscape as ls, presets
from scratchnet.config import make_trainer


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_out_writes_the_landscape_and_the_sharpness(tmp_path):
    out = tmp_path / "plots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "scratchnet_gui.cli", "train", "--preset",
                           "lr-too-large", "--epochs", "12", "--json", "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    files = json.loads(done.stdout)["files"]
    for name in ("landscape.png", "landscape.svg", "landscape.csv", "sharpness.csv"):
        assert str(out / name) in files
    with Image.open(out / "landscape.png") as im:
        assert im.size == (900, 650)
    assert ET.parse(out / "landscape.svg").getroot().tag.endswith("svg")
    rows = _rows(out / "landscape.csv")
    assert rows[0] == ["part", "epoch", "alpha", "beta", "s", "loss"]
    assert sum(r[0] == "plane" for r in rows) == 41 * 41
    assert [float(r[1]) for r in rows if r[0] == "path"] == list(range(13))
    sharp = _rows(out / "sharpness.csv")
    assert sharp[0] == ["epoch", "sharpness", "lr", "threshold"]
    assert [int(r[0]) for r in sharp[1:]] == list(range(1, 13))  # every epoch of 12
    assert all(float(r[3]) == 0.5 for r in sharp[1:])            # 2/lr at lr 4
    # the same run in this process, measured by the engine at epoch 12
    cfg = presets.get("lr-too-large")
    t = make_trainer(cfg, data.build(cfg.data))
    t.run(12)
    lam = float(ls.sharpness(t.network, t.X_train, t.y_train))
    assert float(sharp[-1][1]) == pytest.approx(lam, rel=1e-4)
    plane = {(float(r[2]), float(r[3])): float(r[5]) for r in rows if r[0] == "plane"}
    assert min(plane.items(), key=lambda kv: abs(kv[0][0]) + abs(kv[0][1]))[1] == \
        pytest.approx(t.network.loss(t.X_train, t.y_train), rel=1e-9)
    assert np.isfinite(list(plane.values())).all()
