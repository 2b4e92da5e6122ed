"""While stepping, no value label overlaps another label, a node or a neuron heatmap, at
1280×800 and 1920×1080, for the default and a deep network, in every phase (checked on
the scene's own item rectangles)."""

import pytest
from PySide6.QtWidgets import QApplication

from scratchnet.config import Config
from scratchnet_gui import MainWindow

from .conftest import WAIT_MS, click_action, wait_idle

NETS = {"2-9-6-1": Config(), "2-8x6-1": Config(hidden=[8] * 6, activations=["sigmoid"] * 6)}


def _overlaps(window):
    view = window.network_view
    labels = [t.sceneBoundingRect() for t in view.label_items()]
    others = view.hits.node_scene_rects() + [im.sceneBoundingRect() for im in view.heatmap_items()]
    bad = []
    for i, a in enumerate(labels):
        bad += [("label", i, j) for j, b in enumerate(labels[i + 1:], i + 1) if a.intersects(b)]
        bad += [("other", i, j) for j, b in enumerate(others) if a.intersects(b)]
    return labels, bad


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
@pytest.mark.parametrize("net", list(NETS))
def test_no_label_overlaps_anything_in_any_phase(qtbot, size, net):
    win = MainWindow(NETS[net])
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitUntil(lambda: (s := win.current_snapshot()) is not None and not s.pending,
                    timeout=WAIT_MS)
    click_action(qtbot, win, "step_phase")
    n_phases = len(wait_idle(qtbot, win).step.phases)
    shown = 0
    for k in range(n_phases):
        QApplication.processEvents()
        labels, bad = _overlaps(win)
        phase = win.shown_snapshot().step.phase
        assert not bad, f"{net} at {size}, phase {phase}: {bad}"
        shown += len(labels)
        if k < n_phases - 1:
            click_action(qtbot, win, "step_phase")
            wait_idle(qtbot, win)
    assert shown > 0  # labels were really drawn and checked
    win.close()
