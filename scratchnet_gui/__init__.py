"""ScratchNet's desktop app: a live view of a network learning."""

from .main_window import MainWindow

__all__ = ["MainWindow"]
