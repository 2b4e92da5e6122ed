"""The window's view settings: one frozen value, the single source that the views and
the confusion matrix read (``ViewSet.settings``; ``ViewSet.set`` changes it)."""

from __future__ import annotations

from dataclasses import dataclass

from .network_overlay import OVERLAYS


@dataclass(frozen=True)
class ViewSettings:
    """How the views show a snapshot, apart from the snapshot itself.

    Parameters
    ----------
    threshold : float
        Two classes: the probability from which a point counts as class 1.
    show_test : bool
        Draw the test points too.
    overlay : {"weight", "gradient", "update"}
        What the network graph's edges show.
    color_by_class : bool
        Colour points by class rather than by right or wrong.
    """

    threshold: float = 0.5
    show_test: bool = True
    overlay: str = "weight"
    color_by_class: bool = False

    def __post_init__(self):
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"the threshold must be within [0, 1], not {self.threshold!r}")
        if self.overlay not in OVERLAYS:
            raise ValueError(f"overlay must be one of {', '.join(OVERLAYS)}, not "
                             f"{self.overlay!r}")
