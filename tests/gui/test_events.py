"""Everything the training process sends is a protocol ``Event``, handled in one place
(``Controller.handle``); anything else is an error, on either side of the pipe."""

import pytest

from scratchnet.config import Config
from scratchnet_gui import protocol as P
from scratchnet_gui import snapshot

from .conftest import WAIT_MS, wait_idle


def test_every_kind_the_process_sends_is_an_event():
    for cls in (snapshot.Snapshot, P.Notice, P.Progress, P.Fatal, P.ConfigChanged):
        assert issubclass(cls, P.Event), cls


def test_the_child_refuses_to_send_what_is_no_event():
    box = snapshot.Mailbox()
    with pytest.raises(TypeError, match="protocol events"):
        box.put_event(("progress", 0.5))
    box.put_event(P.Progress("Reading", 0.5))
    assert box.take() == P.Progress("Reading", 0.5)


def test_the_controller_handles_each_event_and_refuses_an_unknown_one(qtbot, window):
    c = window.controller
    wait_idle(qtbot, window)
    with qtbot.waitSignal(c.progress, timeout=WAIT_MS) as sig:
        assert c.handle(P.Progress("Reading x.csv", 0.25)) is None
    assert sig.args[0].fraction == 0.25
    cfg = Config(max_epochs=7)
    with qtbot.waitSignal(c.configChanged, timeout=WAIT_MS) as sig:
        c.handle(P.ConfigChanged(cfg, {"threshold": 0.4}))
    assert sig.args == [cfg, {"threshold": 0.4}] and c.config is cfg
    with qtbot.waitSignal(c.message, timeout=WAIT_MS) as sig:
        c.handle(P.Notice(10**6, 0, P.NoticeLevel.INFO, "hello"))
    assert sig.args == ["info", "hello"]
    c.handle(P.Fatal("no memory"))
    assert c.fatal == "no memory"
    snap = c.latest
    assert c.handle(snap) is snap
    with pytest.raises(TypeError, match="which is no event"):
        c.handle(("snapshot", snap))


def test_an_unknown_event_from_the_pipe_is_an_error(qtbot, window, monkeypatch):
    c = window.controller
    wait_idle(qtbot, window)
    c.timer.stop()  # this test polls by hand
    monkeypatch.setattr(c.worker, "receive", lambda: [P.Progress("x", 0.1), "stray"])
    with pytest.raises(TypeError, match="'stray', which is no event"):
        c.poll()
