"""Sessions of multiclass and regression runs: bit-identical continuation, class names,
target scale, and clear refusals when the network does not fit the task."""

import io
import json

import numpy as np
import pytest

from scratchnet import data, session
from scratchnet.config import Config, make_trainer


def _csv_raw(kind, n=80):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(n, 3))
    if kind == "classes":  # indices of four named classes, as read_csv gives them
        y = (X[:, 0] > 0) * 2.0 + (X[:, 1] > 0)
        return X, y, ["a", "b", "c", "colour"], ("amber", "blue", "green", "red")
    return X, 1e3 + 50 * X[:, 0] + rng.normal(0, 1, n), ["a", "b", "c", "price"], None


SPECS = {
    "spiral3": lambda: (data.DataSpec("spiral", 150, 0.1, seed=2, classes=3), None),
    "reg-gauss": lambda: (data.DataSpec("reg-gauss", 150, 0.1, seed=2), None),
    "csv-classes": lambda: (data.DataSpec("csv", csv_path="gone.csv"), _csv_raw("classes")),
    "csv-regression": lambda: (data.DataSpec("csv", csv_path="gone.csv"), _csv_raw("values")),
}


def _run(kind):
    spec, raw = SPECS[kind]()
    cfg = Config(spec, hidden=[5], activations=["relu"], optimizer="adam", lr=0.02,
                 batch_size=7)
    return cfg, raw, make_trainer(cfg, data.build(spec, raw))


def _same_history(a, b):
    ra, rb = a.arrays(), b.arrays()
    del ra["seconds"], rb["seconds"]
    assert ra.keys() == rb.keys()
    for k in ra:
        np.testing.assert_array_equal(ra[k], rb[k])  # NaN-aware: AUC of regression


@pytest.mark.parametrize("kind", list(SPECS))
def test_save_load_continue_is_bit_identical(tmp_path, kind):
    cfg, raw, straight = _run(kind)
    straight.run(6)
    cfg, raw, t = _run(kind)
    t.run(3)
    t.step_batch()  # mid-epoch
    path = tmp_path / "s.scratchnet"
    session.save(path, t, cfg, raw=raw)
    loaded, cfg2, ds, _ = session.load(path)
    assert cfg2 == cfg and ds.task == data.build(cfg.data, raw).task
    net = loaded.network
    assert (net.output, net.sizes, net.target_mean, net.target_std) == (
        t.network.output, t.network.sizes, t.network.target_mean, t.network.target_std)
    loaded.run(6)
    for a, b in zip(loaded.network.parameters(), straight.network.parameters()):
        np.testing.assert_array_equal(a, b)
    _same_history(loaded.history, straight.history)


def test_class_names_travel_inside_the_session(tmp_path):
    cfg, raw, t = _run("csv-classes")
    session.save(tmp_path / "c.scratchnet", t, cfg, raw=raw)
    _, _, ds, _ = session.load(tmp_path / "c.scratchnet")
    assert ds.task.classes == ("amber", "blue", "green", "red") and ds.n_outputs == 4


def _damaged(tmp_path, kind, change):
    cfg, raw, t = _run(kind)
    path = tmp_path / "s.scratchnet"
    session.save(path, t, cfg, raw=raw)
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(bytes(arrays["meta.json"]).decode())
    change(meta, arrays)
    arrays["meta.json"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    path.write_bytes(buf.getvalue())
    return path


def _as_binary(meta, arrays):
    meta["network"]["sizes"][-1] = 1
    meta["network"]["output"] = meta["network"]["activations"][-1] = "sigmoid"
    arrays["W1"], arrays["b1"] = arrays["W1"][:1], arrays["b1"][:1]


@pytest.mark.parametrize("kind,change,message", [
    ("spiral3", _as_binary, r"network.sizes \[2, 5, 1\] does not fit the data: 2 input\(s\) "
                            r"and 3 output\(s\) expected"),
    ("reg-gauss", lambda m, a: m["network"].update(output="sigmoid") or
     m["network"]["activations"].__setitem__(-1, "sigmoid"), "the data's task needs 'linear'"),
    ("reg-gauss", lambda m, a: m["network"].update(target=[0.0, 0.0]), "target std must be > 0"),
    ("csv-classes", lambda m, a: m.update(raw_classes=["x", "y"]),
     "raw_y: labels must be class indices 0 to 1"),
    ("csv-classes", lambda m, a: m["config"]["data"].update(classes=4),
     "classes of a CSV come from its labels"),
])
def test_sessions_that_do_not_fit_their_task_are_refused(tmp_path, kind, change, message):
    path = _damaged(tmp_path, kind, change)
    with pytest.raises(session.SessionError, match=message):
        session.load(path)
