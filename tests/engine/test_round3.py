"""Issue 24 (hostile and careless input, round 3), engine side: what we write we read,
counters within their caps, strict messages of the article API."""

import numpy as np
import pytest

from scratchnet import archive, data, session
from scratchnet.config import Config, make_trainer


def _trainer(hidden, optimizer="sgd", n=40):
    cfg = Config(data.DataSpec("xor", n, 0.1, seed=3), hidden=hidden,
                 activations=["tanh"] * len(hidden), optimizer=optimizer, batch_size=8)
    return make_trainer(cfg, data.build(cfg.data)), cfg


def test_a_session_too_large_to_read_back_is_refused_before_it_is_written(tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(archive, "MAX_UNCOMPRESSED", 2 << 20)
    t, cfg = _trainer([300, 300], "adam")  # 3 × 92k parameters × 8 bytes: 2.1 MiB
    t.step_batch()  # Adam's moments exist once it has stepped
    path = tmp_path / "big.scratchnet"
    with pytest.raises(session.SessionError, match=r"cannot save .*big.scratchnet: the "
                       r"session would take 2,196,024 bytes; a session holds at most "
                       r"2,097,152 bytes \(2 MiB\): a smaller network"):
        session.save(path, t, cfg)
    assert not path.exists()


@pytest.mark.parametrize("width", [440, 470, 500, 505, 510])
def test_whatever_save_writes_load_reads_near_the_limit(tmp_path, monkeypatch, width):
    monkeypatch.setattr(archive, "MAX_UNCOMPRESSED", 2 << 20)
    t, cfg = _trainer([width, width])  # 2 MiB of random weights: deflate cannot shrink it
    path = tmp_path / "edge.scratchnet"
    try:
        session.save(path, t, cfg)
    except session.SessionError as e:
        assert "holds at most 2,097,152 bytes" in str(e) or "the limit is" in str(e)
        assert not path.exists()
        return
    loaded = session.load(path)[0]
    np.testing.assert_array_equal(loaded.network.layers[1].weights, t.network.layers[1].weights)


# --- crafted counters and frames: refused at load, or they train, save and load again --
def _crafted(tmp_path, edit):
    import json

    from tests.engine.test_session_fuzz import _meta

    meta, arrays = _meta(tmp_path)
    edit(meta)
    path = tmp_path / "crafted.scratchnet"
    with open(path, "wb") as fh:
        np.savez(fh, **arrays, **{"meta.json": np.frombuffer(json.dumps(meta).encode(),
                                                             dtype=np.uint8)})
    return path


@pytest.mark.parametrize("edit,field", [
    (lambda m: m["timeline"]["frames"][1].update(epoch=1, history=1),
     r"timeline.frames\[1\].history must be 2 \(epoch 1's rows\), not 1"),
    (lambda m: m["trainer"].update(epoch=10), r"history has 3 rows for epoch 10"),
    (lambda m: [c.pop() for c in m["history"].values()], r"history has 2 rows for epoch 2"),
])
def test_a_history_that_does_not_match_its_epochs_is_refused(tmp_path, edit, field):
    with pytest.raises(session.SessionError, match=field):
        session.load(_crafted(tmp_path, edit))


def _at_cap(where, key):
    def edit(meta):
        d = meta if where == "trainer" else meta["timeline"]["frames"][0]
        if key == "t":
            d["optimizer"]["t"] = 2**62
        else:
            (d["trainer"] if where == "trainer" else d)["samples_seen"] = 2**62
    return edit


@pytest.mark.parametrize("where", ["trainer", "frame"])
@pytest.mark.parametrize("key", ["t", "samples_seen"])
def test_counters_at_their_cap_train_no_further_and_the_session_saves_and_loads(
        tmp_path, where, key):
    from scratchnet.trainer import LimitError

    path = _crafted(tmp_path, _at_cap(where, key))
    t, cfg, _, _ = session.load(path)
    if where == "frame":
        t.branch(t.timeline.epochs[0])  # Resume from here
    with pytest.raises(LimitError, match=r"training stopped at epoch \d+: the .* would pass "
                                         r"4,611,686,018,427,387,904, the most a session holds"):
        for _ in range(2):
            t.step_epoch()
    session.save(path, t, cfg)
    again = session.load(path)[0]  # what we write, we read
    assert (again.optimizer.t, again.samples_seen) == (t.optimizer.t, t.samples_seen)


def test_training_stops_at_the_epoch_cap_a_session_holds():
    from scratchnet.trainer import MAX_EPOCHS, LimitError

    t, _ = _trainer([3])
    t.epoch = MAX_EPOCHS
    before = [p.copy() for p in t.network.parameters()]
    with pytest.raises(LimitError, match=r"the epoch would pass 10,000,000"):
        t.step_batch()
    with pytest.raises(LimitError):
        t.step_epoch()
    assert all(np.array_equal(p, q) for p, q in zip(before, t.network.parameters()))


def test_huge_regression_targets_get_a_finite_r2_that_can_reach_its_target():
    from sklearn.metrics import r2_score

    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = 1e200 * (X[:, 0] + 0.1 * rng.normal(size=200))  # finite, but its squares are not
    spec = data.DataSpec("csv", n_samples=200, task="regression")
    ds = data.build(spec, (X, y, ["x1", "x2", "y"]))
    cfg = Config(spec, hidden=[8], activations=["tanh"], optimizer="adam", lr=0.05,
                 target_auc=0.8, target_on="train")
    t = make_trainer(cfg, ds)
    assert t.run(200) == "target"  # the R² target is reached
    r2 = t.history["train_r2"]
    assert np.all(np.isfinite(r2)) and r2[-1] >= 0.8
    pred = t.network.forward(t.X_train).ravel()
    assert r2[-1] == pytest.approx(r2_score(t.y_train / 1e200, pred / 1e200), abs=1e-9)


# --- CSV: the limits hold while reading, and the messages say what would work --------
def test_a_csv_that_grows_while_it_is_read_is_refused(tmp_path):
    from scratchnet import csvfile

    path = tmp_path / "growing.csv"
    row = "0.5,1.5,1\n0.25,2.5,0\n"
    path.write_text("x1,x2,label\n" + row * 40_000)  # 80,000 rows: two chunks
    reports = []

    def progress(fraction):  # another program appends to the file meanwhile
        reports.append(fraction)
        with open(path, "a") as fh:
            fh.write(row * 100_000)

    with pytest.raises(ValueError, match=r"growing.csv: the file grew while it was read "
                                         r"\(from 840,012 bytes at open\)"):
        csvfile.read_csv(path, progress=progress)
    assert all(f < 1 for f in reports)


def test_a_csv_just_over_the_size_limit_says_by_how_much(tmp_path, monkeypatch):
    from scratchnet import csvfile

    monkeypatch.setattr(csvfile, "MAX_CSV_BYTES", 2**20)
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * (2**20 + 1))
    with pytest.raises(ValueError, match=r"big.csv: 1,048,577 bytes is larger than the limit "
                                         r"of 1,048,576 bytes \(1 MiB\)$"):
        csvfile.read_csv(path)


def test_csv_label_messages_name_the_task_that_loads_the_file(tmp_path):
    from scratchnet import csvfile

    constant = tmp_path / "constant.csv"
    constant.write_text("a,b,y\n" + "".join(f"{i},{i * 2},7.25\n" for i in range(6)))
    with pytest.raises(ValueError, match=r"single class \('7.25'\); a class label needs two "
                                         r"or more; task=regression loads it"):
        csvfile.read_csv(constant)
    assert csvfile.read_csv(constant, task="regression")[1].tolist() == [7.25] * 6
    words = tmp_path / "words.csv"
    words.write_text("a,label\n" + "".join(f"{i},w{i}\n" for i in range(21)))
    with pytest.raises(ValueError, match=r"21 distinct values.*; task=classification takes "
                                         r"up to 100 classes"):
        csvfile.read_csv(words)
    assert len(csvfile.read_csv(words, task="classification")[3]) == 21
