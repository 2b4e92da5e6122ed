"""Exports: every view to PNG (any size), SVG and CSV; all views into a folder; a GIF.

pyqtgraph 0.14.0's SVGExporter raises under Qt >= 6.11 (pyqtgraph #3485), so both PNG
and SVG render the view's scene with QPainter: onto a QImage, or onto a QSvgGenerator.
Every file is written through ``scratchnet.fileio.atomic_path``: a temporary name in the
same folder, fsync, rename; a failure names the target and the reason.
"""

from __future__ import annotations

import csv
import io
import os

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

from scratchnet.fileio import atomic_path  # temp file, fsync, rename; errors name the target

from ..views import confusion_view, gradient_view, hidden_space_view, landscape_view, task_curves

FORMATS = ("png", "svg", "csv")
VIEW_NAMES = ("network_view", "prediction_view", "auc_view", "loss_view", "roc_view",
              "confusion_view", "inspector_view", "landscape_view", "gradient_view",
              "hidden_space_view")

FILE_NAMES = {"gradient_view": "gradients"}  # a view's files, where not its name


def _paint(widget, painter: QPainter, target: QRectF) -> None:
    if isinstance(widget, QGraphicsView):
        source = widget.mapToScene(widget.viewport().rect()).boundingRect()
        # items cached as pixmaps for the screen would land in an SVG as bitmaps
        items = widget.scene().items()
        modes = [it.cacheMode() for it in items]
        for it in items:
            it.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        try:
            widget.scene().render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)
        finally:
            for it, mode in zip(items, modes):
                it.setCacheMode(mode)
    else:
        painter.save()
        painter.translate(target.topLeft())
        painter.scale(target.width() / max(widget.width(), 1), target.height() / max(widget.height(), 1))
        widget.render(painter, QPoint(0, 0))
        painter.restore()


def _paper(widget) -> QColor:
    """What the view is drawn on: its background (white, or the dark theme's)."""
    if isinstance(widget, QGraphicsView):
        return widget.backgroundBrush().color()
    return QColor("white")


def image(widget, size: tuple[int, int] | None = None) -> QImage:
    """The widget drawn into a ``size`` image (default: its size on screen)."""
    w, h = size or (max(widget.width(), 1), max(widget.height(), 1))
    img = QImage(int(w), int(h), QImage.Format.Format_ARGB32)
    img.fill(_paper(widget))
    painter = QPainter(img)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _paint(widget, painter, QRectF(0, 0, w, h))
    painter.end()
    return img


def write_png(widget, path, size: tuple[int, int] | None = None) -> None:
    img = image(widget, size)
    with atomic_path(path) as tmp:
        if not img.save(tmp, "PNG"):
            raise OSError("Qt could not encode the PNG")  # atomic_path names the path


def svg_bytes(widget, title: str = "ScratchNet") -> bytes:
    w, h = max(widget.width(), 1), max(widget.height(), 1)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    gen = QSvgGenerator()
    gen.setOutputDevice(buf)
    gen.setSize(QSize(w, h))
    gen.setViewBox(QRectF(0, 0, w, h))
    gen.setTitle(title)
    painter = QPainter(gen)
    if _paper(widget) != QColor("white"):  # a dark view's ground (the scene has none)
        painter.fillRect(QRectF(0, 0, w, h), _paper(widget))
    _paint(widget, painter, QRectF(0, 0, w, h))
    painter.end()
    buf.close()
    return bytes(data)


def write_svg(widget, path) -> None:
    payload = svg_bytes(widget, widget.objectName())
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(payload)


def _task_points(snap):
    """Every drawn point of a K-class or regression snapshot, with its prediction."""
    pts, task, rows = snap.points, snap.task, []
    names = list(pts.names) or [f"x{k + 1}" for k in range(pts.raw_train.shape[1])]
    for split, X, y, p in (("train", pts.raw_train, pts.y_train, snap.train_pred),
                           ("test", pts.raw_test, pts.y_test, snap.test_pred)):
        for i in range(len(y) if len(p) == len(y) else 0):
            if task.kind == "regression":
                rows.append([split, i, *X[i].tolist(), y[i], p[i], p[i] - y[i]])
            else:
                rows.append([split, i, *X[i].tolist(), task.classes[int(y[i])],
                             task.classes[int(p[i])], int(p[i] == y[i])])
    last = ["target", "predicted", "residual"] if task.kind == "regression" else [
        "label", "predicted", "correct"]
    return ["split", "index", *names, *last], rows


