"""Sessions: bit-identical continuation, atomic writes, and clear errors for bad files."""

import io
import json

import numpy as np
import pytest

from scratchnet import data, session
from scratchnet.config import Config, make_trainer


def _run(optimizer="adam"):
    cfg = Config(data.DataSpec("moons", 200, 0.2, seed=1), optimizer=optimizer, lr=0.02,
                 batch_size=7)
    return cfg, make_trainer(cfg, data.build(cfg.data))


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_save_load_continue_is_bit_identical(tmp_path, optimizer):
    cfg, straight = _run(optimizer)
    straight.run(10)
    cfg, t = _run(optimizer)
    t.run(5)
    t.step_batch()  # mid-epoch: the cursor and the order matter too
    path = tmp_path / "s.scratchnet"
    session.save(path, t, cfg)
    loaded, cfg2, _, _ = session.load(path)
    loaded.run(10)
    t.run(10)
    for a, b, c in zip(loaded.network.parameters(), straight.network.parameters(),
                       t.network.parameters()):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)
    ra, rb = loaded.history.rows, straight.history.rows
    del ra["seconds"], rb["seconds"]
    np.testing.assert_equal(ra, rb)  # NaN-aware: sharpness, update_ratio at epoch 0
    assert cfg2 == cfg


def test_csv_data_travel_inside_the_session(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] > 0).astype(float)
    cfg = Config(data.DataSpec("csv", csv_path="gone.csv"))
    t = make_trainer(cfg, data.build(cfg.data, (X, y, ["a", "b", "c", "label"])))
    session.save(tmp_path / "c.scratchnet", t, cfg, raw=(X, y, ["a", "b", "c", "label"]))
    loaded, _, ds, _ = session.load(tmp_path / "c.scratchnet")
    assert ds.names == ["a", "b", "c", "label"] and loaded.network.sizes[0] == 3


def test_the_file_holds_no_pickle_and_is_written_atomically(tmp_path, monkeypatch):
    cfg, t = _run()
    path = tmp_path / "s.scratchnet"
    session.save(path, t, cfg)
    with np.load(path, allow_pickle=False) as npz:
        assert all(npz[k].dtype != object for k in npz.files)
    good = path.read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(session.os, "fsync", boom)
    with pytest.raises(OSError):
        session.save(path, t, cfg)
    assert path.read_bytes() == good  # the old file is untouched
    assert [p.name for p in tmp_path.iterdir()] == ["s.scratchnet"]  # no temp file left


def _edit(path, fn):
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    fn(arrays)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    path.write_bytes(buf.getvalue())


def _meta(arrays, change):
    meta = json.loads(bytes(arrays["meta.json"]).decode())
    change(meta)
    arrays["meta.json"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)


@pytest.mark.parametrize("damage,message", [
    (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "damaged|truncated"),
    (lambda p: p.write_text("{ not json"), "not a ScratchNet session|damaged"),
    (lambda p: p.write_bytes(b""), "damaged|not a ScratchNet"),
    (lambda p: _edit(p, lambda a: _meta(a, lambda m: m.update(version=99))), "version 99"),
    (lambda p: _edit(p, lambda a: a.update(W1=np.zeros((3, 3)))), r"layer 2: weights of shape \(3, 3\)"),
    (lambda p: _edit(p, lambda a: a.update({"meta.json": np.frombuffer(b"{oops", np.uint8)})), "not valid JSON"),
    (lambda p: _edit(p, lambda a: a.pop("meta.json")), "no meta.json"),
    (lambda p: _edit(p, lambda a: a.update(W0=np.full_like(a["W0"], np.nan))), "non-finite"),
    (lambda p: _edit(p, lambda a: _meta(a, lambda m: m["config"].update(lr=-1))), "learning rate"),
])
def test_bad_files_give_a_clear_error(tmp_path, damage, message):
    cfg, t = _run()
    path = tmp_path / "s.scratchnet"
    session.save(path, t, cfg)
    damage(path)
    with pytest.raises(session.SessionError, match=message):
        session.load(path)


def test_missing_file(tmp_path):
    missing = tmp_path / "nope.scratchnet"
    with pytest.raises(session.SessionError, match="no such file") as e:
        session.load(missing)
    assert str(missing) in str(e.value)
    assert isinstance(e.value, ValueError)  # callers that catch ValueError see it too
