"""The Examples menu: the article's three experiments, the classic demo, three classes and
a regression, each loaded exactly as the matching CLI preset, with a few words on what to
look for, typeset in a note above the views that never blocks Play (the texts are in
``resources/examples.json``)."""

from __future__ import annotations

from scratchnet import compare, presets

from .. import protocol as P
from .. import resources
from .menus import make_action

# {action name: (preset, menu title, what to look for)}; the texts live in
# resources/examples.json, beside the icon and the desktop entry
EXAMPLES = {e.action: (e.preset, e.title, e.text) for e in resources.examples()}
SHOWS = {e.action: tuple(v for v in e.shows.split(",") if v) for e in resources.examples()}


class Examples:
    """``MainWindow``'s Examples menu.

    Parameters
    ----------
    win : MainWindow
        Built with its lesson note.
    """

    def __init__(self, win):
        self.win = win
        self._build_menu()

    def _build_menu(self):
        self.examples_menu = self.win.menuBar().addMenu("E&xamples")
        for name, (preset, title, _) in EXAMPLES.items():
            a = make_action(self.win, name, title,
                            lambda _=False, n=name: self.load_example(n),
                            tip=f"Load the {preset!r} preset: data, model and training")
            self.examples_menu.addAction(a)
        pairs = self.examples_menu.addMenu("Compare two runs")
        pairs.setObjectName("comparisons_menu")
        pairs.menuAction().setObjectName("comparisons_menu_action")
        for c in resources.comparisons():
            pairs.addAction(make_action(
                self.win, c.action, c.title, lambda _=False, c=c: self.load_comparison(c),
                tip="Train two runs side by side: " + c.title))

    def load_comparison(self, c) -> None:
        """Compare the two runs of ``c`` (a ``resources.Comparison``), A on the left,
        and say what to look for."""
        cfg_a, cfg_b = compare.pair(c.pair)
        self.win.compare.leave(0)
        self.win.send(lambda: P.LoadExperiment(cfg_a))
        self.win.compare.start(b_config=cfg_b)
        self.win.lesson_note.say(c.title, c.text)
        self.win.messageShown.emit("info", c.text)

    def load_example(self, name: str):
        """Load example ``name`` (an action's objectName) and say what to look for, in
        a note above the views that never blocks Play."""
        preset, title, words = EXAMPLES[name]
        self.win.compare.leave(0)  # an example is one run
        self.win.send(lambda: P.LoadExperiment(presets.get(preset)))
        self.win.landscape.follow_example(preset)
        self.win.lesson_note.say(title, words)
        for view in SHOWS.get(name, ()):  # the views the lesson is about, in front
            self.win.insight.show(view)
        self.win.messageShown.emit("info", words)
