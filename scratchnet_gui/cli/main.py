"""``scratchnet``: train headless and write the same plots as the app.

    scratchnet train --preset circles-deep --seed 0 --json --out plots
"""

from __future__ import annotations

import json
import math
import os
import sys
import time

from scratchnet import DivergenceError, data, fileio, kernel, metrics, model_export, session
from scratchnet.config import make_trainer
from scratchnet.trainer import MAX_EPOCHS, LimitError

from . import landscape as cli_landscape
from .options import DEFAULT_GIF_EVERY, build_config, check_combinations, parser

VIEW_SIZE = (900, 650)


def _progress(trainer, total, enabled):
    if enabled:
        h, m = trainer.history, trainer.task.metric
        name = "R²" if m == "r2" else "AUC"
        print(f"\repoch {trainer.epoch}/{total}  train {name} {h.last('train_' + m):.4f}  "
              f"test {name} {h.last('test_' + m):.4f}  loss {h.last('train_loss'):.4f}",
              end="", file=sys.stderr, flush=True)


def _views():
    """The app's views, offscreen, sized for export."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from ..views.confusion_view import ConfusionView
    from ..views.gradient_view import GradientView
    from ..views.hidden_space_view import HiddenSpaceView
    from ..views.landscape_view import LandscapeView
    from ..views.network_view import NetworkView
    from ..views.prediction_view import PredictionView
    from ..views.task_curves import MetricView, TaskLossView, TaskRocView

    qInstallMessageHandler(lambda mode, ctx, msg: None if "propagateSizeHints" in msg
                           else sys.stderr.write(msg + "\n"))
    app = QApplication.instance() or QApplication(["scratchnet"])
    views = {}
    for cls in (NetworkView, PredictionView, MetricView, TaskLossView, TaskRocView,
                ConfusionView, LandscapeView, GradientView, HiddenSpaceView):
        v = cls()
        v.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        v.resize(*VIEW_SIZE)
        v.show()
        views[v.objectName()] = v
    app.processEvents()
    return app, views


def _snapshot(trainer, dataset, seq=0, landscape=None):
    from .. import snapshot

    from ..process import insight as loop_insight

    pts, grid, thumb = snapshot.Points.from_dataset(dataset)
    why = {"units": loop_insight.unit_shares(trainer),  # the rings, the hidden space
           "hidden": loop_insight.hidden_of(trainer, pts, (grid, thumb), 0)}
    return snapshot.take(trainer, pts, (grid, thumb), seq, 0, False, landscape=landscape,
                         **why)


def _draw(app, views, snap):
    for v in views.values():
        v.draw(snap)
    app.processEvents()


def dataset_raw(dataset):
    """``(X, y, names, classes)`` for a CSV dataset (saved inside a session), in the
    order loaded (``Dataset.raw``), else ``None``."""
    return dataset.raw() if dataset.spec.source == "csv" else None


def _check_outputs(args) -> None:
    """Refuse an output that could not be written before training, not after it."""
    out = os.path.abspath(args.out) if args.out else None
    if args.out:
        fileio.check_writable(args.out, folder=True)
    for path in (args.save, args.gif, args.export_model):
        if path and os.path.dirname(os.path.abspath(path)) == out:
            continue  # a file in the --out folder: that folder was checked, and is made
        if path:
            fileio.check_writable(path)
    if args.export_model:
        model_export.check_path(args.export_model)
        if args.export_model.lower().endswith(".onnx"):
            model_export.check_onnx()


def _setup(args):
    """``(trainer, config, dataset, epochs to run)`` from --load or the options."""
    if args.load:
        trainer, cfg, dataset, _ = session.load(args.load)
        epochs = args.epochs if args.epochs is not None else cfg.training.max_epochs
        if args.target_auc is not None:
            trainer.target_auc = args.target_auc
        if trainer.epoch + epochs > MAX_EPOCHS:
            raise ValueError(f"--epochs {epochs:,} would take the session from epoch "
                             f"{trainer.epoch:,} past {MAX_EPOCHS:,}, the most a session holds")
        _check_session_room(args, trainer.network.sizes, trainer.optimizer.name, dataset,
                            trainer.epoch + epochs, trainer.timeline is not None)
        return trainer, cfg, dataset, epochs
    cfg = build_config(args)
    dataset = data.build(cfg.data)
    check_fit(args, cfg, dataset)
    return make_trainer(cfg, dataset), cfg, dataset, cfg.training.max_epochs


def check_fit(args, cfg, dataset) -> None:
    """Refuse, before training, layers that do not fit the data and a ``--save`` session
    the reader could not load."""
    if args.layers and args.layers[0] != dataset.n_features:
        raise ValueError(f"the input layer must have {dataset.n_features} units, one per "
                         f"input feature ({', '.join(dataset.input_names)}), not {args.layers[0]}")
    if args.layers and args.layers[-1] != dataset.n_outputs:
        raise ValueError(_output_rule(dataset.task, args.layers[-1]))
    _check_session_room(args, cfg.sizes(dataset.n_features, dataset.n_outputs),
                        cfg.training.optimizer, dataset, cfg.training.max_epochs, False)


def _check_session_room(args, sizes, optimizer, dataset, last_epoch, timeline) -> None:
    """With ``--save``, refuse before training a session the reader could not load."""
    if not args.save:
        return
    raw_values = 0
    if dataset.spec.source == "csv":  # the points as read: their columns and the label
        raw_values = sum(X.size + len(X) for X in (dataset.raw_train, dataset.raw_test))
    session.check_room(sizes, optimizer, len(dataset.y_train), raw_values, last_epoch + 1,
                       timeline, args.save)


def _output_rule(task, got: int) -> str:
    if task.kind == "regression":
        return f"the output layer has one unit (the predicted value), not {got}"
    if task.n_outputs == 1:
        return f"the output layer has one unit (the probability of class 1), not {got}"
    return (f"the output layer needs {task.n_classes} units, one per class "
            f"({', '.join(task.classes[:6])}{', …' if task.n_classes > 6 else ''}), not {got}")


def _write(args, trainer, cfg, dataset, recorder, app, views) -> list:
    """Write every output; ``--save`` first, so it is written whatever an output does."""
    written = []
    if args.out:  # --save or --gif may be written into it
        try:
            os.makedirs(args.out, exist_ok=True)
        except OSError as e:
            raise fileio.error(args.out, e) from None
    if args.save:
        session.save(args.save, trainer, cfg, raw=dataset_raw(dataset))
        written.append(args.save)
    if args.out or args.gif:
        from . import export

        if views is None:
            app, views = _views()
        scape = cli_landscape.frame(trainer) if args.out else None
        snap = _snapshot(trainer, dataset, trainer.epoch, scape)
        _draw(app, views, snap)
        if args.out:
            written += export.export_all(views, snap, args.out)
            written.append(cli_landscape.write_sharpness(snap, args.out))
        if recorder is not None:
            recorder.offer(snap, force=True)  # the last epoch, a multiple of N or not
            recorder.save(args.gif)
            written.append(args.gif)
    if args.export_model:
        model_export.export(args.export_model, trainer.network, dataset.inputs,
                            dataset.names[:-1], dataset.task.classes or None)
        written.append(args.export_model)
    return written


def _gif_frames(start: int, goal: int, every: int) -> int:
    """Frames a GIF of epochs ``start`` to ``goal`` gets: the first, each multiple of
    ``every`` after it, and the last."""
    return 1 + goal // every - start // every + (1 if goal % every else 0)


def _recorder(args, start: int, goal: int):
    """``(recorder, app, views)`` for ``--gif``; a GIF over its frame cap is refused
    before training (it would stop recording part way)."""
    if not args.gif:
        return None, None, None
    from .export import MAX_GIF_FRAMES, GifRecorder

    every = args.gif_every or DEFAULT_GIF_EVERY
    frames = _gif_frames(start, goal, every)
    if frames > MAX_GIF_FRAMES:
        least = next(n for n in range(every, goal + 2)
                     if _gif_frames(start, goal, n) <= MAX_GIF_FRAMES)
        raise ValueError(f"--gif holds at most {MAX_GIF_FRAMES} frames; epochs {start} to "
                         f"{goal} at --gif-every {every} would make {frames:,}: use "
                         f"--gif-every {least} or more")
    app, views = _views()
    return GifRecorder([views["network_view"], views["prediction_view"]], every), app, views


def train(args) -> dict:
    """Train as the options say and write the outputs; a divergence still writes them
    (with the last good weights) and is reported in the summary's ``error``."""
    check_combinations(args)
    _check_outputs(args)
    trainer, cfg, dataset, epochs = _setup(args)
    start_epoch, t0 = trainer.epoch, time.perf_counter()
    goal = start_epoch + epochs
    show = sys.stderr.isatty() and not args.json
    recorder, app, views = _recorder(args, start_epoch, goal)
    if args.out:  # the history's sharpness column, for sharpness.csv
        cli_landscape.measure(trainer, epochs)
    if recorder is not None:  # the state trained from: a run shorter than N has frames
        snap = _snapshot(trainer, dataset, trainer.epoch)
        _draw(app, views, snap)
        recorder.offer(snap, force=True)
    error = None
    try:
        while trainer.stop_reason(goal) is None:
            trainer.step_epoch()
            _progress(trainer, goal, show)
            if recorder is not None and recorder.wants(trainer.epoch):
                snap = _snapshot(trainer, dataset, trainer.epoch)
                _draw(app, views, snap)
                recorder.offer(snap)
        reason = trainer.stop_reason(goal)
    except DivergenceError as e:  # LimitError: a counter at the cap a session holds
        reason, error = "limit" if isinstance(e, LimitError) else "diverged", str(e)
    if show:
        print(file=sys.stderr)
    seconds = time.perf_counter() - t0
    written = _write(args, trainer, cfg, dataset, recorder, app, views)
    return summary(trainer, dataset, trainer.epoch - start_epoch, seconds, reason, error,
                   written)


