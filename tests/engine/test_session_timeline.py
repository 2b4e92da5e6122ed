"""Sessions keep the timeline: a reopened session scrubs and resumes as the original
would, a long timeline is saved thinned, and a crafted timeline is a SessionError."""

import io
import json

import numpy as np
import pytest

from scratchnet import data, session
from scratchnet.config import Config, make_trainer
from scratchnet.session import SessionError
from scratchnet.session_timeline import MAX_SAVED_FRAMES


def _trained(epochs=8):
    cfg = Config(data.DataSpec("circles", 120, 0.1), hidden=[4], activations=["tanh"],
                 optimizer="adam", lr=0.02, batch_size=8)
    t = make_trainer(cfg, data.build(cfg.data))
    t.keep_timeline()
    t.tag = cfg
    while t.epoch < 4:
        t.step_epoch()
    t.resize([2, 5, 3, 1], ["relu", "tanh"])  # a second layout of frames
    while t.epoch < epochs:
        t.step_epoch()
    return t, cfg


def _frame_values(f):
    return (f.epoch, f.settings, f.samples_seen, f.seconds, f.rng, f.history, f.tag,
            f.network.sizes, f.network.activations, f.network.rng.bit_generator.state,
            [p.tobytes() for p in f.network.parameters()], type(f.optimizer).__name__,
            f.optimizer.hyperparameters(), f.optimizer.t,
            {k: [a.tobytes() for a in v] for k, v in f.optimizer.state.items()})


def test_a_reopened_session_resumes_from_a_past_epoch_as_the_original(tmp_path):
    t, cfg = _trained()
    path = tmp_path / "s.scratchnet"
    session.save(path, t, cfg)
    u = session.load(path)[0]
    assert u.timeline.epochs == t.timeline.epochs == list(range(9))
    assert [_frame_values(f) for f in u.timeline.frames] == [
        _frame_values(f) for f in t.timeline.frames]
    for tr in (t, u):
        tr.branch(2)
        while tr.epoch < 6:
            tr.step_epoch()
    assert u.network.sizes == [2, 4, 1]
    assert all(np.array_equal(p, q) for p, q in zip(t.network.parameters(),
                                                    u.network.parameters()))
    assert u.rng.bit_generator.state == t.rng.bit_generator.state


def test_a_long_timeline_is_saved_thinned_with_its_ends_and_branch_points(tmp_path):
    t, cfg = _trained(260)
    t.branch(97)
    while t.epoch < 300:
        t.step_epoch()
    path = tmp_path / "s.scratchnet"
    session.save(path, t, cfg)
    tl = session.load(path)[0].timeline
    assert len(tl.frames) <= MAX_SAVED_FRAMES < len(t.timeline.frames)
    assert tl.epochs[0] == 0 and tl.epochs[-1] == 300 and 97 in tl.epochs
    gaps = np.diff(tl.epochs)
    assert gaps.max() <= 3 and tl.thinned


def _rewrite(path, edit):
    with np.load(path, allow_pickle=False) as npz:  # our own file
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(bytes(arrays.pop("meta.json")).decode())
    edit(meta, arrays)
    arrays["meta.json"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    path.write_bytes(buf.getvalue())


def _set(*path):
    """An edit setting ``meta["timeline"][path[0]]...[path[-2]]`` to ``path[-1]``."""
    keys, value = path[:-1], path[-1]

    def edit(meta, arrays):
        node = meta["timeline"]
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = value
    return edit


CRAFTED = [
    (lambda m, a: [_set("frames", 1, k, v)(m, a) for k, v in (("epoch", 0), ("history", 1))],
     "increasing epochs"),
    (_set("frames", 1, "epoch", 0), "timeline.frames[1].history must be 1 "),
    (_set("frames", 1, "group", 7), "timeline.frames[1].group"),
    (_set("frames", 1, "row", 99), "timeline.frames[1].row"),
    (_set("frames", 1, "history", 10**6), "timeline.frames[1].history"),
    (_set("frames", 1, "epoch", 10**6), "timeline.frames[1].epoch"),
    (_set("frames", 0, "rng", {"bit_generator": "MT19937"}), "timeline.frames[0].rng"),
    (_set("frames", 0, "tag", {"lr": "fast"}), "config"),
    (_set("frames", 0, "settings", [0, 0, 0, None, "train"]), "batch size"),
    (_set("frames", 2, "optimizer", "name", "rmsprop"), "optimizer"),
    (_set("groups", 0, "sizes", [3, 4, 1]), "does not fit the data"),
    (_set("groups", 0, "slots", ["q"]), "slots"),
    (_set("budget", 5), "timeline.budget"),
    (lambda m, a: a.update(tl_p0=a["tl_p0"][:, :-1]), "tl_p0"),
    (lambda m, a: a.update(tl_s1=np.full_like(a["tl_s1"], np.nan)), "tl_s1"),
    (lambda m, a: a.update(tl_p9=a["tl_p0"]), "timeline's arrays"),
    (lambda m, a: m.pop("timeline"), "timeline arrays without a timeline"),
    (_set("frames", 2, "row", 0), "a row of their own"),  # frame 1's row
    (_set("groups", 0, "output", "linear"), "output must be the session's"),
    (_set("groups", 0, "target", [5.0, 2.0]), "only linear has one"),
]


@pytest.mark.parametrize("k", range(len(CRAFTED)))
def test_a_crafted_timeline_is_refused_naming_the_field(tmp_path, k):
    t, cfg = _trained()
    path = tmp_path / "s.scratchnet"
    session.save(path, t, cfg)
    edit, words = CRAFTED[k]
    _rewrite(path, edit)
    with pytest.raises(SessionError, match=words.replace("[", r"\[").replace("]", r"\]")):
        session.load(path)


def test_a_version_1_session_still_opens(tmp_path):
    t, cfg = _trained()
    path = tmp_path / "s.scratchnet"
    session.save(path, t, cfg)

    def as_version_1(meta, arrays):
        meta["version"] = 1
        meta.pop("timeline")
        meta["trainer"].pop("rng_at_epoch")
        for k in [k for k in arrays if k.startswith("tl_")]:
            del arrays[k]
    _rewrite(path, as_version_1)
    u = session.load(path)[0]
    assert u.epoch == 8 and u.timeline is None and u.rng_at_epoch is None


def test_a_session_of_few_huge_frames_keeps_the_first_and_the_last(monkeypatch):
    from scratchnet import session_timeline as st

    t, _ = _trained(8)
    for e in (3, 5, 7):
        t.timeline.pin(e)
    monkeypatch.setattr(st, "MAX_SAVED_BYTES", 2 * max(f.nbytes for f in t.timeline.frames))
    assert [f.epoch for f in st._pick(t.timeline)] == [0, 8]
