"""Fuzz: a valid session mutated field by field either loads cleanly or is a SessionError."""

import copy
import functools
import io
import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scratchnet import DivergenceError, data, session
from scratchnet.config import Config, make_trainer

HOSTILE = [None, True, False, "abc", "", -1, 0, 1, 3, -10**30, 10**30, 2**64, 0.5, -0.5,
           1e308, -1e308, float("nan"), float("inf"), [], {}, [1, 2], {"a": 1}, "bogus",
           # at and beyond the caps: a spin box's 2**31, the seed's 2**32 - 1, the
           # counters' 2**62, the epochs' 10**7, the samples' 2,000,000
           2**31 + 7, 2**32 - 1, 2**32, 2**62, 2**62 + 1, 10**7, 10**7 + 1, 2_000_001]


@functools.lru_cache(maxsize=None)
def _base():
    cfg = Config(data.DataSpec("xor", 40, 0.1, seed=2), hidden=[3, 2],
                 activations=["tanh", "relu"], optimizer="momentum", lr=0.05, batch_size=4,
                 schedule={"kind": "step", "gamma": 0.5, "step_size": 2}, target_auc=0.99)
    t = make_trainer(cfg, data.build(cfg.data))
    t.keep_timeline()  # its frames are fields to mutate too
    t.tag = cfg
    t.run(2)
    t.step_batch()
    return t, cfg


def _leaves(node, prefix=()):
    """Paths to every value in the JSON tree (lists of up to 4 items entry by entry)."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _leaves(v, prefix + (k,))
    elif isinstance(node, list) and len(node) <= 4:
        for i, v in enumerate(node):
            out += _leaves(v, prefix + (i,))
    elif isinstance(node, list) and node:
        out.append(prefix + (0,))
    return out


def _meta(tmp_path):
    t, cfg = _base()
    path = tmp_path / "base.scratchnet"
    session.save(path, t, cfg)
    with np.load(path, allow_pickle=False) as npz:  # our own file
        arrays = {k: npz[k] for k in npz.files}
    return json.loads(bytes(arrays.pop("meta.json")).decode()), arrays


ARRAY_EDITS = {
    "drop": lambda a: None,
    "transpose": lambda a: a.T.copy() if a.ndim == 2 else a[:, None],
    "extra_dim": lambda a: a[None],
    "int8": lambda a: a.astype(np.int8),
    "float32": lambda a: a.astype(np.float32),
    "bool": lambda a: a.astype(bool),
    "empty": lambda a: a[:0],
    "truncate": lambda a: a[: max(len(a) - 1, 0)],
    "huge": lambda a: np.full(a.shape, 1e300),
    "nan": lambda a: np.full(a.shape, np.nan),
    "uint64_max": lambda a: np.full(a.shape, np.iinfo(np.uint64).max, dtype=np.uint64),
}


def _apply_meta(meta, path, value):
    node = meta
    for k in path[:-1]:
        node = node[k]
    if value == "<delete>":
        if isinstance(node, dict):
            del node[path[-1]]
        else:
            node.pop(path[-1])
    else:
        node[path[-1]] = copy.deepcopy(value)


edits = st.one_of(
    st.tuples(st.just("meta"), st.integers(0, 10**6),
              st.sampled_from(HOSTILE + ["<delete>"])),
    st.tuples(st.just("array"), st.integers(0, 10**6), st.sampled_from(sorted(ARRAY_EDITS))),
)


@settings(max_examples=150, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(edits, min_size=1, max_size=3))
def test_mutated_sessions_load_cleanly_or_raise_session_error(tmp_path, changes):
    meta, arrays = _meta(tmp_path)
    mutate(meta, arrays, changes)
    _check_outcome(tmp_path, meta, arrays)


def mutate(meta, arrays, changes) -> None:
    """Apply ``edits`` drawn by hypothesis to a session's ``meta`` and ``arrays``."""
    for kind, pick, what in changes:
        if kind == "meta":
            leaves = _leaves(meta)
            _apply_meta(meta, leaves[pick % len(leaves)], what)
        else:
            names = sorted(arrays)
            name = names[pick % len(names)]
            with np.errstate(all="ignore"):  # casting 1e300 or nan to int8 or float32
                edited = ARRAY_EDITS[what](arrays[name])
            if edited is None:
                del arrays[name]
            else:
                arrays[name] = edited