def summary(trainer, dataset, epochs_run, seconds, reason, error, written) -> dict:
    """What ``--json`` prints of one run: its epochs, scores, stop, files and error."""
    return {"epochs": trainer.epoch, "epochs_run": epochs_run,
            **_scores(trainer, dataset), "seconds": round(seconds, 4),
            "target_auc": trainer.target_auc, "target_metric": trainer.task.metric,
            "target_reached": trainer.reached_target, "stopped_by": reason,
            "architecture": trainer.network.sizes, "files": written, "error": error,
            "dead": _dead(trainer),
            "kernel": (str(kernel.status()) if kernel.fits(trainer)
                       else "numpy (does not fit)")}


def _dead(trainer) -> dict:
    """The last epoch's dead units per hidden layer (``{"layer_1": 0, …}``)."""
    from scratchnet import diagnostics

    h = trainer.history
    return diagnostics.dead_counts({k: h.last(k) for k in h.keys},
                                   trainer.network.sizes[1:-1])


def _scores(trainer, dataset) -> dict:
    """The task's scores of the last epoch: AUC, accuracy and the test confusion matrix
    (rows true class, columns predicted, in ``classes`` order), or R² and MSE."""
    h, task = _exact_last(trainer), dataset.task
    out = {"task": task.kind, "classes": list(task.classes), "train_loss": h["train_loss"]}
    if task.kind == "regression":
        return {**out, **{k: h[k] for k in ("train_r2", "test_r2", "train_mse", "test_mse")}}
    confusion = metrics.confusion(trainer.y_test, trainer.network.forward(trainer.X_test))
    return {**out, "train_auc": h["train_auc"], "test_auc": h["test_auc"],
            "train_accuracy": h["train_acc"], "test_accuracy": h["test_acc"],
            "confusion": confusion.tolist()}


