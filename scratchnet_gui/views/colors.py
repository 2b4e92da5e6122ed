"""The shared colour scales, so every view means the same thing by the same colour."""

import numpy as np
import pyqtgraph as pg

POSITIVE = (33, 102, 172)     # blue
NEGATIVE = (230, 97, 1)       # orange; red/green are kept for wrong/right predictions
CORRECT = (26, 152, 80)
WRONG = (215, 48, 39)
MAX_WIDTH = 8.0


def edge_width(values: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """The article's line width ``min(8, |w| + 0.25)``, on ``|value| / scale``."""
    return np.minimum(MAX_WIDTH, np.abs(values) / scale + 0.25)


BOUNDARY = ((245, 190, 150), (250, 250, 250), (160, 195, 230))
MIDDLE = (250, 250, 250)      # the boundary's and the neurons' midpoint
PAPER = (255, 255, 255)       # what class colours are lightened towards
NEUTRAL = (247, 247, 247)     # the regression map's midpoint
RESIDUAL_MID = (247, 247, 247)  # a right point's colour (residual 0)
TEXT = (0, 0, 0)              # titles
LINE_SCALE = 1.0              # edge and curve widths (presentation mode: wider)


def boundary_colormap() -> pg.ColorMap:
    """Light orange (p=0) through white to light blue (p=1), behind the points."""
    return pg.ColorMap([0.0, 0.5, 1.0], list(BOUNDARY))


def activation_colormap() -> pg.ColorMap:
    return pg.ColorMap([0.0, 0.5, 1.0], [NEGATIVE, MIDDLE, POSITIVE])


# Class colours, in label order: the binary pair first (class 0 orange, class 1 blue, as
# above), then hues that stay apart from each other and from right/wrong green and red.
# More classes than colours reuse them in turn (the legend says which is which).
CLASS_COLORS = (NEGATIVE, POSITIVE, (118, 42, 131), (1, 133, 113), (231, 41, 138),
                (140, 81, 10), (102, 102, 102), (191, 160, 0))
LIGHT = 0.55  # the boundary's share of a class colour (the rest white): points stay legible


def class_colors(k: int) -> np.ndarray:
    """``(k, 3)`` uint8 colours of classes ``0..k-1``."""
    return np.array([CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(k)], dtype=np.uint8)


def blend_classes(probs: np.ndarray) -> np.ndarray:
    """``(..., 3)`` uint8 image of class probabilities ``(..., K)``: each class's light
    colour weighted by its probability, so a confident region shows its class's colour
    and a contested one the mix."""
    light = LIGHT * class_colors(probs.shape[-1]) + (1 - LIGHT) * np.array(PAPER, float)
    return np.clip(np.rint(probs @ light), 0, 255).astype(np.uint8)


def diverging_colormap() -> pg.ColorMap:
    """Regression values: purple (low) through white to teal (high); symmetric levels
    put white at zero."""
    return pg.ColorMap([0.0, 0.5, 1.0], [CLASS_COLORS[2], NEUTRAL, CLASS_COLORS[3]])


def residual_colormap() -> pg.ColorMap:
    """Residuals (prediction − target): orange under, white right, blue over."""
    return pg.ColorMap([0.0, 0.5, 1.0], [NEGATIVE, RESIDUAL_MID, POSITIVE])


def symmetric_levels(values) -> tuple[float, float]:
    """``(−m, m)`` with ``m`` the largest finite ``|value|`` (1 if there is none)."""
    v = np.abs(np.asarray(values, dtype=np.float64))
    v = v[np.isfinite(v)]
    m = float(v.max()) if len(v) else 0.0
    return (-m, m) if m > 0 else (-1.0, 1.0)
