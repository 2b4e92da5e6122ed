"""Every action of the window, triggered as a user does (its QAction), with each dialog
answered as a user would answer it: none raises, none says a stray ``False``, and none
fails but the few whose failure is the point."""

import numpy as np
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog

from .conftest import WAIT_MS, wait_idle

# Saving comes before opening; the axes are chosen while the 3-column CSV is loaded
FIRST = ("save_session", "export_all", "open_data", "plot_axes")
# the one refusal expected: Record GIF stopped without a frame recorded
EXPECTED_ERRORS = ("No GIF frames were recorded",)


def _answer_dialogs(monkeypatch, tmp_path, asked):
    """Each static dialog answers as a user would, and is counted in ``asked``."""
    files = {"Open data": tmp_path / "points.csv", "Open session": tmp_path / "s.scratchnet",
             "Save session": tmp_path / "s.scratchnet", "Save GIF": tmp_path / "a.gif",
             "Export model": tmp_path / "model.onnx"}

    def file_name(parent, caption, *a, **k):
        asked.append(caption)
        return str(files.get(caption, tmp_path / (caption.split()[-1] + ".png"))), ""

    def item(parent, title, label, items, current=0, *a, **k):
        asked.append(title)
        return items[-1 if "vertical" in label else current], True  # x1 against x3

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(file_name))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(file_name))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(tmp_path / "all")))
    monkeypatch.setattr(QInputDialog, "getInt", staticmethod(
        lambda p, title, *a, **k: (asked.append(title), (128, True))[1]))
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(item))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(
        lambda p, title, label, *a, text="", **k: (asked.append(title), (text, True))[1]))


def _trigger(qtbot, window, name):
    action = window.findChild(QAction, name)
    for _ in range(2 if action.isCheckable() else 1):  # on, then off again
        action.trigger()
        wait_idle(qtbot, window)
    if window._dialog is not None:  # a message box: answered by closing it
        window._dialog.close()


def test_every_action_works_from_its_menu(qtbot, window, monkeypatch, tmp_path):
    asked = []
    _answer_dialogs(monkeypatch, tmp_path, asked)
    rng = np.random.default_rng(0)
    rows = [f"{a},{b},{c},{int(a + b > 0)}" for a, b, c in rng.normal(size=(60, 3))]
    (tmp_path / "points.csv").write_text("x1,x2,x3,label\n" + "\n".join(rows) + "\n")
    said = []
    window.messageShown.connect(lambda level, text: said.append((level, text)))
    names = sorted({a.objectName() for a in window.findChildren(QAction) if a.objectName()},
                   key=lambda n: (n not in FIRST, FIRST.index(n) if n in FIRST else 0, n))
    assert len(names) >= 35, names  # the toolbar's, the menus', every view's export
    triggered, later = [], []
    for name in names:
        if name == "plot_axes":
            assert wait_idle(qtbot, window).points.names[:3] == ("x1", "x2", "x3")
        if name == "branch_here":  # enabled on a scrubbed view: scrub as a user would
            window.menus.step_epoch_action.trigger()  # a past epoch to scrub back to
            window.menus.step_epoch_action.trigger()
            wait_idle(qtbot, window)
            window.timeline_bar.slider.setValue(0)
            qtbot.waitUntil(lambda: window.current_snapshot() is not None
                            and window.shown_snapshot().scrub is not None, timeout=WAIT_MS)
        if not window.findChild(QAction, name).isEnabled():
            later.append(name)  # e.g. Redo, before anything was undone
            continue
        _trigger(qtbot, window, name)
        triggered.append(name)
        if name == "plot_axes":
            assert wait_idle(qtbot, window).points.axes == (0, 2)
    for name in later:
        assert window.findChild(QAction, name).isEnabled(), f"{name} never became enabled"
        _trigger(qtbot, window, name)
        triggered.append(name)
    assert sorted(triggered) == sorted(names)
    errors = [t for level, t in said if level == "error"
              and not t.startswith(EXPECTED_ERRORS)]
    stray = [t for _, t in said if "False" in t or "bool" in t]
    assert not errors and not stray, errors + stray
    assert {"Timeline memory", "Plot columns", "Export model", "Open data"} <= set(asked)
    assert wait_idle(qtbot, window).timeline.budget == 128 * 2**20  # the answer arrived
    assert (tmp_path / "s.scratchnet").exists() and (tmp_path / "all" / "network.png").exists()
    assert (tmp_path / "model.onnx").stat().st_size > 0
