"""File ▸ Export model…: the network the window shows, with its preprocessing, as ONNX
or a PyTorch script (``scratchnet.model_export``; onnx is imported only on export)."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QFileDialog

from scratchnet import model_export
from scratchnet.network import Dense, Network

FILTERS = {"ONNX model (*.onnx)": ".onnx", "PyTorch script (*.py)": ".py"}


def network_of(snap) -> Network:
    """The ``Network`` a snapshot shows: its weights, activations and target scale."""
    *hidden, output = snap.activations
    net = Network(snap.sizes, activation=list(hidden), output=output)
    net.layers = [Dense(W.copy(), b.copy(), act)
                  for (W, b), act in zip(snap.weights, snap.activations)]
    net.set_target_scale(*snap.target)
    return net


def export_model(window, path) -> bool:
    """Write the model the window shows (the scrubbed epoch, while scrubbed) to ``path``;
    a failure is a message. True when written."""
    snap = window.controller.latest
    if snap is None or snap.points is None or snap.points.inputs is None:
        window.show_message("error", "There is no trained model to export yet.")
        return False
    try:
        model_export.export(path, network_of(snap), snap.points.inputs, snap.points.names,
                            snap.task.classes or None)
    except (OSError, ValueError, ImportError) as e:
        window.show_message("error", f"Could not export the model: {e}")
        return False
    window.statusBar().showMessage(f"Exported the model of epoch {snap.epoch} to {path}", 10_000)
    return True


def export_model_dialog(window) -> None:
    """Ask where, then export; the filter chosen gives a name without a suffix its own."""
    folder = window.files.settings().value("last_folder", "")
    path, chosen = QFileDialog.getSaveFileName(window, "Export model",
                                               os.path.join(folder, "model.onnx"),
                                               ";;".join(FILTERS))
    if not path:
        return
    if not os.path.splitext(path)[1]:
        path += FILTERS.get(chosen, ".onnx")
    if export_model(window, path):
        window.files.remember("last_folder", os.path.dirname(path))
