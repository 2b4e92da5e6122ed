"""``scratchnet train … --compare KEY=VALUE[,KEY=VALUE…]``: runs A and B side by side.

Run A is what the other options describe; run B is the same command line with each
KEY given as its option (``--KEY VALUE`` appended and parsed again), so every value is
parsed and checked exactly as the option itself is. Both share the data (built once),
the split and the seed, and so the starting weights wherever their shapes and
initialisation match. ``--compare-preset NAME`` trains ``scratchnet.compare.pair``.
Everything is refused before any training, in one line.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import time
from dataclasses import dataclass, field

from scratchnet import DivergenceError, compare, data
from scratchnet.config import Config, make_trainer
from scratchnet.trainer import LimitError

from . import landscape as cli_landscape
from . import main as cli
from .options import Parser, build_config, check_combinations, parser

# the options one run may change: the network and its training
RUN_KEYS = ("layers", "activation", "init", "optimizer", "lr", "momentum", "beta1",
            "beta2", "schedule", "gamma", "step_size", "period", "min_lr", "batch_size",
            "l1", "l2", "backprop", "epochs", "target_auc")
# the options both runs share: the data, its split and the seed
SHARED_KEYS = ("preset", "dataset", "csv", "samples", "noise", "classes", "task",
               "features", "seed")
# outputs of one run only, and why
SOLO = {"load": "continues one saved session", "gif": "records one run",
        "export_model": "writes one model"}


class _Raising(Parser):
    """A parser whose errors are ``ValueError``: B's options are named as --compare's."""

    def error(self, message):
        raise ValueError(message)


@dataclass
class Run:
    """One side of the comparison: its options, settings, trainer and how it ended."""

    name: str
    args: argparse.Namespace
    config: Config
    trainer: object = None
    goal: int = 0
    reason: str | None = None
    error: str | None = None
    seconds: float = 0.0
    files: list = field(default_factory=list)


def _flag(key: str) -> str:
    return "--" + key.replace("_", "-")


def pieces(text: str) -> dict:
    """``{key: value}`` of ``KEY=VALUE[,KEY=VALUE…]``; a piece without ``=`` continues
    the value before it (``layers=2,9,6,1``). Keys are the options' names, ``-`` or
    ``_`` alike; each is checked."""
    out, key = {}, None
    for piece in text.split(","):
        if "=" not in piece:
            if key is None:
                raise ValueError(f"--compare takes KEY=VALUE pieces, comma-separated, "
                                 f"not {text!r}")
            out[key] += "," + piece.strip()
            continue
        name, value = piece.split("=", 1)
        key = name.strip().replace("-", "_")
        _check_key(key, name.strip())
        if key in out:
            raise ValueError(f"--compare gives {name.strip()} twice")
        out[key] = value.strip()
    for key, value in out.items():
        if not value.strip(","):
            raise ValueError(f"--compare {key.replace('_', '-')}= needs a value")
    return out


def _check_key(key: str, name: str) -> None:
    if key in SHARED_KEYS:
        raise ValueError(f"--compare cannot change {name}: runs A and B share the data, "
                         f"its split and the seed (change it for both, outside --compare)")
    if key not in RUN_KEYS:
        raise ValueError(f"--compare has no key {name!r}; choose from "
                         f"{', '.join(k.replace('_', '-') for k in RUN_KEYS)}")


def b_args(argv: list, changes: dict) -> argparse.Namespace:
    """Run B's options: the command line with each change appended as its option."""
    extra = [f"{_flag(k)}={v}" for k, v in changes.items()]
    try:
        return parser(_Raising).parse_args([*argv, *extra])
    except ValueError as e:  # "argument --lr: …" said as what the user wrote
        text = re.sub(r"^argument [^:]+: ", "", str(e))
        bad = next((f"{k.replace('_', '-')}={v}" for k, v in changes.items()
                    if str(e).startswith(f"argument {_flag(k)}:")),
                   ",".join(f"{k.replace('_', '-')}={v}" for k, v in changes.items()))
        raise ValueError(f"--compare {bad}: {text}") from None


def check(args) -> None:
    """Refuse what a comparison cannot take, before anything is built."""
    check_combinations(args)
    if args.compare is not None and args.compare_preset is not None:
        raise ValueError("--compare and --compare-preset both describe run B: give one")
    flag = "--compare" if args.compare is not None else "--compare-preset"
    for name, why in SOLO.items():
        if getattr(args, name):
            raise ValueError(f"{flag} trains two runs, and {_flag(name)} {why}: train the "
                             f"run you want alone for it")
    if args.compare_preset is not None:
        given = [_flag(k) for k in (*SHARED_KEYS, *RUN_KEYS)
                 if k not in ("seed", "epochs", "target_auc") and getattr(args, k) is not None]
        if given:
            raise ValueError(f"--compare-preset sets both runs' data and settings; it "
                             f"takes --seed, --epochs and --target-auc, not {', '.join(given)}")


