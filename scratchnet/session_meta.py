"""Checking a session's ``meta.json`` and arrays, every field, before any of it is used.

:func:`check` takes the parsed JSON and the arrays read by :mod:`scratchnet.archive` and
returns a :class:`Checked` record of plain values, or raises ``ValueError`` naming the
field (``trainer.cursor``, ``W2``, ``optimizer.slots``) and what is wrong with it. Sizes
are checked against each other and against the caps (``data.MAX_SAMPLES``,
``network.MAX_UNITS``/``MAX_LAYERS``) before the dataset or the network is built.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import activations, checks, data, losses, optimizers, tasks
from .config import Config
from .diagnostics import is_key
from .history import HISTORY_KEYS, LANDSCAPE_KEYS, REGRESSION_KEYS
from .network import INITS, MAX_UNITS, validate_sizes
from .trainer import MAX_COUNT, MAX_EPOCHS, TARGETS

TOP_KEYS = ("format", "version", "config", "network", "optimizer", "trainer", "history")
BIG = MAX_COUNT  # step and sample counters: training stops at this cap (Trainer.check_room)
STATE_KEYS = {"sgd": set(), "momentum": {"v"}, "adam": {"m", "v"}}


@dataclass
class Checked:
    """A session's contents, checked: ready to build the dataset, network and trainer."""

    config: Config
    raw: tuple | None
    sizes: list
    network: dict
    optimizer: optimizers.Optimizer
    opt_t: int
    opt_state: dict
    trainer: dict
    history: dict
    settings: dict
    weights: list
    order: np.ndarray
    start: tuple | None = None  # within an epoch: its start's weights (diagnostics)


def _need(d: dict, keys, where: str) -> dict:
    missing = [k for k in keys if k not in d]
    if missing:
        raise ValueError(f"{where} lacks {', '.join(missing)}")
    return d


def _array(arrays, name, kinds="f", ndim=None, shape=None, finite=True) -> np.ndarray:
    if name not in arrays:
        raise ValueError(f"the array {name} is missing")
    a = arrays[name]
    if a.dtype.kind not in kinds:
        raise ValueError(f"the array {name} holds {a.dtype} values, not "
                         f"{'numbers' if 'f' in kinds else 'whole numbers'}")
    if ndim is not None and a.ndim != ndim:
        raise ValueError(f"the array {name} has {a.ndim} dimension(s), not {ndim}")
    if shape is not None and a.shape != tuple(shape):
        raise ValueError(f"the array {name} has shape {a.shape}, not {tuple(shape)}")
    if finite and a.dtype.kind == "f" and not np.all(np.isfinite(a)):
        raise ValueError(f"the array {name} holds non-finite values")
    return a


def rng_state(value, name: str) -> dict:
    """A numpy PCG64 ``bit_generator.state`` dict, checked field by field."""
    d = _need(checks.mapping(value, name), ("bit_generator", "state", "has_uint32",
                                            "uinteger"), name)
    if d["bit_generator"] != "PCG64":
        raise ValueError(f"{name}.bit_generator must be PCG64, not {d['bit_generator']!r}")
    s = _need(checks.mapping(d["state"], f"{name}.state"), ("state", "inc"), f"{name}.state")
    return {"bit_generator": "PCG64",
            "state": {"state": checks.whole(s["state"], f"{name}.state.state", 0, 2**128 - 1),
                      "inc": checks.whole(s["inc"], f"{name}.state.inc", 0, 2**128 - 1)},
            "has_uint32": checks.whole(d["has_uint32"], f"{name}.has_uint32", 0, 1),
            "uinteger": checks.whole(d["uinteger"], f"{name}.uinteger", 0, 2**32 - 1)}


def check_config(value) -> Config:
    """A ``Config`` from its ``to_dict()`` form, every field checked (``ValueError``)."""
    try:
        return Config.from_dict(checks.mapping(value, "config"))
    except TypeError as e:  # a dataclass given a missing or odd field
        raise ValueError(f"config: {e}") from None
    except ValueError as e:
        raise ValueError(f"config: {e}") from None


def _raw(meta, arrays, spec):
    if spec.source != "csv":
        for name in ("raw_X", "raw_y"):
            if name in arrays:
                raise ValueError(f"the array {name} is present but the data are generated")
        return None
    X = _array(arrays, "raw_X", "biuf", ndim=2)
    n, d = X.shape
    if not data.MIN_ROWS <= n <= data.MAX_SAMPLES or not 1 <= d <= MAX_UNITS:
        raise ValueError(f"the array raw_X has shape {X.shape}: {data.MIN_ROWS} to "
                         f"{data.MAX_SAMPLES:,} rows and 1 to {MAX_UNITS} columns expected")
    y = _array(arrays, "raw_y", "biuf", shape=(n,))
    names = checks.items(meta.get("raw_names"), "raw_names", d + 1)
    if len(names) != d + 1:
        raise ValueError(f"raw_names has {len(names)} names for {d} columns and a label")
    names = [checks.text(s, "a raw_names entry", 200) for s in names]
    classes = meta.get("raw_classes")
    if classes is not None:
        classes = [checks.text(s, "a raw_classes entry", 200)
                   for s in checks.items(classes, "raw_classes", tasks.MAX_CLASSES)]
    return X.astype(np.float64), y.astype(np.float64), names, classes


