"""The window wears the app's icon, and the Examples menu reads its texts from the
packaged resources (tests/test_wheel.py checks an installed wheel finds them)."""

import json

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QAction

from scratchnet import presets
from scratchnet_gui import resources
from scratchnet_gui.window.examples import EXAMPLES


def test_the_window_has_the_icon_at_every_size(window):
    icon = window.windowIcon()
    assert not icon.isNull()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert sizes == {(n, n) for n in resources.ICON_SIZES}
    image = icon.pixmap(QSize(48, 48)).toImage()
    assert image.pixelColor(24, 24).alpha() == 255  # drawn, not a blank square


def test_the_examples_menu_is_the_resource_file(window):
    listed = resources.examples()
    menu = window.examples.examples_menu
    assert ([a.objectName() for a in menu.actions()]
            == [e.action for e in listed] + ["comparisons_menu_action"])
    pairs = menu.actions()[-1].menu()
    assert ([(a.objectName(), a.text()) for a in pairs.actions()]
            == [(c.action, c.title) for c in resources.comparisons()])
    for e in listed:
        assert e.preset in presets.PRESETS
        assert window.findChild(QAction, e.action).text() == e.title
    assert f"random_state {presets.BLOBS_SEED}" in EXAMPLES["example_blobs"][2]


def test_a_malformed_examples_file_is_refused(monkeypatch, tmp_path):
    bad = tmp_path / "examples.json"
    monkeypatch.setattr(resources, "file", lambda name: bad)
    for text, message in (('{"examples": []}', "one entry or more"),
                          ('{"examples": [{"action": "a", "preset": "classic"}]}', "entry 1"),
                          ('[1, 2]', "expected")):
        bad.write_text(text)
        with pytest.raises(ValueError, match=message):
            resources.examples()


def test_a_malformed_comparisons_list_is_refused(monkeypatch, tmp_path):
    bad = tmp_path / "examples.json"
    monkeypatch.setattr(resources, "file", lambda name: bad)
    good = {"action": "compare_sgd_vs_adam", "pair": "sgd-vs-adam", "title": "t", "text": "x"}
    for entries, message in (([], "one entry or more"),
                             ([{**good, "shows": "gradient_view"}], "comparison 1 must"),
                             ([{**good, "text": " "}], "comparison 1 must"),
                             ([{k: v for k, v in good.items() if k != "title"}],
                              "comparison 1 must"),
                             ([{**good, "pair": "sgd-vs-nothing"}], "unknown pair"),
                             ([{**good, "action": "compare_sgd"}], "compare_sgd_vs_adam"),
                             ([good, good], "two comparisons")):
        bad.write_text(json.dumps({"examples": [], "comparisons": entries}))
        with pytest.raises(ValueError, match=message):
            resources.comparisons()
    bad.write_text(json.dumps({"comparisons": [good]}))
    assert resources.comparisons() == [resources.Comparison(**good)]
