"""The two "why" lessons' claims, measured: the smallest tanh layer that folds circles
into separable form, and the article's slow sigmoid net against relu with He init."""

import dataclasses

import numpy as np

from scratchnet import data, presets
from scratchnet.config import make_trainer


def _trained(cfg, epochs):
    t = make_trainer(cfg, data.build(cfg.data))
    t.run(epochs)
    return t


def test_three_tanh_units_separate_the_circles_and_two_or_none_do_not():
    cfg = presets.get("why-2-1-fails")
    assert cfg.model.hidden == (3,) and cfg.model.activations == ("tanh",)
    three = _trained(cfg, 30)
    assert three.history.last("test_acc") >= 0.99
    two = _trained(dataclasses.replace(cfg, hidden=[2]), 30)
    assert two.history.last("test_acc") < 0.95  # two half-planes cannot ring the centre
    none = _trained(presets.get("circles-linear"), 20)
    assert none.history.last("test_auc") < 0.6


def test_the_sigmoid_net_at_lr_0001_is_slow_and_relu_with_he_is_not():
    cfg = presets.get("why-sigmoid-slow")
    assert (cfg.model.hidden, cfg.model.activations, cfg.training.lr,
            cfg.training.batch_size) == ((9, 6), ("sigmoid", "sigmoid"), 0.001, 1)
    slow = _trained(cfg, 10)
    fast = _trained(dataclasses.replace(cfg, activations=["relu", "relu"], init="he"), 10)
    assert slow.history.last("test_auc") < 0.6 and fast.history.last("test_auc") > 0.99
    # the sigmoid net's weights move well under 1% an epoch; relu's several times more
    slow_ratio = np.nanmean([slow.history[f"update_ratio_{k}"][1:] for k in (1, 2, 3)])
    fast_ratio = np.nanmean([fast.history[f"update_ratio_{k}"][1:] for k in (1, 2, 3)])
    assert slow_ratio < 0.01 and fast_ratio > 2 * slow_ratio
    # and it is not saturation: under 1% of the sigmoid pairs are saturated
    assert slow.history.last("saturated_1") < 0.01 and slow.history.last("saturated_2") < 0.01
