"""Versions for ``--version`` and Help ▸ About, read without importing the packages
(``importlib.metadata``): the window's process must not load scikit-learn or numba to
say which it would use, and the CLI's ``--version`` must not load Qt."""

from __future__ import annotations

import platform

import scratchnet

# the packages named in About, by distribution name
PACKAGES = ("numpy", "scikit-learn", "numba", "PySide6-Essentials", "pyqtgraph", "onnx")


def installed(dist: str) -> str:
    """The installed version of distribution ``dist``, or "not installed"."""
    from importlib import metadata  # here: importing it costs the first frame ~10 ms

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def version_line(prog: str) -> str:
    """``prog 0.1.0 (Python 3.11.2, numpy 2.4.6)``."""
    return (f"{prog} {scratchnet.__version__} (Python {platform.python_version()}, "
            f"numpy {installed('numpy')})")


def versions(in_use: dict | None = None) -> dict:
    """``{name: version}``: ScratchNet, Python, then each of ``PACKAGES`` as installed,
    replaced or joined by ``in_use`` (the versions of modules already loaded, and Qt's
    ``qVersion()``, which may differ from PySide6's own)."""
    out = {"ScratchNet": scratchnet.__version__, "Python": platform.python_version()}
    out.update({p: installed(p) for p in PACKAGES})
    out.update(in_use or {})
    return out
