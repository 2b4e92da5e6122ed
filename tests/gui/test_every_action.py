"""Every action of the window, triggered as a user does (its QAction), with each dialog
answered as a user would answer it: none raises, and none says a stray ``False``."""

import numpy as np
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog

from .conftest import wait_idle

# Saving comes before opening, so the session and the CSV that Open reads exist
FIRST = ("save_session", "export_all")


def _answer_dialogs(monkeypatch, tmp_path):
    """Each static dialog answers with its default (or a file in ``tmp_path``)."""
    files = {"Open data": tmp_path / "points.csv", "Open session": tmp_path / "s.scratchnet",
             "Save session": tmp_path / "s.scratchnet", "Save GIF": tmp_path / "a.gif"}

    def save_name(parent, caption, *a, **k):
        path = files.get(caption, tmp_path / (caption.split()[-1] + ".png"))
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(save_name))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(tmp_path / "all")))
    monkeypatch.setattr(QInputDialog, "getInt",
                        staticmethod(lambda p, t, label, value, *a, **k: (value, True)))
    monkeypatch.setattr(QInputDialog, "getDouble",
                        staticmethod(lambda p, t, label, value, *a, **k: (value, True)))
    monkeypatch.setattr(QInputDialog, "getItem",
                        staticmethod(lambda p, t, label, items, current=0, *a, **k:
                                     (items[current], True)))
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda p, t, label, *a, text="", **k: (text, True)))


def test_every_action_works_from_its_menu(qtbot, window, monkeypatch, tmp_path):
    _answer_dialogs(monkeypatch, tmp_path)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    rows = [f"{a},{b},{c},{int(a + b > 0)}" for a, b, c in X]
    (tmp_path / "points.csv").write_text("x1,x2,x3,label\n" + "\n".join(rows) + "\n")
    said = []
    window.messageShown.connect(lambda level, text: said.append((level, text)))
    actions = [a for a in window.findChildren(QAction) if a.objectName()]
    names = sorted({a.objectName() for a in actions}, key=lambda n: (n not in FIRST, n))
    assert len(names) >= 35, names  # the toolbar's, the menus', every view's export
    triggered = []
    for name in names:
        action = window.findChild(QAction, name)
        if not action.isEnabled():
            continue
        for _ in range(2 if action.isCheckable() else 1):  # on, then off again
            action.trigger()
            wait_idle(qtbot, window)
        if window._dialog is not None:  # a message box: answered by closing it
            window._dialog.close()
        triggered.append(name)
    stray = [t for t in said if "False" in t[1] or "bool" in t[1]]
    assert not stray, stray
    for must in ("timeline_budget", "plot_axes", "save_session", "open_session",
                 "open_data", "export_all", "example_spiral_3", "undo"):
        assert must in triggered, must
    assert (tmp_path / "s.scratchnet").exists() and (tmp_path / "all" / "network.png").exists()
    assert window.timeline.timeline_budget_mb == 256
