"""The article's plots, drawn by the app's own views: ``graph``, ``plot_errors``,
``plot_scores`` and ``show`` for ``scratchnet.article.NeuralNetwork``.

Each plot builds a ``Snapshot`` from the article network (its weights, its ``scores``,
its predictions on the given points) and hands it to the view the app uses for the same
picture: ``NetworkView``, ``PredictionView`` or ``AucView``. Then, like ``plt.show()``:

* with ``path``: the view is rendered offscreen to a PNG or SVG (by the suffix) through
  ``scratchnet_gui.cli.export``, at ``size = (width, height)``, and the path is returned;
* in Jupyter (an IPython kernel is running): the PNG is displayed inline;
* otherwise: the view opens in a window, and the call returns when it is closed.
"""

from __future__ import annotations

import os
import sys

import numpy as np

from scratchnet import data
from scratchnet.trainer import HISTORY_KEYS

from .. import snapshot
from . import export
from .. import protocol as P

SIZE = (900, 650)
_KEEP = []
NO_DISPLAY = ("no display to open a window on; pass path='plot.png' (or .svg) to write "
              "the picture to a file instead")


HEADLESS_PLATFORMS = ("offscreen", "minimal")  # Qt draws there, but nobody sees a window


def _headless_platform() -> str | None:
    """The Qt platform's name if windows on it can never be seen (nor closed), e.g.
    ``QT_QPA_PLATFORM=offscreen``, as the README tells headless users to set."""
    from PySide6.QtGui import QGuiApplication

    name = (QGuiApplication.platformName() if QGuiApplication.instance() is not None
            else os.environ.get("QT_QPA_PLATFORM", "").split(":")[0])
    return name if name in HEADLESS_PLATFORMS else None


def _check_window() -> None:
    """Refuse a window the call would wait on for ever (``RuntimeError``)."""
    from ..app import has_display

    if not has_display():
        raise RuntimeError(NO_DISPLAY)
    platform = _headless_platform()
    if platform is not None:
        raise RuntimeError(f"Qt runs on the {platform!r} platform, where a window is never "
                           f"shown nor closed; {NO_DISPLAY.split('; ', 1)[1]}")


def _in_jupyter() -> bool:
    """True inside a running IPython kernel (never imports IPython itself)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def _app():
    """The running QApplication, or a new one (on the offscreen platform when there is
    no display, so that files can still be written; the environment is left alone, so
    a later window still finds no display and says so)."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from ..app import has_display

    app = QApplication.instance()
    if app is None:
        app = QApplication(["scratchnet"] + ([] if has_display() else ["-platform", "offscreen"]))
        pg.setConfigOptions(antialias=True)
        _KEEP.append(app)  # a QApplication must outlive every widget drawn with it
    return app


