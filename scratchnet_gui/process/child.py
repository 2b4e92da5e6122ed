"""Inside the training process: its entry point, the sender thread that owns the pipe
to the window, and the memory policy for large arrays. Nothing here touches Qt."""

from __future__ import annotations

import ctypes
import os
import dataclasses
import sys
import threading
import time
import traceback

import threadpoolctl

from scratchnet import data
from scratchnet.config import Config

from .. import protocol as P
from .. import snapshot as snap
from . import pacer as loop_pacer
from . import loop as training_loop
from .loop import TrainingLoop


def _send_loop(mailbox: snap.Mailbox, conn) -> None:
    """Send events in order and the newest snapshot whenever the pipe is free; each
    Points version once. The only writer of the pipe."""
    sent_version = None
    while True:
        s = mailbox.take(timeout=None)
        if s is None:
            if mailbox.closed:
                return
            continue
        if not isinstance(s, snap.Snapshot):
            pass
        elif s.points is not None and s.points.version == sent_version:
            s = dataclasses.replace(s, points=None)
        elif s.points is not None:
            sent_version = s.points.version
        try:
            conn.send(s)
        except (BrokenPipeError, OSError):
            return


def _map_large_arrays() -> None:
    """Have glibc map every allocation of 256 KiB or more on its own and unmap it when
    freed. By default the first large free raises that threshold (up to 32 MiB), and the
    arrays of a 2M-row load then come from the heap, whose freed pieces stay resident:
    measured, the load's peak rose 227 MB above the process's earlier peak, against
    151 MB with this."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None).mallopt(-3, 256 * 1024)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):  # not glibc: its own policy stands
        pass


TUNABLE = ("SLICE", "MIN_INTERVAL", "SNAP_SHARE", "ROC_INTERVAL", "MAPS_SHARE", "GRID", "THUMB")


def child_main(config: Config, raw, commands, snapshots, tuning=None) -> None:
    """Entry point of the training process. ``tuning`` overrides the pacing constants
    above (and ``GRID``/``THUMB`` of the snapshot module); tests use it."""
    for k, v in (tuning or {}).items():
        if k not in TUNABLE:
            raise ValueError(f"unknown tuning {k!r}; choose from {', '.join(TUNABLE)}")
        setattr(snap if k in ("GRID", "THUMB") else training_loop if k == "SLICE"
                else loop_pacer, k, v)
    # One BLAS thread: a second one would spin on the core the GUI draws with, and the
    # matrices of an interactive network are too small to gain from it.
    threadpoolctl.threadpool_limits(1)
    _map_large_arrays()
    mailbox = snap.Mailbox()
    sender = threading.Thread(target=_send_loop, args=(mailbox, snapshots), daemon=True)
    sender.start()
    try:
        loop = TrainingLoop(config, data.build(config.data, raw), commands, mailbox.put,
                            measure_later=True, emit=mailbox.put_event)
        loop.run()
    except Exception as e:  # cannot even start: say so, through the sender like the rest
        mailbox.put_event(P.Fatal(f"{type(e).__name__}: {e}\n\n{traceback.format_exc()}"))
    finally:
        # let the sender flush the last snapshot, then close
        deadline = time.perf_counter() + 2.0
        while mailbox.pending and time.perf_counter() < deadline and sender.is_alive():
            time.sleep(0.001)
        mailbox.close()
        sender.join(2.0)
        snapshots.close()
    # End here: tearing down the interpreter's numpy, scipy and scikit-learn took
    # 0.3-0.6 s, and a window closing waits for it (both runs of a comparison within
    # 1 s). Everything the process writes (sessions, exports) is on disk already.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
