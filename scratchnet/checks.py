"""Small validators for settings read from users and files: one message style everywhere.

Each returns the value as a plain Python ``int``/``float``/``str`` or raises
``ValueError`` naming the setting, the rule and the value it got. JSON gives ``True``
for ``true``, and ``True`` is an ``int`` in Python: booleans are refused where numbers
are expected.
"""

from __future__ import annotations

import math
from numbers import Integral, Real


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def whole(value, name: str, lo: int | None = None, hi: int | None = None) -> int:
    """``value`` as an ``int`` in ``[lo, hi]``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be a whole number, not {_shown(value)}")
    value = int(value)
    if lo is not None and value < lo:
        raise ValueError(f"{name} must be ≥ {lo}, not {value}")
    if hi is not None and value > hi:
        raise ValueError(f"{name} must be ≤ {hi:,}, not {value:,}")
    return value


def number(value, name: str, lo: float | None = None, hi: float | None = None,
           lo_open: bool = False, hi_open: bool = False) -> float:
    """``value`` as a finite ``float`` between ``lo`` and ``hi`` (open ends if asked)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a number, not {_shown(value)}")
    try:
        value = float(value)
    except OverflowError:  # an int too large for a float
        raise ValueError(f"{name} must be a finite number, not {_shown(value)}") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value}")
    if lo is not None and (value <= lo if lo_open else value < lo):
        raise ValueError(f"{name} must be {'>' if lo_open else '≥'} {lo:g}, not {value:g}")
    if hi is not None and (value >= hi if hi_open else value > hi):
        raise ValueError(f"{name} must be {'<' if hi_open else '≤'} {hi:g}, not {value:g}")
    return value


def choice(value, name: str, choices) -> str:
    """``value`` if it is one of ``choices`` (strings)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {_shown(value)}")
    return value


def flag(value, name: str) -> bool:
    """``value`` if it is a ``bool``."""
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false, not {_shown(value)}")
    return value


def text(value, name: str, max_len: int = 4096) -> str:
    """``value`` if it is a string of at most ``max_len`` characters."""
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text, not {_shown(value)}")
    if len(value) > max_len:
        raise ValueError(f"{name} is {len(value):,} characters long; the limit is {max_len:,}")
    return value


def items(value, name: str, max_len: int) -> list:
    """``value`` as a list (from a list or tuple) of at most ``max_len`` items."""
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"{name} must be a list, not {_shown(value)}")
    if len(value) > max_len:
        raise ValueError(f"{name} has {len(value):,} items; the limit is {max_len:,}")
    return list(value)


def mapping(value, name: str) -> dict:
    """``value`` if it is a ``dict``."""
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be a mapping of names to values, not {_shown(value)}")
    return value


def over_limit(nbytes: int, limit: int) -> tuple[str, str]:
    """``(size, limit)`` as text in MiB, or in bytes when MiB would show them equal
    ("200 MiB is larger than the 200 MiB limit" said nothing)."""
    size, cap = f"{nbytes / 2**20:,.0f} MiB", f"{limit / 2**20:,.0f} MiB"
    if size == cap:
        size, cap = f"{nbytes:,} bytes", f"{limit:,} bytes ({cap})"
    return size, cap