# --- snapshots ---------------------------------------------------------------------------
def _points(X, y):
    """``(Points, grid_inputs, thumb_inputs)`` for raw points ``X`` (drawn as "train")."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).ravel()
    names = [f"x{k + 1}" for k in range(X.shape[1])] + ["label"]
    ds = data.Dataset(X, X[:0], y, y[:0], names, data.DataSpec("csv", standardize=False),
                      data.Inputs())  # no scaling: the article feeds the raw points
    return snapshot.Points.from_dataset(ds)


def network_snapshot(nn, X=None, y=None) -> snapshot.Snapshot:
    """What the views draw for the article network ``nn``.

    Parameters
    ----------
    nn : scratchnet.article.NeuralNetwork
    X, y : array_like, optional
        Points for the boundary, the neuron heatmaps and right/wrong marks. ``y`` may be
        omitted for heatmaps only.

    Returns
    -------
    Snapshot
        ``weights`` in the engine's shapes (biases 1-D), ``history["train_auc"]`` equal
        to ``nn.scores`` (``epoch`` 0, 1, ...), and, with ``X``, ``train_pred =
        nn.predict(X)`` and the boundary ``grid``.
    """
    scores = np.asarray(nn.scores, dtype=np.float64)
    history = {k: np.full(len(scores), np.nan) for k in HISTORY_KEYS}
    history.update(epoch=np.arange(len(scores), dtype=np.float64), train_auc=scores)
    history = {k: snapshot.frozen(v) for k, v in history.items()}
    pts = grid = None
    thumbs, train_pred = (), snapshot.frozen([])
    if X is not None:
        X = np.asarray(X, dtype=np.float64)
        pts, grid_in, thumb_in = _points(X, np.zeros(len(X)) if y is None else y)
        grid = snapshot.frozen(nn.predict(grid_in).reshape(snapshot.GRID, snapshot.GRID))
        thumbs = tuple(snapshot.frozen(a.T.reshape(-1, snapshot.THUMB, snapshot.THUMB))
                       for a in nn.layer_outputs(thumb_in))
        train_pred = snapshot.frozen(nn.predict(X))
    return snapshot.Snapshot(
        seq=0, ack=0, epoch=max(len(scores) - 1, 0), cursor=0, n_train=0 if X is None else len(X),
        samples_seen=0, running=False, history=history,
        weights=[(snapshot.frozen(L.weights), snapshot.frozen(L.biases[:, 0])) for L in nn.layers],
        activations=("sigmoid",) * len(nn.layers), train_pred=train_pred,
        test_pred=snapshot.frozen([]), grid=grid, thumbs=thumbs, roc=None, points=pts,
        lr=nn.lr)


# --- rendering ---------------------------------------------------------------------------
def render(view_cls, snap, path=None, size=None, title: str = "ScratchNet"):
    """Draw ``snap`` with a new ``view_cls`` into ``path``, inline, or in a window.

    Returns ``path`` (as a string) when given, else ``None``.
    """
    if size is not None:
        size = _size(size)
    fmt = os.path.splitext(os.fspath(path))[1].lower().lstrip(".") if path is not None else None
    if fmt not in (None, "png", "svg"):
        raise ValueError(f"cannot write {path}: choose a .png or .svg file")
    inline = path is None and _in_jupyter()
    if path is None and not inline:
        _check_window()
    app = _app()
    from PySide6.QtCore import QEventLoop, Qt

    view = view_cls()
    view.setWindowTitle(title)
    view.resize(*(size or SIZE))
    if path is None and not inline:
        return _window(view, snap)
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    view.show()
    app.processEvents()  # lay the view out at its size before it draws
    view.draw(snap)
    app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    try:
        if inline:
            return _display_png(view)
        if fmt == "png":
            export.write_png(view, path, (view.width(), view.height()))
        else:
            export.write_svg(view, path)
        return os.fspath(path)
    finally:
        view.close()
        view.deleteLater()


def _size(size) -> tuple[int, int]:
    """``(width, height)`` in pixels, each a whole number from 16 to 20,000 (as the
    window's own PNG export takes)."""
    try:
        w, h = size
    except (TypeError, ValueError):
        raise ValueError(f"size must be (width, height) in pixels, not {size!r}") from None
    for v in (w, h):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not 16 <= v <= 20000:
            raise ValueError(f"size must be (width, height), whole numbers of pixels from "
                             f"16 to 20,000, not {size!r}")
    return int(w), int(h)


def _window(view, snap):
    """Show ``view`` and wait until the user closes it (the ``plt.show()`` contract)."""
    view.show()
    view.draw(snap)
    _wait_closed(view)


def _wait_closed(widget) -> None:
    """Run Qt's events until ``widget`` is closed (works inside a running event loop)."""
    from PySide6.QtCore import QEventLoop, Qt

    loop = QEventLoop()
    widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    widget.destroyed.connect(loop.quit)
    loop.exec()


def _display_png(view):
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from IPython.display import Image, display

    buf_bytes = QByteArray()
    buf = QBuffer(buf_bytes)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    export.image(view).save(buf, "PNG")
    buf.close()
    display(Image(data=bytes(buf_bytes), format="png"))


# --- the article's calls -----------------------------------------------------------------
def graph(nn, X=None, path=None, size=None):
    """The network as the app draws it: edges by sign, width ``min(8, |w| + 0.25)``;
    with ``X``, each neuron's activation over the plane of ``X``."""
    from ..views.network_view import NetworkView

    return render(NetworkView, network_snapshot(nn, X), path, size, "Network")


def plot_errors(nn, X, y, path=None, size=None):
    """Points ``X`` coloured right (green) or wrong (red) at threshold 0.5, over the
    network's probability and its 0.5 boundary."""
    from ..views.prediction_view import PredictionView

    return render(PredictionView, network_snapshot(nn, X, y), path, size, "Errors")


def plot_scores(nn, path=None, size=None):
    """``nn.scores``: the train AUC before each epoch of the last ``fit``."""
    from ..views.curves import AucView

    class ScoresView(AucView):
        """The app's AUC view with the train curve alone (the article scores no test
        set), dotted so that a fit of one or two epochs still shows."""

        def __init__(self, parent=None):
            super().__init__(parent)
            self.test.hide()
            self.getPlotItem().legend.removeItem(self.test)
            self.train.setSymbol("o")
            self.train.setSymbolSize(6)

    return render(ScoresView, network_snapshot(nn), path, size, "AUC before each epoch")


# --- the live app ------------------------------------------------------------------------
def open_app(nn, X, y, train_fraction: float = 0.75, split_seed: int = 0):
    """A ``MainWindow`` on ``nn``'s weights and the points ``X, y``, ready to step.

    It does what the app's own File ▸ Open data does: the window starts on a config
    shaped like ``nn`` (sigmoid layers, per-sample SGD at ``nn.lr``), the data go over as
    a CSV-like ``raw`` set (split ``train_fraction`` / rest with ``split_seed``, not
    standardised), then the weights. The app always trains with exact backprop.
    """
    from scratchnet.config import Config

    from ..window.main_window import MainWindow

    if nn.shape[-1] != 1:
        raise ValueError(f"the app draws networks with one output unit, not {nn.shape[-1]}")
    X = np.asarray(X, dtype=np.float64)
    X = X.reshape(len(X), -1)
    names = [f"x{k + 1}" for k in range(X.shape[1])] + ["label"]
    raw = (X, np.asarray(y, dtype=np.float64).ravel(), names)
    seed = nn.seed if isinstance(nn.seed, (int, np.integer)) else 0
    hidden = list(nn.shape[1:-1])
    cfg = Config(hidden=hidden, activations=["sigmoid"] * len(hidden), lr=nn.lr, batch_size=1,
                 max_epochs=nn.epochs, seed=int(seed))
    spec = data.DataSpec("csv", n_samples=len(X), seed=int(split_seed), standardize=False,
                         train_fraction=train_fraction)
    data.build(spec, raw)  # a bad split raises here, not as a message in the window
    _app()
    window = MainWindow(cfg)
    window.data_panel.set_spec(spec)
    window.send(P.SetData(spec, raw))
    window.send(P.SetWeights(tuple((np.array(L.weights, dtype=np.float64),
                                               np.array(L.biases[:, 0], dtype=np.float64))
                                              for L in nn.layers)))
    return window


def show(nn, X, y, **kw):
    """Open the live app on ``nn`` and ``X, y`` (see ``open_app``); returns when the
    window is closed."""
    _check_window()
    window = open_app(nn, X, y, **kw)
    window.show()
    _wait_closed(window)
