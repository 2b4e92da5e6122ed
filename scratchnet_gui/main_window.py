"""The main window: views in the middle, controls on the left, actions on the toolbar."""

from __future__ import annotations

import dataclasses
import os
import time

import numpy as np

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDockWidget, QFileDialog, QInputDialog, QLabel,
                               QMainWindow, QMessageBox, QScrollArea, QSizePolicy, QSplitter, QToolBar,
                               QVBoxLayout, QWidget)

from scratchnet import data
from scratchnet.config import Config

from . import export
from .controller import Controller
from .step_walk import StepWalk
from .panels import DataPanel, ModelPanel, TrainingPanel
from .views.curves import AucView, LossView, RocView
from .views.inspector import InspectorView
from .views.network_view import OVERLAYS
from .views.network_view import NetworkView
from .views.prediction_view import PredictionView


SLOW_PERIOD = 0.25


class MainWindow(QMainWindow):
    """ScratchNet's window. ``MainWindow()`` opens on the classic demo, ready to Play.

    Signals
    -------
    messageShown(str, str)
        ``(level, text)`` every time the user is told something in a dialog.
    """

    messageShown = Signal(str, str)

    def __init__(self, config: Config | None = None, parent=None, tuning: dict | None = None,
                 worker=None):
        super().__init__(parent)
        self.setWindowTitle("ScratchNet")
        screen = QGuiApplication.primaryScreen().availableGeometry()  # e.g. 1280×800
        self.resize(min(1400, screen.width()), min(900, screen.height()))
        self.controller = Controller(config or Config(), self, tuning, worker)
        self.walk = StepWalk(lambda name: self.controller.send(name))
        cfg = self.controller.config
        self.last_message = None
        self._dialog = None
        self._slow_at = 0.0
        self._drawn = None
        self._drawn_source = None
        self._session_command = None  # (command id, path) of an open/save in flight
        self.recorder = None
        self.gif_every = 5
        self.status = QLabel()
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.statusBar().addPermanentWidget(self.status, 1)
        self._build_views()
        self.controller.snapshotReady.connect(self.draw)
        self.controller.message.connect(self.show_message)
        self.controller.died.connect(self._trainer_died)
        self._build_panels(cfg)
        self._build_actions()

    # --- construction -------------------------------------------------------------------
    def _build_views(self):
        self.network_view = NetworkView()
        self.prediction_view = PredictionView()
        self.auc_view, self.loss_view, self.roc_view = AucView(), LossView(), RocView()
        self.views = [self.network_view, self.prediction_view, self.auc_view, self.loss_view,
                      self.roc_view]
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.network_view)
        top.addWidget(self.prediction_view)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        for v in (self.auc_view, self.loss_view, self.roc_view):
            bottom.addWidget(v)
        center = QSplitter(Qt.Orientation.Vertical)
        center.addWidget(top)
        center.addWidget(bottom)
        center.setStretchFactor(0, 3)
        center.setStretchFactor(1, 2)
        self.setCentralWidget(center)
        self._splitters = (center, top)
        self._normal_sizes = None  # splitter sizes to return to after stepping
        self.network_view.edgeClicked.connect(self._edit_weight)
        self.prediction_view.sampleClicked.connect(self._sample_clicked)
        self.inspector = InspectorView()
        self.inspector.gradcheckRequested.connect(lambda: self.controller.send("gradcheck"))
        self.inspector.phaseClicked.connect(lambda k: self._walk(lambda: self.walk.jump(k)))
        dock = QDockWidget("Step inspector", self)
        dock.setObjectName("inspector_dock")
        dock.setWidget(self.inspector)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)

    def _build_panels(self, cfg):
        self.data_panel = DataPanel(cfg.data)
        self.model_panel = ModelPanel(cfg.hidden, cfg.activations)
        self.training_panel = TrainingPanel(cfg)
        box = QWidget()
        lay = QVBoxLayout(box)
        for p in (self.data_panel, self.model_panel, self.training_panel):
            lay.addWidget(p)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(box)
        scroll.setWidgetResizable(True)
        dock = QDockWidget("Controls", self)
        dock.setObjectName("controls_dock")
        dock.setWidget(scroll)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.data_panel.specChanged.connect(lambda spec: self.controller.send("set_data", spec=spec))
        self.model_panel.architectureChanged.connect(
            lambda sizes, acts: self.controller.send("resize", hidden=sizes, activations=acts))
        self.model_panel.invalid.connect(lambda text: self.show_message("error", text))
        self.model_panel.resetRequested.connect(self.reset)
        self.training_panel.settingsChanged.connect(lambda s: self.controller.send("configure", **s))
        self.training_panel.speedChanged.connect(
            lambda v: self.controller.send("speed", epochs_per_s=v))
        self.training_panel.thresholdChanged.connect(self._set_threshold)

    def _action(self, name, text, slot=None, key=None, tip="", checkable=False):
        a = QAction(text, self)
        a.setObjectName(name)
        a.setCheckable(checkable)
        if key:
            a.setShortcut(QKeySequence(key))
        a.setToolTip(tip or text)
        a.setStatusTip(tip or text)
        if slot is not None:
            (a.toggled if checkable else a.triggered).connect(slot)
        self.addAction(a)
        return a

    def _build_actions(self):
        self.play_action = self._action("play", "Play", self._play_toggled, Qt.Key.Key_Space,
                                        "Play / pause training (Space)", checkable=True)
        self.step_epoch_action = self._action("step_epoch", "Step epoch", lambda: self.controller.send("step_epoch"),
                                              "E", "Train exactly one epoch (E)")
        self.step_batch_action = self._action("step_batch", "Step batch", lambda: self.controller.send("step_batch"),
                                              "B", "Train on one minibatch (B)")
        self.reset_action = self._action("reset", "Reset", self.reset, "R",
                                         "Fresh weights and history (R)")
        self.step_sample_action = self._action(
            "step_sample", "Step sample", lambda: self.controller.send("step_sample"), "N",
            "One SGD step on the next sample, with every number in the inspector (N)")
        self.step_phase_action = self._action(
            "step_phase", "Phase →", lambda: self._walk(self.walk.forward),
            Qt.Key.Key_Right, "Walk the sample one phase on: forward, loss, backward, update (→)")
        self.step_phase_back_action = self._action(
            "step_phase_back", "← Phase", lambda: self._walk(self.walk.back),
            Qt.Key.Key_Left, "One phase back: through the update (undone to the bit) and on "
                             "into the samples stepped before (←)")
        self.overlay = QComboBox()
        self.overlay.setObjectName("edge_overlay")
        self.overlay.addItems(list(OVERLAYS))
        self.overlay.setToolTip("Draw the edges by weight, or (while stepping) by this "
                                "sample's gradient or by the optimizer's update")
        self.overlay.currentTextChanged.connect(self.network_view.set_overlay)
        self.open_data_action = self._action("open_data", "Open data…", self.open_data,
                                             "Ctrl+D", "Load your own CSV (Ctrl+D)")
        self.heatmaps_action = self._action("neuron_heatmaps", "Neuron heatmaps",
                                            self.network_view.set_thumbs_visible,
                                            tip="Show each neuron's activation over the input plane",
                                            checkable=True)
        self.heatmaps_action.setChecked(True)
        self.test_points_action = self._action("show_test", "Show test points", self._show_test,
                                               tip="Draw the test points (triangles)", checkable=True)
        self.test_points_action.setChecked(True)
        self.toolbar = QToolBar("Training")
        self.toolbar.setObjectName("training_toolbar")
        self.addToolBar(self.toolbar)
        for a in (self.play_action, self.step_epoch_action, self.step_batch_action,
                  self.reset_action, self.step_phase_back_action, self.step_sample_action,
                  self.step_phase_action):
            self.toolbar.addAction(a)
        self.toolbar.addWidget(QLabel(" edges: "))
        self.toolbar.addWidget(self.overlay)
        self.open_session_action = self._action("open_session", "Open session…",
                                                self.open_session, QKeySequence.StandardKey.Open,
                                                "Open a saved .scratchnet session (Ctrl+O)")
        self.save_session_action = self._action("save_session", "Save session…",
                                                self.save_session, QKeySequence.StandardKey.Save,
                                                "Save data, weights, optimizer and history (Ctrl+S)")
        self.export_all_action = self._action("export_all", "Export all views…", self.export_all,
                                              "Ctrl+E", "Write every view as PNG, SVG and CSV "
                                              "into a folder (Ctrl+E)")
        self.record_action = self._action("record_gif", "Record GIF", self._record,
                                          tip="Record the graph and boundary while training; "
                                              "uncheck to save the GIF", checkable=True)
        self.file_menu = self.menuBar().addMenu("&File")
        self.file_menu.addAction(self.open_data_action)
        self.file_menu.addAction(self.open_session_action)
        self.file_menu.addAction(self.save_session_action)
        self.recent_menu = self.file_menu.addMenu("Recent sessions")
        self.file_menu.addSeparator()
        export_menu = self.file_menu.addMenu("Export view")
        for v in self.views + [self.inspector]:
            a = QAction(f"Export {v.objectName().removesuffix('_view')}…", self)
            a.setObjectName(f"export_{v.objectName()}")
            a.triggered.connect(lambda _=False, name=v.objectName(): self.export_dialog(name))
            export_menu.addAction(a)
            self._add_context_action(v, a)
        self.file_menu.addAction(self.export_all_action)
        self.file_menu.addAction(self.record_action)
        self._refresh_recent()
        self.train_menu = self.menuBar().addMenu("&Train")
        for a in (self.play_action, self.step_epoch_action, self.step_batch_action,
                  self.reset_action, self.step_sample_action, self.step_phase_action,
                  self.step_phase_back_action):
            self.train_menu.addAction(a)
        self.view_menu = self.menuBar().addMenu("&View")
        self.stepping_layout_action = self._action(
            "stepping_layout", "Stepping layout", lambda on: self._set_stepping_layout(
                on and getattr(self.controller.latest, "step", None) is not None),
            tip="While a sample is stepped, give the network graph most of the window",
            checkable=True)
        self.stepping_layout_action.setChecked(True)
        self.view_menu.addAction(self.stepping_layout_action)
        self.view_menu.addAction(self.heatmaps_action)
        self.view_menu.addAction(self.test_points_action)
        self.axes_action = self._action("plot_axes", "Plot columns…", self.choose_axes,
                                        tip="With more than two input columns: which two the "
                                            "prediction view plots")
        self.view_menu.addAction(self.axes_action)

    def _add_context_action(self, view, action):
        """Put ``action`` in the view's right-click menu (pyqtgraph's scene menu for plots,
        replacing its own Export, whose SVG route fails under Qt 6.11+)."""
        if hasattr(view, "scene") and hasattr(view.scene(), "contextMenu"):
            view.scene().contextMenu = [action]
        else:
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            view.addAction(action)

    # --- files --------------------------------------------------------------------------
    def settings(self) -> QSettings:
        return QSettings("ScratchNet", "ScratchNet")

    def _refresh_recent(self):
        self.recent_menu.clear()
        for path in self.settings().value("recent_sessions", [], list) or []:
            a = self.recent_menu.addAction(path)
            a.triggered.connect(lambda _=False, p=path: self.open_session(p))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())

    def _remember(self, key, path):
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
                self, "Open session", self.settings().value("last_folder", ""),
                "ScratchNet session (*.scratchnet);;All (*)")
            if not path:
                return
        self._session_command = (self.controller.send("open_session", path=str(path)), str(path))

    def save_session(self, path: str | None = None):
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, "Save session", self.settings().value("last_folder", ""),
                "ScratchNet session (*.scratchnet)")
            if not path:
                return
            if not path.endswith(".scratchnet"):
                path += ".scratchnet"
        self._session_command = (self.controller.send("save_session", path=str(path)), str(path))

    def _session_done(self, snap):
        """Once the training process has answered an open or save: on success, remember
        the file and show a loaded session's settings; a failure already told the user."""
        cid, path = self._session_command
        self._session_command = None
        if any(c == cid and text.startswith("error: ") for _, c, text in snap.notices):
            return
        self._remember("recent_sessions", path)
        self._remember("last_folder", os.path.dirname(path))
        self._sync_panels(Config.from_dict(snap.extras["config"]))

    def view(self, name: str):
        return self.inspector if name == "inspector_view" else self.findChild(QWidget, name)

    def export_view(self, name: str, path, size=None):
        """Export view ``name`` to ``path`` (.png, .svg or .csv); PNG at ``size``."""
        snap = self.controller.latest
        export.export_view(self.view(name), snap, path, size=size, inspector=self.inspector)

    def export_dialog(self, name: str):
        path, _ = QFileDialog.getSaveFileName(
            self, f"Export {name}", os.path.join(self.settings().value("last_folder", ""),
                                                 name.removesuffix("_view")),
            "PNG image (*.png);;SVG drawing (*.svg);;CSV data (*.csv)")
        if not path:
            return
        size = None
        if path.lower().endswith(".png"):
            w = self.view(name)
            text, ok = QInputDialog.getText(self, "PNG size", "width × height in pixels:",
                                            text=f"{w.width()}x{w.height()}")
            if not ok:
                return
            try:
                size = tuple(int(v) for v in text.lower().replace("×", "x").split("x"))
                if len(size) != 2 or not all(16 <= v <= 20000 for v in size):
                    raise ValueError
            except ValueError:
                self.show_message("error", f"{text!r} is not a size like 1920x1080 "
                                           "(16 to 20000 pixels a side).")
                return
        try:
            self.export_view(name, path, size)
        except (OSError, ValueError) as e:
            self.show_message("error", f"Could not export: {e}")
            return
        self._remember("last_folder", os.path.dirname(path))
        self.statusBar().showMessage(f"Exported {path}", 5000)

    def export_all(self, folder: str | None = None, size=None) -> list:
        """Write every view in every format into ``folder`` (asks when None)."""
        if not folder:
            folder = QFileDialog.getExistingDirectory(self, "Export all views into",
                                                      self.settings().value("last_folder", ""))
            if not folder:
                return []
        views = {v.objectName(): v for v in self.views + [self.inspector]}
        try:
            written = export.export_all(views, self.controller.latest, folder, size, self.inspector)
        except (OSError, ValueError) as e:
            self.show_message("error", f"Could not export: {e}")
            return []
        self._remember("last_folder", str(folder))
        self.statusBar().showMessage(f"Wrote {len(written)} files to {folder}", 5000)
        return written

    def _record(self, on: bool):
        if on:
            self.recorder = export.GifRecorder([self.network_view, self.prediction_view],
                                               every=self.gif_every)
            return
        rec, self.recorder = self.recorder, None
        if rec is None or not rec.frames:
            self.show_message("error", "No GIF frames were recorded: train while recording.")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save GIF", self.settings().value(
            "last_folder", ""), "GIF animation (*.gif)")
        if path:
            self.save_gif(rec, path)

    def save_gif(self, recorder, path):
        try:
            n = recorder.save(path)
        except (OSError, ValueError) as e:
            self.show_message("error", f"Could not save the GIF: {e}")
            return
        self.statusBar().showMessage(f"Saved {n} frames to {path}", 5000)

    # --- actions ------------------------------------------------------------------------
    def _play_toggled(self, checked):
        self.controller.send("play" if checked else "pause")

    def reset(self):
        self.controller.send("reset")

    def choose_axes(self, axes=None):
        """Pick the two raw columns the prediction view plots (asks when ``axes`` is None)."""
        snap = self.controller.latest
        if snap is None:
            return
        names = list(snap.points.names)
        if axes is None:
            if len(names) < 3:
                self.show_message("info", "The data have two columns; both are plotted.")
                return
            picked = []
            for which, default in (("horizontal", snap.points.axes[0]), ("vertical", snap.points.axes[1])):
                name, ok = QInputDialog.getItem(self, "Plot columns", f"{which} axis:", names,
                                                default, False)
                if not ok:
                    return
                picked.append(names.index(name))
            axes = picked
        if len(set(axes)) != 2:
            self.show_message("error", "Choose two different columns to plot.")
            return
        self.controller.send("axes", axes=list(axes))

    def _sample_clicked(self, index):
        self.prediction_view.select(index)
        self.controller.send("select_sample", index=index)

    def _set_threshold(self, value):
        self.prediction_view.threshold = value
        snap = self.controller.latest
        if snap is not None:
            self.prediction_view.draw(snap)

    def _show_test(self, on):
        self.prediction_view.show_test = on
        snap = self.controller.latest
        if snap is not None:
            self.prediction_view.draw(snap)

    def _edit_weight(self, layer, row, col, value):
        what = "bias" if col < 0 else f"weight w[{row + 1},{col + 1}]"
        new, ok = QInputDialog.getDouble(self, "Edit weight", f"Layer {layer + 1} {what}:",
                                         value, -1e6, 1e6, 6)
        if ok:
            self.controller.send("set_weight", layer=layer, row=row, col=col, value=new)

    def open_data(self, path: str | None = None):
        """Load a CSV (asks for the file when ``path`` is None); errors keep the data."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Open data", "", "CSV (*.csv);;All (*)")
            if not path:
                return
        try:
            raw = data.load_csv(path)
        except ValueError as e:
            self.show_message("error", f"Could not load the data; the current data stay.\n\n{e}")
            return
        spec = dataclasses.replace(self.data_panel.spec(), source="csv", csv_path=str(path))
        self.data_panel.set_spec(spec)
        self.controller.send("set_data", spec=spec, raw=raw)

    # --- feedback -----------------------------------------------------------------------
    def show_message(self, level: str, text: str):
        """Tell the user something: errors in a dialog that does not block training,
        news in the status bar."""
        self.last_message = (level, text)
        self.statusBar().showMessage(text.splitlines()[0], 10_000)
        if level != "error":
            self.messageShown.emit(level, text)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "ScratchNet", text,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("message_dialog")
        self._open_dialog(box, text)

    def _trainer_died(self, text: str):
        """Say the training process is gone and offer a new one with the last weights."""
        self.last_message = ("error", text)
        box = QMessageBox(QMessageBox.Icon.Critical, "ScratchNet",
                          text + "\n\nRestart it from the last weights shown?",
                          QMessageBox.StandardButton.Close, self)
        box.setObjectName("restart_dialog")
        restart = box.addButton("Restart training", QMessageBox.ButtonRole.AcceptRole)
        restart.setObjectName("restart_trainer")
        restart.clicked.connect(self.controller.restart)
        self._open_dialog(box, text)

    def _open_dialog(self, box: QMessageBox, text: str):
        """Show ``box`` without blocking training, in place of any dialog still open."""
        if self._dialog is not None:
            self._dialog.close()
        self._dialog = box
        box.open()
        self.messageShown.emit("error", text)

    def _set_stepping_layout(self, on: bool):
        """Shrink the curves and widen the graph while stepping; restore after."""
        center, top = self._splitters
        if on and self._normal_sizes is None:
            self._normal_sizes = (center.sizes(), top.sizes())
            total = sum(center.sizes())  # curves shrink, not fold: exports still draw them
            center.setSizes([int(total * 0.82), total - int(total * 0.82)])
            total = sum(top.sizes())
            top.setSizes([int(total * 0.68), total - int(total * 0.68)])
        elif not on and self._normal_sizes is not None:
            center.setSizes(self._normal_sizes[0])
            top.setSizes(self._normal_sizes[1])
            self._normal_sizes = None

    def _walk(self, move):
        """Move the stepper's phase cursor; a move within the sample redraws at once."""
        move()
        if self.controller.latest is not None:
            self.draw(self.controller.latest)

    def shown_snapshot(self):
        """The snapshot the views draw: the newest, at the phase the window shows."""
        snap = self.controller.latest
        if snap is None or snap.step is None:
            return snap
        return dataclasses.replace(snap, step=self.walk.shown(snap.step))

    def draw(self, snap):
        """Draw a snapshot. While training, the costly parts (curves, contour, neuron
        heatmaps) refresh at most every SLOW_PERIOD seconds; the rest every frame."""
        if snap is not self._drawn_source:
            self.walk.update(snap.step)
            self._drawn_source = snap
        if snap.step is not None:
            snap = dataclasses.replace(snap, step=self.walk.shown(snap.step))
        if self.stepping_layout_action.isChecked():
            self._set_stepping_layout(snap.step is not None)
        now = time.perf_counter()
        slow = not snap.running or now - self._slow_at >= SLOW_PERIOD
        if slow:
            self._slow_at = now
        same = self._same_model(self._drawn, snap)  # e.g. stepping through phases
        self._drawn = snap
        selected = snap.step.index if snap.step is not None else self.prediction_view.selected
        self.network_view.draw(snap, slow and not same)
        if not same or selected != self.prediction_view.selected:
            self.prediction_view.selected = selected
            self.prediction_view.draw(snap, slow)
        self.inspector.draw(snap)
        if self.recorder is not None:
            self.recorder.offer(snap)
        if self._session_command is not None and snap.ack >= self._session_command[0]:
            self._session_done(snap)
        if slow and not same:
            for v in (self.auc_view, self.loss_view, self.roc_view):
                v.draw(snap)
        if self.play_action.isChecked() != snap.running and snap.ack >= self.controller.last_command:
            self.play_action.blockSignals(True)
            self.play_action.setChecked(snap.running)
            self.play_action.blockSignals(False)
        h = snap.history

        def last(k):
            v = h[k][-1] if len(h[k]) else float("nan")
            return "…" if np.isnan(v) else f"{v:.4f}"

        self.status.setText(
            f"epoch {snap.epoch}   train AUC {last('train_auc')}   test AUC "
            f"{last('test_auc')}   loss {last('train_loss')}   "
            f"{snap.samples_per_s:,.0f} samples/s   lr {snap.lr:g}")

    def _sync_panels(self, cfg: Config):
        """Show a loaded session's settings in the panels (without sending them back)."""
        for panel in (self.data_panel, self.model_panel, self.training_panel):
            panel.blockSignals(True)
        self.data_panel.set_spec(cfg.data)
        self.model_panel.set_architecture(cfg.hidden, cfg.activations)
        self.training_panel.set_config(cfg)
        for panel in (self.data_panel, self.model_panel, self.training_panel):
            panel.blockSignals(False)

    @staticmethod
    def _same_model(a, b) -> bool:
        """True when ``b`` shows the same weights, data and history as ``a``."""
        return (a is not None and a.points is b.points and a.samples_seen == b.samples_seen
                and a.epoch == b.epoch and len(a.history["epoch"]) == len(b.history["epoch"])
                and a.roc is b.roc and len(a.weights) == len(b.weights)
                and all(np.array_equal(Wa, Wb) and np.array_equal(ba, bb)
                        for (Wa, ba), (Wb, bb) in zip(a.weights, b.weights)))

    def current_snapshot(self):
        """The newest snapshot: ``epoch``, ``history``, ``weights`` and more."""
        return self.controller.current_snapshot()

    def closeEvent(self, event):
        self.controller.shutdown()
        if self._dialog is not None:
            self._dialog.close()
        super().closeEvent(event)
