"""A session's timeline: a thinned copy of the trainer's frames, packed into a few
arrays, and checked field by field when read back.

Frames with the same layout (architecture and optimizer slots) share two arrays, one
row per frame: ``tl_p<g>`` the flattened weights and ``tl_s<g>`` the flattened optimizer
state. ``meta["timeline"]`` holds the layouts, each frame's scalars, RNG states and
settings, and the timeline's own fields.
"""

from __future__ import annotations

import json

import numpy as np

from . import activations, checks, data, losses, optimizers
from .config import Config
from .network import INITS, MAX_LAYERS, Network, validate_sizes
from .session_meta import check_config, rng_state
from .timeline import MAX_BUDGET, MIN_BUDGET, Frame, Timeline
from .trainer import MAX_COUNT, MAX_EPOCHS, TARGETS

MAX_SAVED_FRAMES = 200          # a session keeps at most this many epochs ...
MAX_SAVED_BYTES = 64 * 2**20    # ... taking at most this much before compression
STATE_KEYS = {"sgd": (), "momentum": ("v",), "adam": ("m", "v")}
BIG = MAX_COUNT


def _pick(tl: Timeline) -> list[Frame]:
    """Evenly spaced frames within the caps: the first, the last and the pinned always."""
    frames = tl.frames
    if not frames:
        return []
    cap = min(MAX_SAVED_FRAMES, max(2, MAX_SAVED_BYTES // max(f.nbytes for f in frames)))
    pinned = sorted(i for i, f in enumerate(frames) if f.epoch in tl.pinned)
    pinned = pinned[len(pinned) - min(len(pinned), cap - 2):]  # the newest that fit
    n = min(len(frames), max(2, cap - len(pinned)))
    keep = set(np.linspace(0, len(frames) - 1, n).round().astype(int).tolist())
    return [frames[i] for i in sorted(keep | set(pinned))][:cap]


def _layout(f: Frame) -> dict:
    net = f.network
    return {"sizes": net.sizes, "activations": [L.activation for L in net.layers],
            "output": net.output,
            "init": net.init, "target": [net.target_mean, net.target_std],
            "slots": sorted(f.optimizer.state)}


def pack(tl: Timeline | None):
    """``(meta, arrays)`` of ``tl`` for a session (``(None, {})`` without one)."""
    if tl is None or not tl.frames:
        return None, {}
    groups, rows, frames = [], {}, []
    for f in _pick(tl):
        layout = _layout(f)
        key = json.dumps(layout)
        if key not in rows:
            groups.append(layout)
            rows[key] = ([], [])
        params, state = rows[key]
        params.append(np.concatenate([p.ravel() for p in f.network.parameters()]))
        flat = [a.ravel() for k in layout["slots"] for a in f.optimizer.state[k]]
        state.append(np.concatenate(flat) if flat else np.zeros(0))
        frames.append({"epoch": f.epoch, "group": list(rows).index(key), "row": len(params) - 1,
                       "optimizer": {**f.optimizer.hyperparameters(), "t": f.optimizer.t},
                       "settings": list(f.settings), "samples_seen": f.samples_seen,
                       "seconds": f.seconds, "rng": f.rng, "history": f.history,
                       "net_rng": f.network.rng.bit_generator.state,
                       "tag": f.tag.to_dict() if isinstance(f.tag, Config) else None})
    arrays = {}
    for g, (params, state) in enumerate(rows.values()):
        arrays[f"tl_p{g}"], arrays[f"tl_s{g}"] = np.stack(params), np.stack(state)
    meta = {"groups": groups, "frames": frames, "pinned": sorted(tl.pinned),
            "stride": tl.stride, "dropped": tl.dropped + len(tl.frames) - len(frames),
            "budget": tl.budget}
    return meta, arrays


# --- reading ----------------------------------------------------------------------------
def _group(g, i, n_inputs, n_outputs, output) -> dict:
    where = f"timeline.groups[{i}]"
    g = checks.mapping(g, where)
    sizes = validate_sizes(checks.items(g.get("sizes"), f"{where}.sizes", MAX_LAYERS + 1))
    if sizes[0] != n_inputs or sizes[-1] != n_outputs:
        raise ValueError(f"{where}.sizes {sizes} does not fit the data")
    if g.get("output") != output:  # the data's task fixes it: no frame may change it
        raise ValueError(f"{where}.output must be the session's {output!r}")
    acts = [checks.choice(a, f"{where}.activations", list(activations.ACTIVATIONS)
                          if k < len(sizes) - 2 else list(losses.OUTPUTS))
            for k, a in enumerate(checks.items(g.get("activations"), f"{where}.activations",
                                               MAX_LAYERS))]
    if len(acts) != len(sizes) - 1:
        raise ValueError(f"{where}.activations has {len(acts)} names for {len(sizes) - 1} layers")
    target = checks.items(g.get("target"), f"{where}.target", 2)
    if len(target) != 2:
        raise ValueError(f"{where}.target must be [mean, std]")
    slots = [checks.choice(s, f"{where}.slots", ["m", "v"])
             for s in checks.items(g.get("slots"), f"{where}.slots", 2)]
    target = [checks.number(target[0], f"{where}.target mean"),
              checks.number(target[1], f"{where}.target std", 0, lo_open=True)]
    if output != "linear" and target != [0.0, 1.0]:
        raise ValueError(f"{where}.target scales a {output} output; only linear has one")
    return {"sizes": sizes, "activations": acts,
            "output": checks.choice(g.get("output"), f"{where}.output", [acts[-1]]),
            "init": checks.choice(g.get("init"), f"{where}.init", list(INITS)),
            "target": target, "slots": slots}


def _network(layout, row, net_rng) -> Network:
    net = Network(layout["sizes"], activation=layout["activations"][:-1],
                  output=layout["output"], init=layout["init"],
                  target_mean=layout["target"][0], target_std=layout["target"][1])
    at = 0
    for p in net.parameters():
        p[...] = row[at:at + p.size].reshape(p.shape)
        at += p.size
    net.rng.bit_generator.state = net_rng
    return net


def _optimizer(o, layout, shapes, state_row, where):
    o = checks.mapping(o, f"{where}.optimizer")
    try:
        opt = optimizers.from_hyperparameters(o)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{where}.optimizer: {e}") from None
    opt.t = checks.whole(o.get("t"), f"{where}.optimizer.t", 0, BIG)
    if layout["slots"] and tuple(layout["slots"]) != STATE_KEYS[opt.name]:
        raise ValueError(f"{where}: a {opt.name} optimizer keeps no {layout['slots']} state")
    at, n = 0, sum(int(np.prod(s)) for s in shapes)
    for k in layout["slots"]:
        flat = state_row[at:at + n]
        at += n
        arrays, off = [], 0
        for s in shapes:
            size = int(np.prod(s))
            arrays.append(flat[off:off + size].reshape(s).copy())
            off += size
        opt.state[k] = arrays
    return opt


def _settings(s, where) -> tuple:
    s = checks.items(s, f"{where}.settings", 5)
    if len(s) != 5:
        raise ValueError(f"{where}.settings must be [batch_size, l1, l2, target_auc, target_on]")
    return (checks.whole(s[0], f"{where} batch size", 1, data.MAX_SAMPLES),
            checks.number(s[1], f"{where} l1", 0), checks.number(s[2], f"{where} l2", 0),
            None if s[3] is None else checks.number(s[3], f"{where} target", 0, 1, lo_open=True),
            checks.choice(s[4], f"{where} target_on", TARGETS))


def _frame(d, i, layouts, arrays, limits) -> Frame:
    where = f"timeline.frames[{i}]"
    d = checks.mapping(d, where)
    missing = [k for k in ("epoch", "group", "row", "optimizer", "settings", "samples_seen",
                           "seconds", "rng", "history", "net_rng", "tag") if k not in d]
    if missing:
        raise ValueError(f"{where} lacks {', '.join(missing)}")
    epoch_max, n_history = limits
    g = checks.whole(d["group"], f"{where}.group", 0, len(layouts) - 1)
    params, state = arrays[f"tl_p{g}"], arrays[f"tl_s{g}"]
    row = checks.whole(d["row"], f"{where}.row", 0, len(params) - 1)
    net = _network(layouts[g], params[row], rng_state(d["net_rng"], f"{where}.net_rng"))
    shapes = [p.shape for p in net.parameters()]
    opt = _optimizer(d["optimizer"], layouts[g], shapes, state[row], where)
    epoch = checks.whole(d["epoch"], f"{where}.epoch", 0, epoch_max)
    history = checks.whole(d["history"], f"{where}.history", 1, n_history)
    if history != epoch + 1:  # resuming from it keeps one history row per epoch
        raise ValueError(f"{where}.history must be {epoch + 1} (epoch {epoch}'s rows), "
                         f"not {history}")
    return Frame(epoch, net, opt, _settings(d["settings"], where),
                 checks.whole(d["samples_seen"], f"{where}.samples_seen", 0, BIG),
                 checks.number(d["seconds"], f"{where}.seconds", 0),
                 rng_state(d["rng"], f"{where}.rng"), history,
                 None if d["tag"] is None else check_config(d["tag"]))


def _arrays(arrays, layouts):
    """The ``tl_`` arrays, each checked against its layout's sizes."""
    expected = {f"tl_{k}{g}" for g in range(len(layouts)) for k in "ps"}
    found = {k for k in arrays if k.startswith("tl_")}
    if found != expected:
        raise ValueError(f"the timeline's arrays are {sorted(found)[:4]}, not "
                         f"{sorted(expected)[:4]}")
    for g, lay in enumerate(layouts):
        s = lay["sizes"]
        n = sum(a * b + b for a, b in zip(s[:-1], s[1:]))
        p, st = arrays[f"tl_p{g}"], arrays[f"tl_s{g}"]
        for name, a, width in ((f"tl_p{g}", p, n), (f"tl_s{g}", st, n * len(lay["slots"]))):
            if a.dtype.kind != "f" or a.ndim != 2 or a.shape[1] != width or not len(a) or \
                    len(a) > MAX_SAVED_FRAMES or not np.all(np.isfinite(a)):
                raise ValueError(f"the array {name} has shape {a.shape} {a.dtype}; "
                                 f"finite rows of {width} numbers expected")


def _rows(frames, arrays, n_groups) -> None:
    """Each frame its own row, and every row a frame's: a crafted file cannot make many
    networks out of one row."""
    used = []
    for i, d in enumerate(frames):
        d = checks.mapping(d, f"timeline.frames[{i}]")
        g = checks.whole(d.get("group"), f"timeline.frames[{i}].group", 0, n_groups - 1)
        used.append((g, checks.whole(d.get("row"), f"timeline.frames[{i}].row", 0,
                                     len(arrays[f"tl_p{g}"]) - 1)))
    rows = sum(len(arrays[f"tl_p{g}"]) for g in range(n_groups))
    if len(set(used)) != len(used) or len(used) != rows:
        raise ValueError("timeline.frames must each have a row of their own, and every "
                         "row a frame")


def unpack(value, arrays, n_inputs: int, n_outputs: int, epoch: int, n_history: int,
           output: str):
    """The ``Timeline`` saved in a session (None if it has none), every field checked
    against the session's data (``n_inputs``, ``n_outputs``, the network's ``output``),
    epoch and history; ``ValueError`` names the field."""
    if value is None:
        if any(k.startswith("tl_") for k in arrays):
            raise ValueError("timeline arrays without a timeline")
        return None
    tl = checks.mapping(value, "timeline")
    missing = [k for k in ("groups", "frames", "pinned", "stride", "dropped", "budget")
               if k not in tl]
    if missing:
        raise ValueError(f"timeline lacks {', '.join(missing)}")
    layouts = [_group(g, i, n_inputs, n_outputs, output)
               for i, g in enumerate(checks.items(tl["groups"], "timeline.groups", 64))]
    _arrays(arrays, layouts)
    raw_frames = checks.items(tl["frames"], "timeline.frames", MAX_SAVED_FRAMES)
    _rows(raw_frames, arrays, len(layouts))
    frames = [_frame(d, i, layouts, arrays, (min(epoch, MAX_EPOCHS), n_history))
              for i, d in enumerate(raw_frames)]
    epochs = [f.epoch for f in frames]
    if any(b <= a for a, b in zip(epochs, epochs[1:])):
        raise ValueError("timeline.frames must come in increasing epochs")
    out = Timeline(checks.whole(tl["budget"], "timeline.budget", MIN_BUDGET, MAX_BUDGET))
    out.pinned = {checks.whole(e, "timeline.pinned", 0, MAX_EPOCHS)
                  for e in checks.items(tl["pinned"], "timeline.pinned", MAX_SAVED_FRAMES)}
    out.stride = checks.whole(tl["stride"], "timeline.stride", 1, BIG)
    out.dropped = checks.whole(tl["dropped"], "timeline.dropped", 0, BIG)
    out.frames, out.nbytes = frames, sum(f.nbytes for f in frames)
    out.budget = out.budget  # thin now if the frames are over it
    return out
