"""File ▸ Export model…: the shown network, with its preprocessing, as ONNX (checked with
onnxruntime against the training process's own predictions) or a PyTorch script."""

import ast
import subprocess
import sys

import numpy as np
import onnxruntime as ort
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from .conftest import wait_idle


def _answer_dialog(monkeypatch, path, chosen):
    asked = []

    def answer(*args, **kwargs):
        asked.append(args)
        return str(path), chosen

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return asked


def _onnx_outputs(path, X):
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return sess.run(None, {"raw": np.ascontiguousarray(X, dtype=np.float64)})[0]


def test_export_model_writes_onnx_that_gives_the_windows_predictions(qtbot, window, tmp_path,
                                                                     monkeypatch):
    window.data_panel.features["radius"].click()  # an engineered input, standardised
    window.data_panel.regenerate.click()
    wait_idle(qtbot, window)
    window.findChild(QAction, "step_epoch").trigger()
    s = wait_idle(qtbot, window)
    assert s.epoch == 1 and s.sizes[0] == 3
    asked = _answer_dialog(monkeypatch, tmp_path / "circles", "ONNX model (*.onnx)")
    window.findChild(QAction, "export_model").trigger()
    assert asked and (tmp_path / "circles.onnx").exists()  # the chosen filter's suffix
    got = _onnx_outputs(tmp_path / "circles.onnx", s.points.raw_train)
    assert np.max(np.abs(got[:, 0] - s.train_pred)) <= 1e-6  # P(class 1), as drawn
    assert "circles.onnx" in window.statusBar().currentMessage()


def test_a_regression_exports_in_the_targets_units_and_as_a_pytorch_script(
        qtbot, window, tmp_path, monkeypatch):
    window.findChild(QAction, "example_reg_gauss").trigger()
    wait_idle(qtbot, window)
    window.findChild(QAction, "step_epoch").trigger()
    s = wait_idle(qtbot, window)
    assert s.task.kind == "regression" and s.target != (0.0, 1.0)
    _answer_dialog(monkeypatch, tmp_path / "gauss.onnx", "")
    window.findChild(QAction, "export_model").trigger()
    got = _onnx_outputs(tmp_path / "gauss.onnx", s.points.raw_train)
    assert np.max(np.abs(got[:, 0] - s.train_pred)) <= 1e-6
    _answer_dialog(monkeypatch, tmp_path / "model.py", "PyTorch script (*.py)")
    window.findChild(QAction, "export_model").trigger()
    tree = ast.parse((tmp_path / "model.py").read_text(encoding="utf-8"))
    weights = next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                   and getattr(n.targets[0], "id", "") == "WEIGHTS")
    assert len(weights) == 2 * len(s.weights)
    np.testing.assert_array_equal(np.array(weights["output.weight"]), s.weights[-1][0])


def test_an_export_that_cannot_be_written_is_a_message(qtbot, window, tmp_path, monkeypatch):
    wait_idle(qtbot, window)
    _answer_dialog(monkeypatch, tmp_path / "missing" / "m.onnx", "")
    window.findChild(QAction, "export_model").trigger()
    level, text = window.last_message
    assert level == "error" and "Could not export the model" in text and "missing" in text
    assert window.controller.worker.is_alive()


def test_the_windows_process_imports_no_onnx_sklearn_or_numba_to_open():
    code = ("import sys, scratchnet_gui.app, scratchnet_gui.window.main_window; "
            "bad = [m for m in ('onnx', 'onnxruntime', 'sklearn', 'numba') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env={"QT_QPA_PLATFORM": "offscreen",
                                            "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stdout + done.stderr
