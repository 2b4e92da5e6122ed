"""Walking one sample through backprop, phase by phase (runs in the training process).

Every number shown comes from ``Network.trace`` and ``Trainer.preview_sample``: the
stepper keeps no arithmetic of its own. The update is applied through
``Trainer.step_sample``, so the epoch count and the history stay honest.
"""

from __future__ import annotations

from dataclasses import dataclass

from scratchnet.gradcheck import gradcheck as _gradcheck


def phases(n_layers: int) -> tuple:
    """``(kind, layer)`` pairs: forward 1..L, loss, backward L..1, update (1-based)."""
    fwd = [("forward", l) for l in range(1, n_layers + 1)]
    bwd = [("backward", l) for l in range(n_layers, 0, -1)]
    return tuple(fwd + [("loss", n_layers)] + bwd + [("update", 0)])


MAX_BACK = 100                # stepped samples ← can walk back through ...
MAX_BACK_BYTES = 64 * 2**20   # ... within this much memory for their checkpoints


@dataclass(frozen=True)
class StepView:
    """What the GUI shows of a sample being stepped through.

    The training process sends it with ``pos`` at the first phase (or, once the update
    is applied, at the update); the window moves ``pos`` itself, phase by phase, with
    ``dataclasses.replace``: only applying or undoing the update needs the trainer.
    """

    index: int                 # into the training set
    pos: int                   # index into ``phases``
    phases: tuple
    applied: bool              # has the update been applied to the live weights?
    trace: object              # scratchnet.Trace, computed with the weights before
    updates: tuple             # (ΔW, Δb) per layer: the optimizer's actual step
    weights_before: tuple      # (W, b) per layer, before the update
    lr: float
    optimizer: str
    formula: str
    gradcheck: float | None = None
    serial: int = 0            # changes with every sample stepped (or stepped back to)
    back: int = 0              # earlier stepped samples ← can return to

    @property
    def phase(self):
        return self.phases[self.pos]

    @property
    def last(self) -> int:
        return len(self.phases) - 1


@dataclass
class _Entry:
    """One stepped sample: the trainer's state before it, and what it computed."""

    checkpoint: dict
    preview: object
    index: int | None          # a chosen sample, or None for the shuffled order
    serial: int
    applied: bool = False
    check: float | None = None

    @property
    def nbytes(self) -> int:
        cp = self.checkpoint
        return sum(a.nbytes for a in cp["params"]) + sum(
            a.nbytes for v in cp["opt_state"].values() for a in v) + cp["order"].nbytes


