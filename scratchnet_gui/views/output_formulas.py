"""The output layer's formulas, with the numbers, for each task: a sigmoid unit with
binary cross-entropy, softmax units with cross-entropy, or a linear unit with half the
squared error on the standardised target. Every pair has ``δ = a − y`` at the output."""

from __future__ import annotations

import numpy as np

EXP_SHOWN = 50.0  # beyond |z| = 50, e^z reads badly: show e^(z − max z) instead


def sample_label(snap, step) -> str:
    """What the stepped sample should be: "label 1", "class 2", or "target 0.53"."""
    task, y = snap.task, step.trace.y
    if task.kind == "regression":
        pts = snap.points
        pos = None if pts is None else pts.drawn_position(step.index)
        if pos is not None:
            return f"target {pts.y_train[pos]:.4g}"
        return f"standardised target {y[0]:.4g}"
    if len(y) > 1:  # one-hot
        k = int(np.argmax(y))
        return f"class {task.classes[k] if k < task.n_classes else k}"
    name = task.classes[int(y[0])] if task.n_classes == 2 and y[0] in (0, 1) else None
    return f"label {y[0]:g}" + ("" if name in (None, f"{y[0]:g}") else f": {name}")


def _softmax_lines(rec, tr, j: int, l: int) -> list:
    z, a, y = rec.z, rec.a, tr.y
    shift = float(np.max(z)) if np.max(np.abs(z)) > EXP_SHOWN else 0.0
    e = np.exp(z - shift)
    power = (lambda v: f"e^{v:.3g}") if shift == 0.0 else (lambda v: f"e^({v:.3g}−{shift:.3g})")
    terms = " + ".join(power(v) for v in z)
    c = int(np.argmax(y))
    lines = [f"a{l},{j + 1} = e^zₖ / Σⱼ e^zⱼ = {power(z[j])} / ({terms}) = "
             f"{e[j]:.4g} / {e.sum():.4g} = {a[j]:.6g}",
             f"loss = −Σₖ yₖ log aₖ = −log a{l},{c + 1} = −log {a[c]:.6g} = "
             f"{tr.loss:.6g}"]
    if shift:
        lines.append(f"(every z shifted by max z = {shift:.4g}, which cancels in the ratio)")
    lines.append(f"δ{l},{j + 1} = a − y = {a[j]:.4g} − {y[j]:g} = {rec.delta[j]:.6g}")
    return lines


def output_lines(output: str, rec, tr, j: int, l: int) -> list:
    """The formulas after ``z`` for output unit ``j`` (0-based) of layer ``l`` (1-based,
    the last), whose output function is ``output`` ("sigmoid", "softmax" or "linear");
    ``rec`` is the layer's ``LayerTrace`` and ``tr`` the sample's ``Trace``."""
    if output == "softmax":
        return _softmax_lines(rec, tr, j, l)
    a, y, d = rec.a[j], tr.y[j], rec.delta[j]
    if output == "linear":
        return [f"a{l},{j + 1} = z (linear output) = {a:.6g}",
                f"loss = ½ (a − y)² = ½ ({a:.4g} − {y:.4g})² = {tr.loss:.6g}"
                f"   (y standardised: (target − mean) / std)",
                f"δ{l},{j + 1} = a − y = {a:.4g} − {y:.4g} = {d:.6g}"]
    return [f"a{l},{j + 1} = {output}(z) = {a:.6g}",
            f"δ{l},{j + 1} = a − y = {a:.4g} − {y:g} = {d:.6g}   (loss = {tr.loss:.6g})"]
