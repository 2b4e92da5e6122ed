"""The timeline under the curves: a slider over every epoch trained so far, what it shows,
and Resume from here."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSlider, QToolButton, QWidget


class TimelineBar(QWidget):
    """Slider ``timeline`` (its value is the epoch shown) with a label and a button for
    the ``branch_here`` action.

    Signals
    -------
    scrubbed(object)
        The user moved the slider: the epoch to show, or ``None`` for the live state
        (the slider at its right end).
    """

    scrubbed = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("timeline_bar")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("timeline")
        self.slider.setRange(0, 0)
        self.slider.setToolTip("Drag back through the epochs trained so far: every view shows "
                               "that epoch; training pauses. The right end is the live state.")
        self.slider.valueChanged.connect(self._moved)
        self.label = QLabel()
        self.label.setObjectName("timeline_label")
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setMinimumWidth(160)
        self.button = QToolButton()
        self.button.setObjectName("branch_here_button")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 0, 6, 0)
        lay.addWidget(QLabel("timeline"))
        lay.addWidget(self.slider, 3)
        lay.addWidget(self.label, 2)
        lay.addWidget(self.button)
        self._live_epoch = 0

    def set_branch_action(self, action) -> None:
        """Show ``action`` (Resume from here) as the bar's button."""
        self.button.setDefaultAction(action)

    def _moved(self, value: int):
        self.scrubbed.emit(None if value >= self._live_epoch else value)

    def show_snapshot(self, snap) -> None:
        """Follow a snapshot: the range grows with training; the handle stays where the
        user holds it."""
        info, self._live_epoch = snap.timeline, snap.live_epoch
        first = info.first if info is not None else snap.live_epoch
        shown = snap.live_epoch if snap.scrub is None else snap.scrub
        self.slider.blockSignals(True)
        try:
            self.slider.setRange(min(first, snap.live_epoch), snap.live_epoch)
            self.slider.setPageStep(max(1, (snap.live_epoch - first) // 20))  # PgUp/PgDn
            if not self.slider.isSliderDown():
                want = self.slider.value() if snap.scrub is not None else shown
                self.slider.setValue(want)
        finally:
            self.slider.blockSignals(False)
        self.label.setText(self._text(snap, info))
        self.label.setToolTip(self._tip(info))

    def _text(self, snap, info) -> str:
        if snap.scrub is None:
            text = f"live · epoch {snap.live_epoch}"
        elif self.slider.value() != snap.scrub:
            text = f"epoch {snap.scrub} of {snap.live_epoch} (nearest kept to {self.slider.value()})"
        else:
            text = f"epoch {snap.scrub} of {snap.live_epoch}"
        if info is not None and info.thinned:
            text += f" · thinned: 1 epoch in {info.stride} kept"
        return text

    @staticmethod
    def _tip(info) -> str:
        if info is None:
            return "No epochs kept yet."
        return (f"{info.frames:,} epochs kept from epoch {info.first}, "
                f"{info.nbytes / 2**20:,.1f} of {info.budget / 2**20:,.0f} MB"
                + (f"; past the budget only 1 epoch in {info.stride}, the first, the last "
                   "and the resume points are kept" if info.thinned else ""))