class Stepper:
    """Samples stepped one at a time, newest last, each undoable to the bit.

    Commands: ``next`` (a sample at its first phase), ``apply`` and ``unapply`` (its
    update), ``previous`` (back to the sample before, update applied), ``step_sample``
    (next and apply at once) and ``select`` (a chosen sample at its first phase).
    """

    def __init__(self, loop):
        self.loop = loop
        self.stack: list[_Entry] = []
        self.serial = 0

    def clear(self):
        self.stack = []

    @property
    def active(self) -> bool:
        return bool(self.stack)

    def _start(self, index=None):
        t = self.loop.trainer
        self.loop.running = False
        if self.stack and not self.stack[-1].applied:
            self.stack.pop()  # nothing of it was applied: the trainer is as it found it
        self.serial += 1
        self.stack.append(_Entry(t.checkpoint(), t.preview_sample(index), index, self.serial))
        while len(self.stack) > MAX_BACK + 1 or (
                len(self.stack) > 1 and sum(e.nbytes for e in self.stack) > MAX_BACK_BYTES):
            self.stack.pop(0)

    # --- commands -----------------------------------------------------------------------
    def next(self):
        self._start(None)

    def select(self, index: int):
        """Show sample ``index`` next (from its first phase), instead of the order's."""
        self._start(int(index))

    def apply(self):
        self.loop.running = False
        top = self.stack[-1] if self.stack else None
        if top is not None and not top.applied:
            self.loop.trainer.step_sample(top.index)
            top.applied = True

    def unapply(self):
        """Undo the update: weights, optimizer, cursor, counters and history, to the bit."""
        self.loop.running = False
        top = self.stack[-1] if self.stack else None
        if top is not None and top.applied:
            self.loop.trainer.restore(top.checkpoint)
            top.applied = False

    def previous(self):
        """Back to the sample stepped before this one (its update still applied)."""
        self.loop.running = False
        if len(self.stack) > 1 and not self.stack[-1].applied:
            self.stack.pop()
            self.serial += 1
            self.stack[-1].serial = self.serial

    def step_sample(self):
        """Train on exactly one sample and show all of it (the update phase)."""
        if not self.stack or self.stack[-1].applied:
            self._start(None)
        self.apply()

    def gradcheck(self):
        """Backprop against central differences for this sample, before the update."""
        if not self.stack:
            self._start(None)
        top = self.stack[-1]
        t = self.loop.trainer
        net = t.network.copy()
        for p, saved in zip(net.parameters(), top.checkpoint["params"]):
            p[...] = saved
        i = top.preview.index
        top.check = _gradcheck(net, t.X_train[i:i + 1], t.y_train[i:i + 1])

    def view(self) -> StepView | None:
        if not self.stack:
            return None
        top = self.stack[-1]
        p, opt = top.preview, self.loop.trainer.optimizer
        ups, params = p.updates, top.checkpoint["params"]
        ph = phases(len(params) // 2)
        return StepView(
            index=p.index, pos=len(ph) - 1 if top.applied else 0, phases=ph,
            applied=top.applied, trace=p.trace,
            updates=tuple((ups[2 * k], ups[2 * k + 1]) for k in range(len(ups) // 2)),
            weights_before=tuple((params[2 * k], params[2 * k + 1])
                                 for k in range(len(params) // 2)),
            lr=p.lr, optimizer=opt.name, formula=opt.formula, gradcheck=top.check,
            serial=top.serial, back=len(self.stack) - 1)


def node_text(step: StepView, short: bool = False) -> list:
    """Per layer (input first), per unit: what the current phase says, and only that.

    forward k: layer k's z and a (and the inputs at layer 1); loss: the output's a, y,
    loss and a − y; backward k: layer k's δ; update: nothing (the edges show Δw).
    ``short``: the one number that matters, in fewer digits, for tight layouts.
    """
    tr = step.trace
    kind, k = step.phase
    out = [[""] * len(tr.x)] + [[""] * len(rec.z) for rec in tr.layers]
    if kind == "forward":
        rec = tr.layers[k - 1]
        out[k] = ([f"a {a:.2g}" for a in rec.a] if short else
                  [f"z {z:.3g}\na {a:.3g}" for z, a in zip(rec.z, rec.a)])
        if k == 1 and not short:
            out[0] = [f"x {v:.3g}" for v in tr.x]
    elif kind == "loss":
        rec = tr.layers[-1]
        out[-1] = ([f"a−y {a - y:.2g}" for a, y in zip(rec.a, tr.y)] if short else
                   [f"a {a:.3g}  y {y:g}\nloss {tr.loss:.3g}  a−y {a - y:.3g}"
                    for a, y in zip(rec.a, tr.y)])
    elif kind == "backward":
        out[k] = [f"δ {d:.2g}" if short else f"δ {d:.3g}" for d in tr.layers[k - 1].delta]
    return out


def lit_layers(step: StepView) -> set:
    """The edge layers (0 = input → layer 1) that carry the current phase's numbers."""
    kind, k = step.phase
    L = len(step.trace.layers)
    if kind == "forward":
        return {k - 1}
    if kind == "loss":
        return {L - 1}
    if kind == "backward":
        return {k} if k < L else {L - 1}
    return set(range(L))


def overlay(step: StepView, mode: str):
    """Per-layer ``(W, b)``-shaped arrays for the edge overlay: the weights before the
    update, the gradients, or the update itself."""
    if mode == "gradient":
        return tuple((r.dW, r.db) for r in step.trace.layers)
    if mode == "update":
        return step.updates
    return step.weights_before

