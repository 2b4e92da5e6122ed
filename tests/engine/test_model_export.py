"""Model export: the ONNX graph checked with onnxruntime against ``Network.forward`` on
raw inputs (the preprocessing included), and the PyTorch script read back as text."""

import ast
import functools
import itertools
import sys

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from scratchnet import SGD, Network, Trainer, activations, data
from scratchnet.export_torch import torch_script
from scratchnet.inputs import Inputs
from scratchnet.model_export import describe, export, layer_names

# task -> a dataset spec with engineered features, standardised as the app does
TASKS = {
    "binary": data.DataSpec("circles", 1000, noise=0.1, features=["x1²", "x2²", "radius"]),
    "3-class": data.DataSpec("spiral", 1000, noise=0.1, classes=3,
                             features=["x1·x2", "sin x1", "sin x2"]),
    "regression": data.DataSpec("reg-gauss", 1000, noise=0.1, features=["x1²", "radius"]),
}
OUTPUT = {"binary": "sigmoid", "3-class": "softmax", "regression": "linear"}


@functools.lru_cache(maxsize=None)  # the tests only read them: build and train each once
def _trained(task, hidden, seed=0):
    ds = data.build(TASKS[task])
    net = Network([ds.n_features, 6, 5, ds.n_outputs], activation=hidden, output=OUTPUT[task],
                  init="xavier", seed=seed)
    net.set_target_scale(*ds.target_scale)
    Trainer(net, ds.X_train, ds.y_train, ds.X_test, ds.y_test, optimizer=SGD(0.05),
            batch_size=16, seed=seed).run(3)
    return net, ds


def _raw_points(ds, n=1000, seed=0):
    """The data's own points (1,000) and as many drawn over three times their range."""
    X = np.vstack([ds.raw_train, ds.raw_test])[:n]
    lo, hi = X.min(axis=0), X.max(axis=0)
    mid, half = (lo + hi) / 2, 1.5 * (hi - lo)
    wide = np.random.default_rng(seed).uniform(mid - half, mid + half, size=(n, X.shape[1]))
    return X, wide


def _run_onnx(path, X):
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return sess.run(None, {"raw": X})[0], sess


@pytest.mark.parametrize("task,hidden", list(itertools.product(TASKS, activations.ACTIVATIONS)))
def test_onnx_gives_the_apps_outputs_from_raw_columns(tmp_path, task, hidden):
    net, ds = _trained(task, hidden)
    path = tmp_path / "model.onnx"
    assert export(path, net, ds.inputs, ds.names[:-1], ds.task.classes) == ".onnx"
    for X in _raw_points(ds):
        assert len(X) == 1000
        got, sess = _run_onnx(path, X)
        want = net.forward(ds.inputs(X))
        assert got.dtype == np.float64 and got.shape == want.shape
        assert np.max(np.abs(got - want)) <= 1e-6
    assert [o.name for o in sess.get_outputs()] == [
        {"binary": "probability", "3-class": "probabilities"}.get(task, "value")]


def test_onnx_of_mixed_activations_unstandardised_inputs_and_no_features(tmp_path):
    rng = np.random.default_rng(3)
    X = rng.normal(0, 4, size=(1000, 3))
    net = Network([3, 7, 4, 5, 1], activation=["leaky_relu", "relu", "tanh"], seed=2)
    export(tmp_path / "m.onnx", net, Inputs.fit(X, standardize=False))
    assert np.max(np.abs(_run_onnx(tmp_path / "m.onnx", X)[0] - net.forward(X))) <= 1e-6
    export(tmp_path / "plain.onnx", net)  # no Inputs at all: the raw columns are the inputs
    assert np.max(np.abs(_run_onnx(tmp_path / "plain.onnx", X)[0] - net.forward(X))) <= 1e-6


def test_onnx_graph_is_named_and_described(tmp_path):
    net, ds = _trained("3-class", "tanh")
    export(tmp_path / "m.onnx", net, ds.inputs, ds.names[:-1], ds.task.classes)
    model = onnx.load(str(tmp_path / "m.onnx"))
    onnx.checker.check_model(model, full_check=True)
    names = {n.name for n in model.graph.node}
    assert {"hidden1", "hidden1_tanh", "hidden2", "hidden2_tanh", "output",
            "output_softmax", "engineered", "standardised"} <= names
    meta = {p.key: p.value for p in model.metadata_props}
    assert meta["classes"] == "0,1,2" and meta["input_columns"] == "x1,x2"
    assert meta["engineered_features"] == "x1·x2,sin x1,sin x2"
    assert "6-5-3" in model.graph.doc_string


