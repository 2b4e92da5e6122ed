"""The strip above the views in compare mode: what differs, each run's epoch, which run
the panels edit, and the two ways out."""

from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QFrame, QHBoxLayout, QLabel, QSizePolicy,
                               QToolButton)


def run_state(name: str, snap, done: bool, other=None) -> str:
    """``"A epoch 12"``, and why a run that has stopped on its own stopped; while the
    other run (``other``, its snapshot) still trains, that it waits for it."""
    if snap is None:
        return f"{name} starting…"
    words = f"{name} epoch {snap.epoch}"
    if done:
        why = snap.notices[-1].text.rstrip(".") if snap.notices else "stopped"
        waits = "; waits for the other run" if other is not None and other.running else ""
        words += f" (stopped: {why[:60]}{waits})"
    return words


class CompareBar(QFrame):
    """Shown while comparing (``show_mode``); ``say`` sets its words."""

    def __init__(self, mode):
        super().__init__()
        self.setObjectName("compare_bar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#compare_bar { background: #e8f1fb; border: 1px solid #8fb3d9; }")
        self.text = QLabel()
        self.text.setObjectName("compare_text")
        self.text.setWordWrap(True)
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 2, 4, 2)
        lay.addWidget(self.text, 1)
        lay.addWidget(QLabel("Panels edit:"))
        self.group = QButtonGroup(self)
        for run, name in ((0, "A"), (1, "B")):
            b = QToolButton()
            b.setObjectName(f"compare_edit_{name.lower()}")
            b.setText(name)
            b.setCheckable(True)
            b.setToolTip(f"The panels show and edit run {name}'s settings")
            self.group.addButton(b, run)
            lay.addWidget(b)
        self.group.idClicked.connect(mode.set_edit)
        for run, name in ((0, "A"), (1, "B")):
            b = QToolButton()
            b.setObjectName(f"compare_keep_{name.lower()}")
            b.setText(f"Keep {name}")
            b.setToolTip(f"Leave compare mode with run {name}")
            b.clicked.connect(lambda _=False, r=run: mode.leave(r))
            lay.addWidget(b)
        self.hide()

    def show_mode(self, on: bool) -> None:
        self.setVisible(on)

    def say(self, diff_words: str, latest, done, edit: int) -> None:
        a, b = latest
        self.text.setText(f"<b>Comparing</b> · {diff_words} · {run_state('A', a, done[0], b)}"
                          f" · {run_state('B', b, done[1], a)}")
        button = self.group.button(edit)
        if not button.isChecked():
            button.setChecked(True)