def _task(spec, raw) -> tasks.Task:
    """The task the data will have: a generator's from its settings, a CSV's from its
    saved labels (and class names)."""
    if raw is None:
        if data.generated_task(spec.source) == tasks.REGRESSION:
            return tasks.Task.regression()
        return tasks.Task.classification(spec.classes)
    try:
        return tasks.encode(raw[1], data.task_setting(spec), raw[3])[0]
    except ValueError as e:
        raise ValueError(f"the array raw_y: {e}") from None


def _network(meta, n_inputs, task, config):
    n = _need(checks.mapping(meta["network"], "network"),
              ("sizes", "activations", "output", "init", "rng"), "network")
    sizes = validate_sizes(checks.items(n["sizes"], "network.sizes", 65))
    if sizes[0] != n_inputs or sizes[-1] != task.n_outputs:
        raise ValueError(f"network.sizes {sizes} does not fit the data: {n_inputs} input(s) "
                         f"and {task.n_outputs} output(s) expected")
    acts = checks.items(n["activations"], "network.activations", 64)
    if len(acts) != len(sizes) - 1:
        raise ValueError(f"network.activations has {len(acts)} names for {len(sizes) - 1} layers")
    for i, a in enumerate(acts):  # the last is the output's, checked against it below
        checks.choice(a, f"network.activations[{i}]", list(
            activations.ACTIVATIONS if i < len(acts) - 1 else losses.OUTPUTS))
    output = checks.choice(n["output"], "network.output", list(losses.OUTPUTS))
    if acts[-1] != output:
        raise ValueError(f"network.output is {output!r} but the last layer is {acts[-1]!r}")
    expected = config.model.output_for(task)  # as make_trainer
    if output != expected:
        raise ValueError(f"network.output is {output!r} but the data's task needs {expected!r}")
    return sizes, {"activations": acts, "output": output, "target": _target(n, output),
                   "init": checks.choice(n["init"], "network.init", list(INITS)),
                   "rng": rng_state(n["rng"], "network.rng")}


def _target(n, output) -> list:
    """``network.target``: the regression targets' [mean, std] (absent: [0, 1])."""
    target = checks.items(n.get("target", [0.0, 1.0]), "network.target", 2)
    if len(target) != 2:
        raise ValueError("network.target must be [mean, std]")
    mean = checks.number(target[0], "network.target mean")
    std = checks.number(target[1], "network.target std", 0, lo_open=True)
    if output != "linear" and (mean, std) != (0.0, 1.0):
        raise ValueError(f"network.target scales a {output} output; only linear has one")
    return [mean, std]


def _weights(arrays, sizes):
    out = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        W, b = _array(arrays, f"W{i}", "f", finite=False), _array(arrays, f"b{i}", "f",
                                                                  finite=False)
        if W.shape != (n_out, n_in) or b.shape != (n_out,):
            raise ValueError(f"layer {i + 1}: weights of shape {W.shape} and biases of shape "
                             f"{b.shape} do not fit a {n_in}→{n_out} layer")
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            raise ValueError(f"layer {i + 1} holds non-finite weights")
        out.append((W.astype(np.float64), b.astype(np.float64)))
    return out


def _optimizer(meta, arrays, shapes):
    o = _need(checks.mapping(meta["optimizer"], "optimizer"), ("t", "slots"), "optimizer")
    try:
        opt = optimizers.from_hyperparameters(o)
    except (TypeError, ValueError) as e:
        raise ValueError(f"optimizer: {e}") from None
    t = checks.whole(o["t"], "optimizer.t", 0, BIG)
    slots = checks.mapping(o["slots"], "optimizer.slots")
    if slots and set(slots) != STATE_KEYS[opt.name]:
        raise ValueError(f"optimizer.slots names {sorted(map(str, slots))}; {opt.name} keeps "
                         f"{sorted(STATE_KEYS[opt.name]) or 'no state'}")
    state = {}
    for key, count in slots.items():
        if checks.whole(count, f"optimizer.slots.{key}", 0) != len(shapes):
            raise ValueError(f"optimizer.slots.{key} is {count}; the network has "
                             f"{len(shapes)} parameter arrays")
        state[key] = [_array(arrays, f"opt_{key}_{i}", "f", shape=s).astype(np.float64)
                      for i, s in enumerate(shapes)]
    return opt, t, state


