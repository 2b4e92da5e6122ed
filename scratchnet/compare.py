"""Two runs of one experiment: what differs between their settings, said in words.

Run A and run B share the data, the split, the seed and so the starting weights
wherever their networks have the same shape and initialisation (``Network`` draws its
layers in order from the seed). The window's compare mode and ``scratchnet train
--compare`` both name the difference with ``differs`` and ``describe``; ``pair`` builds
the comparison presets of the Examples menu and ``--compare-preset``.
"""

from __future__ import annotations

from . import presets
from .config import Config

# name -> (run A's preset, what run B changes); the first-named setting is run A's
COMPARISONS = {
    "linear-vs-deep": ("circles-linear", {"hidden": (9, 6),
                                          "activations": ("sigmoid", "sigmoid")}),
    "sigmoid-vs-relu": ("circles-deep", {"activations": ("relu", "relu"), "init": "he"}),
    "small-vs-large-lr": ("why-sigmoid-slow", {"lr": 1.0}),
    "sgd-vs-adam": ("spiral-3", {"optimizer": "adam"}),
    "article-vs-correct-backprop": ("circles-deep", {"backprop": "correct"}),
}
# what both runs change from the preset first: A is SGD where the preset is Adam, and
# the article's loop runs without the preset's target, which would stop both runs by
# epoch 5 and hide the difference
SHARED = {
    "sgd-vs-adam": {"optimizer": "sgd"},
    "article-vs-correct-backprop": {"backprop": "article", "target_auc": None,
                                    "max_epochs": 30},
}

# the data are shared by both runs: their fields never differ within a comparison
SHORT = {"activations": "activation", "batch_size": "batch", "target_auc": "target",
         "max_epochs": "epochs"}


def _flat(cfg: Config) -> dict:
    d = cfg.to_dict()
    data = d.pop("data")
    d.update({f"data.{k}": v for k, v in data.items()})
    return d


def differs(a: Config, b: Config) -> dict:
    """The settings of ``b`` that differ from ``a``'s, by name: ``{name: (a's, b's)}``.

    Names are the flat session names (``lr``, ``hidden``, ``activations``, ...; the
    data's as ``data.noise``). A setting the two share is never listed.
    """
    fa, fb = _flat(a), _flat(b)
    return {k: (fa[k], fb[k]) for k in fa if fa[k] != fb[k]}


def _word(name: str, before, value) -> str:
    if name in ("hidden", "activations") and not value:  # said once, as the shape
        return "no hidden layer" if name == "hidden" else ""
    if name == "activations" and len(set(value)) == 1:
        return f"activation {value[0]}"
    if name == "schedule":  # its kind, or the parameters that changed within it
        if value.get("kind") != before.get("kind"):
            return f"schedule {value.get('kind')}"
        return ", ".join(f"schedule {k} {v:g}" for k, v in value.items()
                         if before.get(k) != v)
    if isinstance(value, (list, tuple)):
        value = ",".join(str(v) for v in value)
    if isinstance(value, float):
        value = f"{value:g}"
    return f"{SHORT.get(name, name.removeprefix('data.'))} {value}"


def describe(diff: dict, run: str = "B") -> str:
    """``"B: activation relu, lr 0.5"`` for ``differs``'s answer; ``"B: the same
    settings as A"`` when nothing differs."""
    if not diff:
        return f"{run}: the same settings as A"
    words = (_word(k, a, b) for k, (a, b) in diff.items())
    return f"{run}: " + ", ".join(w for w in words if w)


def pair(name: str, seed: int = 0) -> tuple:
    """Runs A and B of the comparison preset ``name``, both validated.

    Parameters
    ----------
    name : str
        A key of ``COMPARISONS``.
    seed : int
        The preset's seed (its data's and its weights'); B shares it.

    Returns
    -------
    (Config, Config)
        A: the preset with ``SHARED``'s changes; B: A with the comparison's changes.

    Raises
    ------
    ValueError
        For an unknown name (the message lists the names).
    """
    if name not in COMPARISONS:
        raise ValueError(f"unknown comparison {name!r}; choose one of "
                         f"{', '.join(COMPARISONS)}")
    preset, changes = COMPARISONS[name]
    a = presets.get(preset, seed).replace(**SHARED.get(name, {})).validate()
    return a, a.replace(**changes).validate()
