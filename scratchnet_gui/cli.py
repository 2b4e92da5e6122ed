"""``scratchnet``: train headless and write the same plots as the app.

    scratchnet train --preset circles-deep --seed 0 --json --out plots
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time

from scratchnet import data, presets, session
from scratchnet.config import Config, make_trainer

VIEW_SIZE = (900, 650)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        self.exit(2, f"{self.prog}: error: {message}\n")


def _layers(text: str) -> list:
    try:
        sizes = [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--layers takes whole numbers like 2,9,6,1, not {text!r}") from None
    if len(sizes) < 2:
        raise argparse.ArgumentTypeError("--layers needs at least an input and an output size")
    return sizes


def _fraction(text: str) -> float:
    v = float(text)
    if not 0.0 < v <= 1.0:
        raise argparse.ArgumentTypeError(f"--target-auc must be in (0, 1], not {text}")
    return v


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="scratchnet", description="Train a from-scratch network headless.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    t = sub.add_parser("train", help="train, then write plots, a summary and a session")
    t.add_argument("--preset", choices=list(presets.PRESETS),
                   help="one of the article's experiments, or the app's classic demo")
    src = t.add_mutually_exclusive_group()
    src.add_argument("--dataset", choices=list(data.GENERATORS))
    src.add_argument("--csv", metavar="FILE", help="your own data: numeric columns + a binary label")
    t.add_argument("--samples", type=int, help="points to generate")
    t.add_argument("--noise", type=float, help="noise of the generated points")
    t.add_argument("--features", default=None,
                   help="engineered inputs, comma-separated: " + ", ".join(data.FEATURES))
    t.add_argument("--layers", type=_layers, help="sizes, input first, e.g. 2,9,6,1")
    t.add_argument("--activation", help="hidden activation: one name, or one per layer")
    t.add_argument("--optimizer", choices=["sgd", "momentum", "adam"])
    t.add_argument("--lr", type=float)
    t.add_argument("--batch-size", type=int)
    t.add_argument("--epochs", type=int, help="epochs to train in this run")
    t.add_argument("--target-auc", type=_fraction, help="stop once the AUC reaches this")
    t.add_argument("--seed", type=int)
    t.add_argument("--out", metavar="DIR", help="write every plot as PNG, SVG and CSV here")
    t.add_argument("--gif", metavar="FILE", help="record the graph and boundary as a GIF")
    t.add_argument("--gif-every", type=int, default=5, metavar="N", help="one GIF frame per N epochs")
    t.add_argument("--save", metavar="SESSION", help="save the session when done")
    t.add_argument("--load", metavar="SESSION", help="continue a saved session")
    t.add_argument("--json", action="store_true", help="print the summary as JSON")
    return p


def build_config(args) -> Config:
    cfg = presets.get(args.preset, args.seed or 0) if args.preset else Config()
    spec = cfg.data
    if args.seed is not None:
        cfg.seed = args.seed
        if not args.preset or args.dataset:  # a preset seeds its own data (blobs: a fixed draw)
            spec = dataclasses.replace(spec, seed=args.seed)
    if args.dataset:
        spec = dataclasses.replace(spec, source=args.dataset,
                                   cluster_std=spec.noise if args.dataset == "blobs" else None)
    if args.csv:
        spec = dataclasses.replace(spec, source="csv", csv_path=args.csv)
    if args.samples is not None:
        spec = dataclasses.replace(spec, n_samples=args.samples)
    if args.noise is not None:
        spec = dataclasses.replace(spec, noise=args.noise)
    if args.features is not None:
        spec = dataclasses.replace(spec, features=[f.strip() for f in args.features.split(",") if f.strip()])
    cfg.data = spec
    if args.layers:
        if args.layers[-1] != 1:
            raise ValueError(f"the output layer has one unit (a probability), not {args.layers[-1]}")
        cfg.hidden = args.layers[1:-1]
        cfg.activations = [cfg.activations[0] if cfg.activations else "sigmoid"] * len(cfg.hidden)
    if args.activation:
        names = [a.strip() for a in args.activation.split(",")]
        cfg.activations = names * len(cfg.hidden) if len(names) == 1 else names
    for field in ("optimizer", "lr", "batch_size", "target_auc"):
        value = getattr(args, field)
        if value is not None:
            setattr(cfg, field, value)
    if args.epochs is not None:
        if args.epochs < 0:
            raise ValueError(f"--epochs must be ≥ 0, not {args.epochs}")
        cfg.max_epochs = args.epochs
    return Config.from_dict(cfg.to_dict())  # validates every field once more


def _progress(trainer, total, enabled):
    if enabled:
        h = trainer.history
        print(f"\repoch {trainer.epoch}/{total}  train AUC {h.last('train_auc'):.4f}  "
              f"test AUC {h.last('test_auc'):.4f}  loss {h.last('train_loss'):.4f}",
              end="", file=sys.stderr, flush=True)


def _views():
    """The app's views, offscreen, sized for export."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from .views.curves import AucView, LossView, RocView
    from .views.network_view import NetworkView
    from .views.prediction_view import PredictionView

    qInstallMessageHandler(lambda mode, ctx, msg: None if "propagateSizeHints" in msg
                           else sys.stderr.write(msg + "\n"))
    app = QApplication.instance() or QApplication(["scratchnet"])
    views = {}
    for cls in (NetworkView, PredictionView, AucView, LossView, RocView):
        v = cls()
        v.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        v.resize(*VIEW_SIZE)
        v.show()
        views[v.objectName()] = v
    app.processEvents()
    return app, views


