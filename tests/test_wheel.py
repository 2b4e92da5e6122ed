"""The resources (icon, desktop entry, example texts) and the plotting entry point are
packaged: a non-editable wheel installed in a new venv finds them, away from the
checkout. Built without build isolation and installed without dependencies, so it needs
no network and takes seconds."""

import configparser
import json
import os
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]

CHECK = """
import configparser, importlib.metadata as md, json, pathlib, sys
import scratchnet_gui.resources as r
here = pathlib.Path(r.__file__).resolve()
pngs = r.icon_pngs()
eps = {ep.name: ep.value for ep in md.entry_points(group="scratchnet.plotting")}
print(json.dumps({
    "file": str(here), "prefix": sys.prefix,
    "svg": r.icon_svg().decode(),
    "pngs": {n: list(b[:8]) for n, b in pngs.items()},
    "desktop": r.desktop_entry(),
    "examples": [e.action for e in r.examples()],
    "entry_points": eps,
}))
"""


def _run(*argv, **kw):
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, **kw)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_wheel_installed_in_a_new_venv_finds_its_resources(tmp_path):
    src = tmp_path / "src"  # a copy: building writes build/ and egg-info beside the code
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src)
    for package in ("scratchnet", "scratchnet_gui"):
        shutil.copytree(ROOT / package, src / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(wheels), str(src))
    (wheel,) = wheels.glob("scratchnet-*.whl")
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "-q", str(wheel))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    found = json.loads(_run(str(python), "-c", CHECK, cwd=tmp_path, env=env))

    assert pathlib.Path(found["file"]).is_relative_to(venv.resolve()), found["file"]
    assert "<svg" in found["svg"] and found["svg"].rstrip().endswith("</svg>")
    assert set(found["pngs"]) == {"16", "24", "32", "48", "64", "128", "256"}
    assert all(head == list(b"\x89PNG\r\n\x1a\n") for head in found["pngs"].values())
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read_string(found["desktop"])
    desktop = entry["Desktop Entry"]
    assert (desktop["Type"], desktop["Exec"], desktop["Icon"]) == \
        ("Application", "scratchnet-gui", "scratchnet")
    assert found["examples"][0] == "example_classic" and len(found["examples"]) == 9
    assert found["examples"][-1] == "example_lr_too_large"
    assert found["entry_points"] == {"scratchnet_gui": "scratchnet_gui.cli.article_plots"}
