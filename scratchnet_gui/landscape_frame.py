"""What the Landscape view draws, as the training process computed it (Qt-free: the
boundary between the two processes, like ``snapshot``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DIRECTIONS = ("pca", "random")  # the trajectory's principal axes, or seeded random ones


@dataclass(frozen=True)
class LandscapeFrame:
    """The loss around the shown weights, the path through it and the next step.

    ``grid[j, i]`` is the data loss at ``θ + alphas[i]·d1 + betas[j]·d2``; ``path`` the
    timeline's frames projected on that plane (``path_epochs`` theirs), the shown
    weights at (0, 0); ``off_share`` how much of the path lies off the plane.
    ``step_s``/``step_loss``: the loss along the optimizer's next update, ``L(θ + sΔ)``,
    ``step_end`` where ``θ + Δ`` lands on the plane. ``factor``: the stability
    threshold is ``factor / lr`` (2 for SGD, 2 + 2μ for momentum; None for Adam).
    ``version`` changes whenever anything here does."""

    version: int
    directions: str          # the directions used ("pca" or "random")
    asked: str               # the directions chosen (pca falls back with < 3 frames)
    seed: int
    note: str                # what the axes are, in words
    data_note: str           # which rows the loss is measured on
    alphas: np.ndarray
    betas: np.ndarray
    grid: np.ndarray
    path: np.ndarray         # (k, 2)
    path_epochs: np.ndarray  # (k,)
    off_share: float
    step_s: np.ndarray
    step_loss: np.ndarray
    step_end: tuple
    optimizer: str
    factor: float | None
    threshold_name: str
    iterations: int = 0      # the last sharpness's power-iteration products
    tol: float = 0.0
    seconds: float = 0.0     # what computing this frame took
