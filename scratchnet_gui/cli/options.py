"""The options of ``scratchnet train``: parsing with one-line errors, and the Config.

Every value is checked as it is parsed (type and range, naming the option); options
that would be ignored are refused instead: model and data options with ``--load``,
``--momentum`` without the momentum optimizer, ``--gamma`` without a schedule that
uses it, ``--classes`` with a CSV. The output layer's width is checked against the
data's task once the data are built (``cli._setup``).
"""

from __future__ import annotations

import argparse
import dataclasses
import math

from scratchnet import data, optimizers, presets, tasks
from scratchnet.compare import COMPARISONS
from scratchnet.config import Config
from scratchnet.network import INITS
from scratchnet.settings import BACKPROPS
from scratchnet.network import parse_sizes
from scratchnet.trainer import MAX_EPOCHS

from ..about import version_line

# what a session already holds: given with --load, each would be silently ignored
LOAD_CONFLICTS = ("preset", "dataset", "csv", "samples", "noise", "classes", "task",
                  "features", "layers",
                  "activation", "init", "optimizer", "lr", "momentum", "beta1", "beta2",
                  "schedule", "gamma", "step_size", "period", "min_lr", "batch_size", "l1",
                  "l2", "backprop", "seed")
# schedule parameter -> the schedules that use it
SCHEDULE_PARAMS = {"gamma": ("step", "exponential"), "step_size": ("step",),
                   "period": ("cosine",), "min_lr": ("cosine",)}
OPTIMIZER_PARAMS = {"momentum": "momentum", "beta1": "adam", "beta2": "adam"}
DEFAULT_GIF_EVERY = 5
PATHS = ("csv", "out", "gif", "save", "load")  # options naming a file or folder


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        self.exit(2, f"{self.prog}: error: {message}\n")


def whole(lo: int, hi: int, what: str = "it"):
    """An argparse type: a whole number in ``[lo, hi]``."""
    def parse(text: str) -> int:
        v = int(text)  # ValueError: argparse says "invalid int value: 'x'"
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError(f"{what} must be a whole number from {lo} to "
                                             f"{hi:,}, not {text}")
        return v
    parse.__name__ = "int"
    return parse


def real(lo: float, hi: float = math.inf, lo_open=False, hi_open=False, what: str = "it"):
    """An argparse type: a finite number between ``lo`` and ``hi`` (open ends if asked)."""
    def parse(text: str) -> float:
        v = float(text)  # ValueError: argparse says "invalid float value: 'x'"
        low = v > lo if lo_open else v >= lo
        high = v < hi if hi_open else v <= hi
        if not (math.isfinite(v) and low and high):
            rule = f"{'>' if lo_open else '≥'} {lo:g}"
            if hi != math.inf:
                rule += f" and {'<' if hi_open else '≤'} {hi:g}"
            raise argparse.ArgumentTypeError(f"{what} must be a finite number {rule}, "
                                             f"not {text}")
        return v
    parse.__name__ = "float"
    return parse


def layers(text: str) -> list:
    try:
        return parse_sizes(text)  # the same parser and limits as the window's
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def parser(cls=Parser) -> argparse.ArgumentParser:
    """The command's parser; ``cls`` is its class and its subcommands' (``Parser``
    exits with one line; ``cli.compare`` gives one that raises, to name --compare)."""
    p = cls(prog="scratchnet", description="Train a from-scratch network headless.")
    p.add_argument("--version", action="version", version=version_line("scratchnet"))
    sub = p.add_subparsers(dest="command", required=True, parser_class=cls)
    t = sub.add_parser("train", help="train, then write plots, a summary and a session")
    _data_options(t)
    _run_options(t.add_argument)
    _output_options(t.add_argument)
    return p


def _data_options(t) -> None:
    add = t.add_argument
    add("--preset", choices=list(presets.PRESETS),
        help="one of the article's experiments, or the app's classic demo")
    src = t.add_mutually_exclusive_group()
    src.add_argument("--dataset", choices=list(data.ALL_GENERATORS),
                     help="a generated set; reg-plane and reg-gauss are regression sets")
    src.add_argument("--csv", metavar="FILE", help="your own data: numeric columns + a label "
                     "(up to 20 distinct values: classes; more numbers: a regression target)")
    add("--task", choices=list(tasks.TASKS),
        help="classification or regression (guessed from the data when left out)")
    add("--classes", type=whole(2, data.MAX_GENERATED_CLASSES, "the number of classes"),
        help=f"classes of {' and '.join(data.MULTICLASS_GENERATORS)} (2 by default)")
    add("--samples", type=whole(data.MIN_ROWS, data.MAX_SAMPLES, "the number of points"),
        help=f"points to generate (at most {data.MAX_SAMPLES:,})")
    add("--noise", type=real(0), help="noise of the generated points")
    add("--features", help="engineered inputs, comma-separated: " + ", ".join(data.FEATURES))