def _check_outcome(tmp_path, meta, arrays):
    """Write the mutated session, load it: a one-line SessionError from the checks, or
    a trainer that trains."""
    arrays = {**arrays, "meta.json": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)}
    path = tmp_path / "fuzz.scratchnet"
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    path.write_bytes(buf.getvalue())
    try:
        trainer, cfg, _, _ = session.load(path)
    except session.SessionError as e:
        text = str(e)
        assert text.startswith(f"{path}: ") and len(text.splitlines()) == 1
        assert "inconsistent session (" not in text, text  # a gap in the checks
        return False
    # a clean load must also train: nothing may surface later (as 'bogus_auc' did)
    trainer.stop_reason(cfg.training.max_epochs)
    try:
        trainer.step_batch()
        trainer.step_epoch()
    except DivergenceError:
        pass  # a hostile but valid learning rate may blow up; that is a clean refusal
    assert all(np.all(np.isfinite(p)) for p in trainer.network.parameters())
    return True


SWEEP = ["bogus", None, -1, 10**30, float("nan"), "<delete>"]


def test_every_field_set_to_each_hostile_value(tmp_path):
    # deterministic: every leaf of meta.json, one mutation at a time
    meta, arrays = _meta(tmp_path)
    loads, raw = 0, json.dumps(meta)
    for leaf in _leaves(meta):
        for value in SWEEP:
            mutated = json.loads(raw)  # a copy, several times faster than deepcopy
            _apply_meta(mutated, leaf, value)
            loads += _check_outcome(tmp_path, mutated, arrays)
    assert 0 < loads < len(_leaves(meta)) * len(SWEEP)  # both outcomes were exercised


def _caps():
    from scratchnet.timeline import MAX_BUDGET
    from scratchnet.trainer import MAX_COUNT, MAX_EPOCHS

    caps = [MAX_EPOCHS, MAX_COUNT, data.MAX_SAMPLES, MAX_BUDGET]
    return sorted({c + d for c in caps for d in (0, 1)})


def _round_trip(tmp_path, meta, arrays) -> bool:
    """Open a session; if it opens, train two epochs, save it and open it again, and do
    the same resuming from its frame 1: what ScratchNet writes it must read (a crafted
    counter at its cap was accepted, trained past it, and the save was refused)."""
    path = tmp_path / "cap.scratchnet"
    buf = io.BytesIO()
    np.savez(buf, **{**arrays, "meta.json": np.frombuffer(json.dumps(meta).encode(),
                                                          dtype=np.uint8)})
    path.write_bytes(buf.getvalue())
    try:
        trainer, cfg, dataset, _ = session.load(path)
    except session.SessionError as e:
        assert "inconsistent session (" not in str(e), str(e)
        return False
    for resume in (None, 1):  # as opened, then from frame 1 (the one mutated)
        if resume is not None:
            trainer, cfg, dataset, _ = session.load(path)
            if trainer.timeline is None or resume not in trainer.timeline.epochs:
                continue
            trainer.branch(resume)
        trainer.track_metrics = False  # scikit-learn's metrics were most of the time
        try:
            for _ in range(2):
                trainer.step_epoch()
        except DivergenceError:  # LimitError too: a counter at its cap stops training
            pass
        session.save(path, trainer, cfg)
        session.load(path)  # raises if the reader refuses what the writer wrote
    return True


def test_sessions_at_and_beyond_every_cap_load_train_and_save_or_are_refused(tmp_path):
    meta, arrays = _meta(tmp_path)
    # every whole number but the RNGs', in one frame and one group of the timeline (the
    # others are checked alike; a frame's tag as the config is)
    leaves = [p for p in _leaves(meta) if type(functools.reduce(
        lambda n, k: n[k], p, meta)) is int and "tag" not in p and "rng" not in str(p) and (
        p[1:2] not in (("frames",), ("groups",)) or p[2] == 1)]
    loads = 0
    for leaf in leaves:
        for value in _caps():
            mutated = copy.deepcopy(meta)
            _apply_meta(mutated, leaf, value)
            loads += _round_trip(tmp_path, mutated, arrays)
    assert 0 < loads
