"""The window's timeline and undo: the slider under the curves, Resume from here, and
the Edit menu's Undo and Redo named for the edit they take back."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu

from .. import protocol as P
from .menus import make_action


class TimelineControls:
    """``MainWindow``'s timeline bar and Edit menu (see ``loop_timeline`` for the trainer's
    half).

    Parameters
    ----------
    win : MainWindow
        Built with its timeline bar and menus.
    """

    def __init__(self, win):
        self.win = win
        self._build()

    def _build(self):
        w, send = self.win, self.win.send
        self.undo_action = make_action(w, "undo", "Undo", lambda: send(P.Undo),
                                       QKeySequence.StandardKey.Undo,
                                       "Take back the last edit, to the bit (Ctrl+Z)")
        self.redo_action = make_action(w, "redo", "Redo", lambda: send(P.Redo),
                                       "Ctrl+Shift+Z", "Make the undone edit again "
                                                       "(Ctrl+Shift+Z)")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.branch_action = make_action(
            w, "branch_here", "Resume from here", lambda: send(P.BranchHere),
            tip="Make the epoch shown the live state and train on from it; the later "
                "epochs go (Undo brings them back)")
        self.budget_action = make_action(w, "timeline_budget", "Timeline memory…",
                                         self.set_timeline_budget,
                                         tip="The most memory the timeline's epochs may "
                                             "take; past it, epochs are thinned evenly")
        for a in (self.undo_action, self.redo_action, self.branch_action):
            a.setEnabled(False)
        self.win.timeline_bar.set_branch_action(self.branch_action)
        self.win.timeline_bar.scrubbed.connect(lambda e: self.win.send(lambda: P.Scrub(e)))
        self.edit_menu = QMenu("&Edit", self.win)
        for a in (self.undo_action, self.redo_action):
            self.edit_menu.addAction(a)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.branch_action)
        self.edit_menu.addAction(self.budget_action)
        # the Edit menu sits second, as everywhere
        self.win.menuBar().insertMenu(self.win.menuBar().actions()[1], self.edit_menu)
        self.timeline_budget_mb = 256

    def follow(self, snap) -> None:
        """The slider, the curves' marker and the Edit menu follow a snapshot."""
        self.win.timeline_bar.show_snapshot(snap)
        for action, verb, label in ((self.undo_action, "Undo", snap.undo),
                                    (self.redo_action, "Redo", snap.redo)):
            action.setEnabled(bool(label))
            action.setText(f"{verb} {label}" if label else verb)
        self.branch_action.setEnabled(snap.scrub is not None)
        self.branch_action.setText("Resume from here" if snap.scrub is None
                                   else f"Resume from epoch {snap.scrub}")

    def set_timeline_budget(self, megabytes: int | None = None):
        """Set the timeline's memory budget in MB (asks when None)."""
        if megabytes is None:
            megabytes, ok = QInputDialog.getInt(
                self.win, "Timeline memory", "Keep at most this many MB of past epochs:",
                self.timeline_budget_mb, 1, 65536)
            if not ok:
                return
        if self.win.send(lambda: P.SetTimelineBudget(megabytes)) is not None:
            self.timeline_budget_mb = megabytes
