"""Train ▸ Compare: run A (the window's own training process) and run B (a second one)
on the same data, split, seed and starting weights, in lockstep, side by side.

Commands go where they belong (``route``): the pace, Play, the steps, Reset, the
timeline and new data drive both; an edit goes to the run the panels edit (B unless
the switch says A); Undo takes back the last edit of either. Pause writes the
lockstep's hold and steps the run left an epoch behind on, so both stand at one epoch.
"""

from __future__ import annotations

import os
import tempfile

from scratchnet.compare import describe, differs
from scratchnet.settings import TrainingSettings

from .. import protocol as P
from ..process.lockstep import Block
from ..process.worker import WorkerProcess
from .compare_bar import CompareBar
from .compare_views import CompareViews
from .controller import Controller
from .menus import make_action


def refused(notices) -> bool:
    return any(n.level is P.NoticeLevel.ERROR for n in notices)

# what drives both runs; anything else edits one run (or, Undo/Redo, the last edited)
BOTH = (P.Play, P.StepEpoch, P.StepBatch, P.Reset, P.SetSpeed, P.Scrub, P.BranchHere,
        P.SetTimelineBudget, P.SetData, P.OpenData, P.CancelLoad, P.SetAxes)
SESSION_KEY = "compare"  # a session's window settings: {"b": file, "edit": 0 or 1}


def b_file(path: str) -> str:
    """Where run B of the session ``path`` is kept: beside it, ``name.b.scratchnet``."""
    stem = path[:-len(".scratchnet")] if path.endswith(".scratchnet") else path
    return stem + ".b.scratchnet"


