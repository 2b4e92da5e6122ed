"""Layers and records: ``Dense``, the per-sample ``Trace``, size checks and initialisation.

Split out of ``network.py``, which re-exports every name here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

INITS = ("normal", "xavier", "he")
MAX_UNITS = 4096
MAX_LAYERS = 64


@dataclass
class Dense:
    """One fully connected layer: ``a = f(W a_in + b)``.

    Attributes
    ----------
    weights : ndarray, shape (out, in)
    biases : ndarray, shape (out,)
    activation : str
        A key of :data:`scratchnet.activations.ACTIVATIONS`.
    """

    weights: np.ndarray
    biases: np.ndarray
    activation: str

    @property
    def shape(self) -> tuple[int, int]:
        return self.weights.shape


@dataclass(frozen=True)
class LayerTrace:
    """What one layer computed for one sample, all as 1-D float64 arrays."""

    a_in: np.ndarray
    z: np.ndarray
    a: np.ndarray
    delta: np.ndarray
    dW: np.ndarray
    db: np.ndarray


@dataclass(frozen=True)
class Trace:
    """The full forward and backward record of one sample (see ``Network.trace``)."""

    x: np.ndarray
    y: np.ndarray
    layers: tuple[LayerTrace, ...]
    loss: float
    prediction: np.ndarray


def validate_sizes(sizes: Sequence[int]) -> list[int]:
    """Return ``sizes`` as ints, or raise ``ValueError`` naming the bad entry."""
    try:
        sizes = list(sizes)
    except TypeError:
        raise ValueError(f"layer sizes must be a list of whole numbers, not {sizes!r}") from None
    if len(sizes) < 2:
        raise ValueError("a network needs at least an input and an output layer")
    if len(sizes) - 1 > MAX_LAYERS:
        raise ValueError(f"{len(sizes) - 1} layers is too many; the limit is {MAX_LAYERS}")
    out = []
    for i, s in enumerate(sizes):
        where = "input" if i == 0 else "output" if i == len(sizes) - 1 else f"hidden layer {i}"
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, (int, np.integer)):
            raise ValueError(f"{where} size must be a whole number, not {s!r}")
        if s < 1:
            raise ValueError(f"{where} size must be at least 1, not {s}")
        if s > MAX_UNITS:
            raise ValueError(f"{where} size {s} is too large; the limit is {MAX_UNITS}")
        out.append(int(s))
    return out


def parse_sizes(text: str, hidden: bool = False) -> list[int]:
    """Layer sizes written as text, ``"2, 9, 6, 1"``: the one parser and set of limits
    for the window and the command line. ``hidden``: the text lists hidden layers only
    (``"9, 6"``; empty for none). Raises ``ValueError`` naming the bad entry."""
    text = str(text)
    parts = [p.strip() for p in text.split(",")] if text.strip() or not hidden else []
    sizes = []
    for i, p in enumerate(parts):
        # digits only: int() would also take "9_0" (90), "+3" or "٣"; an empty entry
        # ("2,,1", ",2,1,") is a typo, not a layer to drop
        digits = p[1:] if p.startswith("-") else p  # negative: validate_sizes says why
        if not (digits.isascii() and digits.isdigit()):
            where = (f"hidden layer {i + 1}" if hidden else "input" if i == 0
                     else "output" if i == len(parts) - 1 else f"hidden layer {i}")
            what = "an empty entry" if not p else repr(p)
            example = "9, 6" if hidden else "2, 9, 6, 1"
            raise ValueError(f"{where}: {what} is not a whole number (sizes are whole "
                             f"numbers separated by commas, e.g. {example})")
        sizes.append(int(p))
    validate_sizes([1, *sizes, 1] if hidden else sizes)
    return sizes


def init_weights(rng, init: str, n_out: int, n_in: int):
    """Initial ``(W, b)`` of an ``n_in → n_out`` layer drawn from ``rng`` by ``init``."""
    if init == "normal":  # the article's standard normal, biases included
        return rng.standard_normal((n_out, n_in)), rng.standard_normal(n_out)
    scale = np.sqrt(2.0 / (n_in + n_out)) if init == "xavier" else np.sqrt(2.0 / n_in)
    return rng.standard_normal((n_out, n_in)) * scale, np.zeros(n_out)
