"""A ``ModelCard`` as a readable PyTorch script: ``model.py``.

The script defines ``model``, an ``nn.Sequential`` with one named ``nn.Linear`` and one
named activation per layer, loads the trained weights (float64, written to the last
digit), and ``predict(raw_inputs)``, which applies the app's preprocessing first. It
needs torch where it runs, never here: it is text.
"""

from __future__ import annotations

import numpy as np

from . import __version__
from .activations import LEAKY_SLOPE
from .model_export import ModelCard

MODULES = {"sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()", "relu": "nn.ReLU()",
           "leaky_relu": f"nn.LeakyReLU({LEAKY_SLOPE})", "linear": "nn.Identity()",
           "softmax": "nn.Softmax(dim=1)"}
# torch expressions of the engineered features (inputs.FEATURES), from x1 and x2
FEATURE_CODE = {"x1²": "x1 * x1", "x2²": "x2 * x2", "x1·x2": "x1 * x2",
                "sin x1": "torch.sin(x1)", "sin x2": "torch.sin(x2)",
                "radius": "torch.sqrt(x1 * x1 + x2 * x2)"}


def _num(v) -> str:
    return repr(float(v))  # the shortest text that reads back as the same float64


def _vector(a) -> str:
    return "[" + ", ".join(_num(v) for v in np.ravel(a)) + "]"


def _matrix(W, indent="        ") -> str:
    rows = "".join(f"{indent}{_vector(r)},\n" for r in W)
    return "[\n" + rows + indent[:-4] + "]"


def _modules(card: ModelCard) -> list:
    lines = []
    for name, W, _, act in card.layers:
        lines.append(f'    ("{name}", nn.Linear({W.shape[1]}, {W.shape[0]})),')
        act = card.output if name == "output" else act
        if not (name == "output" and act == "linear"):
            lines.append(f'    ("{name}_{act}", {MODULES[act]}),')
    return lines


def _weights(card: ModelCard) -> list:
    lines = []
    for name, W, b, _ in card.layers:
        lines.append(f'    "{name}.weight": {_matrix(W)},')
        lines.append(f'    "{name}.bias": {_vector(b)},')
    return lines


def _prepare(card: ModelCard) -> list:
    n_in = card.sizes[0]
    lines = [
        "def prepare(raw_inputs):",
        f'    """Raw columns (n, {len(card.columns)}) -> the network\'s inputs (n, {n_in})."""',
        "    x = torch.as_tensor(raw_inputs, dtype=torch.float64)",
        "    if x.ndim == 1:",
        "        x = x.unsqueeze(0)",
    ]
    if card.features:
        made = ", ".join(FEATURE_CODE[f] for f in card.features)
        lines += ["    x1, x2 = x[:, 0:1], x[:, 1:2]",
                  f"    x = torch.cat([x, {made}], dim=1)  # {', '.join(card.features)}"]
    lines.append("    return (x - MEAN) / STD" if card.mean is not None else "    return x")
    return lines


def _predict(card: ModelCard) -> list:
    what = {"binary": "P(class 1)", "multiclass": "Each class's probability (CLASSES)"}.get(
        card.kind, "The predicted value, in the targets' units,")
    mean, std = card.target
    body = "model(prepare(raw_inputs))"
    if card.output == "linear" and (mean, std) != (0.0, 1.0):
        body += " * TARGET_STD + TARGET_MEAN"  # the network learnt standardised targets
    return ["def predict(raw_inputs):",
            f'    """{what} of each row of raw_inputs: an (n, {card.sizes[-1]}) tensor."""',
            "    with torch.no_grad():",
            f"        return {body}"]


def _constants(card: ModelCard) -> list:
    lines = [f"COLUMNS = {list(card.columns)!r}  # the raw input columns, in this order",
             f"FEATURES = {list(card.features)!r}  # engineered from the first two, appended",
             f"CLASSES = {list(card.classes)!r}"]
    if card.mean is not None:
        lines += ["# each input standardised by the training set's mean and standard deviation",
                  f"MEAN = torch.tensor({_vector(card.mean)}, dtype=torch.float64)",
                  f"STD = torch.tensor({_vector(card.std)}, dtype=torch.float64)"]
    if card.output == "linear":
        lines += [f"TARGET_MEAN, TARGET_STD = {_num(card.target[0])}, {_num(card.target[1])}"]
    return lines


def torch_script(card: ModelCard) -> str:
    """The text of a readable ``model.py`` for ``card``.

    Parameters
    ----------
    card : scratchnet.model_export.ModelCard

    Returns
    -------
    str
        Python source defining an ``nn.Sequential`` with the trained weights and a
        ``predict(raw_inputs)`` that applies the app's preprocessing first.
    """
    header = [f'"""{card.summary()}.', "",
              f"Exported by ScratchNet {__version__}; needs torch 2.x. Import it, or run it:",
              "", "    from model import predict",
              f"    predict([[{', '.join('0.0' for _ in card.columns)}]])", "",
              "predict() applies ScratchNet's preprocessing first, so it takes the raw columns.",
              '"""', "", "from collections import OrderedDict", "", "import torch",
              "from torch import nn", ""]
    parts = header + _constants(card) + [
        "", "model = nn.Sequential(OrderedDict([", *_modules(card), "])).double()", "",
        "# the trained weights; each weight is (out, in), as nn.Linear keeps it",
        "WEIGHTS = {", *_weights(card), "}",
        "model.load_state_dict({k: torch.tensor(v, dtype=torch.float64) "
        "for k, v in WEIGHTS.items()})",
        "model.eval()", "", "", *_prepare(card), "", "", *_predict(card), "", "",
        'if __name__ == "__main__":',
        "    print(predict(torch.zeros(1, len(COLUMNS))))", ""]
    return "\n".join(parts)
