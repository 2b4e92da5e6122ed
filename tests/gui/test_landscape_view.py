"""The Landscape view drawn from a frame the training process's code computes: the
threshold line follows the optimizer, and for Adam the view says it does not apply."""

import types

import numpy as np

from scratchnet import data
from scratchnet.config import Config, make_trainer
from scratchnet_gui.process import landscape as loop_landscape
from scratchnet_gui.views.landscape_view import LandscapeView


def _snap(optimizer, **kw):
    cfg = Config(data.DataSpec("circles", 200, 0.1), hidden=[4], activations=["tanh"],
                 optimizer=optimizer, lr=0.1, **kw)
    t = make_trainer(cfg, data.build(cfg.data))
    t.keep_timeline()
    t.probe = loop_landscape.TimedProbe(t.X_train, t.X_train, t.y_train)
    for _ in range(4):
        t.step_epoch()
    frame = loop_landscape.compute(t, probe=t.probe, version=1)
    return types.SimpleNamespace(landscape=frame, history=t.history.arrays(), scrub=None)


def test_the_line_follows_the_optimizer(qtbot, monkeypatch):
    monkeypatch.setattr(loop_landscape, "SHARPNESS_INTERVAL", 0.0)
    view = LandscapeView()
    qtbot.addWidget(view)
    s = _snap("momentum", momentum=0.9)
    assert view.draw(s)
    np.testing.assert_allclose(view.limit_curve.yData, 3.8 / s.history["lr"])
    assert "(2+2μ)/lr" in view.sharp_plot.titleLabel.text
    assert not view.draw(s, slow=False)  # nothing new: nothing drawn
    s = _snap("adam")
    view.draw(s)
    assert view.limit_curve.yData is None or len(view.limit_curve.yData) == 0
    assert "does not apply to adam" in view.sharp_note.toPlainText()
    assert "2/lr" not in view.sharp_plot.titleLabel.text
