"""Help ▸ About names the versions in use: numpy, Qt and pyqtgraph among them."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

import scratchnet

from .conftest import WAIT_MS


def test_help_about_shows_the_versions_in_use(qtbot, window):
    assert window.menuBar().actions()[-1].text() == "&Help"
    window.findChild(QAction, "about").trigger()
    box = window.findChild(QMessageBox, "about_dialog")
    qtbot.waitUntil(lambda: box is not None and box.isVisible(), timeout=WAIT_MS)
    text = box.text()
    for name, version in (("numpy", np.__version__), ("Qt", qVersion()),
                          ("pyqtgraph", pg.__version__), ("ScratchNet", scratchnet.__version__)):
        assert f"{name}</td><td>&nbsp;{version}<" in text or f"{name} {version}" in text, name
    assert window.controller.worker.is_alive()  # it blocked nothing
    box.close()