def _run_options(add) -> None:
    """The network's and its training's options (``--compare`` may change them), and
    the seed."""
    add("--layers", type=layers, help="sizes, input first, e.g. 2,9,6,1; the output has one "
        "unit per class for 3 classes or more, else one")
    add("--activation", help="hidden activation: one name, or one per layer")
    add("--init", choices=list(INITS), help="weight initialisation")
    add("--optimizer", choices=list(optimizers.OPTIMIZERS))
    add("--lr", type=real(0, lo_open=True, what="the learning rate"))
    add("--momentum", type=real(0, 1, hi_open=True), help="μ of the momentum optimizer")
    add("--beta1", type=real(0, 1, hi_open=True), help="Adam's β1")
    add("--beta2", type=real(0, 1, hi_open=True), help="Adam's β2")
    add("--schedule", choices=list(optimizers.SCHEDULES), help="learning-rate schedule")
    add("--gamma", type=real(0, 10, lo_open=True), help="step/exponential decay factor")
    add("--step-size", type=whole(1, 10**9), help="epochs per step of the step schedule")
    add("--period", type=whole(1, 10**9), help="epochs of the cosine schedule")
    add("--min-lr", type=real(0), help="the cosine schedule's final learning rate")
    add("--batch-size", type=whole(1, data.MAX_SAMPLES))
    add("--l1", type=real(0), help="L1 weight penalty")
    add("--l2", type=real(0), help="L2 weight penalty")
    add("--backprop", choices=list(BACKPROPS), help="correct (the engine's), or the "
        "article's loop with its two mistakes: all-sigmoid, --batch-size 1, sgd only")
    # 0 is allowed: --load run.scratchnet --epochs 0 --out plots redraws a saved session
    add("--epochs", type=whole(0, MAX_EPOCHS, "the number of epochs"),
        help="epochs to train in this run")
    add("--target-auc", type=real(0, 1, lo_open=True),
        help="stop once the AUC (R² for regression) reaches this")
    add("--seed", type=whole(0, 2**32 - 1, "the seed"))


def _output_options(add) -> None:
    add("--out", metavar="DIR", help="write every plot as PNG, SVG and CSV here")
    add("--gif", metavar="FILE", help="record the graph and boundary as a GIF")
    add("--gif-every", type=whole(1, 10**6), metavar="N",
        help=f"one GIF frame per N epochs ({DEFAULT_GIF_EVERY} by default)")
    add("--save", metavar="SESSION", help="save the session when done")
    add("--export-model", metavar="PATH", help="write the trained model with its "
        "preprocessing: PATH.onnx (ONNX, needs the onnx package) or PATH.py (PyTorch)")
    add("--load", metavar="SESSION", help="continue a saved session")
    add("--json", action="store_true", help="print the summary as JSON")
    add("--compare", metavar="KEY=VALUE[,KEY=VALUE...]",
        help="train a second run B beside A, the same data, split and seed, with these "
        "options changed (e.g. activation=relu,init=he or layers=2,9,6,1); --out then "
        "writes a/ and b/ and overlaid curves, --save NAME.scratchnet writes NAME-a and "
        "NAME-b")
    add("--compare-preset", choices=list(COMPARISONS), metavar="NAME",
        help="train one of the comparison presets as A and B: " + ", ".join(COMPARISONS))


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def check_combinations(args) -> None:
    """Refuse options that would be ignored (``ValueError``, one line)."""
    for name in PATHS:
        value = getattr(args, name)
        if value is not None and not value.strip():
            raise ValueError(f"{_flag(name)} needs a file or folder name, not an empty one")
    if args.gif_every is not None and not args.gif:
        raise ValueError("--gif-every applies to --gif, which is not given")
    if args.load:
        given = [_flag(n) for n in LOAD_CONFLICTS if getattr(args, n) is not None]
        if given:
            raise ValueError(f"--load continues a saved session with its own settings; "
                             f"it cannot take {', '.join(given)}")
    if args.csv and (args.samples is not None or args.noise is not None):
        raise ValueError("--samples and --noise shape generated data, not --csv")
    if args.csv and args.classes is not None:
        raise ValueError("--classes shapes generated data; a CSV's classes come from its labels")


