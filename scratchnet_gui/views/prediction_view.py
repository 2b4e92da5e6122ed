"""Decision boundary heatmap behind the points: green right, red wrong (or by class).
What each task paints is in ``prediction_paint``."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtWidgets import QGraphicsItem

from . import colors, prediction_paint


# More drawn points than this per split are re-coloured (right/wrong) only on the slow
# draws while training: 10,000 spots take ~90 ms to lay out, a whole frame's budget.
MANY_POINTS = 2_000


SQUARE_UP_TO = 10.0


class PredictionView(pg.PlotWidget):
    """Draws ``snapshot.grid`` and the train (●) and test (▲) points.

    Signals
    -------
    sampleClicked(int)
        Index into the training set of a clicked train point.
    """

    sampleClicked = Signal(int)
    CONTEXT_MENU = True  # pyqtgraph's, given after the first frame (ViewSet.menus_on)

    def __init__(self, parent=None):
        super().__init__(parent, enableMenu=False)
        self.setObjectName("prediction_view")
        self.setBackground("w")
        self.threshold = 0.5
        self.show_test = True
        self.color_by_class = False  # the article's data plots: by class, not right/wrong
        self.selected = None
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(colors.boundary_colormap().getLookupTable(nPts=256))
        self.image.setZValue(-10)
        self.addItem(self.image)
        self.contour = pg.IsocurveItem(level=0.5, pen=pg.mkPen(80, 80, 80, width=1.5))
        self.contour.setParentItem(self.image)
        self.scatter = {}
        for split, symbol in (("train", "o"), ("test", "t")):
            for ok, rgb in ((True, colors.CORRECT), (False, colors.WRONG)):
                s = pg.ScatterPlotItem(symbol=symbol, size=7, pen=pg.mkPen(255, 255, 255, 180),
                                       brush=pg.mkBrush(*rgb, 220), name=f"{split} {'right' if ok else 'wrong'}")
                self.addItem(s)
                self.scatter[split, ok] = s
        for ok in (True, False):
            self.scatter["train", ok].sigClicked.connect(self._clicked)
        self.ring = pg.ScatterPlotItem(symbol="o", size=18, pen=pg.mkPen(0, 0, 0, width=2.5),
                                       brush=None)
        self.ring.setZValue(20)
        self.addItem(self.ring)
        self.caption = pg.TextItem(color=(60, 60, 60), anchor=(0, 0), fill=(255, 255, 255, 170))
        self.caption.setZValue(30)  # above the points, so the whole note can be read
        self.addItem(self.caption)
        # the class key sits in the view's bottom-left corner, outside the data: it takes
        # no part in the auto-range and stays put when the plot pans
        vb = self.getPlotItem().vb
        self.key = pg.TextItem(color=(40, 40, 40), anchor=(0, 1),
                               fill=pg.mkBrush(255, 255, 255, 220))
        self.key.setParentItem(vb)
        self.key.setZValue(30)
        self.key.hide()
        vb.sigResized.connect(lambda v: self.key.setPos(4, v.height() - 6))
        self._lut = "binary"
        self._key_state = None
        self._snap = None
        self._index = {}
        self._groups = {}  # split → what its two scatter items now show
        self._labels = None
        self._square = None
        for name in ("left", "bottom"):  # axes repaint from a pixmap, not glyph by glyph
            self.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def draw(self, snap, slow: bool = True) -> None:
        """Draw ``snap``; the threshold contour (computed in Python by pyqtgraph, it costs
        more than the rest of the view) and a large sample's colours only when ``slow``."""
        self._snap = snap
        pts = snap.points
        i, j = pts.axes
        x0, x1, y0, y1 = pts.extent
        image, levels, lut = prediction_paint.background(snap)
        if lut != self._lut:
            self._lut = lut
            self.image.setLookupTable(None if lut is None else prediction_paint.lut(lut))
        self._keep_aspect(x1 - x0, y1 - y0)
        self.image.setImage(image, levels=levels, autoLevels=False)
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.contour.setVisible(lut == "binary")  # a threshold means something for two classes
        if slow and lut == "binary":
            self.contour.setData(snap.grid.T)  # isocurve indexes (x, y); the grid is (row=y, col=x)
            self.contour.setLevel(self.threshold)
        for split, raw, y, p in (("train", pts.raw_train, pts.y_train, snap.train_pred),
                                 ("test", pts.raw_test, pts.y_test, snap.test_pred)):
            if len(p) == len(y):
                self._draw_points(snap, split, raw, y, p, levels, slow)
        self._draw_key(snap)
        pos = None if self.selected is None else pts.drawn_position(self.selected)
        if pos is not None:
            self.ring.setData([np.clip(pts.raw_train[pos, i], x0, x1)],
                              [np.clip(pts.raw_train[pos, j], y0, y1)])
        elif len(self.ring.data):  # an empty setData still lays out and repaints
            self.ring.setData([], [])
        names = pts.names
        width = max(120.0, self.getPlotItem().vb.width() - 10)  # the note wraps within it
        labels = (names[i] if i < len(names) else "x1", names[j] if j < len(names) else "x2",
                  pts.projection_note, x0, y1, width)
        if labels != self._labels:  # a new label re-lays out its axis: only when it changes
            self._labels = labels
            self.setLabel("bottom", labels[0])
            self.setLabel("left", labels[1])
            self.caption.setText(pts.projection_note)
            self.caption.textItem.setTextWidth(width)
            self.caption.setVisible(bool(pts.projection_note))  # no empty band
            self.caption.setPos(x0, y1)

    def _keep_aspect(self, width: float, height: float) -> None:
        """A unit of x2 takes as many pixels as a unit of x1 (circles stay round), unless
        the two columns' spans differ more than ``SQUARE_UP_TO`` times (a CSV's columns in
        different units would shrink to a line): then each axis fills its side."""
        square = max(width, height) <= SQUARE_UP_TO * max(min(width, height), 1e-300)
        if square != self._square:
            self._square = square
            self.getPlotItem().vb.setAspectLocked(square, ratio=1.0)

    def _draw_points(self, snap, split, raw, y, p, levels, slow=True):
        """One split's points, in two groups (right/wrong, class 1/class 0) or, for
        K ≥ 3 classes by class and regression, all in one with a colour each (recoloured
        only when ``slow``: residuals change every frame while training)."""
        pts, (i, j) = snap.points, snap.points.axes
        group, rgb = prediction_paint.point_colors(snap.task, y, p, self.threshold,
                                                   self.color_by_class, levels)
        show = split == "train" or self.show_test
        key = (pts.version, pts.axes, show, group.tobytes(), rgb is None)
        colours = None if rgb is None else rgb.tobytes()
        if self._groups.get(split) == (key, colours):
            return  # no point changed colour: re-laying out 1000 spots costs ~4 ms
        prev = self._groups.get(split, (None,))[0]
        if not slow and len(p) > MANY_POINTS and prev is not None and prev[:3] == key[:3]:
            return  # the same many points: re-coloured at the slow rate only
        if self._groups.get(split, (None,))[0] == key:
            # the same points in new colours: recolour them on the slow beat only
            # (10,000 points cost ~60 ms)
            if slow:
                self._groups[split] = (key, colours)
                if show:
                    self.scatter[split, True].setBrush(prediction_paint.brushes(rgb))
            return
        self._groups[split] = (key, colours)
        for ok in (True, False):
            m = group == ok
            item = self.scatter[split, ok]
            item.setVisible(show)
            if show:
                rows = np.flatnonzero(m)  # a click names the training row, drawn or not
                if split == "train" and pts.train_index is not None:
                    rows = pts.train_index[rows]
                # a colour per point may be near white: a dark rim keeps it visible
                brush = {} if rgb is None else {"brush": prediction_paint.brushes(rgb[m]),
                                                "pen": pg.mkPen(70, 70, 70, 200)}
                x0, x1, y0, y1 = pts.extent  # within it, whatever the data's range
                item.setData(np.clip(raw[m, i], x0, x1), np.clip(raw[m, j], y0, y1),
                             data=rows, **brush)

    def _draw_key(self, snap):
        html = prediction_paint.legend_html(snap.task, self.color_by_class)
        state = html
        if state == self._key_state:
            return  # new text re-lays out the item: only when it changes
        self._key_state = state
        self.key.setVisible(bool(html))
        if html:
            self.key.setHtml(f"<div style='font-size:9pt'>{html}</div>")
            self.key.setPos(4, self.getPlotItem().vb.height() - 6)

    def restyle(self) -> None:
        """The colours changed: the map and the points are painted again at the next
        draw, in the new scheme."""
        self._lut = object()
        self._groups, self._key_state = {}, None

    def use_settings(self, settings) -> bool:
        """Take the window's ``ViewSettings`` (threshold, test points, colours); True if
        what it shows changed."""
        mine = (self.threshold, self.show_test, self.color_by_class)
        self.threshold, self.show_test = settings.threshold, settings.show_test
        if settings.color_by_class != self.color_by_class:
            self._color_points(settings.color_by_class)
        return mine != (settings.threshold, settings.show_test, settings.color_by_class)

    def _color_points(self, by_class: bool) -> None:
        """Colour points by their class (blue 1, orange 0) instead of right/wrong."""
        self.color_by_class = by_class
        self._groups = {}
        colours = ({True: colors.POSITIVE, False: colors.NEGATIVE} if by_class else
                   {True: colors.CORRECT, False: colors.WRONG})
        for (split, ok), item in self.scatter.items():
            item.setBrush(pg.mkBrush(*colours[ok], 220))

    def select(self, index):
        self.selected = index
        if self._snap is not None:
            self.draw(self._snap)

    def _clicked(self, item, spots, *_):
        if len(spots):
            self.sampleClicked.emit(int(spots[0].data()))

    def point_scene_pos(self, index: int):
        """Scene position of train point ``index`` (for tests and automation)."""
        pts = self._snap.points
        i, j = pts.axes
        raw = pts.raw_train[pts.drawn_position(index)]
        return self.getPlotItem().vb.mapViewToScene(pg.Point(raw[i], raw[j]))
