"""Exports of every view in every format, sessions and CSV data in the window."""

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import QFileDialog

from scratchnet_gui.cli import export

from .conftest import WAIT_MS, click_action, wait_idle

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    """QSettings in a temporary folder, never the user's."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "cfg"))


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_every_view_exports_png_svg_and_csv(qtbot, window, tmp_path):
    click_action(qtbot, window, "step_epoch")
    click_action(qtbot, window, "step_epoch")
    click_action(qtbot, window, "step_phase")
    s = wait_idle(qtbot, window)
    written = window.files.export_all(str(tmp_path / "all"), size=(640, 360))
    assert len(written) == len(export.VIEW_NAMES) * 3  # the confusion matrix is the 7th view
    for name in export.VIEW_NAMES:
        stem = tmp_path / "all" / export.FILE_NAMES.get(name, name.removesuffix("_view"))
        with Image.open(f"{stem}.png") as im:
            assert im.size == (640, 360)
            assert len(np.unique(np.asarray(im.convert("RGB")).reshape(-1, 3), axis=0)) > 5
        root = ET.parse(f"{stem}.svg").getroot()
        assert root.tag == f"{SVG}svg"
        assert len(root.findall(f".//{SVG}path")) + len(root.findall(f".//{SVG}polyline")) > 0
        header, *rows = _rows(f"{stem}.csv")
        assert header and rows
    # edges stay vector paths; the only bitmaps are node symbols and neuron heatmaps
    net_svg = ET.parse(tmp_path / "all" / "network.svg").getroot()
    view = window.network_view
    buckets = sum(1 for c in view.curves.items.values() if c.getData()[0] is not None and len(c.getData()[0]))
    assert len(net_svg.findall(f".//{SVG}path")) >= buckets > 0
    assert len(net_svg.findall(f".//{SVG}image")) <= len(view.nodes.data) + len(view._thumbs)
    assert len(_rows(tmp_path / "all" / "auc.csv")) == 1 + 3  # epochs 0, 1, 2
    pred = _rows(tmp_path / "all" / "prediction.csv")
    assert pred[0][-3:] == ["probability", "predicted", "correct"] and len(pred) == 1 + 1000
    net = _rows(tmp_path / "all" / "network.csv")
    assert len(net) == 1 + (2 * 9 + 9) + (9 * 6 + 6) + (6 + 1)
    roc = _rows(tmp_path / "all" / "roc.csv")
    assert roc[0] == ["fpr", "tpr"] and float(roc[-1][0]) == 1.0
    insp = _rows(tmp_path / "all" / "inspector.csv")
    assert insp[0][:3] == ["layer", "unit", "z"] and len(insp) == 1 + 16
    w0 = float(net[1][4])
    assert w0 == s.weights[0][0][0, 0]


def test_export_all_action_asks_for_a_folder(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "x"))
    window.findChild(type(window.menus.export_all_action), "export_all").trigger()
    assert len(list((tmp_path / "x").iterdir())) == len(export.VIEW_NAMES) * 3


def test_session_round_trip_in_the_window(qtbot, window, tmp_path):
    click_action(qtbot, window, "step_epoch")
    saved = wait_idle(qtbot, window)
    path = tmp_path / "lesson.scratchnet"
    window.files.save_session(str(path))
    wait_idle(qtbot, window)
    assert path.exists()
    click_action(qtbot, window, "step_epoch")
    click_action(qtbot, window, "step_epoch")
    assert wait_idle(qtbot, window).epoch == 3
    window.files.open_session(str(path))
    s = wait_idle(qtbot, window)
    assert s.epoch == 1
    for (a, b), (c, d) in zip(s.weights, saved.weights):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)
    assert window.files.recent_menu.actions()[0].text() == str(path)


@pytest.mark.parametrize("content", [b"", b"garbage", b"PK\x03\x04truncated"])
def test_a_corrupt_session_shows_an_error_and_keeps_the_current_one(qtbot, window, tmp_path, content):
    click_action(qtbot, window, "step_epoch")
    before = wait_idle(qtbot, window)
    bad = tmp_path / "bad.scratchnet"
    bad.write_bytes(content)
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS) as sig:
        window.files.open_session(str(bad))
    assert sig.args[0] == "error" and "bad.scratchnet" in sig.args[1]
    s = wait_idle(qtbot, window)
    assert s.epoch == 1
    assert all(np.array_equal(a, b) for (a, _), (b, _) in zip(before.weights, s.weights))
    assert str(bad) not in [a.text() for a in window.files.recent_menu.actions()]


def test_open_data_loads_a_csv_with_more_than_two_features(qtbot, window, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 4))
    y = (X[:, 0] + X[:, 2] > 0).astype(int)
    p = tmp_path / "mine.csv"
    p.write_text("a,b,c,d,label\n" + "\n".join(
        ",".join(map(str, [*row, lab])) for row, lab in zip(X, y)))
    window.files.open_data(str(p))
    s = wait_idle(qtbot, window)
    assert s.sizes[0] == 4 and s.points.names == ("a", "b", "c", "d")
    assert "plotting a × b" in s.points.projection_note
    click_action(qtbot, window, "step_epoch")
    assert wait_idle(qtbot, window).epoch == 1
    window.menus.choose_axes([2, 3])
    s = wait_idle(qtbot, window)
    assert s.points.axes == (2, 3) and "plotting c × d" in s.points.projection_note
    assert window.prediction_view.getPlotItem().getAxis("bottom").labelText == "c"


def test_a_bad_csv_names_line_and_column_and_keeps_the_data(qtbot, window, tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("x1,x2,label\n1,2,0\n3,oops,1\n5,6,1\n7,8,0\n")
    before = window.current_snapshot()
    with qtbot.waitSignal(window.messageShown, timeout=WAIT_MS) as sig:
        window.files.open_data(str(p))
    assert "line 3, column 'x2'" in sig.args[1]
    s = wait_idle(qtbot, window)
    assert s.points is before.points or s.points.version == before.points.version


def test_gif_recording(qtbot, window, tmp_path):
    window.files.gif_every = 1
    window.menus.record_action.setChecked(True)
    for _ in range(3):
        click_action(qtbot, window, "step_epoch")
        wait_idle(qtbot, window)
    rec = window.files.recorder
    window.files.recorder = None
    window.menus.record_action.blockSignals(True)
    window.menus.record_action.setChecked(False)
    window.menus.record_action.blockSignals(False)
    window.files.save_gif(rec, str(tmp_path / "a.gif"))
    with Image.open(tmp_path / "a.gif") as im:
        assert im.n_frames >= 3
