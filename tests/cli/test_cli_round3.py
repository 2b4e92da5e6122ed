"""Issue 24 (round 3), the command line: refuse before working, write --save whatever
an output does, strict JSON, and no option accepted only to be ignored."""

import json

import pytest

from scratchnet import archive

from .test_cli import run
from .test_cli_hardening import main, one_line, saved  # noqa: F401 (a fixture)


def test_a_session_too_large_to_load_is_refused_before_training(capsys, tmp_path,
                                                                 monkeypatch):
    path = tmp_path / "big.scratchnet"
    monkeypatch.setattr(archive, "MAX_UNCOMPRESSED", 4 << 20)  # a run that would finish
    one_line(capsys, ["--dataset", "xor", "--samples", "40", "--layers", "2,512,512,1",
                      "--optimizer", "adam", "--save", str(path), "--epochs", "1"], 2,
             r"the session would take 6 MiB; a session holds at most 4 MiB")
    monkeypatch.undo()  # the documented limits: 2-10×4096-1 was written, then refused
    one_line(capsys, ["--layers", "2," + ",".join(["4096"] * 10) + ",1", "--save",
                      str(path), "--epochs", "1"], 2,
             r"cannot save .*big.scratchnet: the session would take 1,152 MiB; a session "
             r"holds at most 1,024 MiB")
    assert not path.exists()


def test_a_run_shorter_than_gif_every_still_writes_its_gif_and_session(tmp_path):
    gif, saved = tmp_path / "a.gif", tmp_path / "s.scratchnet"
    done = run("train", "--dataset", "moons", "--samples", "60", "--layers", "2,3,1",
               "--epochs", "3", "--gif", str(gif), "--save", str(saved), "--json")
    assert done.returncode == 0, done.stderr
    from PIL import Image

    with Image.open(gif) as im:
        assert im.n_frames == 2  # epoch 0 and the last, 3
    assert saved.exists() and json.loads(done.stdout)["files"] == [str(saved), str(gif)]


def test_a_gif_over_its_frame_cap_is_refused_before_training(capsys, tmp_path):
    gif = tmp_path / "a.gif"
    one_line(capsys, ["--dataset", "moons", "--samples", "60", "--epochs", "410",
                      "--gif-every", "1", "--gif", str(gif)], 2,
             r"--gif holds at most 400 frames; epochs 0 to 410 at --gif-every 1 would make "
             r"411: use --gif-every 2 or more$")
    assert not gif.exists()


@pytest.mark.parametrize("args,pattern", [
    (["--gif-every", "3"], r"--gif-every applies to --gif, which is not given"),
    (["--layers", "2,1", "--activation", "tanh"],
     r"--activation applies to hidden layers; the network of --layers 2,1 has none"),
    (["--preset", "circles-linear", "--activation", "relu"],
     r"the network of --preset circles-linear has none"),
    (["--out", ""], r"--out needs a file or folder name, not an empty one"),
    (["--save", ""], r"--save needs a file or folder name"),
    (["--gif", " "], r"--gif needs a file or folder name"),
    (["--load", ""], r"--load needs a file or folder name"),
    (["--csv", ""], r"--csv needs a file or folder name"),
])
def test_options_that_would_be_ignored_are_refused(capsys, args, pattern):
    one_line(capsys, [*args, "--epochs", "1"], 2, pattern)


def test_load_refuses_epochs_past_the_cap_before_training(capsys, saved):
    one_line(capsys, ["--load", str(saved), "--epochs", "10000000"], 2,
             r"--epochs 10,000,000 would take the session from epoch 1 past 10,000,000")


@pytest.mark.parametrize("base", [["--dataset", "blobs"], ["--preset", "blobs"]])
def test_blobs_noise_is_their_spread(base):
    import numpy as np

    from scratchnet import data
    from scratchnet_gui.cli.options import build_config, parser

    def points(noise):
        args = parser().parse_args(["train", *base, "--noise", noise, "--samples", "200"])
        spec = build_config(args).data
        assert spec.cluster_std == float(noise)
        return data.build(spec).raw_train

    assert not np.allclose(points("0.5"), points("5"))


