"""The GUI-thread side of training: sends commands, reads snapshots, fans out frames."""

from __future__ import annotations

import dataclasses
import itertools
import time

from PySide6.QtCore import QObject, QTimer, Signal

from scratchnet.config import Config

from .. import protocol as P
from ..snapshot import Snapshot
from ..process.worker import WorkerProcess

FRAME_MS = 16


class Controller(QObject):
    """Owns the training process for the window's lifetime.

    Signals
    -------
    snapshotReady(Snapshot)
        At most once per frame, with the newest snapshot only.
    message(str, str)
        ``(level, text)``, the words of a ``protocol.NoticeLevel``: shown to the user.
    died(str)
        The training process ended on its own; the text says what is known of why.
    configChanged(Config, dict or None)
        The trainer's settings changed; the dict holds an opened session's window
        settings (None otherwise).
    progress(protocol.Progress)
        How far a long job in the training process (reading a CSV file) has got.
    """

    snapshotReady = Signal(object)
    message = Signal(str, str)
    died = Signal(str)
    configChanged = Signal(object, object)
    progress = Signal(object)

    def __init__(self, config: Config | None = None, parent=None, tuning: dict | None = None,
                 worker: WorkerProcess | None = None):
        super().__init__(parent)
        self.config = config or Config()
        self._ids = itertools.count(1)
        self.last_command = 0
        self._acks = {}  # command id -> on_ack, until a snapshot acknowledges it
        self._standing = {}  # command type -> the latest standing command (Traits.standing)
        self._latest: Snapshot | None = None
        self._last_notice = 0
        self.fatal = None  # why the training process could not go on, if it said
        # a worker started before Qt was imported (see app.main) gets a head start
        self.worker = worker or WorkerProcess(self.config, tuning=tuning)
        self._reported_death = False
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    # --- commands -----------------------------------------------------------------------
    def send(self, cmd: P.Command, on_ack=None) -> int:
        """Queue a command for the trainer; returns its id (see ``Snapshot.ack``). The
        command checked its own fields when it was built.

        ``on_ack(snapshot, notices)``, if given, is called once the trainer has handled
        it: with the first snapshot that acknowledges it, after the views have drawn
        that snapshot, and the notices the command caused (an error among them means it
        failed)."""
        if not isinstance(cmd, P.Command):
            raise TypeError(f"send takes a protocol command, not {cmd!r}")
        cid = next(self._ids)
        self.last_command = cid
        if cmd.traits.standing:
            self._standing[type(cmd)] = cmd
        if on_ack is not None:
            self._acks[cid] = on_ack
        self.worker.send(cid, cmd)
        return cid

    def play(self):
        return self.send(P.Play())

    def pause(self):
        return self.send(P.Pause())

    # --- frames -------------------------------------------------------------------------
    def poll(self) -> None:
        """Handle every event that arrived, in order; then hand the newest snapshot to
        the views (older ones are skipped)."""
        s = None
        for event in self.worker.receive():
            s = self.handle(event) or s
        if s is None:
            if not self.worker.is_alive() and not self._reported_death and self.timer.isActive():
                self._reported_death = True
                code = self.worker.process.exitcode
                self.died.emit("The training process stopped unexpectedly"
                               + (f":\n\n{self.fatal}" if self.fatal
                                  else f" (exit code {code})."))
            return
        self._latest = s
        for n in s.notices:
            self.handle(n)
        self.snapshotReady.emit(s)
        for cid in [c for c in self._acks if c <= s.ack]:
            self._acks.pop(cid)(s, tuple(n for n in s.notices if n.command == cid))

    def handle(self, event: P.Event) -> Snapshot | None:
        """Act on one event from the training process; a snapshot is returned for
        ``poll`` to show. Anything that is not a known event raises ``TypeError``."""
        match event:
            case Snapshot():
                return event
            case P.Notice(id=n, level=level, text=text):
                if n > self._last_notice:  # every snapshot carries the recent ones
                    self._last_notice = n
                    self.message.emit(level, text)
            case P.ConfigChanged(config=config, view=view):
                self.config = config
                self.configChanged.emit(config, view)
            case P.Progress():
                self.progress.emit(event)
            case P.Fatal(text=text):
                self.fatal = text
            case _:
                raise TypeError(f"the training process sent {event!r}, which is no event")
        return None

    def wait_first(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the training process's first snapshot and
        hand it to the views. Called between ``show()`` and the event loop, the
        window's first paint then already holds the data (one paint, not an empty one
        and then another). True once a snapshot is there."""
        deadline = time.monotonic() + timeout
        while self._latest is None and self.worker.is_alive():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if self.worker.wait(min(left, 0.05)):
                self.poll()
        return self._latest is not None

    @property
    def latest(self) -> Snapshot | None:
        """The snapshot last handed to the views (no polling)."""
        return self._latest

    def current_snapshot(self) -> Snapshot | None:
        """The newest snapshot of the live state (reads the pipe first): while the
        timeline is scrubbed, the live state that rides along with the shown one."""
        self.poll()
        s = self._latest
        if s is None or s.live is None:
            return s
        return dataclasses.replace(s.live, points=s.points, seq=s.seq, ack=s.ack,
                                   notices=s.notices, loading=s.loading, undo=s.undo,
                                   redo=s.redo, timeline=s.timeline)

    def is_idle(self) -> bool:
        """True when the trainer has answered every command sent so far (a restarted
        one has answered nothing yet) and is reading no file."""
        s = self.current_snapshot()
        return (s is not None and self.worker.received > 0 and s.ack >= self.last_command
                and not s.loading)

    # --- lifetime -----------------------------------------------------------------------
    def restart(self) -> None:
        """Start a new training process with the last snapshot's settings and weights."""
        snap = self._latest
        if snap is not None and snap.live is not None:  # scrubbed: the live weights
            snap = snap.live
        self.worker.stop(0.1)
        self.worker = WorkerProcess(self.config)  # kept current by ConfigChanged events
        self._reported_death, self._last_notice, self.fatal = False, 0, None
        self._acks.clear()  # the commands in flight died with the old process
        if snap is not None:
            self.send(P.SetWeights(tuple(snap.weights)))
        for cmd in list(self._standing.values()):  # the window's pace and memory again
            self.send(cmd)

    def shutdown(self, timeout: float = 2.0) -> bool:
        """Stop the training process and wait for it; True if it has ended."""
        self.timer.stop()
        return self.worker.stop(timeout)
