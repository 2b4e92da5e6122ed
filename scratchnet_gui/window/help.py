"""Help ▸ About: what this is and the versions in use (numpy, Qt, pyqtgraph, …)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from .. import about


def about_text() -> str:
    """The About box's text: one line per package, the loaded modules' own versions."""
    v = about.versions({"numpy": np.__version__, "pyqtgraph": pg.__version__,
                        "PySide6-Essentials": PySide6.__version__, "Qt": qVersion()})
    rows = "".join(f"<tr><td>{k}</td><td>&nbsp;{v[k]}</td></tr>" for k in
                   ("Python", "numpy", "Qt", "PySide6-Essentials", "pyqtgraph",
                    "scikit-learn", "numba", "onnx"))
    return (f"<h3>ScratchNet {v['ScratchNet']}</h3>"
            "<p>Watch a neural network written from scratch with numpy learn: every "
            "weight, gradient and update on screen.</p>"
            f"<table>{rows}</table>")


def show_about(window) -> QMessageBox:
    """Open the About box without blocking training (one at a time)."""
    box = getattr(window, "_about_box", None)
    if box is None:
        box = QMessageBox(QMessageBox.Icon.Information, "About ScratchNet", about_text(),
                          QMessageBox.StandardButton.Ok, window)
        box.setObjectName("about_dialog")
        window._about_box = box
    box.open()
    return box


def build_help_menu(window) -> None:
    """The Help menu, last in the menu bar."""
    action = QAction("About ScratchNet", window)
    action.setObjectName("about")
    action.setMenuRole(QAction.MenuRole.AboutRole)
    action.triggered.connect(lambda _=False: show_about(window))
    window.help_menu = window.menuBar().addMenu("&Help")
    window.help_menu.addAction(action)
