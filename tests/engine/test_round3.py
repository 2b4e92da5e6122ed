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
                       r"session would take 2 MiB; a session holds at most 2 MiB"):
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
        assert "holds at most 2 MiB" in str(e) or "the limit is" in str(e)
        assert not path.exists()
        return
    loaded = session.load(path)[0]
    np.testing.assert_array_equal(loaded.network.layers[1].weights, t.network.layers[1].weights)