def _trainer(meta, n_train):
    t = _need(checks.mapping(meta["trainer"], "trainer"),
              ("epoch", "cursor", "samples_seen", "seconds", "batch_size", "l1", "l2",
               "target_auc", "target_on", "rng"), "trainer")
    target = t["target_auc"]
    return {"epoch": checks.whole(t["epoch"], "trainer.epoch", 0, MAX_EPOCHS),
            "cursor": checks.whole(t["cursor"], "trainer.cursor", 0, n_train - 1),
            "samples_seen": checks.whole(t["samples_seen"], "trainer.samples_seen", 0, BIG),
            "seconds": checks.number(t["seconds"], "trainer.seconds", 0),
            "batch_size": checks.whole(t["batch_size"], "trainer.batch_size", 1,
                                       data.MAX_SAMPLES),
            "l1": checks.number(t["l1"], "trainer.l1", 0),
            "l2": checks.number(t["l2"], "trainer.l2", 0),
            "target_auc": None if target is None else
            checks.number(target, "trainer.target_auc", 0, 1, lo_open=True),
            "target_on": checks.choice(t["target_on"], "trainer.target_on", TARGETS),
            "rng": rng_state(t["rng"], "trainer.rng"),
            "rng_at_epoch": None if t.get("rng_at_epoch") is None else
            rng_state(t["rng_at_epoch"], "trainer.rng_at_epoch")}


def _history(value):
    h = _need(checks.mapping(value, "history"), HISTORY_KEYS, "history")
    keys = HISTORY_KEYS + tuple(k for k in REGRESSION_KEYS if k in h)  # regression's own
    keys += tuple(k for k in LANDSCAPE_KEYS if k in h)  # older sessions have none
    keys += tuple(k for k in h if is_key(k))  # the diagnostics' per-layer columns
    cols = {k: checks.items(h[k], f"history.{k}", MAX_EPOCHS + 1) for k in keys}
    lengths = {len(c) for c in cols.values()}
    if len(lengths) != 1 or not lengths.pop():
        raise ValueError("history: the columns must be non-empty and of one length")
    for k, c in cols.items():
        for v in c:
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ValueError(f"history.{k} holds {str(v)[:40]!r}, not a number")
    return cols


def check(meta, arrays) -> Checked:
    """Check ``meta`` (parsed ``meta.json``) and ``arrays`` together; ``ValueError`` names
    the first field that is wrong."""
    _need(meta, TOP_KEYS, "meta.json")
    config = check_config(meta["config"])
    spec = config.data
    raw = _raw(meta, arrays, spec)
    n_rows, n_cols = (raw[0].shape if raw else (spec.n_samples, 2))
    n_train = int(round(spec.train_fraction * n_rows))  # as data.split counts it
    if not 1 <= n_train < n_rows:
        raise ValueError(f"config: a train fraction of {spec.train_fraction} leaves an empty "
                         f"train or test set of {n_rows} rows")
    sizes, network = _network(meta, n_cols + len(spec.features), _task(spec, raw), config)
    weights = _weights(arrays, sizes)
    shapes = [a.shape for pair in weights for a in pair]
    optimizer, opt_t, opt_state = _optimizer(meta, arrays, shapes)
    order = _array(arrays, "order", "iu", shape=(n_train,))
    if not np.array_equal(np.sort(order), np.arange(n_train)):
        raise ValueError("the saved sample order is not a permutation of the training set")
    expected = {"meta.json", "order", "raw_X", "raw_y",
                *(f"{k}{i}" for i in range(len(sizes) - 1) for k in "Wb"),
                *(f"opt_{k}_{i}" for k in opt_state for i in range(len(shapes))),
                *(f"start_W{i}" for i in range(len(sizes) - 1))}
    extra = sorted(k for k in set(arrays) - expected if not k.startswith("tl_"))  # timeline's
    if extra:
        raise ValueError(f"unexpected array(s) {', '.join(extra[:5])}")
    trainer, history = _trainer(meta, n_train), _history(meta["history"])
    if len(history["epoch"]) != trainer["epoch"] + 1:  # a row per epoch, as training keeps
        raise ValueError(f"history has {len(history['epoch']):,} rows for epoch "
                         f"{trainer['epoch']:,}; one row per epoch from 0 expected")
    return Checked(config, raw, sizes, network, optimizer, opt_t, opt_state, trainer, history,
                   checks.mapping(meta.get("settings", {}), "settings"), weights,
                   order.astype(np.int64), _start(arrays, weights))


def _start(arrays, weights):
    """The epoch's start weights a session saved within an epoch holds, all or none."""
    names = [f"start_W{i}" for i in range(len(weights))]
    if not any(n in arrays for n in names):
        return None
    out = []
    for name, (W, _) in zip(names, weights):
        a = _array(arrays, name, "f", shape=W.shape)
        out.append(a.astype(np.float64))
    return tuple(out)
