"""Export a trained network, with the app's preprocessing, as ONNX or a PyTorch script.

Both exports take the *raw* input columns a user has (the CSV's columns, or x1 and x2)
and give what the app shows: the probability of class 1, one probability per class, or
the value in the targets' units. The engineered features and the standardisation by the
training set are part of the exported model, so no one has to redo them.

    export("model.onnx", network, dataset.inputs, columns=["x1", "x2"])

``.onnx`` needs the ``onnx`` package (``pip install "scratchnet[export]"``), imported
only when an ONNX file is written; ``.py`` needs nothing here, and torch where it runs.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import fileio
from .inputs import FEATURES, Inputs

SUFFIXES = {".onnx": "ONNX model", ".py": "PyTorch script (model.py)"}
NO_ONNX = 'ONNX export needs the onnx package: pip install "scratchnet[export]" (or onnx)'


@dataclass(frozen=True)
class ModelCard:
    """Everything an exporter writes: the layers, the preprocessing and the names.

    Attributes
    ----------
    layers : tuple of (name, W, b, activation)
        Engine shapes: ``W`` is (out, in), so a layer computes ``a @ W.T + b``.
    output : {"sigmoid", "softmax", "linear"}
    target : (mean, std)
        Regression: the output is ``value * std + mean``.
    columns : tuple of str
        The raw input columns, in order.
    features : tuple of str
        Engineered features appended to the raw columns (``inputs.FEATURES``).
    mean, std, scale : numpy.ndarray or None
        The standardisation (``Inputs``); None when the inputs are not standardised.
    classes : tuple of str
        Class names in output order (empty for regression).
    """

    layers: tuple
    output: str
    target: tuple
    columns: tuple
    features: tuple
    mean: np.ndarray | None
    std: np.ndarray | None
    scale: np.ndarray | None
    classes: tuple

    @property
    def kind(self) -> str:
        """"binary", "multiclass" or "regression"."""
        return {"sigmoid": "binary", "softmax": "multiclass"}.get(self.output, "regression")

    @property
    def output_name(self) -> str:
        return {"binary": "probability", "multiclass": "probabilities"}.get(self.kind, "value")

    @property
    def sizes(self) -> list:
        return [self.layers[0][1].shape[1]] + [W.shape[0] for _, W, _, _ in self.layers]

    def summary(self) -> str:
        """One line: architecture, inputs and output."""
        arch = "-".join(map(str, self.sizes))
        what = {"binary": f"P(class {self.classes[1] if self.classes else 1})",
                "multiclass": f"P of each class ({', '.join(self.classes)})"}.get(
            self.kind, "the predicted value")
        return (f"ScratchNet {arch} network: raw columns {', '.join(self.columns)} in, "
                f"{what} out")


def layer_names(n_layers: int) -> list:
    """``hidden1``, ``hidden2``, …, ``output``."""
    return [f"hidden{i + 1}" for i in range(n_layers - 1)] + ["output"]


def describe(network, inputs: Inputs | None = None, columns=None, classes=None) -> ModelCard:
    """The ``ModelCard`` of ``network`` fed by ``inputs``.

    Parameters
    ----------
    network : Network
    inputs : scratchnet.inputs.Inputs, optional
        The engineered features and standardisation the app applies (None: raw columns
        go in as they are).
    columns : sequence of str, optional
        The raw columns' names (default ``x1, x2, …``).
    classes : sequence of str, optional
        The class names (default ``0 … K-1``; none for regression).

    Returns
    -------
    ModelCard

    Raises
    ------
    ValueError
        When the inputs do not fit the network's input layer.
    """
    inputs = inputs if inputs is not None else Inputs()
    features = tuple(inputs.features)
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ValueError(f"unknown engineered feature(s) {unknown}")
    n_raw = network.sizes[0] - len(features)
    columns = tuple(str(c) for c in columns) if columns is not None else tuple(
        f"x{i + 1}" for i in range(n_raw))
    if len(columns) != n_raw or n_raw < (2 if features else 1):
        raise ValueError(f"the network takes {network.sizes[0]} inputs: {len(columns)} raw "
                         f"column(s) and {len(features)} engineered feature(s) do not fit")
    if classes is None:
        k = network.sizes[-1]
        classes = () if network.output == "linear" else tuple(str(i) for i in range(max(k, 2)))
    names = layer_names(len(network.layers))
    layers = tuple((n, np.array(L.weights, np.float64), np.array(L.biases, np.float64),
                    L.activation) for n, L in zip(names, network.layers))
    std = None if inputs.std is None else np.asarray(inputs.std, np.float64)
    mean = None if inputs.mean is None else np.asarray(inputs.mean, np.float64)
    scale = None if inputs.scale is None else np.asarray(inputs.scale, np.float64)
    return ModelCard(layers, network.output, (float(network.target_mean),
                                              float(network.target_std)),
                     columns, features, mean, std, scale, tuple(str(c) for c in classes))


def check_path(path) -> str:
    """The export's format from ``path``'s suffix (".onnx" or ".py"), or ``ValueError``."""
    suffix = Path(str(path)).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"a model exports to .onnx or .py, not {Path(str(path)).name!r}")
    return suffix


def check_onnx() -> None:
    """Refuse early (``ValueError``) an ONNX export without the onnx package, without
    importing it (a slow import the window's process must not pay at start-up)."""
    if importlib.util.find_spec("onnx") is None:
        raise ValueError(NO_ONNX)


def export(path, network, inputs: Inputs | None = None, columns=None, classes=None) -> str:
    """Write ``network`` with its preprocessing to ``path`` (.onnx or .py), atomically.

    Parameters
    ----------
    path : str or path-like
        Its suffix chooses the format.
    network, inputs, columns, classes
        As for :func:`describe`.

    Returns
    -------
    str
        The format written: ".onnx" or ".py".

    Raises
    ------
    ValueError
        A bad suffix, or inputs that do not fit.
    ImportError
        ONNX asked for without the ``onnx`` package (the message has the install line).
    OSError
        When it cannot write.
    """
    suffix = check_path(path)
    card = describe(network, inputs, columns, classes)
    if suffix == ".onnx":
        from .export_onnx import to_onnx

        payload = to_onnx(card).SerializeToString()
    else:
        from .export_torch import torch_script

        payload = torch_script(card).encode("utf-8")
    fileio.write_bytes(path, payload)
    return suffix
