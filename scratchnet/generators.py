"""Generated datasets: two-feature classification (K classes where the shape allows it)
and TensorFlow Playground's two regression sets."""

from __future__ import annotations

import math

import numpy as np

from . import checks, sklearn_ports
from .csvfile import MIN_ROWS

# classification sets (the app's list); blobs and spiral take 2 to MAX_GENERATED_CLASSES
GENERATORS = ("circles", "blobs", "moons", "xor", "spiral", "gaussian")
MULTICLASS_GENERATORS = ("blobs", "spiral")
MAX_GENERATED_CLASSES = 6
# regression sets, named as in TensorFlow Playground
REGRESSION_GENERATORS = ("reg-plane", "reg-gauss")
ALL_GENERATORS = GENERATORS + REGRESSION_GENERATORS
# Points per dataset, generated or read. Two million 2-D points (a 40 MiB CSV) train at a
# few seconds an epoch, and the views draw an even sample of them; 10**9 would ask for
# 16 GB before the first epoch. Checked before anything is allocated.
MAX_SAMPLES = 2_000_000


def check_classes(name: str, classes) -> int:
    """``classes`` as an int valid for the generator ``name`` (``ValueError`` if not)."""
    if name in REGRESSION_GENERATORS:
        if classes != 2:  # 2 is the setting's default; regression has no classes
            raise ValueError(f"{name} is a regression set; it has no classes")
        return 2
    if name not in MULTICLASS_GENERATORS:
        if checks.whole(classes, "classes") != 2:
            raise ValueError(f"{name} has 2 classes; only {' and '.join(MULTICLASS_GENERATORS)} "
                             f"take another number")
        return 2
    return checks.whole(classes, f"classes of {name}", 2, MAX_GENERATED_CLASSES)


def make(name: str = "circles", n_samples: int = 1000, noise: float = 0.1, seed: int = 0,
         factor: float = 0.1, cluster_std: float | None = None, classes: int = 2):
    """Generate a two-feature dataset.

    Parameters
    ----------
    name : str
        A classification set of ``GENERATORS`` ("circles", "blobs", "moons", "xor",
        "spiral", "gaussian") or a regression set of ``REGRESSION_GENERATORS``
        ("reg-plane", "reg-gauss").
    n_samples : int
        From ``MIN_ROWS`` up to ``MAX_SAMPLES`` (checked before anything is allocated).
    noise : float
        Gaussian noise on the points; for "blobs" it is the cluster standard deviation
        unless ``cluster_std`` is given; for the regression sets it blurs where the
        target is read (as Playground does).
    seed : int
    factor : float
        Inner to outer radius for "circles" (the article's 0.1).
    classes : int
        Classes of "blobs" (centres) and "spiral" (arms), 2 to ``MAX_GENERATED_CLASSES``;
        the other sets have 2. The default 2 gives the same data as before K existed.

    Returns
    -------
    X : ndarray (n, 2) float64
    y : ndarray (n,) float64
        Class indices 0..K-1, or regression targets.
    """
    if name not in ALL_GENERATORS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(ALL_GENERATORS)}")
    n_samples = checks.whole(n_samples, "n_samples", MIN_ROWS, MAX_SAMPLES)  # before allocating
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number ≥ 0, not {noise!r}")
    classes = check_classes(name, classes)
    rng = np.random.default_rng(seed)
    if name in REGRESSION_GENERATORS:
        X, y = _regression(name, n_samples, noise, rng)
    elif name == "circles":  # the classic demo: no scikit-learn import before its first frame
        X, y = sklearn_ports.make_circles(n_samples, noise, factor, seed)
    elif name in ("moons", "blobs"):
        X, y = _sklearn_generated(name, n_samples, noise, seed, cluster_std, classes)
    elif name == "xor":
        X = rng.uniform(-1, 1, (n_samples, 2))
        y = (X[:, 0] * X[:, 1] > 0).astype(float)
        X = X + rng.normal(0, noise, X.shape)
    elif name == "gaussian":
        y = rng.integers(0, 2, n_samples).astype(float)
        X = rng.normal(0, 0.5 + noise, (n_samples, 2)) + np.where(y[:, None] > 0, 1.0, -1.0)
    else:
        X, y = _spiral(n_samples, noise, rng, classes)
    return np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)


def _spiral(n_samples, noise, rng, k):
    """``k`` interleaved spiral arms.

    Two arms turn through 3π (1.5 turns), a third of the unit radius apart at any
    angle, as before K existed (same bits). K ≥ 3 arms turn through 4π/K each, so a
    neighbour passes the same angle half the radius further out, ``(2π/K) / (4π/K)``:
    with the default noise of 0.1 the classes stay separable to ~95% whatever K
    (at 1/3 apart, K = 3 topped out near 88% test accuracy)."""
    y = np.arange(n_samples) % k
    turns = 3 if k == 2 else 4 / k  # in units of π
    t = np.sqrt(rng.uniform(0, 1, n_samples)) * turns * np.pi
    phase = (2 * np.pi / k) * y  # π·y for two arms, as before
    X = np.column_stack([t * np.cos(t + phase), t * np.sin(t + phase)]) / (turns * np.pi)
    return X + rng.normal(0, noise, X.shape), y


def _sklearn_generated(name, n_samples, noise, seed, cluster_std, classes):
    from sklearn import datasets as skd  # here, not at the top: it costs the window ~1 s

    if name == "moons":
        return skd.make_moons(n_samples, noise=noise, random_state=seed)
    std = cluster_std if cluster_std is not None else max(noise, 1e-9)
    return skd.make_blobs(n_samples, centers=classes, cluster_std=std, random_state=seed)


# six bumps on a 3×2 grid, alternating in sign: Playground's layout, scaled to the unit box
_BUMPS = np.array([[-2 / 3, 5 / 12, 1], [0, 5 / 12, -1], [2 / 3, 5 / 12, 1],
                   [-2 / 3, -5 / 12, -1], [0, -5 / 12, 1], [2 / 3, -5 / 12, -1]])
_BUMP_WIDTH = 0.2


def _regression(name, n_samples, noise, rng):
    """Points uniform in [-1, 1]²; the target is read at the point moved by Gaussian
    noise (so the noise is in the target, the points stay where they are drawn).

    "reg-plane": the plane ``(x1 + x2) / 2``. "reg-gauss": a sum of six Gaussian
    bumps of height ±1 (Playground's "regress Gaussian" takes the largest cone
    instead; a sum of Gaussians is smooth everywhere).
    """
    X = rng.uniform(-1, 1, (n_samples, 2))
    P = X + rng.normal(0, noise, X.shape)
    if name == "reg-plane":
        return X, (P[:, 0] + P[:, 1]) / 2
    d2 = ((P[:, None, :] - _BUMPS[None, :, :2]) ** 2).sum(axis=2)
    return X, np.exp(-d2 / (2 * _BUMP_WIDTH ** 2)) @ _BUMPS[:, 2]
