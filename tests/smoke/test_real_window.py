"""The installed ``scratchnet-gui`` in a real X window (Xvfb): it opens, Play trains, and
the screen shows the network and a trained boundary.

The rest of the suite runs offscreen, where a missing xcb library or a broken
``gui-scripts`` entry point would go unseen. ``.ci/run`` installs Xvfb and xdotool, and
in CI (``CI`` set) this test fails rather than skips without them.
"""

import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import ImageGrab

from scratchnet_gui.views import colors

SCREEN = (1280, 800)
DEADLINE = 180.0  # seconds for each wait: the first start compiles nothing, but both
# cores may be busy, and the window's first frame waits on the training process
APP = Path(sys.executable).parent / "scratchnet-gui"


def _tool(name):
    path = shutil.which(name)
    if path is None:  # a missing tool fails, as a missing Qt library would: no silent skip
        pytest.fail(f"{name} is missing: apt-get install xvfb xdotool (.ci/run does)")
    return path


@pytest.fixture
def display():
    """A fresh Xvfb server on a free display number; ``":N"``."""
    xvfb = _tool("Xvfb")
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0",
                               f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        ready, _, _ = select.select([read], [], [], DEADLINE)
        assert ready, "Xvfb did not start"
        yield ":" + os.read(read, 64).decode().strip()
    finally:
        os.close(read)
        server.terminate()
        server.wait(timeout=30)


def _wait(what, condition, deadline=DEADLINE):
    """Poll ``condition`` until it returns a true value (returned) or the deadline."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.2)  # a polling interval, not a wait for something to happen
    pytest.fail(f"timed out after {deadline:.0f} s waiting for {what}")


def _near(img, rgb, tol):
    return np.sum(np.abs(img.astype(int) - rgb), axis=-1) <= tol


def _shares(img):
    """Pixel counts: blue and orange edges, the boundary's light blue and light orange
    (p near 1 and near 0, not the white around 0.5), and green right points."""
    cmap = colors.boundary_colormap()
    blue, orange = (np.array(cmap.map(p, mode="byte")[:3]) for p in (0.95, 0.05))
    return {"edges+": int(_near(img, colors.POSITIVE, 30).sum()),
            "edges-": int(_near(img, colors.NEGATIVE, 30).sum()),
            "boundary+": int(_near(img, blue, 24).sum()),
            "boundary-": int(_near(img, orange, 24).sum()),
            "right": int(_near(img, colors.CORRECT, 40).sum())}


def test_the_installed_app_trains_in_a_real_window(display, tmp_path):
    xdotool = _tool("xdotool")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM",
                                                           "WAYLAND_DISPLAY")}
    env.update(DISPLAY=display, XDG_CONFIG_HOME=str(tmp_path), HOME=str(tmp_path))
    log = open(tmp_path / "app.log", "w+b")
    app = subprocess.Popen([str(APP)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        def window():
            found = subprocess.run([xdotool, "search", "--onlyvisible", "--name", "^ScratchNet$"],
                                   env=env, capture_output=True, text=True)
            assert app.poll() is None, _log(log)
            return found.stdout.split()[0] if found.stdout.split() else None

        wid = _wait("the window", window)
        grab = lambda: np.asarray(ImageGrab.grab(xdisplay=display).convert("RGB"))  # noqa: E731
        first, before = _wait("the first frame", lambda: (s := _shares(img := grab()))[
            "edges+"] > 300 and s["right"] > 300 and (s, img))
        subprocess.run([xdotool, "windowfocus", "--sync", wid, "key", "space"], env=env,
                       check=True, timeout=60)
        # trained, the classic demo's boundary is a blue disc inside an orange ring
        shot = _wait("a trained boundary", lambda: (s := _shares(img := grab()))["boundary-"]
                     > 5000 and s["boundary+"] > 2000 and (s, img))
        shares, img = shot
        assert shares["edges+"] > 300 and shares["edges-"] > 300, shares  # the network
        assert first["boundary-"] * 4 < shares["boundary-"], first  # untrained: no ring
        assert app.poll() is None, _log(log)
        from PIL import Image

        Image.fromarray(before).save(tmp_path / "first.png")
        Image.fromarray(img).save(tmp_path / "trained.png")
    finally:
        app.terminate()
        app.wait(timeout=60)
        log.close()


def _log(fh) -> str:
    fh.seek(0)
    return "the app's output:\n" + fh.read().decode(errors="replace")[-3000:]
