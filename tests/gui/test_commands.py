"""Commands declare what they do: every command has declared traits and exactly one
handler, and the loop reads the traits (run inline, Qt-free)."""

import pytest

from scratchnet import data
from scratchnet.config import Config
from scratchnet_gui.process import handlers
from scratchnet_gui import protocol as P
from scratchnet_gui.process import loop as training_loop
from scratchnet_gui.step_view import Phase


class NoCommands:
    def poll(self, timeout=0.0):
        return False


def _loop():
    cfg = Config(data.DataSpec("circles", 120, 0.1), hidden=[4], activations=["tanh"])
    return training_loop.TrainingLoop(cfg, data.build(cfg.data), NoCommands(),
                                      lambda s: None, emit=lambda e: None)


def _do(loop, cmd, cid=[0]):  # noqa: B006 (ids count up across the calls, as they do)
    cid[0] += 1
    assert loop._handle((cid[0], cmd))
    errors = [n.text for n in loop._notices if n.level == "error"]
    assert not errors, errors


def test_every_command_declares_its_traits_in_its_own_body():
    kinds = P.command_types()
    assert len(kinds) >= 25 and P.SetTimelineBudget in kinds
    for cls in kinds:
        declared = cls.__dict__.get("traits")
        assert isinstance(declared, (P.Traits, property)), f"{cls.__name__} declares no traits"
    assert all(isinstance(P.Step(k).traits, P.Traits) for k in P.StepKind)


def test_every_command_has_exactly_one_handler():
    registered = handlers.registered()  # a second ``@handles(X)`` raises at import (below)
    assert set(registered) == set(P.command_types())
    loop = _loop()  # each handler is bound to the one part of the loop that defines it
    assert set(loop.handlers) == set(registered)
    for cls, fn in registered.items():
        assert loop.handlers[cls].__func__ is fn, f"{cls.__name__}: not its part's"
        assert loop.handlers[cls].__self__ in (loop, loop.stepper, loop.scrubber,
                                               loop.history, loop.edits, loop.files,
                                               loop.landscape, loop.insight,
                                               loop.lockstep)


def test_a_handler_of_no_part_or_of_two_is_refused():
    loop = _loop()
    with pytest.raises(TypeError, match="is a method of 0 of the parts"):
        handlers.bind([loop, loop.stepper])
    with pytest.raises(TypeError, match="of 2 of the parts"):
        handlers.bind([loop, loop.stepper, loop.scrubber, loop.history, loop.history,
                       loop.edits, loop.files, loop.landscape, loop.insight,
                       loop.lockstep])


def test_a_second_handler_is_refused():
    with pytest.raises(TypeError, match="two handlers"):
        handlers.handles(P.Play)(lambda loop, cmd: None)
    with pytest.raises(TypeError):
        handlers.handles(int)


def test_an_unknown_command_is_reported_and_the_loop_goes_on():
    loop = _loop()
    assert loop._handle((1, "play"))
    assert "does not know the command" in loop._notices[-1].text
    with pytest.raises(ValueError, match="does not know"):
        loop.dispatch(object())


def test_a_new_timeline_budget_keeps_the_stepped_samples_and_the_model():
    loop = _loop()
    for _ in range(3):
        _do(loop, P.Step("sample"))
    assert loop.stepper.view().back == 2
    version = loop.live.version
    _do(loop, P.SetTimelineBudget(64))
    assert loop.live.trainer.timeline.budget == 64 * 2**20
    assert loop.stepper.view() is not None and loop.stepper.view().back == 2
    assert loop.live.version == version
    _do(loop, P.Step("unapply"))  # ← still walks back into the samples stepped before
    _do(loop, P.Step("previous"))
    assert loop.stepper.view().back == 1


def test_the_traits_say_what_the_loop_does():
    loop = _loop()
    _do(loop, P.Step("sample"))
    version = loop.live.version
    _do(loop, P.Step("next"))  # moves the stepper only
    assert loop.live.version == version and loop.stepper.view().back == 1
    _do(loop, P.Pause())  # changes no model, but ends the stepping
    assert loop.live.version == version and loop.stepper.view() is None
    _do(loop, P.StepEpoch())
    assert loop.live.version == version + 1
    assert loop.history.labels() == ("", "")
    _do(loop, P.Reset())
    assert loop.history.labels() == ("reset", "")


def test_the_pauses_trait_pauses_after_the_command_and_only_it():
    loop = _loop()
    _do(loop, P.Play())
    _do(loop, P.SetSpeed(5.0))  # changes nothing the trainer holds: training goes on
    assert loop.running and not P.SetSpeed(5.0).traits.pauses
    _do(loop, P.StepBatch())
    assert not loop.running and P.StepBatch().traits.pauses
    _do(loop, P.Play())
    _do(loop, P.Step("sample"))  # the stepper pauses through its commands' trait
    assert not loop.running and loop.stepper.view() is not None
    _do(loop, P.Play())
    assert loop._handle((98, P.BranchHere()))  # refused (nothing scrubbed): no pause
    assert loop.running and P.BranchHere().traits.pauses
    assert "scrub the timeline back" in loop._notices[-1].text


def test_kinds_phases_and_levels_are_enums_not_words():
    assert P.Step("next").kind is P.StepKind.NEXT  # the word is checked and made a member
    with pytest.raises(ValueError, match="step kind must be one of sample, next"):
        P.Step("sideways")
    loop = _loop()
    _do(loop, P.Step(P.StepKind.SAMPLE))
    view = loop.stepper.view()
    assert {type(kind) for kind, _ in view.phases} == {Phase}
    assert view.phase == (Phase.UPDATE, 0)
    loop._handle((99, P.SetWeight(7, 0, 0, 1.0)))  # no layer 8: an error notice
    assert loop._notices[-1].level is P.NoticeLevel.ERROR
