"""Where ``scratchnet.article``'s plots are drawn: a plotting backend, found through the
entry-point group ``scratchnet.plotting``.

The engine defines what a plot is (``NeuralNetwork.graph``, ``plot_errors``,
``plot_scores``, ``show``) and never imports the package that draws it. A backend is
a module with those four functions, each taking the article network first; a package
registers it in its ``pyproject.toml``::

    [project.entry-points."scratchnet.plotting"]
    scratchnet_gui = "scratchnet_gui.cli.article_plots"

ScratchNet's app registers itself so. With no backend installed, a plot call raises
``ImportError`` saying so.
"""

from __future__ import annotations

from importlib import metadata

GROUP = "scratchnet.plotting"
DEFAULT = "scratchnet_gui"  # the app's backend, chosen when several are installed
FUNCTIONS = ("graph", "plot_errors", "plot_scores", "show")

_loaded: dict = {}


def backend(name: str | None = None):
    """The plotting backend module registered as ``name``.

    Parameters
    ----------
    name : str, optional
        An entry point's name in the group ``scratchnet.plotting``. By default the
        app's (``scratchnet_gui``), or else the only one installed.

    Returns
    -------
    module
        With ``graph``, ``plot_errors``, ``plot_scores`` and ``show``.

    Raises
    ------
    ImportError
        When no backend is installed, or the one asked for is not.
    """
    found = {ep.name: ep for ep in metadata.entry_points(group=GROUP)}
    if name is None:
        if not found:
            raise ImportError(
                "scratchnet.article draws its plots through a plotting backend, and none "
                f"is installed (no entry point in the group {GROUP!r}). ScratchNet's app "
                "is one: install the scratchnet package with pip (pip install -e . in a "
                "checkout), which registers scratchnet_gui.")
        name = DEFAULT if DEFAULT in found or len(found) != 1 else next(iter(found))
    if name not in found:
        raise ImportError(f"no plotting backend {name!r} is installed; installed: "
                          f"{', '.join(sorted(found)) or 'none'}")
    if name not in _loaded:
        module = found[name].load()
        missing = [f for f in FUNCTIONS if not callable(getattr(module, f, None))]
        if missing:
            raise ImportError(f"the plotting backend {name!r} ({found[name].value}) lacks "
                              f"{', '.join(missing)}")
        _loaded[name] = module
    return _loaded[name]
