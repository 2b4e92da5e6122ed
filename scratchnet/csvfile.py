"""The CSV loader: numeric feature columns and a label, every error located.

The label is a class (up to ``GUESS_MAX_CLASSES`` distinct values, written any way:
numbers or text) or else, when every value is a number, a regression target; the
``task`` argument overrides the guess.

Every refusal names the file and, where there is one, the 1-based line and the column.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import itertools
import math
import os

import numpy as np

from .checks import over_limit
from .fileio import regular_file
from .tasks import AUTO, CLASSIFICATION, GUESS_MAX_CLASSES, MAX_CLASSES, REGRESSION, TASKS

MIN_ROWS = 4
MAX_CSV_BYTES = 200 * 1024 * 1024
MAX_ROWS = 2_000_000  # the same cap as generated data (generators.MAX_SAMPLES)
LABEL_NAMES = ("label", "y", "class", "target")


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _text_cells(row) -> set:
    return {j for j, c in enumerate(row) if not _is_number(c.strip())}


CHUNK = 65_536  # rows converted at once: bounded memory, one progress report each


class Cancelled(Exception):
    """Raised by a ``progress`` callback to stop reading a CSV file."""


def load_csv(path, label: str | int | None = None, task: str = AUTO):
    """``(X, y, names)`` of a CSV file: ``read_csv`` without the class names."""
    return read_csv(path, label, task)[:3]


def read_csv(path, label: str | int | None = None, task: str = AUTO, progress=None):
    """Load numeric feature columns plus a label column from a CSV file.

    The first row is a header when it has text cells where the second row does not
    (so ``0.5,1.2,yes`` over ``0.1,0.3,no`` is data, not a header); otherwise the
    columns are named ``x1, x2, ...`` and ``label``. The label column is ``label`` if
    given (a name or 0-based index), else the first column named one of
    ``label, y, class, target``, else the last column.

    With ``task="auto"`` a label of at most ``GUESS_MAX_CLASSES`` distinct values is a
    class label; one with more, all numbers, a regression target. Classes map to
    ``0..K-1`` in sorted order (numbers by value, so ``0/1`` stay as they are; text by
    spelling); ``0`` and ``0.0`` are one class. "classification" takes up to
    ``MAX_CLASSES`` classes; "regression" needs every label to be a number.

    Returns
    -------
    X : ndarray (n, d) float64
    y : ndarray (n,) float64
        Class indices ``0..K-1``, or the regression target's values.
    names : list of str
        The feature column names, then the label column's name.
    classes : tuple of str or None
        The class names (each class's first spelling) in index order; ``None`` for a
        regression target.

    The file is read as a stream, ``CHUNK`` rows at a time: memory stays near the
    arrays it returns. ``progress(fraction)`` is called after each chunk; it may raise
    ``Cancelled`` to stop.

    Raises
    ------
    ValueError
        For anything wrong with the file, naming the 1-based line and the column.
    Cancelled
        When ``progress`` asked to stop.
    """
    path = os.fspath(path)
    if task not in (AUTO, *TASKS):
        raise ValueError(f"task must be one of {AUTO}, {', '.join(TASKS)}, not {task!r}")
    size = regular_file(path, "CSV file")  # a FIFO or a device would block or never end
    if size > MAX_CSV_BYTES:
        shown, cap = over_limit(size, MAX_CSV_BYTES)
        raise ValueError(f"{path}: {shown} is larger than the limit of {cap}")
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh, _no_cycle_collection():
            return _stream(path, fh, size, label, task, progress)
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


@contextlib.contextmanager
def _no_cycle_collection():
    """Pause the cyclic garbage collector: a parse makes millions of row lists and no
    cycles, and the collector walked every live one again and again (half the time of
    a 2M-row file, measured). Reference counting still frees everything as it goes."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _rows(reader):
    """``(line, row)`` of each row with any text (1-based line of the row's start)."""
    line = 1
    for row in reader:
        if (row and row[0].strip()) or any(c.strip() for c in row):  # the first test is
            yield line, row                                          # enough for most rows
        line = reader.line_num + 1


def _stream(path, fh, size, label, task, progress):
    rows = _rows(csv.reader(fh))
    head = [r for _, r in zip(range(2), rows)]
    if not head:
        raise ValueError(f"{path}: the file is empty")
    names, has_header = _header(path, head)
    width = len(names)
    li = _label_index(path, names, label)
    feats = [j for j in range(width) if j != li]
    pending = head[1:] if has_header else head
    chunks, codes, n = [], [], 0
    spellings, first_lines = {}, []  # each distinct label cell, with its first line
    while True:
        batch = pending + list(itertools.islice(rows, CHUNK - len(pending)))
        pending = []
        if not batch:
            break
        n += len(batch)
        if n > MAX_ROWS:
            raise ValueError(f"{path}: more than {MAX_ROWS:,} data rows; that is the limit")
        chunks.append(_convert(path, names, feats, batch))
        codes.append(_label_codes(batch, li, spellings, first_lines))
        read = fh.buffer.tell()  # the bytes read so far (a text file cannot tell())
        if read > size:  # the limits were checked on the size at open: hold it to that
            raise ValueError(f"{path}: the file grew while it was read (from {size:,} "
                             f"bytes at open); read it once it is written")
        if progress is not None:
            progress(read / max(size, 1))
    if n < MIN_ROWS:
        raise ValueError(f"{path}: only {n} data row(s); need at least {MIN_ROWS}")
    y, classes = _labels(path, names[li], list(spellings), first_lines,
                         np.concatenate(codes), task)
    X = np.concatenate(chunks) if len(chunks) > 1 else chunks[0]
    return X, y, [names[j] for j in feats] + [names[li]], classes


def _label_codes(batch, li, spellings, first_lines) -> np.ndarray:
    """Each row's label as the number of its distinct spelling (a small array, not two
    million strings); ``spellings`` and ``first_lines`` grow with new ones."""
    out = np.empty(len(batch), dtype=np.int32)
    for r, (line, row) in enumerate(batch):
        cell = row[li].strip()
        code = spellings.get(cell)
        if code is None:
            code = spellings[cell] = len(first_lines)
            first_lines.append(line)
        out[r] = code
    return out


def _header(path, head):
    """Column names, and whether the first row holds them."""
    first_line, first = head[0]
    text = _text_cells(first)
    has_header = bool(text) and (len(head) < 2 or text != _text_cells(head[1][1]))
    if has_header:
        names = [c.strip() or f"column {j + 1}" for j, c in enumerate(first)]
        if len(set(names)) != len(names):
            dup = next(n for n in names if names.count(n) > 1)
            raise ValueError(f"{path}: line {first_line}: column name {dup!r} appears twice")
    else:
        names = [f"x{j + 1}" for j in range(len(first) - 1)] + ["label"]
    if len(names) < 2:
        raise ValueError(f"{path}: line {first_line}: need at least one feature column and a "
                         f"label column, found {len(names)} column")
    return names, has_header


def _convert(path, names, feats, batch) -> np.ndarray:
    """The feature cells of ``batch`` as floats: numpy converts them all at once; only a
    chunk that fails is walked cell by cell, to name the line and column."""
    width = len(names)
    for line, row in batch:
        if len(row) != width:
            raise ValueError(f"{path}: line {line} has {len(row)} field(s), expected {width}")
    try:
        X = np.array([[row[j] for j in feats] for _, row in batch], dtype=np.float64)
        if np.isfinite(X).all():
            return X
    except ValueError:
        pass
    X = np.empty((len(batch), width - 1))
    for r, (line, row) in enumerate(batch):
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
    return X


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


def _labels(path, name, spellings, first_lines, codes, task):
    """``(y, classes)`` from the distinct label ``spellings`` (in order of first
    appearance, each with its first line) and each row's spelling ``codes``."""
    values = {}  # class -> (first line, first spelling)
    keys = []
    for cell, line in zip(spellings, first_lines):
        if cell == "":
            raise ValueError(f"{path}: line {line}, column {name!r}: the label is empty")
        key = _label_key(path, name, line, cell)
        values.setdefault(key, (line, cell))
        keys.append(key)
    text = [(line, cell) for key, (line, cell) in values.items() if isinstance(key, str)]
    if task == REGRESSION or (task == AUTO and len(values) > GUESS_MAX_CLASSES and not text):
        if text:
            line, cell = text[0]
            raise ValueError(f"{path}: line {line}, column {name!r}: the label {cell!r} is "
                             f"not a number, so it cannot be a regression target")
        return np.array(keys, dtype=np.float64)[codes], None
    limit = MAX_CLASSES if task == CLASSIFICATION else GUESS_MAX_CLASSES
    if len(values) > limit:
        line = list(values.values())[limit][0]
        why = (f"the limit is {MAX_CLASSES} classes" if task == CLASSIFICATION else
               f"more than {GUESS_MAX_CLASSES} are not guessed to be classes, and text like "
               f"{text[0][1]!r} (line {text[0][0]}) is not a regression target"
               + (f"; task=classification takes up to {MAX_CLASSES} classes"
                  if len(values) <= MAX_CLASSES else ""))
        raise ValueError(f"{path}: column {name!r} has {len(values)} distinct values, the "
                         f"{_ordinal(limit + 1)} first on line {line}: {why}")
    _check_two_classes(path, name, values, set(spellings[:3]))
    order = (sorted(values) if not text else sorted(values, key=lambda k: values[k][1]))
    index = {k: float(i) for i, k in enumerate(order)}
    return np.array([index[k] for k in keys])[codes], tuple(values[k][1] for k in order)


def _check_two_classes(path, name, values, spellings):
    shown = [cell for _, cell in values.values()]
    if len(values) == 1 and len(spellings) > 1:
        a, b = sorted(spellings)[:2]
        raise ValueError(f"{path}: column {name!r} has a single class: {a!r} and {b!r} are the "
                         f"same class written twice; a class label needs two classes or more")
    if len(values) == 1:
        numeric = not isinstance(next(iter(values)), str)
        raise ValueError(f"{path}: column {name!r} has a single class ({shown[0]!r}); "
                         f"a class label needs two or more"
                         + ("; task=regression loads it as a (constant) regression target"
                            if numeric else ""))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