class CompareMode:
    """``MainWindow``'s compare mode (``win.compare``).

    Parameters
    ----------
    win : MainWindow
        Built with its views, panels and menus.
    """

    def __init__(self, win):
        self.win = win
        self.b: Controller | None = None
        self.block: Block | None = None
        self.edit = 1            # the run the panels edit: 0 for A, 1 for B
        self.edits = []          # the runs edited, newest last (Undo takes the last back)
        self.undone = []
        self.latest = [None, None]
        self._pausing = False
        self._starting = False  # waiting for A's session file (CSV data)
        self._opening = None     # the session file being opened in A
        self._tmp = None
        self.views: CompareViews | None = None  # B's, while comparing
        self.bar = CompareBar(self)
        win.centralWidget().layout().insertWidget(1, self.bar)  # under the lesson note
        win.menus.train_menu.addSeparator()
        win.menus.train_menu.addAction(make_action(
            win, "compare", "Compare…", self.start,
            tip="Train a copy (B) beside this run (A): same data, seed and starting weights"))
        for run, name in ((0, "A"), (1, "B")):
            a = make_action(win, f"compare_keep_{name.lower()}_action", f"Keep run {name}",
                            lambda r=run: self.leave(r),
                            tip=f"Leave compare mode with run {name}")
            win.menus.train_menu.addAction(a)

    @property
    def active(self) -> bool:
        return self.b is not None

    def runs(self):
        return [self.win.controller, self.b]

    # --- entering and leaving ------------------------------------------------------------
    def start(self, b_config=None, session: str | None = None) -> None:
        """Compare: A from its starting weights and B, a new run of ``b_config`` (a
        preset's, with its own data spec; by default A's settings) on the same data and
        seed; or a saved comparison
        (``session``: B's file, A's already open). CSV data reach B through a session
        file of A's (the window does not hold the rows)."""
        if self.active or self._starting:
            return
        a, cfg = self.win.controller, self.win.controller.config
        if session is None and b_config is None and cfg.data.source == "csv":
            fd, self._tmp = tempfile.mkstemp(suffix=".scratchnet", prefix="scratchnet-b-")
            os.close(fd)
            self._starting = True
            a.send(P.SaveSession(self._tmp, {}), on_ack=lambda _s, notices: self._open_b(
                b_config or cfg, self._tmp, reset=True, failed=refused(notices)))
            return
        self._open_b(b_config or cfg, session, reset=session is None)

    def _open_b(self, cfg, session, reset: bool, failed: bool = False) -> None:
        self._starting = False
        if failed:
            return
        win, a = self.win, self.win.controller
        self.b = Controller(cfg, win)
        self.block = Block()
        if session is not None:
            self.b.send(P.OpenSession(session))
            if reset and cfg is not a.config:
                self._configure_b(cfg)
        for i, c in enumerate(self.runs()):
            c.send(P.JoinLockstep(self.block.name, i))
        for cmd in a._standing.values():  # noqa: SLF001 (the window's pace and memory)
            if not isinstance(cmd, P.JoinLockstep):
                self.b.send(cmd)
        if reset:  # both from their seeds' starting weights
            a.send(P.Reset())
            if session is not None:
                self.b.send(P.Reset())
        self.b.snapshotReady.connect(self.draw_b)
        self.b.message.connect(lambda level, text: win.show_message(level, f"B: {text}"))
        self.b.configChanged.connect(lambda c, view: self.configured(1, c, view)
                                     and win._config_changed(c, view))  # noqa: SLF001
        self.edits, self.undone, self.latest = [], [], [None, None]
        self.views = CompareViews(self.win, self._redraw_b)
        self.bar.show_mode(True)
        self.set_edit(1)

    def _configure_b(self, cfg) -> None:
        m = cfg.model
        self.b.send(P.Resize(tuple(m.hidden), tuple(m.activations)))
        self.b.send(P.Configure(TrainingSettings.of(cfg)))

    def leave(self, keep: int) -> None:
        """One run again: ``keep`` 0 keeps A; 1 carries B's state into the window's own
        process (through a session file) and then stops B's."""
        if not self.active:
            if self.win.isVisible() and self.bar.isHidden():
                self.win.statusBar().showMessage("Not comparing: Train ▸ Compare… starts "
                                                 "a comparison", 10_000)
            return
        if keep == 0:
            self._close()
            return
        fd, path = tempfile.mkstemp(suffix=".scratchnet", prefix="scratchnet-keep-")
        os.close(fd)

        def saved(_snap, notices):
            if not refused(notices):
                self.win.controller.send(P.OpenSession(path),
                                         on_ack=lambda *_: _remove(path))
            self._close()

        self.b.send(P.SaveSession(path, {}), on_ack=saved)

    def shutdown(self) -> None:
        """The window closes: tell B's process to stop (A's is told next)."""
        if self.b is not None:
            WorkerProcess.stop_all([c.worker for c in self.runs()])
            self.b.shutdown()
            self.block.close()
            self.b = self.block = None

    def _close(self) -> None:
        win, b = self.win, self.b
        win.controller.send(P.JoinLockstep(None))
        self.b = None
        b.shutdown()
        b.deleteLater()
        self.block.close()
        self.block = None
        self.views.remove()
        self.views = None
        self.bar.show_mode(False)
        _remove(self._tmp)
        self._tmp = None
        win._config_changed(win.controller.config, {})  # noqa: SLF001 (panels show A)

    # --- commands --------------------------------------------------------------------------
    def send(self, cmd: P.Command, on_ack=None) -> int | None:
        """Send ``cmd`` where it belongs (see the module's note); with one run, to it."""
        if isinstance(cmd, P.OpenSession):
            self.leave(0)  # a session holds one run, or says it is a comparison
            self._opening = cmd.path
        if not self.active:
            return self.win.controller.send(cmd, on_ack)
        a, b = self.runs()
        if isinstance(cmd, P.SaveSession):  # A's file says where B's is
            mine = {"b": os.path.basename(b_file(cmd.path)), "edit": self.edit}
            b.send(P.SaveSession(b_file(cmd.path), {}))
            return a.send(P.SaveSession(cmd.path, {**(cmd.view or {}), SESSION_KEY: mine}),
                          on_ack)
        if isinstance(cmd, P.Pause):
            self.block.hold_at_front()
            self._pausing = True
            self._catch_up()  # both may stand still already
            return None
        if isinstance(cmd, (P.Undo, P.Redo)):
            return self._undo(cmd, on_ack)
        if isinstance(cmd, P.Play):
            self.block.release()
            self._pausing = False
        if isinstance(cmd, BOTH):
            b.send(cmd)
            return a.send(cmd, on_ack)
        if cmd.traits.undoable:
            self.edits.append(self.edit)
            self.undone.clear()
        return self.runs()[self.edit].send(cmd, on_ack)

    def _undo(self, cmd, on_ack):
        """Undo takes back the newest edit of either run; Redo puts it back."""
        stack, other = ((self.edits, self.undone) if isinstance(cmd, P.Undo)
                        else (self.undone, self.edits))
        if not stack:
            return None
        run = stack.pop()
        other.append(run)
        return self.runs()[run].send(cmd, on_ack)

    def reopen(self, view) -> None:
        """An opened session's window settings name run B's file: compare again."""
        mine, path = (view or {}).get(SESSION_KEY), self._opening
        if mine is None or path is None or self.active:
            return
        self._opening = None
        name = mine.get("b") if isinstance(mine, dict) else None
        edit = mine.get("edit") if isinstance(mine, dict) else None
        if (not isinstance(name, str) or os.path.basename(name) != name
                or not name.endswith(".scratchnet") or edit not in (0, 1)):
            self.win.show_message("error", f"The session's comparison is unreadable "
                                  f"({str(mine)[:80]}); it opens as one run.")
            return
        self.start(session=os.path.join(os.path.dirname(path), name))
        self.set_edit(edit)

    def set_edit(self, run: int) -> None:
        """The panels edit run ``run`` (0 A, 1 B) from now on, and show its settings."""
        self.edit = run
        if self.active:
            self.win._config_changed(self.runs()[run].config, {})  # noqa: SLF001
        self.follow()

    def configured(self, run: int, cfg, view) -> bool:
        """A run's settings changed: the panels follow the run they edit. True when
        ``run``'s change is the panels' to show."""
        if run == 0 and view is not None:
            self.reopen(view)
        self.follow()
        return not self.active or run == self.edit

    # --- drawing ---------------------------------------------------------------------------
    def draw_b(self, snap) -> None:
        """Draw run B's newest snapshot; the bar and a pending pause follow."""
        if self.views is None:  # a snapshot still queued when compare mode ended
            return
        self.latest[1] = snap
        a = self.latest[0]
        self.views.draw_b(snap, a is not None and a.running)
        self._catch_up()
        self.follow()

    def follow_a(self, snap, slow: bool) -> None:
        """Run A drew ``snap``: B's curves (on A's slow frames, so that each curve view
        paints once for both), the bar and a pending pause follow."""
        if self.active:
            self.latest[0] = snap
            if slow:
                self.views.draw_curves(self.latest[1])
            self._catch_up()
            self.follow()

    def _redraw_b(self) -> None:
        if self.latest[1] is not None:
            self.draw_b(self.latest[1])

    def _catch_up(self) -> None:
        """After a Pause, once both stand still: step the run an epoch behind on."""
        a, b = self.latest
        if not self._pausing or a is None or b is None:
            return
        lag = self.block.behind((a.epoch, b.epoch), (a.running, b.running))
        if a.running or b.running:
            return
        self._pausing = False
        if lag is not None:
            self.runs()[lag].send(P.StepEpoch())

    def follow(self) -> None:
        """The bar's words: what differs, each run's epoch, a run that stopped."""
        if not self.active:
            return
        a, b = self.runs()
        done = [bool(v) for v in self.block.slots[2:4]]
        self.bar.say(describe(differs(a.config, b.config)), self.latest, done, self.edit)


def _remove(path) -> None:
    if path:
        try:
            os.remove(path)
        except OSError:
            pass
