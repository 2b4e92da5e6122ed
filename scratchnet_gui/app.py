"""``scratchnet-gui`` / ``python -m scratchnet_gui``: open the main window."""

from __future__ import annotations

import os
import sys

NO_DISPLAY = """scratchnet-gui: no display found (DISPLAY and WAYLAND_DISPLAY are unset).
  To run the window without a screen:  QT_QPA_PLATFORM=offscreen scratchnet-gui
  To train and write the plots headless:  scratchnet train --preset circles-deep --out plots"""


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv=None) -> int:
    if "--version" in (sys.argv if argv is None else argv)[1:]:  # no display needed
        from .about import version_line

        print(version_line("scratchnet-gui"))
        return 0
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    app, window = launch(argv)
    show(window)
    return app.exec()


# How long a new window waits for the training process's first snapshot before its first
# paint; it normally arrives within 0.1 s of the window being built.
FIRST_WAIT = 1.0


def show(window) -> None:
    """Show ``window`` with the first snapshot already drawn, when it comes within
    ``FIRST_WAIT`` seconds (else the views fill in when it does)."""
    window.show()
    window.controller.wait_first(FIRST_WAIT)


def launch(argv=None):
    """``(QApplication, MainWindow)`` on the classic demo, not yet shown.

    The training process starts first, before Qt is imported: it builds the data and
    the network while this process loads Qt, so the first frame comes sooner.
    """
    from scratchnet.config import Config

    from .process.worker import WorkerProcess

    config = Config()
    worker = WorkerProcess(config)
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from .window.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    pg.setConfigOptions(antialias=True)
    return app, MainWindow(config, worker=worker)


if __name__ == "__main__":
    sys.exit(main())
