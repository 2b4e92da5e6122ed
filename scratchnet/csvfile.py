"""The CSV loader: numeric feature columns and a binary label, every error located.

Every refusal names the file and, where there is one, the 1-based line and the column.
"""

from __future__ import annotations

import csv
import math
import os

import numpy as np

from .fileio import regular_file

MIN_ROWS = 4
MAX_CSV_BYTES = 200 * 1024 * 1024
MAX_ROWS = 1_000_000  # the same cap as generated data (data.MAX_SAMPLES)
LABEL_NAMES = ("label", "y", "class", "target")


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _text_cells(row) -> set:
    return {j for j, c in enumerate(row) if not _is_number(c.strip())}


def load_csv(path, label: str | int | None = None):
    """Load numeric feature columns plus a binary label column from a CSV file.

    The first row is a header when it has text cells where the second row does not
    (so ``0.5,1.2,yes`` over ``0.1,0.3,no`` is data, not a header); otherwise the
    columns are named ``x1, x2, ...`` and ``label``. The label column is ``label`` if
    given (a name or 0-based index), else the first column named one of
    ``label, y, class, target``, else the last column. Its two distinct values map to
    0 and 1 (``0/1`` stay as they are; otherwise in sorted order).

    Returns
    -------
    X : ndarray (n, d) float64
    y : ndarray (n,) float64 in {0, 1}
    names : list of str
        The feature column names, then the label column's name.

    Raises
    ------
    ValueError
        For anything wrong with the file, naming the 1-based line and the column.
    """
    path = os.fspath(path)
    size = regular_file(path, "CSV file")  # a FIFO or a device would block or never end
    if size > MAX_CSV_BYTES:
        raise ValueError(f"{path}: {size / 2**20:.0f} MiB is larger than the "
                         f"{MAX_CSV_BYTES // 2**20} MiB limit")
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValueError(f"{path}: is a folder, not a CSV file") from None
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 text (byte {e.start}); is it really a CSV?") from None
    except csv.Error as e:
        raise ValueError(f"{path}: not valid CSV ({e})") from None
    except OSError as e:
        raise ValueError(f"{path}: cannot be read ({e.strerror or e})") from None
    return _parse_rows(path, rows, label)


def _parse_rows(path, rows, label):
    numbered = [(i + 1, r) for i, r in enumerate(rows) if any(c.strip() for c in r)]
    if not numbered:
        raise ValueError(f"{path}: the file is empty")
    first_line, first = numbered[0]
    text = _text_cells(first)
    has_header = bool(text) and (len(numbered) < 2 or text != _text_cells(numbered[1][1]))
    if has_header:
        names = [c.strip() or f"column {j + 1}" for j, c in enumerate(first)]
        numbered = numbered[1:]
        if len(set(names)) != len(names):
            dup = next(n for n in names if names.count(n) > 1)
            raise ValueError(f"{path}: line {first_line}: column name {dup!r} appears twice")
    else:
        names = [f"x{j + 1}" for j in range(len(first) - 1)] + ["label"]
    width = len(names)
    if width < 2:
        raise ValueError(f"{path}: line {first_line}: need at least one feature column and a "
                         f"label column, found {width} column")
    li = _label_index(path, names, label)
    if len(numbered) < MIN_ROWS:
        raise ValueError(f"{path}: only {len(numbered)} data row(s); need at least {MIN_ROWS}")
    if len(numbered) > MAX_ROWS:
        raise ValueError(f"{path}: {len(numbered):,} data rows; the limit is {MAX_ROWS:,}")
    feats = [j for j in range(width) if j != li]
    X = np.empty((len(numbered), width - 1))
    raw_labels = []
    for r, (line, row) in enumerate(numbered):
        if len(row) != width:
            raise ValueError(f"{path}: line {line} has {len(row)} field(s), expected {width}")
        for k, j in enumerate(feats):
            cell = row[j].strip()
            try:
                v = float(cell)
            except ValueError:
                shown = cell if cell else "an empty cell"
                raise ValueError(f"{path}: line {line}, column {names[j]!r}: {shown!r} is not "
                                 f"a number") from None
            if not math.isfinite(v):
                raise ValueError(f"{path}: line {line}, column {names[j]!r}: {cell} is not a "
                                 f"finite number")
            X[r, k] = v
        raw_labels.append((line, row[li].strip()))
    y = _binary_labels(path, names[li], raw_labels)
    return X, y, [names[j] for j in feats] + [names[li]]


def _label_index(path, names, label):
    if label is None:
        lowered = [n.lower() for n in names]
        return next((lowered.index(n) for n in LABEL_NAMES if n in lowered), len(names) - 1)
    if isinstance(label, (int, np.integer)) and not isinstance(label, bool):
        if not -len(names) <= label < len(names):
            raise ValueError(f"{path}: label column {label} does not exist ({len(names)} columns)")
        return int(label) % len(names)
    if label not in names:
        raise ValueError(f"{path}: no column named {label!r}; columns are {', '.join(names)}")
    return names.index(label)


def _label_key(path, name, line, cell):
    """The class a label cell names: numbers by value (``0`` and ``0.0`` are one class),
    text as written."""
    try:
        v = float(cell)
    except ValueError:
        return cell
    if not math.isfinite(v):
        raise ValueError(f"{path}: line {line}, column {name!r}: the label {cell!r} is not a "
                         f"finite number")
    return v


def _binary_labels(path, name, raw):
    values = {}  # class -> (first line, first spelling)
    keys, spellings = [], set()
    for line, cell in raw:
        if cell == "":
            raise ValueError(f"{path}: line {line}, column {name!r}: the label is empty")
        key = _label_key(path, name, line, cell)
        values.setdefault(key, (line, cell))
        keys.append(key)
        if len(spellings) < 3:
            spellings.add(cell)
    shown = [cell for _, cell in values.values()]
    if len(values) == 1 and len(spellings) > 1:
        a, b = sorted(spellings)[:2]
        raise ValueError(f"{path}: column {name!r} has a single class: {a!r} and {b!r} are the "
                         f"same class written twice; a binary label needs two classes")
    if len(values) == 1:
        raise ValueError(f"{path}: column {name!r} has a single class ({shown[0]!r}); "
                         f"a binary label needs two")
    if len(values) > 2:
        listed = ", ".join(repr(v) for v in shown[:5])
        raise ValueError(f"{path}: column {name!r} is not two-valued: it has {len(values)} "
                         f"distinct values ({listed}{', …' if len(values) > 5 else ''}); "
                         f"the third first appears on line {list(values.values())[2][0]}")
    a, b = values
    if isinstance(a, float) and isinstance(b, float):
        lo = min(a, b)
    else:  # text, or text and a number: in the sorted order of their first spelling
        lo = a if values[a][1] < values[b][1] else b
    return np.array([0.0 if k == lo else 1.0 for k in keys])