def test_an_export_refuses_a_bad_suffix_and_inputs_that_do_not_fit(tmp_path):
    net = Network([4, 3, 1], seed=0)
    with pytest.raises(ValueError, match=r"\.onnx or \.py, not 'model\.txt'"):
        export(tmp_path / "model.txt", net)
    with pytest.raises(ValueError, match="takes 4 inputs"):
        export(tmp_path / "m.onnx", net, Inputs(("radius",)), columns=["a", "b"])  # 2 + 1
    with pytest.raises(ValueError, match="takes 2 inputs"):
        export(tmp_path / "m.py", Network([2, 1]), Inputs(("radius",)))  # 1 column: no radius
    assert not list(tmp_path.iterdir())


def test_onnx_without_the_onnx_package_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match=r'pip install "scratchnet\[export\]"'):
        export(tmp_path / "m.onnx", Network([2, 1], seed=0))
    export(tmp_path / "model.py", Network([2, 1], seed=0))  # the script needs no onnx
    assert (tmp_path / "model.py").stat().st_size > 0


def _sequential_names(tree) -> list:
    """The names in ``nn.Sequential(OrderedDict([("name", module), …]))``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Sequential":
            pairs = node.args[0].args[0].elts
            return [(p.elts[0].value, ast.unparse(p.elts[1])) for p in pairs]
    raise AssertionError("no nn.Sequential in the script")


def _assigned(tree, name):
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == name:
            return node.value
    raise AssertionError(f"{name} is not assigned")


@pytest.mark.parametrize("task,hidden", [("binary", "tanh"), ("3-class", "leaky_relu"),
                                         ("regression", "relu"), ("binary", "linear")])
def test_the_pytorch_script_parses_and_names_every_layer(tmp_path, task, hidden):
    net, ds = _trained(task, hidden)
    export(tmp_path / "model.py", net, ds.inputs, ds.names[:-1], ds.task.classes)
    text = (tmp_path / "model.py").read_text(encoding="utf-8")
    tree = ast.parse(text)
    modules = _sequential_names(tree)
    out_act = {"binary": ["output_sigmoid"], "3-class": ["output_softmax"]}.get(task, [])
    expected = [n for i, L in enumerate(layer_names(3)) for n in
                ([L, f"{L}_{hidden}"] if i < 2 else [L] + out_act)]
    assert [n for n, _ in modules] == expected
    sizes = net.sizes
    linears = [m for _, m in modules if m.startswith("nn.Linear")]
    assert linears == [f"nn.Linear({a}, {b})" for a, b in zip(sizes[:-1], sizes[1:])]
    weights = ast.literal_eval(_assigned(tree, "WEIGHTS"))
    for name, L in zip(layer_names(3), net.layers):  # every digit of every weight
        assert np.array_equal(np.array(weights[f"{name}.weight"]), L.weights)
        assert np.array_equal(np.array(weights[f"{name}.bias"]), L.biases)
    assert ast.literal_eval(_assigned(tree, "FEATURES")) == list(ds.inputs.features)
    mean = ast.literal_eval(_assigned(tree, "MEAN").args[0])
    assert np.array_equal(mean, ds.inputs.mean)
    assert "def predict(raw_inputs):" in text and "prepare(raw_inputs)" in text
    assert ("* TARGET_STD + TARGET_MEAN" in text) == (task == "regression")


def test_the_pytorch_script_writes_each_engineered_feature():
    card = describe(Network([8, 2, 1], seed=0), Inputs.fit(np.ones((4, 2)) * [1, 2],
                                                            list(data.FEATURES)))
    text = torch_script(card)
    line = next(t for t in text.splitlines() if "torch.cat" in t)
    assert ("x = torch.cat([x, x1 * x1, x2 * x2, x1 * x2, torch.sin(x1), torch.sin(x2), "
            "torch.sqrt(x1 * x1 + x2 * x2)], dim=1)") in line