def _check_extras(args, cfg: Config) -> None:
    t = cfg.training
    for name, opt in OPTIMIZER_PARAMS.items():
        if getattr(args, name) is not None and t.optimizer != opt:
            raise ValueError(f"{_flag(name)} applies to --optimizer {opt}, not {t.optimizer}")
    kind = t.schedule.get("kind", "constant")
    for name, kinds in SCHEDULE_PARAMS.items():
        if getattr(args, name) is not None and kind not in kinds:
            raise ValueError(f"{_flag(name)} applies to --schedule {' or '.join(kinds)}, "
                             f"not {kind}")


def _activations(args, hidden) -> list:
    """The hidden layers' activations ``--activation`` names (one for all, or one each);
    a network without hidden layers has none to name."""
    if not hidden:
        net = (f"--layers {','.join(map(str, args.layers))}" if args.layers
               else f"--preset {args.preset}")
        raise ValueError(f"--activation applies to hidden layers; the network of {net} "
                         f"has none")
    names = [a.strip() for a in args.activation.split(",")]
    return names * len(hidden) if len(names) == 1 else names


def _data_spec(args, spec):
    """The preset's data spec with the data options applied."""
    if args.seed is not None and (not args.preset or args.dataset):
        spec = dataclasses.replace(spec, seed=args.seed)  # a preset seeds its own data
    if args.dataset:
        spec = dataclasses.replace(spec, source=args.dataset, cluster_std=None)
    if args.csv:
        spec = dataclasses.replace(spec, source="csv", csv_path=args.csv)
    if args.samples is not None:
        spec = dataclasses.replace(spec, n_samples=args.samples)
    if args.noise is not None:
        spec = dataclasses.replace(spec, noise=args.noise)
    if spec.source == "blobs" and (args.dataset or args.noise is not None):
        spec = dataclasses.replace(spec, cluster_std=spec.noise)  # blobs' noise is its spread
    if args.classes is not None:
        spec = dataclasses.replace(spec, classes=args.classes)
    if args.task is not None:
        spec = dataclasses.replace(spec, task=args.task)
    if args.features is not None:
        spec = dataclasses.replace(spec, features=[f.strip() for f in args.features.split(",")
                                                   if f.strip()])
    return spec


def _model_changes(args, model) -> dict:
    """The model options, as ``Config.replace`` changes."""
    out = {}
    hidden = model.hidden
    if args.layers:  # the input and output widths are checked against the data (cli._setup)
        hidden = out["hidden"] = args.layers[1:-1]
        out["activations"] = [model.activations[0] if model.activations else "sigmoid"] * len(hidden)
    if args.activation:
        out["activations"] = _activations(args, hidden)
    return out


def _training_changes(args, training) -> dict:
    """The training options, as ``Config.replace`` changes."""
    out = {k: getattr(args, k) for k in ("init", "optimizer", "lr", "momentum", "beta1",
                                         "beta2", "batch_size", "l1", "l2", "target_auc",
                                         "backprop")
           if getattr(args, k) is not None}
    schedule = {"kind": args.schedule} if args.schedule is not None else training.schedule
    extra = {k: getattr(args, k) for k in SCHEDULE_PARAMS if getattr(args, k) is not None}
    if args.schedule is not None or extra:
        out["schedule"] = {**schedule, **extra}
    if args.epochs is not None:
        out["max_epochs"] = args.epochs
    return out


def build_config(args) -> Config:
    """The experiment the options describe: the preset (or the classic demo), changed."""
    cfg = presets.get(args.preset, args.seed or 0) if args.preset else Config()
    cfg = cfg.replace(data=_data_spec(args, cfg.data),
                      seed=args.seed if args.seed is not None else cfg.seed,
                      **_model_changes(args, cfg.model))
    cfg = cfg.replace(**_training_changes(args, cfg.training))
    _check_extras(args, cfg)
    return Config.from_dict(cfg.to_dict())  # validates every field once more
