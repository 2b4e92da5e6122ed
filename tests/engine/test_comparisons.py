"""The comparison presets: each pair differs in what its name says and nothing else, and
each "what to look for" text says what training both runs really shows (seed 0).

Each claim test trains A and B for only the epochs its text speaks of, and checks each
number next to the words that state it, so a text changed without a test fails."""

import math

import numpy as np
import pytest

from scratchnet import compare, data
from scratchnet.config import make_trainer
from scratchnet_gui import resources

TEXTS = {c.pair: c.text for c in resources.comparisons()}


def says(name: str, *phrases: str) -> None:
    for phrase in phrases:
        assert phrase in TEXTS[name], f"{name}'s text no longer says {phrase!r}"


def train(name: str, epochs_a: int, epochs_b: int):
    """``[(history, stop reason, epoch)]`` of runs A and B after up to so many epochs."""
    out = []
    for cfg, epochs in zip(compare.pair(name), (epochs_a, epochs_b)):
        t = make_trainer(cfg, data.build(cfg.data))
        reason = t.run(epochs)
        out.append((t.history, reason, t.epoch))
    return out


def r2(v) -> float:
    return round(float(v), 2)


def first(values, at_least: float) -> int:
    """The first epoch whose value is at least ``at_least``."""
    return int(np.argmax(np.asarray(values) >= at_least))


def test_the_menu_lists_every_comparison_once_in_table_order():
    assert list(TEXTS) == list(compare.COMPARISONS)


@pytest.mark.parametrize("name", list(compare.COMPARISONS))
def test_a_pair_differs_in_its_named_settings_only(name):
    a, b = compare.pair(name, seed=3)
    changed = set(compare.COMPARISONS[name][1])
    assert set(compare.differs(a, b)) == changed
    assert a.data == b.data and a.seed == b.seed == 3 and a.data.seed == 3


def test_an_unknown_pair_is_refused_with_the_names():
    with pytest.raises(ValueError, match="unknown comparison 'nope'; choose one of "
                                         "linear-vs-deep"):
        compare.pair("nope")


def test_sgd_against_adam_is_sgd_in_a_and_the_article_pair_has_no_target():
    a, b = compare.pair("sgd-vs-adam")
    assert (a.training.optimizer, b.training.optimizer) == ("sgd", "adam")
    a, b = compare.pair("article-vs-correct-backprop")
    assert (a.training.backprop, b.training.backprop) == ("article", "correct")
    assert a.training.target_auc is None is b.training.target_auc


def test_2_1_stays_below_chance_while_2_9_6_1_bends_round_the_centre():
    (ha, _, _), (hb, _, _) = train("linear-vs-deep", 10, 10)
    says("linear-vs-deep", "between 0.40 and 0.46", "loss sits at 0.693",
         "(test AUC 0.47)", "0.68 at epoch 5 and 0.87 at epoch 10")
    assert r2(ha["test_auc"].min()) >= 0.40 and r2(ha["test_auc"].max()) <= 0.46
    assert np.all(np.abs(ha["train_loss"][2:] - math.log(2)) < 0.002)
    assert r2(hb["test_auc"][0]) == 0.47 and r2(hb["test_auc"][5]) == 0.68
    assert r2(hb["test_auc"][10]) == 0.87


def test_relu_with_he_reaches_the_target_in_one_epoch_sigmoid_in_four():
    (ha, why_a, ea), (hb, why_b, eb) = train("sigmoid-vs-relu", 10, 10)
    says("sigmoid-vs-relu", "in one epoch (test AUC 1.00, loss 0.012)",
         "A needs four (test AUC 0.84, 0.92, 0.96, then 0.99)",
         "B's first loss is 1.41 against A's 0.86")
    assert (why_a, ea, why_b, eb) == ("target", 4, "target", 1)
    assert r2(hb["test_auc"][1]) == 1.00 and round(hb["train_loss"][1], 3) == 0.012
    assert [r2(v) for v in ha["test_auc"][1:]] == [0.84, 0.92, 0.96, 0.99]
    assert r2(hb["train_loss"][0]) == 1.41 and r2(ha["train_loss"][0]) == 0.86


def test_lr_1_learns_the_circles_in_one_epoch_lr_0_001_barely_moves():
    (ha, _, _), (hb, _, _) = train("small-vs-large-lr", 10, 1)
    says("small-vs-large-lr", "the test AUC is 0.999 after one epoch",
         "the loss falls from 0.86 to 0.04", "after 10 epochs its test AUC is still 0.48",
         "and its loss 0.70")
    assert round(hb["test_auc"][1], 3) == 0.999
    assert r2(hb["train_loss"][0]) == 0.86 and r2(hb["train_loss"][1]) == 0.04
    assert r2(ha["test_auc"][10]) == 0.48 and r2(ha["train_loss"][10]) == 0.70


def test_adam_is_faster_but_jagged_sgd_slower_and_smooth():
    (ha, _, _), (hb, _, _) = train("sgd-vs-adam", 20, 20)
    says("sgd-vs-adam", "Adam's test accuracy reaches 0.94 by epoch 3 (loss 0.16)",
         "SGD's is 0.82 then and reaches 0.94 only at epoch 19",
         "SGD's loss falls on every epoch", "rises again on six of its first 20 epochs")
    assert first(hb["test_acc"], 0.94) == 3 and r2(hb["train_loss"][3]) == 0.16
    assert r2(ha["test_acc"][3]) == 0.82 and first(ha["test_acc"], 0.94) == 19
    assert np.all(np.diff(ha["train_loss"]) < 0)
    assert np.sum(np.diff(hb["train_loss"]) > 0) == 6
    assert np.all(hb["train_loss"][1:] < ha["train_loss"][1:])  # "lower"


def test_the_articles_backprop_wanders_where_the_correct_one_converges():
    (ha, _, _), (hb, _, _) = train("article-vs-correct-backprop", 12, 12)
    says("article-vs-correct-backprop", "B's test AUC is 1.000 from epoch 6",
         "its loss 0.007 by epoch 12", "(0.92 at epoch 3, 0.90 at 4, 0.98 at 5)",
         "stays below 0.99, its test accuracy below 0.95",
         "never falls below 0.17 in 12 epochs")
    assert np.all(hb["test_auc"][6:] == 1.0) and hb["test_auc"][5] < 0.9995
    assert round(hb["train_loss"][12], 3) == 0.007
    assert [r2(v) for v in ha["test_auc"][3:6]] == [0.92, 0.90, 0.98]
    assert ha["test_auc"].max() < 0.99 and ha["test_acc"].max() < 0.95
    assert ha["train_loss"].min() >= 0.17
