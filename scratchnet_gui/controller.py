"""The GUI-thread side of training: sends commands, polls the mailbox, fans out frames."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QObject, QTimer, Signal

from scratchnet import data
from scratchnet.config import Config

from .snapshot import Mailbox, Snapshot
from .worker import TrainingWorker

FRAME_MS = 16


class Controller(QObject):
    """Owns the worker thread for the window's lifetime.

    Signals
    -------
    snapshotReady(Snapshot)
        At most once per frame, with the newest snapshot only.
    message(str, str)
        ``(level, text)``, level "error" or "info": shown to the user.
    """

    snapshotReady = Signal(object)
    message = Signal(str, str)

    def __init__(self, config: Config | None = None, parent=None):
        super().__init__(parent)
        self.config = config or Config()
        self.mailbox = Mailbox()
        self._ids = itertools.count(1)
        self.last_command = 0
        self._latest: Snapshot | None = None
        self.worker = self._start(self.config, data.build(self.config.data))
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def _start(self, config, dataset):
        w = TrainingWorker(config, dataset, self.mailbox)
        w.start()
        return w

    # --- commands -----------------------------------------------------------------------
    def send(self, name: str, **kw) -> int:
        """Queue a command for the worker; returns its id (see ``Snapshot.ack``)."""
        cid = next(self._ids)
        self.last_command = cid
        self.worker.send(cid, name, **kw)
        return cid

    def play(self):
        return self.send("play")

    def pause(self):
        return self.send("pause")

    # --- frames -------------------------------------------------------------------------
    def poll(self) -> None:
        s = self.mailbox.take()
        if s is None:
            return
        self._latest = s
        if s.notice:
            level = "error" if s.notice.startswith("error: ") else "info"
            self.message.emit(level, s.notice.removeprefix("error: "))
        self.snapshotReady.emit(s)

    @property
    def latest(self) -> Snapshot | None:
        """The snapshot last handed to the views (no polling)."""
        return self._latest

    def current_snapshot(self) -> Snapshot | None:
        """The newest snapshot the GUI has drawn from (polls first)."""
        self.poll()
        return self._latest

    def is_idle(self) -> bool:
        """True when the worker has answered every command sent so far."""
        s = self.current_snapshot()
        return s is not None and s.ack >= self.last_command

    # --- lifetime -----------------------------------------------------------------------
    def shutdown(self, timeout: float = 5.0) -> bool:
        """Stop the worker thread and wait for it; True if it has ended."""
        self.timer.stop()
        if self.worker.is_alive():
            self.worker.send(next(self._ids), "stop")
            self.worker.join(timeout)
        return not self.worker.is_alive()
