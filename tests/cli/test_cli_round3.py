"""Issue 24 (round 3), the command line: refuse before working, write --save whatever
an output does, strict JSON, and no option accepted only to be ignored."""

import json

import pytest

from scratchnet import archive

from .test_cli import run
from .test_cli_hardening import main, one_line


def test_a_session_too_large_to_load_is_refused_before_training(capsys, tmp_path,
                                                                 monkeypatch):
    path = tmp_path / "big.scratchnet"
    monkeypatch.setattr(archive, "MAX_UNCOMPRESSED", 4 << 20)  # a run that would finish
    one_line(capsys, ["--dataset", "xor", "--samples", "40", "--layers", "2,512,512,1",
                      "--optimizer", "adam", "--save", str(path), "--epochs", "1"], 2,
             r"the session would take 6 MiB; a session holds at most 4 MiB")
    monkeypatch.undo()  # the documented limits: 2-10×4096-1 was written, then refused
    one_line(capsys, ["--layers", "2," + ",".join(["4096"] * 10) + ",1", "--save",
                      str(path), "--epochs", "1"], 2,
             r"cannot save .*big.scratchnet: the session would take 1,152 MiB; a session "
             r"holds at most 1,024 MiB")
    assert not path.exists()
