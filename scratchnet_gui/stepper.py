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


@dataclass(frozen=True)
class StepView:
    """What the GUI shows of a sample being stepped through."""

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

    @property
    def phase(self):
        return self.phases[self.pos]


class Stepper:
    """Phase state for one sample at a time, driven by the loop's step commands."""

    def __init__(self, loop):
        self.loop = loop
        self.clear()

    def clear(self):
        self.index = None       # the chosen sample, None for the shuffled order
        self.preview = None
        self.before = None
        self.pos = 0
        self.applied = False
        self.check = None

    @property
    def active(self) -> bool:
        return self.preview is not None

    def _start(self, index=None):
        t = self.loop.trainer
        self.index = index
        self.preview = t.preview_sample(index)
        self.before = tuple((L.weights.copy(), L.biases.copy()) for L in t.network.layers)
        self.pos, self.applied, self.check = 0, False, None

    def _apply(self):
        if not self.applied:
            self.loop.trainer.step_sample(self.index)
            self.applied = True

    def _last(self):
        return len(phases(len(self.before))) - 1

    # --- commands -----------------------------------------------------------------------
    def select(self, index: int):
        """Show sample ``index`` next (from its first phase), instead of the order's."""
        self.loop.running = False
        self._start(int(index))

    def step_phase(self):
        self.loop.running = False
        if not self.active or (self.applied and self.pos == self._last()):
            self._start(None)
            return
        self.pos += 1
        if self.pos == self._last():
            self._apply()

    def step_phase_back(self):
        """One phase back; the weights do not change (an applied update stays)."""
        self.loop.running = False
        if self.active and self.pos > 0:
            self.pos -= 1

    def step_sample(self):
        """Train on exactly one sample and show all of it (the update phase)."""
        self.loop.running = False
        if not self.active or self.applied:
            self._start(None)
        self.pos = self._last()
        self._apply()

    def gradcheck(self):
        """Backprop against central differences for this sample, before the update."""
        if not self.active:
            self._start(self.index)
        t = self.loop.trainer
        net = t.network.copy()
        for L, (W, b) in zip(net.layers, self.before):
            L.weights[...], L.biases[...] = W, b
        i = self.preview.index
        self.check = _gradcheck(net, t.X_train[i:i + 1], t.y_train[i:i + 1])

    def view(self) -> StepView | None:
        if not self.active:
            return None
        p, opt = self.preview, self.loop.trainer.optimizer
        ups = p.updates
        return StepView(
            index=p.index, pos=self.pos, phases=phases(len(self.before)),
            applied=self.applied, trace=p.trace,
            updates=tuple((ups[2 * k], ups[2 * k + 1]) for k in range(len(ups) // 2)),
            weights_before=self.before, lr=p.lr, optimizer=opt.name, formula=opt.formula,
            gradcheck=self.check)


def node_text(step: StepView) -> list:
    """Per layer (input first), per unit: the values the current phase has revealed."""
    tr = step.trace
    kind, layer = step.phase
    L = len(tr.layers)
    out = [[f"x = {v:.4g}" for v in tr.x]]
    for l in range(1, L + 1):
        rec = tr.layers[l - 1]
        texts = []
        for j in range(len(rec.z)):
            parts = []
            fwd_done = kind != "forward" or l <= layer
            if fwd_done:
                parts.append(f"z = {rec.z[j]:.4g}\na = {rec.a[j]:.4g}")
            bwd_done = kind in ("loss", "update") and (kind == "update" or l == L) or (
                kind == "backward" and l >= layer)
            if bwd_done:
                parts.append(f"δ = {rec.delta[j]:.4g}")
            texts.append("\n".join(parts))
        out.append(texts)
    return out


def overlay(step: StepView, mode: str):
    """Per-layer ``(W, b)``-shaped arrays for the edge overlay: the weights before the
    update, the gradients, or the update itself."""
    if mode == "gradient":
        return tuple((r.dW, r.db) for r in step.trace.layers)
    if mode == "update":
        return step.updates
    return step.weights_before

