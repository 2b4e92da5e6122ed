"""The training process: started from the window, it runs a ``TrainingLoop`` and sends
snapshots and events back.

Why a process and not a thread: training and drawing are both Python, and with one GIL
they take turns. Measured here (2 cores, offscreen), a worker *thread* let the window draw
6-13 frames/s and kept 35-56% of the headless training speed, because every Python
callback of a paint waited for the GIL. In its own process the trainer runs at full
speed on one core while the GUI draws on the other. Nothing in the child touches Qt.

Pipes: commands GUI → child as ``(id, Command)``; snapshots and events child → GUI. One
sender thread in the child owns that pipe: training never waits for the GUI, it hands the
sender the newest snapshot and its events, and the GUI keeps only the newest snapshot.
"""

from __future__ import annotations

import contextlib
import os
import ctypes
import dataclasses
import multiprocessing as mp
import sys
import threading
import time
import traceback

import threadpoolctl

from scratchnet import data
from scratchnet.config import Config

from . import protocol as P
from . import snapshot as snap
from . import loop_pacer, training_loop
from .training_loop import TrainingLoop  # noqa: F401 (the loop's home for tests and tools)


# --- the child process ------------------------------------------------------------------
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


@contextlib.contextmanager
def _main_module_hidden():
    """Start a spawned child without re-running the parent's ``__main__``.

    By default ``spawn`` re-imports the main script (or ``-m`` module) in the child, which
    would open a second window for ``python -m scratchnet_gui`` and fails outright for a
    script that builds a ``MainWindow`` at top level. The child needs nothing from it.
    """
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__.pop(k) for k in ("__file__",) if main and k in main.__dict__}
    spec = getattr(main, "__spec__", None)
    if main is not None:
        main.__spec__ = None
    try:
        yield
    finally:
        if main is not None:
            main.__dict__.update(saved)
            main.__spec__ = spec


START = "SCRATCHNET_START"  # "forkserver": the tests' faster start (see _context)


def _context():
    """``spawn`` (never fork a process that has Qt loaded). With ``SCRATCHNET_START=
    forkserver`` (the tests set it), children fork from a Qt-free server that has
    imported the trainer and scikit-learn once, instead of importing both each time."""
    if os.environ.get(START) != "forkserver":
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["scratchnet_gui.worker", "scratchnet.metrics",
                                "sklearn.metrics"])
    return ctx


class WorkerProcess:
    """The GUI side of the training process: start, send commands, read snapshots, stop."""

    def __init__(self, config: Config, raw=None, tuning: dict | None = None):
        ctx = _context()
        self._cmd_recv, self._cmd_send = ctx.Pipe(duplex=False)
        self._snap_recv, snap_send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=child_main, name="scratchnet-trainer",
                                   args=(config, raw, self._cmd_recv, snap_send, tuning),
                                   daemon=True)
        with _main_module_hidden():
            self.process.start()
        snap_send.close()
        self._points = None
        self.received = 0  # snapshots

    def send(self, cmd_id: int, cmd: P.Command) -> None:
        try:
            self._cmd_send.send((cmd_id, cmd))
        except (BrokenPipeError, OSError):
            pass  # the process is gone; is_alive() tells the controller

    def receive(self) -> list:
        """Everything that arrived since the last call, in order; a snapshot sent
        without its points (unchanged since the last) gets them back."""
        items = []
        try:
            while self._snap_recv.poll():
                item = self._snap_recv.recv()
                if isinstance(item, snap.Snapshot):
                    self.received += 1
                    if item.points is None:
                        item = dataclasses.replace(item, points=self._points)
                    else:
                        self._points = item.points
                items.append(item)
        except (EOFError, OSError):
            pass
        return items

    def is_alive(self) -> bool:
        return self.process.is_alive()

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask the process to stop and wait up to ``timeout`` seconds for it; then
        terminate it, and kill it if even that is ignored. True once it has ended."""
        if self.process.is_alive():
            self.send(0, P.Stop())
            deadline = time.monotonic() + timeout
            while self.process.is_alive() and time.monotonic() < deadline:
                self.receive()  # keep the pipe drained so the sender can finish
                self.process.join(0.02)
            if self.process.is_alive():
                self.process.terminate()
                self.process.join(3.0)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        for c in (self._cmd_send, self._snap_recv, self._cmd_recv):
            c.close()
        return not self.process.is_alive()
