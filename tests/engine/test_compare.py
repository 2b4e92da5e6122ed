"""The settings diff of two runs: each changed setting named once, nothing unchanged."""

import pytest

from scratchnet.compare import describe, differs
from scratchnet.config import Config

CHANGES = [({"lr": 0.5}, "lr 0.5"), ({"activations": ("relu", "relu")}, "activation relu"),
           ({"optimizer": "adam"}, "optimizer adam"), ({"init": "he"}, "init he"),
           ({"hidden": (), "activations": ()}, "no hidden layer"),
           ({"batch_size": 1}, "batch 1"), ({"seed": 3}, "seed 3")]


@pytest.mark.parametrize("change, words", CHANGES)
def test_one_change_is_named_alone(change, words):
    a = Config()
    diff = differs(a, a.replace(**change))
    assert set(diff) == set(change)
    assert describe(diff) == f"B: {words}"


def test_same_settings_list_nothing():
    assert differs(Config(), Config()) == {}
    assert describe({}) == "B: the same settings as A"


def test_two_changes_name_both_and_nothing_else():
    a = Config(lr=0.3)
    b = a.replace(lr=0.5, activations=("relu", "tanh"))
    assert differs(a, b) == {"lr": (0.3, 0.5),
                             "activations": (["sigmoid", "sigmoid"], ["relu", "tanh"])}
    assert describe(differs(a, b)) == "B: activation relu,tanh, lr 0.5"


def test_a_schedule_parameter_is_named_within_its_kind():
    a = Config(schedule={"kind": "step", "gamma": 0.5, "step_size": 10})
    b = a.replace(schedule={"kind": "step", "gamma": 0.3, "step_size": 10})
    assert describe(differs(a, b)) == "B: schedule gamma 0.3"
