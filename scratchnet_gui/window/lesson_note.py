"""What to look for in an example: a note above the views that never blocks training."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton


class LessonNote(QFrame):
    """A closable strip of rich text (sub- and superscripts typeset by Qt), hidden until
    an example is loaded."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("lesson_note")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#lesson_note { background: #fff8e1; border: 1px solid #e0c070; }")
        self.text = QLabel()
        self.text.setObjectName("lesson_text")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setObjectName("lesson_close")
        close.setText("×")
        close.setToolTip("Hide this note")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 4, 4)
        lay.addWidget(self.text, 1)
        lay.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def say(self, title: str, html: str) -> None:
        """Show ``html`` (Qt rich text) under the bold ``title``."""
        self.text.setText(f"<b>{title}.</b> {html}")
        self.show()