def _exact_last(trainer) -> dict:
    """The history's last row, with the scores measured on every row: a large set's
    history holds estimates (``tasks.metric_sample``), so its final ones are measured."""
    h = trainer.history
    last = {k: h.last(k) for k in h.keys}
    limit, sets = trainer.metric_rows, (trainer.X_train, trainer.X_test)
    if limit is None or max(len(X) for X in sets if X is not None) <= limit:
        return last
    import numpy as np

    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for part, X, y in (("train", trainer.X_train, trainer.y_train),
                           ("test", trainer.X_test, trainer.y_test)):
            last.update({f"{part}_{k}": v for k, v in trainer.evaluate(X, y).items()})
    return last


def strict_json(value):
    """``value`` with every float that JSON cannot hold (NaN, ±inf) as ``None``, and
    numpy scalars as Python numbers."""
    if isinstance(value, dict):
        return {k: strict_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict_json(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalars
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def main(argv=None) -> int:
    """Run the command; 0 when done, 1 when training diverged, 2 for bad input or files."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser().parse_args(argv)
    if args.command == "train":
        # compiling (about 0.4 s from numba's cache) overlaps the data's build and
        # scikit-learn's import; training takes the kernel as soon as it is ready
        kernel.start_compiling()
    comparing = args.compare is not None or args.compare_preset is not None
    try:
        if comparing:
            from . import compare

            done = compare.train(args, argv)
        else:
            done = train(args)
    except (ValueError, OSError) as e:
        print(f"scratchnet: error: {str(e).splitlines()[0]}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("scratchnet: interrupted", file=sys.stderr)
        return 130
    runs = {k: done[k] for k in ("a", "b")} if comparing else {"": done}
    if args.json:  # strict JSON: NaN and infinities are null (jq, JSON.parse)
        print(json.dumps(strict_json(done), allow_nan=False))
    else:
        if comparing:
            print(compare.describe_line(done))
        for run, s in runs.items():
            print_summary(s, f"{run.upper()}: " if run else "")
        for f in done["files"] if comparing else ():  # the overlaid curves
            print(f"  wrote {f}")
    errors = [f"{run.upper()}: " * bool(run) + s["error"] for run, s in runs.items()
              if s["error"]]
    for e in errors:
        print(f"scratchnet: error: {e}", file=sys.stderr)
    return 1 if errors else 0


def print_summary(summary: dict, prefix: str = "") -> None:
    """One run's summary in words, and the files it wrote."""
    m = summary["target_metric"]
    name = "R²" if m == "r2" else "AUC"
    print(f"{prefix}trained {summary['epochs_run']} epochs ({summary['epochs']} in all) in "
          f"{summary['seconds']:.2f} s: train {name} {summary['train_' + m]:.4f}, test "
          f"{name} {summary['test_' + m]:.4f}"
          + (f", target {summary['target_auc']} reached" if summary["target_reached"] else ""))
    for f in summary["files"]:
        print(f"  wrote {f}")


if __name__ == "__main__":
    sys.exit(main())
