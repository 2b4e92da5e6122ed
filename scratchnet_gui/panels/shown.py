"""Spin boxes that show a loaded value as it is, and give it back as it was if untouched.

A spin box clamps to its range and rounds to its decimals: a session's lr 0.0123456
showed as 0.01235, a momentum 0.9995 as 0.999 (its maximum), and the panel then sent
those values with the next edit of any other field. :class:`Shown` widens the range and
adds decimals so the value is shown, and hands back the value itself for a box the user
has not changed since.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox

MAX_DECIMALS = 15  # float64 holds about 15 significant decimal digits


def decimals(value: float) -> int:
    """The fewest decimals (up to ``MAX_DECIMALS``) that write ``value`` exactly."""
    for d in range(MAX_DECIMALS + 1):
        if round(value, d) == value:
            return d
    return MAX_DECIMALS


class Shown:
    """The values put into spin boxes, by name, and each box's own range and decimals."""

    def __init__(self):
        self._put = {}    # name -> (the box's value after put, the value put)
        self._own = {}    # name -> (minimum, maximum, decimals) as built

    def put(self, name: str, box, value) -> None:
        """Show ``value`` in ``box``: its range widened and decimals added as needed."""
        if name not in self._own:
            self._own[name] = (box.minimum(), box.maximum(),
                               box.decimals() if isinstance(box, QDoubleSpinBox) else None)
        lo, hi, places = self._own[name]
        if places is not None:
            box.setDecimals(max(places, decimals(value)))
        box.setRange(min(lo, value), max(hi, value))
        box.setValue(value)
        self._put[name] = (box.value(), value)

    def value(self, name: str, box):
        """The box's value, or the value put into it if it still shows that."""
        shown, value = self._put.get(name, (None, None))
        return value if name in self._put and box.value() == shown else box.value()
