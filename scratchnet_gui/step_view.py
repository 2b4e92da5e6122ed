"""What the window shows of a sample stepped through backprop: the phases, the
``StepView`` the training process sends in each snapshot, and what each phase says on
the graph. The boundary between the stepper (``stepper``, in the training process) and
the views, which import this and never the stepper (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass

from .protocol import Word


class Phase(Word):
    """One phase of a stepped sample (with its layer: ``StepView.phase``)."""

    FORWARD = "forward"
    LOSS = "loss"
    BACKWARD = "backward"
    UPDATE = "update"


def phases(n_layers: int) -> tuple:
    """``(Phase, layer)`` pairs: forward 1..L, loss, backward L..1, update (1-based)."""
    fwd = [(Phase.FORWARD, l) for l in range(1, n_layers + 1)]
    bwd = [(Phase.BACKWARD, l) for l in range(n_layers, 0, -1)]
    return tuple(fwd + [(Phase.LOSS, n_layers)] + bwd + [(Phase.UPDATE, 0)])


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


def node_text(step: StepView, short: bool = False) -> list:
    """Per layer (input first), per unit: what the current phase says, and only that.

    forward k: layer k's z and a (and the inputs at layer 1); loss: the output's a, y,
    loss and a − y; backward k: layer k's δ; update: nothing (the edges show Δw).
    ``short``: the one number that matters, in fewer digits, for tight layouts.
    """
    tr = step.trace
    kind, k = step.phase
    out = [[""] * len(tr.x)] + [[""] * len(rec.z) for rec in tr.layers]
    if kind is Phase.FORWARD:
        rec = tr.layers[k - 1]
        out[k] = ([f"a {a:.2g}" for a in rec.a] if short else
                  [f"z {z:.3g}\na {a:.3g}" for z, a in zip(rec.z, rec.a)])
        if k == 1 and not short:
            out[0] = [f"x {v:.3g}" for v in tr.x]
    elif kind is Phase.LOSS:
        rec = tr.layers[-1]
        out[-1] = ([f"a−y {a - y:.2g}" for a, y in zip(rec.a, tr.y)] if short else
                   [f"a {a:.3g}  y {y:g}\nloss {tr.loss:.3g}  a−y {a - y:.3g}"
                    for a, y in zip(rec.a, tr.y)])
    elif kind is Phase.BACKWARD:
        out[k] = [f"δ {d:.2g}" if short else f"δ {d:.3g}" for d in tr.layers[k - 1].delta]
    return out


def lit_layers(step: StepView) -> set:
    """The edge layers (0 = input → layer 1) that carry the current phase's numbers."""
    kind, k = step.phase
    L = len(step.trace.layers)
    if kind is Phase.FORWARD:
        return {k - 1}
    if kind is Phase.LOSS:
        return {L - 1}
    if kind is Phase.BACKWARD:
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

