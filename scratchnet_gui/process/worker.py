"""The training process, seen from the window: start it, send commands, read snapshots,
stop it. What runs inside it is ``child`` (imported there, not here: the window's first
frame does not wait for the loop's modules).

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
import dataclasses
import multiprocessing as mp
import os
import sys
import time

from scratchnet.config import Config

from .. import protocol as P
from .. import snapshot as snap


def _child_entry(*args) -> None:
    """The process's target: the loop's modules load in the child, not in the window."""
    from .child import child_main

    child_main(*args)


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
    ctx.set_forkserver_preload(["scratchnet_gui.process.child", "scratchnet.metrics",
                                "sklearn.metrics"])
    return ctx


class WorkerProcess:
    """The GUI side of the training process: start, send commands, read snapshots, stop."""

    def __init__(self, config: Config, raw=None, tuning: dict | None = None):
        ctx = _context()
        self._cmd_recv, self._cmd_send = ctx.Pipe(duplex=False)
        self._snap_recv, snap_send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_child_entry, name="scratchnet-trainer",
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

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for something to read; True if there is."""
        try:
            return self._snap_recv.poll(timeout)
        except (EOFError, OSError):
            return False

    def is_alive(self) -> bool:
        return self.process.is_alive()

    @staticmethod
    def stop_all(workers, timeout: float = 2.0) -> None:
        """Ask every one of ``workers`` to stop at once and wait for all together (two
        runs of a comparison end in the time of one); ``stop`` then finishes each."""
        for w in workers:
            if w.process.is_alive():
                w.send(0, P.Stop())
        deadline = time.monotonic() + timeout
        while any(w.process.is_alive() for w in workers) and time.monotonic() < deadline:
            for w in workers:
                w.receive()  # keep each pipe drained so its sender can finish
                w.process.join(0.01)

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
