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


def boundary_colormap() -> pg.ColorMap:
    """Light orange (p=0) through white to light blue (p=1), behind the points."""
    return pg.ColorMap([0.0, 0.5, 1.0], [(245, 190, 150), (250, 250, 250), (160, 195, 230)])


def activation_colormap() -> pg.ColorMap:
    return pg.ColorMap([0.0, 0.5, 1.0], [NEGATIVE, (250, 250, 250), POSITIVE])
