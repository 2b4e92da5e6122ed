"""One frozen Config, composed of the data spec, the model and the training settings."""

import dataclasses

import pytest

from scratchnet import data
from scratchnet.config import Config, ModelSpec, make_trainer
from scratchnet.settings import TrainingSettings
from scratchnet.tasks import Task


def test_a_config_and_its_parts_are_frozen():
    cfg = Config()
    for target, name, value in ((cfg, "seed", 3), (cfg.model, "hidden", (4,)),
                                (cfg.training, "lr", 0.5), (cfg.data, "noise", 0.3)):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(target, name, value)
    assert isinstance(cfg.model.hidden, tuple) and isinstance(cfg.data.features, tuple)


def test_settings_by_name_land_in_their_part_and_an_unknown_one_is_refused():
    cfg = Config(data.DataSpec("xor", 80, 0.1), hidden=[4], activations=["tanh"], lr=0.5,
                 batch_size=3, seed=7)
    assert cfg.model == ModelSpec((4,), ("tanh",), "sigmoid")
    assert cfg.training == dataclasses.replace(TrainingSettings(), lr=0.5, batch_size=3)
    assert (cfg.seed, cfg.data.source) == (7, "xor")
    moved = cfg.replace(lr=0.25, hidden=(5, 2), activations=("relu", "relu"))
    assert (moved.training.lr, moved.model.hidden, cfg.training.lr) == (0.25, (5, 2), 0.5)
    assert moved.training.batch_size == 3 and moved.data is cfg.data
    with pytest.raises(TypeError, match="no setting hiden"):
        Config(hiden=[3])


def test_the_defaults_are_written_once():
    # the flat Config once had its own schedule default ({"kind": "constant"} only)
    assert Config().training == TrainingSettings()
    assert Config().model == ModelSpec()


def test_sessions_keep_their_flat_format_and_old_files_load():
    cfg = Config(data.DataSpec("moons", 60, 0.2, features=["x1²"]), hidden=[3],
                 activations=["tanh"], optimizer="adam", lr=0.02)
    d = cfg.to_dict()
    assert d["hidden"] == [3] and d["lr"] == 0.02 and d["data"]["features"] == ["x1²"]
    assert Config.from_dict(d) == cfg
    old = {**d, "schedule": {"kind": "constant"}}  # as sessions before this design wrote it
    assert Config.from_dict(old).training.schedule == {"kind": "constant"}
    with pytest.raises(ValueError, match="unknown setting"):
        Config.from_dict({**d, "training": {}})


@pytest.mark.parametrize("source,classes,output", [
    ("circles", 2, "sigmoid"), ("spiral", 3, "softmax"), ("reg-plane", 2, "linear")])
def test_the_output_rule_is_the_models(source, classes, output):
    spec = data.DataSpec(source, 90, 0.1, classes=classes)
    ds = data.build(spec)
    cfg = Config(spec, hidden=[4], activations=["tanh"])
    assert cfg.model.output_for(ds.task) == output
    assert make_trainer(cfg, ds).network.output == output
    linear = cfg.replace(output="linear")  # applies to two classes only
    assert linear.model.output_for(ds.task) == ("linear" if output == "sigmoid" else output)
    assert linear.model.output_for(Task.classification(2)) == "linear"
