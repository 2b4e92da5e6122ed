"""The article's plots drawn by the app's views, to files, inline and in a window."""

import io
import os
import subprocess
import sys
import types
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sklearn.datasets import make_circles

from scratchnet.article import NeuralNetwork
from scratchnet_gui import snapshot
from scratchnet_gui.cli import article_plots
from scratchnet_gui.cli import export

from .conftest import wait_idle

SVG = "{http://www.w3.org/2000/svg}"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def trained():
    X, y = make_circles(300, factor=0.1, noise=0.1, random_state=0)
    nn = NeuralNetwork(2, 9, 6, 1, epochs=3).fit(X[:200], y[:200])
    return nn, X[200:], y[200:]


@pytest.fixture
def drawn(monkeypatch):
    """The widget each export draws, as ``{objectName: widget}``."""
    widgets = {}
    for name in ("write_png", "write_svg"):
        real = getattr(export, name)

        def spy(widget, *a, _real=real, **k):
            widgets[widget.objectName()] = widget
            return _real(widget, *a, **k)
        monkeypatch.setattr(export, name, spy)
    return widgets


def _calls(nn, X, y):
    return {"network_view": lambda **k: nn.graph(X, **k),
            "prediction_view": lambda **k: nn.plot_errors(X, y, **k),
            "auc_view": lambda **k: nn.plot_scores(**k)}


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_each_plot_writes_a_file_that_decodes_at_the_requested_size(trained, tmp_path, fmt):
    nn, X, y = trained
    for name, call in _calls(nn, X, y).items():
        path = tmp_path / f"{name}.{fmt}"
        assert call(path=path, size=(420, 310)) == str(path)
        if fmt == "png":
            with Image.open(path) as im:
                assert im.size == (420, 310)
                assert len(np.unique(np.asarray(im.convert("RGB")).reshape(-1, 3), axis=0)) > 5
        else:
            root = ET.parse(path).getroot()
            assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 420 310"
            assert root.findall(f".//{SVG}path") or root.findall(f".//{SVG}polyline")


def test_the_views_draw_the_networks_weights_points_and_scores(trained, tmp_path, drawn):
    nn, X, y = trained
    for call in _calls(nn, X, y).values():
        call(path=tmp_path / "p.png")
    snap = article_plots.network_snapshot(nn, X, y)
    for (W, b), L in zip(snap.weights, nn.layers):
        np.testing.assert_array_equal(W, L.weights)
        np.testing.assert_array_equal(b, L.biases[:, 0])
    net = drawn["network_view"]
    for (l, row, col, *_), v in zip(net.edges, net.edge_values(snap)):
        layer = nn.layers[l]
        assert v == (layer.biases[row, 0] if col < 0 else layer.weights[row, col])
    np.testing.assert_array_equal(snap.points.raw_train, X)
    right = (nn.predict(X) >= 0.5) == (y > 0.5)
    pred = drawn["prediction_view"]
    for ok in (True, False):
        xs, ys = pred.scatter["train", ok].getData()
        np.testing.assert_array_equal(np.column_stack([xs, ys]), X[right == ok])
    epochs, scores = drawn["auc_view"].train.getData()
    np.testing.assert_array_equal(scores, nn.scores)
    np.testing.assert_array_equal(epochs, np.arange(len(nn.scores)))


def test_the_boundary_and_heatmaps_are_the_networks_outputs(trained):
    nn, X, y = trained
    snap = article_plots.network_snapshot(nn, X, y)
    _, grid_in, thumb_in = article_plots._points(X, y)
    np.testing.assert_array_equal(snap.grid.ravel(), nn.predict(grid_in))
    outs = nn.layer_outputs(thumb_in)
    assert len(snap.thumbs) == 3
    np.testing.assert_array_equal(snap.thumbs[1][4].ravel(), outs[1][:, 4])
    assert snap.grid.shape == (snapshot.GRID, snapshot.GRID)


def test_article_mode_plots_its_own_weights(tmp_path):
    X, y = make_circles(100, factor=0.1, noise=0.1, random_state=1)
    nn = NeuralNetwork(2, 3, 1, epochs=2, backprop="article").fit(X, y)
    snap = article_plots.network_snapshot(nn, X, y)
    np.testing.assert_array_equal(snap.weights[0][0], nn.layers[0].weights)
    np.testing.assert_array_equal(snap.train_pred, nn.predict(X))
    assert nn.plot_errors(X, y, path=tmp_path / "e.png") == str(tmp_path / "e.png")


def test_an_unknown_suffix_is_refused(trained, tmp_path):
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        trained[0].plot_scores(path=tmp_path / "scores.jpg")


def test_without_a_path_the_window_returns_once_closed(trained, monkeypatch):
    from scratchnet_gui.cli import article_plots

    monkeypatch.setattr(article_plots, "_headless_platform", lambda: None)  # a desktop's
    closed = []

    def close_it():  # what the user does, once the window is up
        shown = [w for w in QApplication.topLevelWidgets()
                 if w.objectName() == "auc_view" and w.isVisible()]
        for w in shown:
            w.close()
            closed.append(w.windowTitle())
        if shown:
            timer.stop()
    timer = QTimer()
    timer.timeout.connect(close_it)
    timer.start(10)
    assert trained[0].plot_scores() is None
    assert closed == ["AUC before each epoch"]  # returned only after the close


def test_in_jupyter_the_plot_is_displayed_inline(trained, monkeypatch):
    shown = []
    display = types.ModuleType("IPython.display")
    display.Image = lambda data, format: (format, data)
    display.display = shown.append
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: types.SimpleNamespace(kernel=object())
    ipython.display = display
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    assert trained[0].graph(size=(300, 200)) is None
    (fmt, png), = shown
    with Image.open(io.BytesIO(png)) as im:
        assert fmt == "png" and im.size == (300, 200)


def test_show_opens_the_app_on_the_network_and_the_data(qtbot, trained):
    nn, X, y = trained
    win = article_plots.open_app(nn, X, y)
    qtbot.addWidget(win)
    win.show()
    try:
        s = wait_idle(qtbot, win)
        for (W, b), L in zip(s.weights, nn.layers):
            np.testing.assert_array_equal(W, L.weights)
            np.testing.assert_array_equal(b, L.biases[:, 0])
        pts = s.points
        both = np.vstack([pts.raw_train, pts.raw_test])
        assert len(both) == len(X) and {tuple(p) for p in both} == {tuple(p) for p in X}
        cfg = win.controller.config
        assert (cfg.model.hidden, cfg.training.batch_size, cfg.training.lr) == ((9, 6), 1, nn.lr)
        assert cfg.data.source == "csv" and not cfg.data.standardize
    finally:
        win.close()
    assert not win.controller.worker.is_alive()


def test_without_a_display_it_says_to_pass_a_path(trained, monkeypatch):
    for var in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(RuntimeError, match="path="):
        trained[0].plot_scores()


def test_headless_it_writes_files_and_refuses_windows(tmp_path):
    # a fresh process with no display at all, as on a server: files still work
    code = ("from scratchnet.article import NeuralNetwork\n"
            "nn = NeuralNetwork(2, 3, 1)\n"
            f"print(nn.graph(path={str(tmp_path / 'g.png')!r}, size=(200, 100)))\n"
            "try:\n    nn.graph()\nexcept RuntimeError as e:\n    print(e)\n")
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    written, refused = done.stdout.splitlines()
    assert written == str(tmp_path / "g.png") and "path=" in refused
    with Image.open(written) as im:
        assert im.size == (200, 100)
