"""What the prediction view paints for each task: the background image and the points'
colours. Binary classification keeps the original look (a light orange–blue map of
P(class 1), points right/wrong or by class); K ≥ 3 classes blend the class colours by
probability; regression shows the prediction on a diverging map and points by residual.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg

from . import colors

_LUTS = {}
STEPS = 16  # colour steps of a value or residual point: 17 colours from end to end


def lut(name: str) -> np.ndarray:
    """The 256-entry lookup table of a named colour map (made once)."""
    if name not in _LUTS:
        cmap = {"binary": colors.boundary_colormap, "value": colors.diverging_colormap,
                "residual": colors.residual_colormap}[name]()
        _LUTS[name] = cmap.getLookupTable(nPts=256)
    return _LUTS[name]


def value_levels(points) -> tuple[float, float]:
    """Levels of the regression map: white at 0 when the targets straddle it, else at
    their mean; the ends at the farthest target."""
    y = np.concatenate([points.y_train, points.y_test])
    if not len(y):
        return -1.0, 1.0
    centre = 0.0 if y.min() < 0 < y.max() else float(y.mean())
    lo, hi = colors.symmetric_levels(y - centre)
    return centre + lo, centre + hi


def background(snap):
    """``(image, levels, lut name or None)`` behind the points: an RGB image for K ≥ 3
    classes (``lut`` None), else the grid with its levels and colour map."""
    task = snap.task
    if task.kind == "regression":
        return snap.grid, value_levels(snap.points), "value"
    if snap.probs is not None:
        return colors.blend_classes(snap.probs), (0, 255), None
    return snap.grid, (0.0, 1.0), "binary"


def brushes(rgb: np.ndarray, alpha: int = 220) -> list:
    """One brush per row of ``rgb``; rows of the same colour share a brush."""
    if not len(rgb):
        return []
    colours, which = np.unique(rgb, axis=0, return_inverse=True)
    made = [pg.mkBrush(*map(int, c), alpha) for c in colours]
    return [made[k] for k in which.ravel()]


def point_colors(task, y, p, threshold: float, by_class: bool, levels=None):
    """How to colour one split's points: ``(group, rgb)``.

    ``group`` is a boolean per point, for the two-colour modes (binary classes,
    right/wrong), with ``rgb`` None. For K ≥ 3 classes by class, and regression,
    ``group`` is all True and ``rgb`` an ``(n, 3)`` uint8 colour per point.
    """
    if task.kind == "regression":
        if by_class:  # the target on the background's map: a mismatch shows as contrast
            lo, hi = levels
            t = (y - lo) / (hi - lo)
            table = lut("value")
        else:  # residuals on their own symmetric scale
            r = p - y
            lo, hi = colors.symmetric_levels(r)
            t, table = (r - lo) / (hi - lo), lut("residual")
        # a few steps, not 256: pyqtgraph renders every distinct brush into its atlas
        t = np.rint(np.nan_to_num(t, nan=0.5) * STEPS) / STEPS
        idx = np.clip(t * 255, 0, 255).astype(int)
        return np.ones(len(y), bool), table[idx][:, :3].astype(np.uint8)
    if task.n_classes > 2:
        if by_class:
            return np.ones(len(y), bool), colors.class_colors(task.n_classes)[y.astype(int)]
        return p == y, None
    return ((y > 0.5) if by_class else (p >= threshold) == (y > 0.5)), None


def class_label(name: str, width: int = 16) -> str:
    """A class name as rich text: escaped (a CSV's labels are any text) and short."""
    name = name if len(name) <= width else name[:width - 1] + "…"
    return html.escape(name)


def legend_html(task, by_class: bool) -> str:
    """The key of the colours: class names for K ≥ 3 classes, the scales for regression
    (empty for binary, whose look is unchanged)."""
    if task.kind == "regression":  # short: the key must fit a narrow view
        sq = "<span style='color:{}'>■</span>".format
        points = (f"target {sq('#762a83')}→{sq('#018571')}" if by_class else
                  f"residual {sq('#e66101')} − {sq('#2166ac')} +")
        return f"prediction {sq('#762a83')} low {sq('#018571')} high · {points}"
    if task.n_classes <= 2:
        return ""
    shown = min(task.n_classes, len(colors.CLASS_COLORS))  # past that, colours repeat
    rgb = colors.class_colors(shown)
    key = " ".join(f"<span style='color:rgb({r},{g},{b})'>■</span>&nbsp;{class_label(name)}"
                   for (r, g, b), name in zip(rgb, task.classes))
    more = task.n_classes - shown
    return key + (f" … {more} more (the colours repeat)" if more else "")