def test_epochs_added_by_load_and_save_carry_the_session_settings(capsys, tmp_path):
    from scratchnet import data, session
    from scratchnet.config import Config, make_trainer

    cfg = Config(data.DataSpec("moons", 80, 0.2), hidden=[4, 3],
                 activations=["tanh", "tanh"], lr=0.1)
    t = make_trainer(cfg, data.build(cfg.data))
    t.keep_timeline()  # an app's session: it has a timeline
    t.tag = cfg
    t.run(1)
    first, again = tmp_path / "s.scratchnet", tmp_path / "again.scratchnet"
    session.save(first, t, cfg)
    assert main(capsys, "--load", str(first), "--epochs", "2", "--save", str(again))[0] == 0
    t, cfg, _, _ = session.load(again)
    added = [f for f in t.timeline.frames if f.epoch > 1]
    assert [f.epoch for f in added] == [2, 3] and all(f.tag == cfg for f in added)


def test_json_is_strict_json_with_null_for_nan(capsys, tmp_path):
    # three classes, and a test split of 4 rows that lacks one: its AUC is undefined
    rows = ["x1,x2,label"] + [f"{i % 7},{i % 5},{'abc'[0 if i < 17 else i % 3]}"
                              for i in range(20)]
    path = tmp_path / "three.csv"
    path.write_text("\n".join(rows) + "\n")
    code, out, err = main(capsys, "--csv", str(path), "--layers", "2,4,3", "--epochs", "1",
                          "--json")
    assert code == 0, err
    summary = json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))
    assert summary["test_auc"] is None and "NaN" not in out


def test_save_and_gif_may_go_into_the_out_folder_it_creates(tmp_path):
    out = tmp_path / "res"
    done = run("train", "--dataset", "moons", "--samples", "60", "--layers", "2,3,1",
               "--epochs", "2", "--out", str(out), "--save", str(out / "run.scratchnet"),
               "--gif", str(out / "run.gif"), "--json")
    assert done.returncode == 0, done.stderr
    assert (out / "run.scratchnet").exists() and (out / "run.gif").exists()
    assert (out / "network.png").exists()


@pytest.mark.parametrize("text,pattern", [
    ("2,9_0,1", r"hidden layer 1: '9_0' is not a whole number"),
    ("2,,1", r"hidden layer 1: an empty entry is not a whole number"),
    (",2,1,", r"input: an empty entry is not a whole number"),
    ("2;9;1", r"input: '2;9;1' is not a whole number \(sizes are whole numbers separated "
              r"by commas, e.g. 2, 9, 6, 1\)"),
    ("2,+9,1", r"'\+9' is not a whole number"),
])
def test_layer_sizes_with_typos_are_refused(capsys, text, pattern):
    one_line(capsys, ["--layers", text, "--epochs", "1"], 2, pattern)


def test_save_is_written_whatever_another_output_does(capsys, tmp_path, monkeypatch):
    from scratchnet_gui.cli import main as cli
    from scratchnet_gui.cli import export

    def broken(*args, **kw):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(cli, "_views", lambda: (None, {}))  # no Qt in this process
    monkeypatch.setattr(cli, "_draw", lambda *args: None)
    monkeypatch.setattr(export, "export_all", broken)
    saved = tmp_path / "s.scratchnet"
    code, _, lines = main(capsys, "--dataset", "moons", "--samples", "60", "--layers",
                          "2,3,1", "--epochs", "1", "--out", str(tmp_path / "plots"),
                          "--save", str(saved))
    assert code == 2 and "No space left" in lines[-1]
    assert session_epoch(saved) == 1  # the trained session is not lost


def session_epoch(path):
    from scratchnet import session

    return session.load(path)[0].epoch
