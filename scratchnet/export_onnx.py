"""A ``ModelCard`` as an ONNX graph (float64), preprocessing included.

The graph takes ``raw`` (n, columns) and gives ``probability`` (n, 1), ``probabilities``
(n, K) or ``value`` (n, 1). It computes what ``Inputs`` and ``Network.forward`` do, op for
op: the engineered features from the first two columns, the standardisation written as
``(x / scale − mean / scale) / (std / scale)`` as ``Inputs`` does (no overflow on huge
columns), then one ``Gemm`` and one activation per layer. float64 throughout, so it
agrees with the engine to rounding. Opset 17 and IR version 8: onnxruntime 1.12 and
later, and Netron, read it.
"""

from __future__ import annotations

import numpy as np

from .activations import LEAKY_SLOPE
from .model_export import NO_ONNX, ModelCard

OPSET = 17
IR_VERSION = 8


def _onnx():
    try:
        import onnx
    except ImportError:
        raise ImportError(NO_ONNX) from None
    return onnx


class _Graph:
    """Nodes and constants collected in order, each with a readable name."""

    def __init__(self, onnx):
        self.onnx, self.h = onnx, onnx.helper
        self.nodes, self.inits = [], []

    def const(self, name, value):
        self.inits.append(self.onnx.numpy_helper.from_array(
            np.ascontiguousarray(value, dtype=np.float64 if np.asarray(value).dtype.kind == "f"
                                 else np.int64), name))
        return name

    def op(self, kind, inputs, name, **attrs):
        self.nodes.append(self.h.make_node(kind, inputs, [name], name=name, **attrs))
        return name


def _features(g: _Graph, card: ModelCard, x: str) -> str:
    if not card.features:
        return x
    i0, i1, i2, ax = (g.const(n, [v]) for n, v in (("col0", 0), ("col1", 1), ("col2", 2),
                                                    ("axis1", 1)))
    x1 = g.op("Slice", [x, i0, i1, ax], "x1")
    x2 = g.op("Slice", [x, i1, i2, ax], "x2")
    sq1 = lambda: g.op("Mul", [x1, x1], "x1_squared")  # noqa: E731
    sq2 = lambda: g.op("Mul", [x2, x2], "x2_squared")  # noqa: E731
    made = {}

    def once(key, build):
        if key not in made:
            made[key] = build()
        return made[key]

    recipes = {
        "x1²": lambda: once("x1²", sq1),
        "x2²": lambda: once("x2²", sq2),
        "x1·x2": lambda: g.op("Mul", [x1, x2], "x1_times_x2"),
        "sin x1": lambda: g.op("Sin", [x1], "sin_x1"),
        "sin x2": lambda: g.op("Sin", [x2], "sin_x2"),
        "radius": lambda: g.op("Sqrt", [g.op("Add", [once("x1²", sq1), once("x2²", sq2)],
                                             "x1_sq_plus_x2_sq")], "radius"),
    }
    cols = [recipes[f]() for f in card.features]
    return g.op("Concat", [x] + cols, "engineered", axis=1)


def _standardise(g: _Graph, card: ModelCard, x: str) -> str:
    if card.mean is None:
        return x
    s = np.ones_like(card.mean) if card.scale is None else card.scale
    x = g.op("Div", [x, g.const("input_scale", s)], "scaled")
    x = g.op("Sub", [x, g.const("input_mean_scaled", card.mean / s)], "centred")
    return g.op("Div", [x, g.const("input_std_scaled", card.std / s)], "standardised")


def _activation(g: _Graph, z: str, kind: str, name: str) -> str:
    if kind == "linear":
        return z
    if kind == "leaky_relu":  # LeakyRelu's alpha is a float32 (0.01 off by 2e-10): exact
        slope = g.op("Mul", [z, g.const(f"{name}_slope", [LEAKY_SLOPE])], f"{name}_sloped")
        return g.op("Max", [z, slope], f"{name}_leaky_relu")
    ops = {"sigmoid": ("Sigmoid", {}), "tanh": ("Tanh", {}), "relu": ("Relu", {}),
           "softmax": ("Softmax", {"axis": 1})}
    op, attrs = ops[kind]
    return g.op(op, [z], f"{name}_{kind}", **attrs)


def _metadata(card: ModelCard) -> dict:
    return {"producer": "ScratchNet", "task": card.kind, "input_columns": ",".join(card.columns),
            "engineered_features": ",".join(card.features),
            "standardised": str(card.mean is not None).lower(),
            "classes": ",".join(card.classes), "architecture": "-".join(map(str, card.sizes)),
            "activations": ",".join(a for *_, a in card.layers)}


def to_onnx(card: ModelCard):
    """The ONNX model of ``card``, checked by ``onnx.checker``.

    Parameters
    ----------
    card : scratchnet.model_export.ModelCard

    Returns
    -------
    onnx.ModelProto
        float64 throughout; the preprocessing first, then one Gemm and activation per
        layer.
    """
    onnx = _onnx()
    g = _Graph(onnx)
    x = _standardise(g, card, _features(g, card, "raw"))
    for name, W, b, act in card.layers:
        z = g.op("Gemm", [x, g.const(f"{name}.weight", W), g.const(f"{name}.bias", b)],
                 name, transB=1)
        x = _activation(g, z, card.output if name == "output" else act, name)
    mean, std = card.target
    if card.output == "linear" and (mean, std) != (0.0, 1.0):
        x = g.op("Mul", [x, g.const("target_std", [std])], "output_times_target_std")
        x = g.op("Add", [x, g.const("target_mean", [mean])], "output_in_target_units")
    g.nodes.append(g.h.make_node("Identity", [x], [card.output_name], name=card.output_name))
    dbl = onnx.TensorProto.DOUBLE
    graph = g.h.make_graph(
        g.nodes, "scratchnet",
        [g.h.make_tensor_value_info("raw", dbl, ["n", len(card.columns)])],
        [g.h.make_tensor_value_info(card.output_name, dbl, ["n", card.sizes[-1]])],
        g.inits, doc_string=card.summary())
    model = g.h.make_model(graph, producer_name="ScratchNet", doc_string=card.summary(),
                           opset_imports=[g.h.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    onnx.helper.set_model_props(model, _metadata(card))
    onnx.checker.check_model(model, full_check=True)
    return model
