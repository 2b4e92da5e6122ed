"""Issue 24 (round 3), the window: every cap the app applies is said."""

from .conftest import click_action, wait_idle


def test_a_full_gif_says_so_once(qtbot, window):
    window.files.gif_every = 1
    window.menus.record_action.setChecked(True)
    window.files.recorder.max_frames = 3  # the cap (400) reached sooner
    said = []
    window.messageShown.connect(lambda level, text: said.append(text)
                                if "GIF holds" in text else None)
    for _ in range(5):
        click_action(qtbot, window, "step_epoch")
        wait_idle(qtbot, window)
    assert len(window.files.recorder.frames) == 3
    assert len(said) == 1 and "The GIF holds 3 frames, its most" in said[0]
    window.files.recorder = None
    window.menus.record_action.blockSignals(True)
    window.menus.record_action.setChecked(False)
    window.menus.record_action.blockSignals(False)


def test_the_model_panel_refuses_layer_sizes_with_typos(qtbot, window):
    said = []
    window.messageShown.connect(lambda level, text: said.append((level, text)))
    before = wait_idle(qtbot, window).sizes
    for text in ("9_0", "9,,6", ",9", "9;6"):
        window.model_panel.sizes.setText(text)
        window.model_panel.submit()
    assert [level for level, _ in said] == ["error"] * 4
    assert "'9_0' is not a whole number" in said[0][1]
    assert wait_idle(qtbot, window).sizes == before
