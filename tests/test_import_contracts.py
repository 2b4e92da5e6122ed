"""The firm rules, checked statically: lint-imports runs the contracts in pyproject.toml
(the engine imports neither the app nor Qt; the training process imports neither Qt nor
the window; the views do not import the training process), and each contract breaks
when a copy of the code is given one import it forbids (inside a function: a lazy
import counts)."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
CONTRACTS = ("The engine imports neither the app nor Qt nor pyqtgraph",
             "The training process imports neither Qt, pyqtgraph, the views nor the window",
             "The views and panels do not import the training process")


def _lint(root: pathlib.Path) -> dict:
    """``{contract name: "KEPT" or "BROKEN"}`` for the code under ``root``."""
    exe = shutil.which("lint-imports", path=os.path.dirname(sys.executable))
    assert exe, "lint-imports is not installed (pip install -e '.[test]')"
    env = {**os.environ, "PYTHONPATH": str(root)}  # this copy, before any installed one
    done = subprocess.run([exe, "--no-cache", str(root / "pyproject.toml")],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)
    verdicts = {}
    for line in done.stdout.splitlines():
        for name in CONTRACTS:
            if line.startswith(name + " "):
                verdicts[name] = line.rsplit(" ", 1)[1]
    assert set(verdicts) == set(CONTRACTS), done.stdout + done.stderr
    assert done.returncode == (0 if set(verdicts.values()) == {"KEPT"} else 1), done.stdout
    return verdicts


def test_the_code_keeps_every_contract():
    assert _lint(ROOT) == dict.fromkeys(CONTRACTS, "KEPT")


@pytest.mark.parametrize("module,line,broken", [
    ("scratchnet/article.py", "from scratchnet_gui import article_plots", {0}),
    # the training process imports the trainer: Qt there breaks both rules
    ("scratchnet/trainer.py", "import pyqtgraph", {0, 1}),
    ("scratchnet_gui/process/stepper.py", "from PySide6 import QtCore", {1}),
    ("scratchnet_gui/process/commands.py", "from .views import curves", {1}),
    ("scratchnet_gui/views/curves.py", "from .. import stepper", {2}),
])
def test_each_contract_breaks_on_an_import_it_forbids(tmp_path, module, line, broken):
    for package in ("scratchnet", "scratchnet_gui"):
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with open(tmp_path / module, "a") as fh:
        fh.write(f"\n\ndef _breaks_the_rule():\n    {line}\n")
    expected = dict.fromkeys(CONTRACTS, "KEPT")
    expected.update({CONTRACTS[k]: "BROKEN" for k in broken})
    assert _lint(tmp_path) == expected
