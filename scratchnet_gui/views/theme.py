"""A look for the views: light or dark colours, and a scale for fonts and lines.

The data colours live in ``colors`` (every view reads them when it draws), so a scheme is
a set of values for those names; ``use`` switches them. ``restyle`` then gives one
pyqtgraph view its background, axes, title, legend, text and line widths. It keeps each
item's original (light, unscaled) pen and font on the item, so switching back and forth
always starts from the same values.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from . import colors, prediction_paint, value_labels

LIGHT_SCHEME = {
    "POSITIVE": (33, 102, 172), "NEGATIVE": (230, 97, 1), "CORRECT": (26, 152, 80),
    "WRONG": (215, 48, 39), "CLASS_COLORS": colors.CLASS_COLORS, "BOUNDARY": colors.BOUNDARY,
    "MIDDLE": colors.MIDDLE, "PAPER": colors.PAPER, "NEUTRAL": colors.NEUTRAL,
    "TEXT": colors.TEXT, "RESIDUAL_MID": colors.RESIDUAL_MID,
}
# On a dark background the light theme's blue is too dark to read (contrast 2.4): every
# hue is lifted, blue and orange stay opposite, and the maps fade into the background.
DARK_SCHEME = {
    "POSITIVE": (90, 160, 228), "NEGATIVE": (242, 133, 44), "CORRECT": (64, 192, 112),
    "WRONG": (240, 88, 76),
    "CLASS_COLORS": ((242, 133, 44), (90, 160, 228), (188, 128, 204), (40, 180, 156),
                     (238, 96, 166), (204, 146, 66), (170, 170, 170), (218, 190, 40)),
    "BOUNDARY": ((112, 60, 24), (38, 38, 42), (30, 72, 126)),
    "MIDDLE": (38, 38, 42), "PAPER": (38, 38, 42), "NEUTRAL": (38, 38, 42),
    "TEXT": (232, 232, 232), "RESIDUAL_MID": (215, 215, 215),  # points light on the map
}


@dataclass(frozen=True)
class Look:
    """``dark``: the dark colours; ``scale``: fonts and lines (1 normal, 1.5 presentation)."""

    dark: bool = False
    scale: float = 1.0

    @property
    def background(self):
        return (30, 30, 33) if self.dark else "w"

    @property
    def text(self):
        return (232, 232, 232) if self.dark else (0, 0, 0)

    @property
    def axis(self):
        return (170, 170, 170) if self.dark else pg.getConfigOption("foreground")


def use(look: Look) -> None:
    """Point ``colors``' names at ``look``'s scheme and line scale (for the next draws)."""
    for name, value in (DARK_SCHEME if look.dark else LIGHT_SCHEME).items():
        setattr(colors, name, value)
    colors.LINE_SCALE = look.scale
    prediction_paint._LUTS.clear()  # the maps are made once per scheme
    value_labels.FONT.setPointSizeF(8 * look.scale)


def shade(rgb, look: Look) -> QColor:
    """The colour of a light-theme line or text in ``look``: the data colours by name,
    others (greys, a dark red note) with their lightness turned over on a dark
    background, so dark text becomes light."""
    c = QColor(*rgb) if not isinstance(rgb, QColor) else QColor(rgb)
    if not look.dark:
        return c
    key = (c.red(), c.green(), c.blue())
    for name in ("POSITIVE", "NEGATIVE", "CORRECT", "WRONG"):
        if key == LIGHT_SCHEME[name]:
            return QColor(*DARK_SCHEME[name], c.alpha())
    h, s, light, a = c.getHsl()
    return QColor.fromHsl(max(h, 0), s, 255 - light if light < 128 else light, a)


def _font(base: QFont, scale: float) -> QFont:
    f = QFont(base)
    if base.pointSizeF() > 0:
        f.setPointSizeF(base.pointSizeF() * scale)
    return f


def _base(item, name, value):
    """The item's first (light, unscaled) ``name``, kept on it."""
    attr = f"_look_base_{name}"
    if not hasattr(item, attr):
        setattr(item, attr, value)
    return getattr(item, attr)


def _restyle_pen(item, look: Look, get, set_) -> None:
    pen = pg.mkPen(_base(item, "pen", pg.mkPen(get())))
    pen.setColor(shade(pen.color(), look))
    pen.setWidthF(pen.widthF() * look.scale)
    set_(pen)


def _restyle_text(item: pg.TextItem, look: Look, font: QFont) -> None:
    colour = _base(item, "color", QColor(item.textItem.defaultTextColor()))
    fill = _base(item, "fill", QBrush(item.fill))
    item.setColor(shade(colour, look))
    boxed = fill.style() != Qt.BrushStyle.NoBrush and fill.color().lightness() > 128
    if look.dark and boxed:
        item.fill = pg.mkBrush(30, 30, 33, fill.color().alpha())  # a note's box, dark
    else:
        item.fill = QBrush(fill)
    item.setFont(_font(_base(item, "font", item.textItem.font()), look.scale))
    item.update()


def _restyle_axes(plot, look: Look, font: QFont) -> None:
    text = pg.mkColor(look.text if look.dark else look.axis)
    for name in ("left", "bottom", "right", "top"):
        ax = plot.getAxis(name)
        ax.setPen(pg.mkPen(look.axis))
        ax.setTextPen(pg.mkPen(text))
        ax.setStyle(tickFont=_font(font, look.scale))
        ax.labelStyle = {"color": text.name(), "font-size": f"{font.pointSizeF() * look.scale:g}pt"}
        ax.label.setHtml(ax.labelString())
        ax._adjustSize()
        ax.picture = None
        ax.update()


class OnePlot:
    """One plot of a view that holds several (a ``GraphicsLayoutWidget``), as
    ``restyle`` takes a view: its background, that plot, the view's scene."""

    def __init__(self, view, plot):
        self.view, self.plot = view, plot

    def setBackground(self, color):  # noqa: N802 (pyqtgraph's name)
        self.view.setBackground(color)

    def getPlotItem(self):  # noqa: N802
        return self.plot

    def scene(self):
        return self.view.scene()


def restyle(view, look: Look, base_font: QFont, keep=()) -> None:
    """Give pyqtgraph ``view`` (a PlotWidget) ``look``; ``keep``: text items to leave
    as they are (the bias "1" on a white node)."""
    view.setBackground(look.background)
    plot = view.getPlotItem()
    _restyle_axes(plot, look, base_font)
    title = plot.titleLabel
    title.opts["color"] = pg.mkColor(look.text).name()
    title.opts["size"] = f"{11 * look.scale:g}pt"  # pyqtgraph's own title size, scaled
    if title.text:
        title.setText(title.text)
    legend = plot.legend
    if legend is not None:
        legend.setLabelTextColor(look.text if look.dark else look.axis)
        legend.setLabelTextSize(f"{9 * look.scale:g}pt")
        legend.setBrush(pg.mkBrush(30, 30, 33, 200) if look.dark else None)
        for _, label in legend.items:  # the labels take the new size when set again
            label.setText(label.text, size=f"{9 * look.scale:g}pt",
                          color=pg.mkColor(look.text if look.dark else look.axis))
    for item in plot.listDataItems():  # the curves (the graph's edges scale as drawn)
        if isinstance(item, pg.PlotDataItem):
            _restyle_pen(item, look, lambda i=item: i.opts["pen"], item.setPen)
    for item in view.scene().items():
        if isinstance(item, pg.TextItem) and item not in keep:
            _restyle_text(item, look, base_font)
        elif isinstance(item, (pg.InfiniteLine, pg.IsocurveItem)):
            _restyle_pen(item, look, lambda i=item: i.pen, item.setPen)
