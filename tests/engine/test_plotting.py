"""scratchnet.article's plots go to a plotting backend found through an entry point; the
engine names no backend's package, and without one a plot says what is missing."""

import sys
import types
from importlib import metadata

import pytest

from scratchnet import plotting
from scratchnet.article import NeuralNetwork


def _only(monkeypatch, *entry_points):
    monkeypatch.setattr(plotting.metadata, "entry_points",
                        lambda group: [ep for ep in entry_points if ep.group == group])
    monkeypatch.setattr(plotting, "_loaded", {})


def test_the_app_registers_itself_as_the_backend():
    eps = {ep.name: ep.value for ep in metadata.entry_points(group=plotting.GROUP)}
    assert eps == {"scratchnet_gui": "scratchnet_gui.cli.article_plots"}


def test_with_no_backend_a_plot_says_what_to_install(monkeypatch):
    _only(monkeypatch)
    with pytest.raises(ImportError, match="none is installed.*scratchnet.plotting"):
        NeuralNetwork(2, 3, 1).graph()


def test_a_registered_backend_draws_the_plots(monkeypatch):
    calls = []
    fake = types.ModuleType("fake_scratchnet_backend")
    for name in plotting.FUNCTIONS:
        setattr(fake, name, lambda *a, _n=name, **k: calls.append((_n, a)) or _n)
    monkeypatch.setitem(sys.modules, fake.__name__, fake)
    _only(monkeypatch, metadata.EntryPoint("fake", fake.__name__, plotting.GROUP),
          metadata.EntryPoint("other", "scratchnet.nothing", "another.group"))
    nn = NeuralNetwork(2, 3, 1)
    assert nn.graph(path="g.png") == "graph"
    assert nn.plot_errors([[0, 0]], [0]) == "plot_errors"
    assert nn.plot_scores() == "plot_scores"
    assert nn.show([[0, 0]], [0]) == "show"
    assert [(n, a[0]) for n, a in calls] == [(n, nn) for n in plotting.FUNCTIONS]
    with pytest.raises(ImportError, match="no plotting backend 'gone'.*installed: fake"):
        plotting.backend("gone")


def test_a_backend_without_the_plots_is_refused(monkeypatch):
    half = types.ModuleType("half_scratchnet_backend")
    half.graph = lambda *a: None
    monkeypatch.setitem(sys.modules, half.__name__, half)
    _only(monkeypatch, metadata.EntryPoint("half", half.__name__, plotting.GROUP))
    with pytest.raises(ImportError, match="lacks plot_errors, plot_scores, show"):
        NeuralNetwork(2, 3, 1).graph()
