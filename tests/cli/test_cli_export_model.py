"""``scratchnet train … --export-model PATH`` and ``--version`` of both entry points, run
in a subprocess like a user would."""

import ast
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

import scratchnet
from scratchnet import session

BIN = Path(sys.executable).parent  # the installed entry points sit beside the interpreter


def run(*args):
    # the numpy path: the compiled kernel is tests/engine/test_kernel.py's to check
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SCRATCHNET_KERNEL": "numpy"}
    return subprocess.run([sys.executable, "-m", "scratchnet_gui.cli", *args],
                          capture_output=True, text=True, env=env, timeout=300)


def test_export_model_writes_the_trained_network_as_onnx(tmp_path):
    model, saved = tmp_path / "m.onnx", tmp_path / "s.scratchnet"
    done = run("train", "--dataset", "circles", "--features", "x1²,radius", "--layers",
               "4,5,1", "--activation", "tanh", "--epochs", "3", "--export-model", str(model),
               "--save", str(saved), "--json")
    assert done.returncode == 0, done.stderr
    assert str(model) in json.loads(done.stdout)["files"]
    trainer, _, ds, _ = session.load(saved)  # the same network, saved beside it
    X = np.vstack([ds.raw_train, ds.raw_test])
    sess = ort.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    got = sess.run(None, {"raw": X})[0]
    assert np.max(np.abs(got - trainer.network.forward(ds.inputs(X)))) <= 1e-6


def test_export_model_as_a_pytorch_script_from_a_loaded_session(tmp_path):
    saved, script = tmp_path / "s.scratchnet", tmp_path / "model.py"
    assert run("train", "--preset", "spiral-3", "--epochs", "2", "--save",
               str(saved)).returncode == 0
    done = run("train", "--load", str(saved), "--epochs", "0", "--export-model", str(script))
    assert done.returncode == 0, done.stderr
    assert f"wrote {script}" in done.stdout
    tree = ast.parse(script.read_text(encoding="utf-8"))
    classes = next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                   and getattr(n.targets[0], "id", "") == "CLASSES")
    assert classes == ["0", "1", "2"]


@pytest.mark.parametrize("path,message", [
    ("model.txt", "exports to .onnx or .py, not 'model.txt'"),
    ("missing/model.onnx", "cannot write"),
])
def test_a_bad_export_path_exits_2_before_training(tmp_path, path, message):
    saved = tmp_path / "s.scratchnet"
    done = run("train", "--preset", "circles-deep", "--epochs", "200", "--save", str(saved),
               "--export-model", str(tmp_path / path))
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not saved.exists()  # refused before anything was trained or written


def test_onnx_export_without_onnx_exits_2_before_training(tmp_path):
    # Python as without onnx installed: sitecustomize blocks the import
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(
        "import sys\nsys.modules['onnx'] = None\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(blocker), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "scratchnet_gui.cli", "train", "--epochs",
                           "1", "--export-model", str(tmp_path / "m.onnx")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 2 and 'pip install "scratchnet[export]"' in done.stderr
    assert not (tmp_path / "m.onnx").exists()


@pytest.mark.parametrize("script", ["scratchnet", "scratchnet-gui"])
def test_version_of_each_installed_entry_point(script):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                           "QT_QPA_PLATFORM")}
    done = subprocess.run([str(BIN / script), "--version"], capture_output=True, text=True,
                          env=env, timeout=120)  # no display: --version needs none
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{script} {scratchnet.__version__} (Python ")
    assert f"numpy {np.__version__}" in done.stdout
    assert metadata.version("scratchnet") == scratchnet.__version__  # pyproject's too
