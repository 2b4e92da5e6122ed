"""The files the app ships beside its code: the icon (SVG and PNG sizes), the freedesktop
desktop entry, and the Examples menu's texts (what each example and each comparison of
two runs shows, and what to look for). Read through ``importlib.resources``, so an
installed wheel finds them as a checkout does. Qt-free.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)  # the PNGs drawn from icons/scratchnet.svg
DESKTOP_ENTRY = "scratchnet.desktop"
EXAMPLES = "examples.json"


def file(name: str):
    """The resource ``name`` (a path inside this folder, e.g. "icons/scratchnet.svg")
    as an ``importlib.resources`` traversable: ``read_bytes()``, ``read_text()``."""
    return resources.files(__name__).joinpath(name)


def icon_svg() -> bytes:
    return file("icons/scratchnet.svg").read_bytes()


def icon_pngs() -> dict:
    """``{size: PNG bytes}`` for every size in ``ICON_SIZES``."""
    return {n: file(f"icons/scratchnet-{n}.png").read_bytes() for n in ICON_SIZES}


def desktop_entry() -> str:
    """The freedesktop ``.desktop`` entry, to copy into ``~/.local/share/applications``."""
    return file(DESKTOP_ENTRY).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Example:
    """One entry of the Examples menu: its action's name, the CLI preset it loads, the
    menu title and the words shown when it is loaded."""

    action: str
    preset: str
    title: str
    text: str
    shows: str = ""  # views brought to the front, comma-separated (optional)


def examples() -> list:
    """The Examples menu's entries, in menu order, each field checked."""
    raw = json.loads(file(EXAMPLES).read_text(encoding="utf-8"))
    items = raw.get("examples") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise ValueError(f"{EXAMPLES}: expected {{'examples': [...]}} with one entry or more")
    keys = set(Example.__dataclass_fields__)
    required = keys - {"shows"}
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not required <= set(item) <= keys or not all(
                isinstance(v, str) and v.strip() for v in item.values()):
            raise ValueError(f"{EXAMPLES}: entry {i + 1} must have the texts "
                             f"{', '.join(sorted(required))} (and may have shows) and "
                             f"nothing else")
        out.append(Example(**item))
    if len({e.action for e in out}) != len(out):
        raise ValueError(f"{EXAMPLES}: two entries have one action name")
    return out


@dataclass(frozen=True)
class Comparison:
    """One comparison preset of the Examples menu: its action's name
    (``compare_`` and the pair's name with underscores), the pair it loads
    (``scratchnet.compare.pair``), the menu title and what to look for."""

    action: str
    pair: str
    title: str
    text: str


def comparisons() -> list:
    """The comparison presets, in menu order, each field checked: the four texts and
    nothing else, a pair ``scratchnet.compare.COMPARISONS`` knows, its action's name."""
    from scratchnet.compare import COMPARISONS

    raw = json.loads(file(EXAMPLES).read_text(encoding="utf-8"))
    items = raw.get("comparisons") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise ValueError(f"{EXAMPLES}: expected 'comparisons': [...] with one entry or more")
    keys = set(Comparison.__dataclass_fields__)
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or set(item) != keys or not all(
                isinstance(v, str) and v.strip() for v in item.values()):
            raise ValueError(f"{EXAMPLES}: comparison {i + 1} must have the texts "
                             f"{', '.join(sorted(keys))} and nothing else")
        if item["pair"] not in COMPARISONS:
            raise ValueError(f"{EXAMPLES}: comparison {i + 1} names an unknown pair "
                             f"{item['pair']!r}")
        if item["action"] != "compare_" + item["pair"].replace("-", "_"):
            raise ValueError(f"{EXAMPLES}: comparison {i + 1}'s action must be "
                             f"compare_{item['pair'].replace('-', '_')}")
        out.append(Comparison(**item))
    if len({c.pair for c in out}) != len(out):
        raise ValueError(f"{EXAMPLES}: two comparisons load one pair")
    return out
