"""Hostile session files: every refusal is a SessionError naming the file, before any
large allocation; and what a session holds (optimizer hyperparameters) comes back."""

import io
import json
import os
import stat
import struct
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest

from scratchnet import archive, data, optimizers, session
from scratchnet.config import Config, make_trainer

from .test_hostile_data import refused_at_once


def _saved(tmp_path, **cfg_kw):
    cfg = Config(data.DataSpec("moons", 60, 0.2, seed=1), hidden=[3], activations=["tanh"],
                 optimizer="adam", lr=0.02, batch_size=7, **cfg_kw)
    t = make_trainer(cfg, data.build(cfg.data))
    t.run(2)
    t.step_batch()
    path = tmp_path / "s.scratchnet"
    session.save(path, t, cfg)
    return path, t, cfg


def read_arrays(path):
    with np.load(path, allow_pickle=False) as npz:  # our own file, in a test
        return {k: npz[k] for k in npz.files}


def write_arrays(path, arrays):
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    path.write_bytes(buf.getvalue())


def edit_meta(path, change):
    arrays = read_arrays(path)
    meta = json.loads(bytes(arrays["meta.json"]).decode())
    change(meta)
    arrays["meta.json"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    write_arrays(path, arrays)


def refused(path, match):
    with pytest.raises(session.SessionError, match=match) as info:
        session.load(path)
    assert str(info.value).startswith(f"{path}: ") and ".scratchnet-" not in str(info.value)
    return str(info.value)


@pytest.mark.parametrize("change,match", [
    (lambda m: m.update(history=[1, 2]), "history must be a mapping"),
    (lambda m: m["optimizer"].update(slots=["m", "v"]), "optimizer.slots must be a mapping"),
    (lambda m: m["trainer"].update(target_on="bogus"), "trainer.target_on must be one of"),
    (lambda m: m["config"].update(max_epochs="abc"), "config: max epochs must be a whole"),
    (lambda m: m["config"]["data"].update(n_samples=10**9), "n_samples must be ≤ 2,000,000"),
    (lambda m: m["trainer"].update(cursor=10**6), r"trainer.cursor must be ≤ 44"),
    (lambda m: m["network"].update(sizes=[3, 3, 1]), r"network.sizes \[3, 3, 1\] does not fit"),
    (lambda m: m["network"].update(sizes=[2, 5000, 1]), "hidden layer 1 size 5000 is too large"),
    (lambda m: m["network"]["rng"].update(bit_generator="MT19937"), "network.rng"),
    (lambda m: m["optimizer"].update(beta1=float("nan")), "optimizer: Adam beta1"),
    (lambda m: m.pop("trainer"), "meta.json lacks trainer"),
    (lambda m: m["history"].update(epoch=[0, 1]), "history: the columns"),
    (lambda m: m.update(version=True), "version True"),
])
def test_each_bad_field_is_refused_by_name(tmp_path, change, match):
    path, _, _ = _saved(tmp_path)
    edit_meta(path, change)
    refused(path, match)


def test_n_samples_of_a_billion_in_a_small_file_allocates_nothing(tmp_path):
    path, _, _ = _saved(tmp_path)
    edit_meta(path, lambda m: m["config"]["data"].update(n_samples=10**9))
    assert path.stat().st_size < 8192
    tracemalloc.start()
    try:
        refused(path, "n_samples")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20


def test_foreign_files_are_named_without_numpy_internals(tmp_path):
    npy = tmp_path / "w.scratchnet"
    np.save(tmp_path / "w.npy", np.zeros(3))
    os.replace(tmp_path / "w.npy", npy)  # a renamed .npy: np.load gave a TypeError
    refused(npy, "not a ScratchNet session.*not a zip archive")
    csv = tmp_path / "points.csv"
    csv.write_text("x1,x2,label\n1,2,0\n3,4,1\n")
    assert "pickle" not in refused(csv, "not a ScratchNet session")


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "s.scratchnet"
    os.mkfifo(fifo)
    error = refused_at_once(lambda: session.load(fifo), fifo)
    assert isinstance(error, session.SessionError) and "FIFO" in str(error)


def _bomb(path, n_mib, name="W0.npy"):
    """A zip whose one entry is a valid .npy header and ``n_mib`` MiB of zeros, deflated
    by repeating one fully flushed block: ~1 KB on disk per MiB inflated."""
    head = io.BytesIO()
    n = n_mib << 20
    np.lib.format.write_array_header_1_0(head, {"descr": "|u1", "fortran_order": False,
                                                "shape": (n,)})
    head = head.getvalue()
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    mib = bytes(1 << 20)
    block = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    assert c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH) == block  # the state was reset
    body = start + block * n_mib + c.flush()
    size, fname = len(head) + n, name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, 0, len(body), size,
                        len(fname), 0) + fname
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, 0,
                          len(body), size, len(fname), 0, 0, 0, 0, 0, 0) + fname
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central),
                      len(local) + len(body), 0)
    path.write_bytes(local + body + central + end)
    return size


