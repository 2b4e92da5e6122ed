"""Optimizers (SGD, momentum, Adam) and learning-rate schedules.

An optimizer works in two halves so that a diverging step can be refused whole:
``propose(grads, epoch)`` returns the parameter updates and the optimizer state they
would lead to, and ``commit(state)`` accepts that state. ``step`` does both.
"""

from __future__ import annotations

import copy

import math
from dataclasses import dataclass

import numpy as np

from . import checks

SCHEDULES = ("constant", "step", "exponential", "cosine")


@dataclass
class Schedule:
    """Learning rate as a function of the epoch.

    ``constant``: ``lr``; ``step``: ``lr · gamma^floor(epoch / step_size)``;
    ``exponential``: ``lr · gamma^epoch``; ``cosine``: from ``lr`` down to ``min_lr``
    over ``period`` epochs, ``min_lr + (lr − min_lr)(1 + cos(π·epoch/period))/2``.
    """

    kind: str = "constant"
    gamma: float = 0.5
    step_size: int = 10
    period: int = 100
    min_lr: float = 0.0

    def __post_init__(self):
        if self.kind not in SCHEDULES:
            raise ValueError(f"unknown schedule {self.kind!r}; choose one of {', '.join(SCHEDULES)}")
        # gamma ≤ 10: a schedule is for decay; a larger factor only serves to blow up
        self.gamma = checks.number(self.gamma, "schedule gamma", 0, 10, lo_open=True)
        self.step_size = checks.whole(self.step_size, "schedule step size", 1, 10**9)
        self.period = checks.whole(self.period, "schedule period", 1, 10**9)
        self.min_lr = checks.number(self.min_lr, "schedule min_lr", 0)

    @classmethod
    def from_dict(cls, d) -> "Schedule":
        """A schedule from its settings; ``ValueError`` names a bad or unknown one."""
        d = checks.mapping(d, "schedule")
        unknown = set(d) - {"kind", "gamma", "step_size", "period", "min_lr"}
        if unknown:
            raise ValueError(f"unknown schedule setting(s): {', '.join(sorted(map(str, unknown)))}")
        return cls(**d)

    def __call__(self, lr: float, epoch: int) -> float:
        if self.kind == "step":
            return lr * self.gamma ** (epoch // max(1, self.step_size))
        if self.kind == "exponential":
            return lr * self.gamma ** epoch
        if self.kind == "cosine":
            t = min(epoch, self.period) / max(1, self.period)
            return self.min_lr + (lr - self.min_lr) * 0.5 * (1.0 + math.cos(math.pi * t))
        return lr


class Optimizer:
    """Base class: holds the learning rate, the schedule and per-parameter state."""

    name = "base"
    formula = ""

    def __init__(self, lr: float = 0.1, schedule: Schedule | None = None):
        if not (isinstance(lr, (int, float)) and not isinstance(lr, bool)
                and math.isfinite(lr) and lr > 0):
            raise ValueError(f"learning rate must be a positive finite number, not {lr!r}")
        self.lr = float(lr)
        self.schedule = schedule or Schedule()
        self.state: dict[str, list[np.ndarray]] = {}
        self.t = 0

    def lr_at(self, epoch: int) -> float:
        """The scheduled learning rate for ``epoch`` (0-based)."""
        return self.schedule(self.lr, epoch)

    def propose(self, grads: list[np.ndarray], epoch: int = 0):
        """Return ``(updates, new_state)``; parameters change by ``p += update``."""
        raise NotImplementedError

    def commit(self, new_state) -> None:
        """Accept the state returned by ``propose``."""
        self.state, self.t = new_state

    def step(self, params: list[np.ndarray], grads: list[np.ndarray], epoch: int = 0):
        """Update ``params`` in place and return the updates."""
        updates, new_state = self.propose(grads, epoch)
        for p, u in zip(params, updates):
            p += u
        self.commit(new_state)
        return updates

    def _slots(self, key, grads):
        if key not in self.state or [s.shape for s in self.state[key]] != [g.shape for g in grads]:
            return [np.zeros_like(g) for g in grads]
        return self.state[key]

    def copy(self) -> "Optimizer":
        """A copy with state arrays of its own (the schedule is immutable and shared)."""
        new = copy.copy(self)
        new.state = {k: [a.copy() for a in v] for k, v in self.state.items()}
        return new

    def resize(self, carried_shapes: list[tuple | None], new_shapes: list[tuple]) -> None:
        """Resize state after ``Network.resize``: carried blocks keep their values.

        ``carried_shapes[i]`` is the old shape of parameter ``i`` when its block was kept,
        else ``None``; new entries start at zero.
        """
        for key, slots in self.state.items():
            out = []
            for old, shape, s in zip(carried_shapes, new_shapes, slots):
                z = np.zeros(shape)
                if old is not None and s.shape == old:
                    block = tuple(slice(0, min(a, b)) for a, b in zip(shape, old))
                    z[block] = s[block]
                out.append(z)
            if len(out) < len(new_shapes):
                out += [np.zeros(s) for s in new_shapes[len(out):]]
            self.state[key] = out

    def hyperparameters(self) -> dict:
        """The settings needed to rebuild this optimizer."""
        s = self.schedule
        return {"name": self.name, "lr": self.lr, "schedule": {
            "kind": s.kind, "gamma": s.gamma, "step_size": s.step_size,
            "period": s.period, "min_lr": s.min_lr}}


class SGD(Optimizer):
    """Plain gradient descent: ``p ← p − lr·g``."""

    name = "sgd"
    formula = "Δw = −lr · ∂L/∂w"

    def propose(self, grads, epoch=0):
        lr = self.lr_at(epoch)
        return [-lr * g for g in grads], (self.state, self.t + 1)


class Momentum(Optimizer):
    """SGD with (heavy-ball) momentum: ``v ← μv − lr·g``, ``p ← p + v``."""

    name = "momentum"
    formula = "v ← μ·v − lr·∂L/∂w;  Δw = v"

    def __init__(self, lr=0.1, momentum=0.9, schedule=None):
        super().__init__(lr, schedule)
        # μ ≥ 1 makes the velocity a sum that never forgets: it grows without bound
        self.momentum = checks.number(momentum, "momentum", 0, 1, hi_open=True)

    def propose(self, grads, epoch=0):
        lr = self.lr_at(epoch)
        v = [self.momentum * v - lr * g for v, g in zip(self._slots("v", grads), grads)]
        return v, ({"v": v}, self.t + 1)

    def hyperparameters(self):
        return {**super().hyperparameters(), "momentum": self.momentum}


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) with bias correction."""

    name = "adam"
    formula = ("m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  "
               "Δw = −lr · m̂ / (√v̂ + ε),  m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)")

    def __init__(self, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, schedule=None):
        super().__init__(lr, schedule)
        self.beta1 = checks.number(beta1, "Adam beta1", 0, 1, hi_open=True)
        self.beta2 = checks.number(beta2, "Adam beta2", 0, 1, hi_open=True)
        self.eps = checks.number(eps, "Adam epsilon", 0, 1, lo_open=True)

    def propose(self, grads, epoch=0):
        lr, b1, b2 = self.lr_at(epoch), self.beta1, self.beta2
        t = self.t + 1
        m = [b1 * m + (1 - b1) * g for m, g in zip(self._slots("m", grads), grads)]
        v = [b2 * v + (1 - b2) * (g * g) for v, g in zip(self._slots("v", grads), grads)]
        c1, c2 = 1 - b1 ** t, 1 - b2 ** t
        updates = [-lr * (mi / c1) / (np.sqrt(vi / c2) + self.eps) for mi, vi in zip(m, v)]
        return updates, ({"m": m, "v": v}, t)

    def hyperparameters(self):
        return {**super().hyperparameters(), "beta1": self.beta1, "beta2": self.beta2,
                "eps": self.eps}


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, Adam)}


def make(name: str = "sgd", lr: float = 0.1, schedule: Schedule | dict | None = None, **kw):
    """Build an optimizer by name; raise ``ValueError`` with the choices if unknown."""
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    if isinstance(schedule, dict):
        schedule = Schedule.from_dict(schedule)
    return OPTIMIZERS[name](lr=lr, schedule=schedule, **kw)


# the extra settings each optimizer takes, beyond lr and schedule
EXTRAS = {"sgd": (), "momentum": ("momentum",), "adam": ("beta1", "beta2", "eps")}


def of_settings(s) -> Optimizer:
    """The optimizer that settings ``s`` (a ``Config`` or ``TrainingSettings``) name,
    with its own hyperparameters."""
    extra = {k: getattr(s, k) for k in EXTRAS.get(s.optimizer, ())}
    return make(s.optimizer, s.lr, dict(s.schedule), **extra)


def from_hyperparameters(h) -> Optimizer:
    """Rebuild an optimizer from ``Optimizer.hyperparameters()``; ``ValueError`` if bad."""
    h = checks.mapping(h, "optimizer")
    name = checks.choice(h.get("name"), "optimizer name", list(OPTIMIZERS))
    missing = [k for k in ("lr", "schedule", *EXTRAS[name]) if k not in h]
    if missing:
        raise ValueError(f"optimizer settings lack {', '.join(missing)}")
    return make(name, h["lr"], Schedule.from_dict(h["schedule"]),
                **{k: h[k] for k in EXTRAS[name]})
