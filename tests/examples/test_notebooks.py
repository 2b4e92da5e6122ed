"""The example notebooks, executed with nbclient on an ipykernel of this interpreter:
every cell runs, every plot is a decodable PNG of the size the views draw, and the
committed notebooks carry no outputs (readable diffs)."""

import base64
import io
import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from PIL import Image

from scratchnet_gui.cli.article_plots import SIZE

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
KERNEL = "scratchnet-test"
TIMEOUT = 600  # per cell, with both cores busy (the article's cells take seconds)


@pytest.fixture
def kernel_env(tmp_path, monkeypatch):
    """A kernelspec that starts *this* interpreter, found before any other python3."""
    spec = tmp_path / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "ScratchNet tests", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's migration warning
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("SCRATCHNET_KERNEL", "numpy")


def _run(name):
    nb = nbformat.read(EXAMPLES / name, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.executable)"))
    NotebookClient(nb, kernel_name=KERNEL, timeout=TIMEOUT, startup_timeout=TIMEOUT).execute()
    assert nb.cells[-1].outputs[0]["text"].strip() == sys.executable
    return nb


def _outputs(nb, kind):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if o.get("output_type") in kind]


def _pngs(nb):
    shown = []
    for o in _outputs(nb, ("display_data", "execute_result")):
        if "image/png" in o.get("data", {}):
            with Image.open(io.BytesIO(base64.b64decode(o["data"]["image/png"]))) as im:
                im.load()  # decodes the whole image, not just the header
                shown.append((im.format, im.size))
    return shown


def test_the_article_notebook_runs_and_shows_its_nine_plots(kernel_env):
    nb = _run("article.ipynb")
    assert _pngs(nb) == [("PNG", SIZE)] * 9  # three experiments × graph, errors, scores
    results = [o["data"]["text/plain"] for o in _outputs(nb, ("execute_result",))]
    aucs = [float(r) for r in results]
    assert aucs[0] >= 0.99 and abs(aucs[1] - 0.5) <= 0.1 and aucs[2] >= 0.975
    text = "".join(o.get("text", "") for o in _outputs(nb, ("stream",)))
    exact, article = (float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                      if "backprop:" in line)
    assert exact < 1e-6 and article > 1e-2


def test_the_engine_notebook_runs(kernel_env):
    nb = _run("engine.ipynb")
    text = "".join(o.get("text", "") for o in _outputs(nb, ("stream",)))
    assert "after 20 epochs: train AUC" in text and "layer 3: z" in text
    assert 'model = nn.Sequential(OrderedDict([' in text
    assert _pngs(nb) == []


@pytest.mark.parametrize("name", ["article.ipynb", "engine.ipynb"])
def test_notebooks_are_committed_without_outputs(name):
    nb = nbformat.read(EXAMPLES / name, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
