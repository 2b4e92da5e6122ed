"""Large CSV files: read in the training process with progress and Cancel, the window
responsive meanwhile; the views draw an even sample and say so."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from scratchnet import data
from scratchnet_gui import snapshot

from .conftest import WAIT_MS, click_action, wait_idle


def _csv(path, n):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    with open(path, "w") as fh:
        fh.write("a,b,label\n")
        np.savetxt(fh, np.column_stack([X, y]), fmt=["%.5f", "%.5f", "%d"], delimiter=",")


def test_a_big_file_is_read_with_progress_and_drawn_as_an_even_sample(qtbot, window, tmp_path):
    p = tmp_path / "big.csv"
    _csv(p, 200_000)
    events = []
    window.controller.progress.connect(events.append)
    window.files.open_data(str(p))
    s = wait_idle(qtbot, window)  # idle: the trainer answered and read the file
    assert [e.done for e in events][-1] and any(0 < e.fraction < 1 for e in events)
    assert s.n_train == 150_000 and len(s.points.raw_train) == snapshot.MAX_DRAWN
    assert "even sample of 10,000 of 150,000 training" in s.points.projection_note
    assert "metrics and ROC estimated on an even sample of 65,536" in s.points.projection_note
    view = window.prediction_view  # the whole note can be read: wrapped within the plot
    assert view.caption.isVisible() and view.caption.textItem.toPlainText() == \
        s.points.projection_note
    assert view.caption.textItem.boundingRect().width() <= view.getPlotItem().vb.width()
    assert len(s.train_pred) == snapshot.MAX_DRAWN
    full = data.build(data.DataSpec("csv", csv_path=str(p)))
    np.testing.assert_array_equal(s.points.raw_train, full.raw_train[s.points.train_index])
    click_action(qtbot, window, "step_batch")
    assert wait_idle(qtbot, window).samples_seen == 10


def test_cancel_stops_reading_and_keeps_the_data(qtbot, window, tmp_path):
    p = tmp_path / "big.csv"
    _csv(p, 1_000_000)
    before = wait_idle(qtbot, window)
    with qtbot.waitSignal(window.controller.progress, timeout=WAIT_MS,
                          check_params_cb=lambda e: 0 < e.fraction < 1):
        window.files.open_data(str(p))
    cancel = window.files.load_dialog.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS,
                          check_params_cb=lambda level, text: "Stopped reading" in text):
        pass
    s = wait_idle(qtbot, window)
    assert s.points.version == before.points.version and s.n_train == 750


def test_a_large_sample_is_recoloured_at_the_slow_rate_while_training(qtbot):
    import dataclasses

    from scratchnet.config import Config, make_trainer
    from scratchnet_gui.views.prediction_view import MANY_POINTS, PredictionView

    cfg = Config(data.DataSpec("moons", 4 * MANY_POINTS, 0.2))
    ds = data.build(cfg.data)
    pts, grid, thumb = snapshot.Points.from_dataset(ds)
    s = snapshot.take(make_trainer(cfg, ds), pts, (grid, thumb), 1, 0, running=True)
    view = PredictionView()
    qtbot.addWidget(view)
    view.draw(s, slow=True)
    shown = lambda: len(view.scatter["train", True].data)  # noqa: E731 (right ones)
    before = shown()
    learnt = dataclasses.replace(s, train_pred=pts.y_train)  # every point right now
    view.draw(learnt, slow=False)
    assert before < len(pts.y_train) and shown() == before  # left as they were
    view.draw(learnt, slow=True)
    assert shown() == len(pts.y_train)