def _snapshot(trainer, dataset, seq=0):
    from . import snapshot

    pts, grid, thumb = snapshot.Points.from_dataset(dataset)
    return snapshot.take(trainer, pts, (grid, thumb), seq, 0, False)


def _draw(app, views, snap):
    for v in views.values():
        v.draw(snap)
    app.processEvents()


def dataset_raw(dataset):
    """``(X, y, names)`` for a CSV dataset (saved inside a session), else ``None``."""
    if dataset.spec.source != "csv":
        return None
    import numpy as np

    X = np.vstack([dataset.raw_train, dataset.raw_test])
    y = np.concatenate([dataset.y_train, dataset.y_test])
    return X, y, dataset.names


def train(args) -> dict:
    if args.load:
        trainer, cfg, dataset, _ = session.load(args.load)
        epochs = args.epochs if args.epochs is not None else cfg.max_epochs
        if args.target_auc is not None:
            trainer.target_auc = args.target_auc
    else:
        cfg = build_config(args)
        dataset = data.build(cfg.data)
        if args.layers and args.layers[0] != dataset.n_features:
            raise ValueError(f"the input layer must have {dataset.n_features} units, one per "
                             f"input feature ({', '.join(dataset.input_names)}), not {args.layers[0]}")
        trainer = make_trainer(cfg, dataset)
        epochs = cfg.max_epochs
    start_epoch, t0 = trainer.epoch, time.perf_counter()
    goal = start_epoch + epochs
    show = sys.stderr.isatty() and not args.json
    recorder = app = views = None
    if args.gif:
        from .export import GifRecorder

        app, views = _views()
        recorder = GifRecorder([views["network_view"], views["prediction_view"]], args.gif_every)
    reason = "epochs"
    while trainer.epoch < goal:
        if trainer.reached_target:
            reason = "target"
            break
        trainer.step_epoch()
        _progress(trainer, goal, show)
        if recorder is not None and trainer.epoch % recorder.every == 0:
            snap = _snapshot(trainer, dataset, trainer.epoch)
            _draw(app, views, snap)
            recorder.offer(snap)
    if trainer.reached_target:
        reason = "target"
    if show:
        print(file=sys.stderr)
    seconds = time.perf_counter() - t0
    written = []
    if args.out or args.gif:
        from . import export

        if views is None:
            app, views = _views()
        snap = _snapshot(trainer, dataset, trainer.epoch)
        _draw(app, views, snap)
        if args.out:
            written = export.export_all(views, snap, args.out)
        if recorder is not None:
            recorder.offer(snap)
            recorder.save(args.gif)
            written.append(args.gif)
    if args.save:
        session.save(args.save, trainer, cfg, raw=dataset_raw(dataset))
        written.append(args.save)
    h = trainer.history
    return {"epochs": trainer.epoch, "epochs_run": trainer.epoch - start_epoch,
            "train_auc": h.last("train_auc"), "test_auc": h.last("test_auc"),
            "train_loss": h.last("train_loss"), "seconds": round(seconds, 4),
            "target_auc": trainer.target_auc, "target_reached": trainer.reached_target,
            "stopped_by": reason, "architecture": trainer.network.sizes, "files": written}


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        summary = train(args)
    except (ValueError, OSError) as e:
        print(f"scratchnet: error: {str(e).splitlines()[0]}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("scratchnet: interrupted", file=sys.stderr)
        return 130
    if args.json:
        print(json.dumps(summary, default=float))
    else:
        print(f"trained {summary['epochs_run']} epochs ({summary['epochs']} in all) in "
              f"{summary['seconds']:.2f} s: train AUC {summary['train_auc']:.4f}, test AUC "
              f"{summary['test_auc']:.4f}"
              + (f", target {summary['target_auc']} reached" if summary["target_reached"] else ""))
        for f in summary["files"]:
            print(f"  wrote {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