def test_a_zip_bomb_is_refused_from_the_zip_directory(tmp_path):
    path = tmp_path / "bomb.scratchnet"
    size = _bomb(path, 4095)  # 4 MB on disk, 4 GiB inflated
    assert path.stat().st_size < 5 * 2**20 and size > 4 * 10**9
    with zipfile.ZipFile(path) as zf:
        assert zf.infolist()[0].file_size == size  # zipfile reads it as a zip
    tracemalloc.start()
    try:
        refused(path, r"would expand to 4,095 MiB; the limit is 1,024 MiB")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20


def test_the_size_cap_counts_what_the_entries_would_expand_to(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_UNCOMPRESSED", 8 << 20)
    path = tmp_path / "bomb.scratchnet"
    _bomb(path, 64)
    tracemalloc.start()
    try:
        refused(path, "would expand to 64 MiB; the limit is 8 MiB")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20


def test_an_array_header_that_promises_more_than_its_entry_is_refused(tmp_path):
    path, _, _ = _saved(tmp_path)
    arrays = read_arrays(path)
    write_arrays(path, arrays)
    with zipfile.ZipFile(path) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    head = io.BytesIO()
    np.lib.format.write_array_header_1_0(head, {"descr": "<f8", "fortran_order": False,
                                                "shape": (10**9, 10**3)})
    entries["order.npy"] = head.getvalue() + bytes(64)
    with zipfile.ZipFile(path, "w") as zf:
        for name, blob in entries.items():
            zf.writestr(name, blob)
    refused(path, r"entry 'order': its header promises shape \(1000000000, 1000\)")


def test_object_arrays_are_refused_without_unpickling(tmp_path):
    path, _, _ = _saved(tmp_path)
    arrays = read_arrays(path)
    arrays["order"] = np.array([object()] * 3, dtype=object)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    path.write_bytes(buf.getvalue())
    refused(path, "not a plain .npy array|holds object data")


@pytest.mark.parametrize("name,kw", [("momentum", {"momentum": 0.5}),
                                     ("adam", {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6})])
def test_the_optimizers_own_hyperparameters_come_back(tmp_path, name, kw):
    cfg = Config(data.DataSpec("moons", 60, 0.2, seed=1), hidden=[3], activations=["tanh"],
                 optimizer=name, lr=0.02)
    t = make_trainer(cfg, data.build(cfg.data))
    # the running optimizer differs from the Config (as after a change in the app)
    t.optimizer = optimizers.make(name, 0.05, {"kind": "step", "gamma": 0.7, "step_size": 3},
                                  **kw)
    t.run(2)
    path = tmp_path / "s.scratchnet"
    session.save(path, t, cfg)
    loaded, _, _, _ = session.load(path)
    assert loaded.optimizer.hyperparameters() == t.optimizer.hyperparameters()
    loaded.run(4)
    t.run(4)
    for a, b in zip(loaded.network.parameters(), t.network.parameters()):
        np.testing.assert_array_equal(a, b)


def test_a_saved_session_gets_the_users_umask(tmp_path):
    old = os.umask(0o022)
    try:
        path, _, _ = _saved(tmp_path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
