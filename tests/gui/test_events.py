"""Everything the training process sends is a protocol ``Event``, handled in one place
(``Controller.handle``); anything else is an error, on either side of the pipe."""

import importlib

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


def test_the_window_sends_every_command_one_way():
    """Every command leaves through ``MainWindow.send``, which hands it to compare
    mode's router; only that router talks to a controller."""
    import ast
    import inspect
    import pkgutil

    import scratchnet_gui.window as package

    sends = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        tree = ast.parse(inspect.getsource(module))
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.Lambda)):
                for node in ast.walk(fn):
                    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                            and node.func.attr == "send"
                            and ast.unparse(node.func.value).endswith("controller")):
                        sends.append((info.name, getattr(fn, "name", "lambda")))
    assert {module for module, _ in sends} == {"compare"}, sends
    body = inspect.getsource(importlib.import_module(f"{package.__name__}.main_window")
                             .MainWindow.send)
    assert "return self.compare.send(cmd, on_ack)" in body


def test_a_command_is_acknowledged_with_what_it_said(qtbot, window):
    wait_idle(qtbot, window)
    acks = []
    cid = window.send(P.StepEpoch, on_ack=lambda snap, said: acks.append((snap, said)))
    qtbot.waitUntil(lambda: len(acks) == 1, timeout=WAIT_MS)
    snap, said = acks[0]
    assert snap.ack >= cid and snap.epoch == 1 and said == ()
    bad = window.send(P.SetWeight(9, 0, 0, 1.0), on_ack=lambda s, said: acks.append(said))
    qtbot.waitUntil(lambda: len(acks) == 2, timeout=WAIT_MS)
    assert [(n.command, n.level) for n in acks[1]] == [(bad, P.NoticeLevel.ERROR)]
    assert window.send(lambda: P.SetSpeed(-1)) is None  # refused where it is built
    assert window.last_message[0] is P.NoticeLevel.ERROR