def runs(args, argv: list) -> list:
    """Runs A and B, their settings validated; B's options are A's with --compare's."""
    if args.compare_preset is not None:
        a, b = compare.pair(args.compare_preset, args.seed or 0)
        changes = {"max_epochs": args.epochs, "target_auc": args.target_auc}
        changes = {k: v for k, v in changes.items() if v is not None}
        a, b = a.replace(**changes).validate(), b.replace(**changes).validate()
        return [Run("a", args, a), Run("b", args, b)]
    args_b = b_args(argv, pieces(args.compare))
    a = build_config(args)
    with _as_b(args):
        b = build_config(args_b)
    if a.data != b.data or a.seed != b.seed:  # refused above; a guard, not a message
        raise ValueError("--compare changed the data or the seed, which both runs share")
    return [Run("a", args, a), Run("b", args_b, b)]


@contextlib.contextmanager
def _as_b(args):
    """A ``ValueError`` within says it is run B's, and what made it."""
    try:
        yield
    except ValueError as e:
        what = (f"--compare {args.compare}" if args.compare is not None
                else f"--compare-preset {args.compare_preset}")
        raise ValueError(f"run B ({what}): {e}") from None


def save_path(path: str, run: str) -> str:
    """``NAME-a.scratchnet`` for run A of ``--save NAME.scratchnet``."""
    root, ext = os.path.splitext(path)
    return f"{root}-{run}{ext}"


def _outputs(run: Run, args) -> argparse.Namespace:
    """The run's own outputs: ``DIR/a/`` for ``--out DIR``, ``NAME-a`` for ``--save``."""
    return argparse.Namespace(**{
        **vars(run.args), "out": os.path.join(args.out, run.name) if args.out else None,
        "save": save_path(args.save, run.name) if args.save else None,
        "gif": None, "export_model": None})


def setup(args, argv: list):
    """``(runs, dataset)``: both runs' trainers on one dataset, every output checked."""
    check(args)
    both = runs(args, argv)
    for run in both:
        run.args = _outputs(run, args)
        cli._check_outputs(run.args)
    dataset = data.build(both[0].config.data)
    for run in both:
        with _as_b(args) if run.name == "b" else contextlib.nullcontext():
            cli.check_fit(run.args, run.config, dataset)
        run.trainer = make_trainer(run.config, dataset)
        run.goal = run.config.training.max_epochs
        if args.out:  # the history's sharpness column, for each run's sharpness.csv
            cli_landscape.measure(run.trainer, run.goal)
    return both, dataset


def step_both(both: list) -> None:
    """Train in lockstep, epoch by epoch: A's epoch, then B's, so neither is ever more
    than one epoch ahead. A run that stops (its target, its epochs, a divergence)
    waits while the other goes on."""
    while any(r.reason is None for r in both):
        for r in both:
            if r.reason is not None:
                continue
            t0 = time.perf_counter()
            try:
                r.reason = r.trainer.stop_reason(r.goal)
                if r.reason is None:
                    r.trainer.step_epoch()
            except DivergenceError as e:  # the last good weights are kept, and written
                r.reason = "limit" if isinstance(e, LimitError) else "diverged"
                r.error = str(e)
            r.seconds += time.perf_counter() - t0
        if sys.stderr.isatty():
            print("\r" + "  ".join(f"{r.name.upper()} epoch {r.trainer.epoch}/{r.goal}"
                                   for r in both), end="", file=sys.stderr, flush=True)


def write(args, both: list, dataset, line: str) -> list:
    """Each run's files (``_write``: the solo run's), then the overlaid curves in
    ``--out`` itself; returns the overlays' paths."""
    app = views = None
    if args.out:
        app, views = cli._views()
    for r in both:
        r.files = cli._write(r.args, r.trainer, r.config, dataset, None, app, views)
    if not args.out:
        return []
    from . import compare_plots

    return compare_plots.write_all(args.out, [(r.name.upper(), r.trainer.history)
                                              for r in both], dataset.task, line)


def train(args, argv: list) -> dict:
    """Train runs A and B and write their outputs: ``{"a": summary, "b": summary,
    "differs": {name: [a, b]}, "files": the overlays}``."""
    both, dataset = setup(args, argv)
    diff = compare.differs(both[0].config, both[1].config)
    line = compare.describe(diff)
    step_both(both)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    overlays = write(args, both, dataset, line)
    out = {r.name: cli.summary(r.trainer, dataset, r.trainer.epoch, r.seconds, r.reason,
                               r.error, r.files) for r in both}
    return {**out, "differs": {k: list(v) for k, v in diff.items()}, "files": overlays}


def describe_line(done: dict) -> str:
    """The settings B changes, in words, for the text summary."""
    return compare.describe({k: tuple(v) for k, v in done["differs"].items()})