def table(snap, name: str, inspector=None, threshold: float = 0.5):
    """``(header, rows)``: the data behind view ``name`` for ``snap`` (the confusion
    matrix at ``threshold``)."""
    if name == "network_view":
        rows = []
        for l, (W, b) in enumerate(snap.weights, 1):
            for r in range(W.shape[0]):
                for c in range(W.shape[1]):
                    rows.append([l, r + 1, c + 1, "weight", W[r, c]])
                rows.append([l, r + 1, 0, "bias", b[r]])
        return ["layer", "unit", "input", "kind", "value"], rows
    if name == "prediction_view" and snap.task.output != "sigmoid":
        return _task_points(snap)
    if name == "prediction_view":
        pts, rows = snap.points, []
        names = list(pts.names) or [f"x{k + 1}" for k in range(pts.raw_train.shape[1])]
        for split, X, y, p in (("train", pts.raw_train, pts.y_train, snap.train_pred),
                               ("test", pts.raw_test, pts.y_test, snap.test_pred)):
            for i in range(len(y)):
                pred = int(p[i] >= 0.5)
                rows.append([split, i, *X[i].tolist(), int(y[i]), p[i], pred, int(pred == y[i])])
        return ["split", "index", *names, "label", "probability", "predicted", "correct"], rows
    if name in ("auc_view", "loss_view", "roc_view"):
        header, arr = task_curves.table(snap, name)
        return header, np.asarray(arr, dtype=object).tolist()
    if name == "confusion_view":
        return confusion_view.table(snap, threshold)
    if name == "landscape_view":
        return landscape_view.table(snap)
    if name == "sharpness":  # the command line's sharpness.csv (no view of its own)
        return landscape_view.sharpness_table(snap)
    if name == "inspector_view":
        if inspector is None or snap.step is None:
            return ["note"], [["no sample is being stepped through"]]
        lines = [l.split("\t") for l in inspector.as_text().splitlines()]
        return lines[0], lines[1:]
    if name == "gradient_view":
        return gradient_view.table(snap)
    if name == "hidden_space_view":
        return hidden_space_view.table(snap)
    raise ValueError(f"unknown view {name!r}")


def write_csv(snap, name: str, path, inspector=None, threshold: float = 0.5) -> int:
    """Write the data behind a view; returns the number of data rows."""
    header, rows = table(snap, name, inspector, threshold)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    w.writerows([[repr(float(v)) if isinstance(v, (float, np.floating)) else v for v in r]
                 for r in rows])  # repr: the shortest text that reads back to the same float
    with atomic_path(path) as tmp:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            fh.write(out.getvalue())
    return len(rows)


def export_view(widget, snap, path, fmt: str | None = None, size=None, inspector=None) -> None:
    """Export one view as PNG, SVG or CSV (by ``fmt`` or the file's extension)."""
    fmt = (fmt or os.path.splitext(os.fspath(path))[1].lstrip(".")).lower()
    if fmt == "png":
        write_png(widget, path, size)
    elif fmt == "svg":
        write_svg(widget, path)
    elif fmt == "csv":
        threshold = getattr(widget, "threshold", 0.5)  # the confusion matrix's own
        write_csv(snap, widget.objectName(), path, inspector, threshold)
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export_all(views: dict, snap, folder, size=None, inspector=None) -> list:
    """Write every view in every format into ``folder``; returns the paths written."""
    os.makedirs(folder, exist_ok=True)
    written = []
    for name, widget in views.items():
        for fmt in FORMATS:
            stem = FILE_NAMES.get(name, name.removesuffix('_view'))
            path = os.path.join(folder, f"{stem}.{fmt}")
            export_view(widget, snap, path, fmt, size, inspector)
            written.append(path)
    return written


MAX_GIF_FRAMES = 400  # a GIF's most frames (about 60 MB of images held meanwhile)


class GifRecorder:
    """Frames of the network graph and the boundary, one per ``every`` epochs."""

    def __init__(self, widgets, every: int = 5, size=(480, 300),
                 max_frames: int = MAX_GIF_FRAMES):
        self.widgets, self.every, self.size, self.max_frames = widgets, max(1, every), size, max_frames
        self.frames = []
        self._last_epoch = None

    @property
    def full(self) -> bool:
        """Whether the GIF holds ``max_frames`` frames, its most: later ones are not kept."""
        return len(self.frames) >= self.max_frames

    def wants(self, epoch: int, force: bool = False) -> bool:
        """Whether ``offer`` would record a frame of ``epoch`` (draw it only then)."""
        return not (epoch == self._last_epoch or self.full or (epoch % self.every and not force))

    def offer(self, snap, force: bool = False) -> None:
        """Record a frame if ``snap`` is a new multiple of ``every`` epochs (any new
        epoch with ``force``: the first and the last of a run)."""
        if not self.wants(snap.epoch, force):
            return
        self._last_epoch = snap.epoch
        from PIL import Image

        w, h = self.size
        strip = QImage(w * len(self.widgets), h, QImage.Format.Format_RGB32)
        strip.fill(QColor("white"))
        painter = QPainter(strip)
        for k, widget in enumerate(self.widgets):
            _paint(widget, painter, QRectF(k * w, 0, w, h))
        painter.end()
        data = QByteArray()
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        strip.save(buf, "PNG")
        buf.close()
        self.frames.append(Image.open(io.BytesIO(bytes(data))).convert("P", palette=Image.Palette.ADAPTIVE))

    def save(self, path, ms_per_frame: int = 120) -> int:
        """Write the GIF; returns the number of frames."""
        if not self.frames:
            raise ValueError("no frames were recorded (train for a few epochs first)")
        with atomic_path(path) as tmp:
            self.frames[0].save(tmp, format="GIF", save_all=True, append_images=self.frames[1:],
                                duration=ms_per_frame, loop=0)
        return len(self.frames)
