"""The window's files: sessions, recent sessions, exports, GIFs and CSV data."""

from __future__ import annotations

import dataclasses
import os

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QProgressDialog, QWidget

from ..cli import export
from .. import protocol as P


class WindowFiles:
    """``MainWindow``'s file operations; each failure is a message, never a crash.

    Parameters
    ----------
    win : MainWindow
    """

    def __init__(self, win):
        self.win = win
        self.recent_menu = None
        self.load_dialog = None       # progress of a CSV file being read
        self.recorder = None
        self.gif_every = 5

    def add_recent_menu(self, menu) -> None:
        """The Recent sessions menu, in ``menu``."""
        self.recent_menu = menu.addMenu("Recent sessions")
        self._refresh_recent()

    def settings(self) -> QSettings:
        return QSettings("ScratchNet", "ScratchNet")

    def _refresh_recent(self):
        self.recent_menu.clear()
        for path in self.settings().value("recent_sessions", [], list) or []:
            a = self.recent_menu.addAction(path)
            a.triggered.connect(lambda _=False, p=path: self.open_session(p))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())

    def remember(self, key, path):
        s = self.settings()
        if key == "recent_sessions":
            items = [path] + [p for p in (s.value(key, [], list) or []) if p != path]
            s.setValue(key, items[:8])
            self._refresh_recent()
        else:
            s.setValue(key, path)

    def open_session(self, path: str | None = None):
        """Open a session (asks for the file when ``path`` is None). A bad file shows an
        error and leaves the current session as it was."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self.win, "Open session", self.settings().value("last_folder", ""),
                "ScratchNet session (*.scratchnet);;All (*)")
            if not path:
                return
        self.win.send(lambda: P.OpenSession(str(path)),
                  on_ack=lambda snap, said: self._session_done(str(path), said))

    def save_session(self, path: str | None = None):
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self.win, "Save session", self.settings().value("last_folder", ""),
                "ScratchNet session (*.scratchnet)")
            if not path:
                return
            if not path.endswith(".scratchnet"):
                path += ".scratchnet"
        view = {"threshold": self.win.view_set.settings.threshold,
                **self.win.landscape.session_settings()}
        self.win.send(lambda: P.SaveSession(str(path), view),
                  on_ack=lambda snap, said: self._session_done(str(path), said))

    def _session_done(self, path, said):
        """Once the training process has answered an open or save: on success, remember
        the file; a failure already told the user."""
        if any(n.level is P.NoticeLevel.ERROR for n in said):
            return
        self.remember("recent_sessions", path)
        self.remember("last_folder", os.path.dirname(path))

    def view(self, name: str):
        self.win.view_set.flush_later()  # a view hidden at start may not be built yet
        return self.win.inspector if name == "inspector_view" else self.win.findChild(QWidget, name)

    def export_view(self, name: str, path, size=None):
        """Export view ``name`` to ``path`` (.png, .svg or .csv); PNG at ``size``."""
        snap = self.win.controller.latest
        with self.win.look.for_export():  # light, unless dark exports are asked for
            self.win.view_set.update_all()
            snap = self.win.insight.for_export(snap)  # the hidden space, if it was closed
            export.export_view(self.view(name), snap, path, size=size, inspector=self.win.inspector)

    def export_dialog(self, name: str):
        path, _ = QFileDialog.getSaveFileName(
            self.win, f"Export {name}", os.path.join(self.settings().value("last_folder", ""),
                                                 name.removesuffix("_view")),
            "PNG image (*.png);;SVG drawing (*.svg);;CSV data (*.csv)")
        if not path:
            return
        size = None
        if path.lower().endswith(".png"):
            w = self.view(name)
            text, ok = QInputDialog.getText(self.win, "PNG size", "width × height in pixels:",
                                            text=f"{w.width()}x{w.height()}")
            if not ok:
                return
            try:
                size = tuple(int(v) for v in text.lower().replace("×", "x").split("x"))
                if len(size) != 2 or not all(16 <= v <= 20000 for v in size):
                    raise ValueError
            except ValueError:
                self.win.show_message("error", f"{text!r} is not a size like 1920x1080 "
                                           "(16 to 20000 pixels a side).")
                return
        try:
            self.export_view(name, path, size)
        except (OSError, ValueError) as e:
            self.win.show_message("error", f"Could not export: {e}")
            return
        self.remember("last_folder", os.path.dirname(path))
        self.win.statusBar().showMessage(f"Exported {path}", 5000)

    def export_all(self, folder: str | None = None, size=None) -> list:
        """Write every view in every format into ``folder`` (asks when None)."""
        if not folder:
            folder = QFileDialog.getExistingDirectory(self.win, "Export all views into",
                                                      self.settings().value("last_folder", ""))
            if not folder:
                return []
        self.win.view_set.flush_later()
        views = {v.objectName(): v for v in self.win.views + [self.win.inspector]}
        try:
            with self.win.look.for_export():
                self.win.view_set.update_all()
                snap = self.win.insight.for_export(self.win.controller.latest)
                written = export.export_all(views, snap, folder, size, self.win.inspector)
        except (OSError, ValueError) as e:
            self.win.show_message("error", f"Could not export: {e}")
            return []
        self.remember("last_folder", str(folder))
        self.win.statusBar().showMessage(f"Wrote {len(written)} files to {folder}", 5000)
        return written

    def record(self, on: bool):
        if on:
            self.recorder = export.GifRecorder([self.win.network_view, self.win.prediction_view],
                                               every=self.gif_every)
            return
        rec, self.recorder = self.recorder, None
        if rec is None or not rec.frames:
            self.win.show_message("error", "No GIF frames were recorded: train while recording.")
            return
        path, _ = QFileDialog.getSaveFileName(self.win, "Save GIF", self.settings().value(
            "last_folder", ""), "GIF animation (*.gif)")
        if path:
            self.save_gif(rec, path)

    def offer_gif(self, snap):
        """Record a GIF frame; once the GIF holds its most, say so, once."""
        rec = self.recorder
        full = rec.full
        rec.offer(snap)
        if rec.full and not full:
            self.win.show_message("info", f"The GIF holds {rec.max_frames} frames, its most, "
                                      f"up to epoch {snap.epoch}: later epochs are not "
                                      f"recorded. Uncheck Record GIF to save it.")

    def save_gif(self, recorder, path):
        try:
            n = recorder.save(path)
        except (OSError, ValueError) as e:
            self.win.show_message("error", f"Could not save the GIF: {e}")
            return
        self.win.statusBar().showMessage(f"Saved {n} frames to {path}", 5000)

    def open_data(self, path: str | None = None):
        """Load a CSV (asks for the file when ``path`` is None). The training process
        reads it, with progress and Cancel; a bad file keeps the current data."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(self.win, "Open data", "", "CSV (*.csv);;All (*)")
            if not path:
                return
        # a CSV's classes come from its labels; its task from the panel (auto: guessed)
        spec = dataclasses.replace(self.win.data_panel.spec(), source="csv", csv_path=str(path),
                                   classes=2, task=self.win.data_panel.task.currentText())
        if self.win.send(lambda: P.OpenData(spec)) is None:
            return
        if self.load_dialog is None:
            self.load_dialog = QProgressDialog("Reading…", "Cancel", 0, 1000, self.win)
            self.load_dialog.setObjectName("load_progress")
            self.load_dialog.setWindowModality(Qt.WindowModality.NonModal)
            self.load_dialog.setMinimumDuration(300)  # a small file shows no dialog at all
            self.load_dialog.canceled.connect(lambda: self.win.send(P.CancelLoad))
        self.load_dialog.setLabelText(f"Reading {os.path.basename(path)}…")
        self.load_dialog.setValue(0)

    def progress(self, event):
        """A long job's progress in its dialog; the dialog goes when the job ends."""
        d = self.load_dialog
        if d is None:
            return
        if event.done:
            d.reset()
            return
        d.setLabelText(event.what + "…")
        d.setValue(int(event.fraction * 999))
