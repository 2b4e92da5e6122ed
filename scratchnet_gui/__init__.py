"""ScratchNet's desktop app: a live view of a network learning.

``MainWindow`` is imported on first use, not here: the training process imports
``scratchnet_gui.process.child``, which loads this package, and it must never load Qt.
"""

__all__ = ["MainWindow"]


def __getattr__(name):
    if name == "MainWindow":
        from .window.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
