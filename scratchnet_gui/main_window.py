"""The main window: views in the middle, controls on the left, actions on the toolbar."""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDockWidget, QFileDialog, QInputDialog, QLabel,
                               QMainWindow, QMessageBox, QScrollArea, QSizePolicy, QSplitter, QToolBar,
                               QVBoxLayout, QWidget)

from scratchnet import data
from scratchnet.config import Config

from .controller import Controller
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

    def __init__(self, config: Config | None = None, parent=None, tuning: dict | None = None):
        super().__init__(parent)
        self.setWindowTitle("ScratchNet")
        self.resize(1400, 900)
        self.controller = Controller(config or Config(), self, tuning)
        cfg = self.controller.config
        self.last_message = None
        self._dialog = None
        self._slow_at = 0.0
        self._drawn = None
        self.status = QLabel()
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.statusBar().addPermanentWidget(self.status, 1)
        self._build_views()
        self.controller.snapshotReady.connect(self.draw)
        self.controller.message.connect(self.show_message)
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
        self.network_view.edgeClicked.connect(self._edit_weight)
        self.prediction_view.sampleClicked.connect(self._sample_clicked)
        self.inspector = InspectorView()
        self.inspector.gradcheckRequested.connect(lambda: self.controller.send("gradcheck"))
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
            "step_phase", "Phase →", lambda: self.controller.send("step_phase"),
            Qt.Key.Key_Right, "Walk the sample one phase on: forward, loss, backward, update (→)")
        self.step_phase_back_action = self._action(
            "step_phase_back", "← Phase", lambda: self.controller.send("step_phase_back"),
            Qt.Key.Key_Left, "One phase back; the weights do not change (←)")
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
        self.file_menu = self.menuBar().addMenu("&File")
        self.file_menu.addAction(self.open_data_action)
        self.train_menu = self.menuBar().addMenu("&Train")
        for a in (self.play_action, self.step_epoch_action, self.step_batch_action,
                  self.reset_action, self.step_sample_action, self.step_phase_action,
                  self.step_phase_back_action):
            self.train_menu.addAction(a)
        self.view_menu = self.menuBar().addMenu("&View")
        self.view_menu.addAction(self.heatmaps_action)
        self.view_menu.addAction(self.test_points_action)

    # --- actions ------------------------------------------------------------------------
    def _play_toggled(self, checked):
        self.controller.send("play" if checked else "pause")

    def reset(self):
        self.controller.send("reset")

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
        """Tell the user something, in a dialog that does not block training."""
        self.last_message = (level, text)
        self.statusBar().showMessage(text.splitlines()[0], 10_000)
        if self._dialog is not None:
            self._dialog.close()
        icon = QMessageBox.Icon.Warning if level == "error" else QMessageBox.Icon.Information
        self._dialog = QMessageBox(icon, "ScratchNet", text, QMessageBox.StandardButton.Ok, self)
        self._dialog.setObjectName("message_dialog")
        self._dialog.open()
        self.messageShown.emit(level, text)

    def draw(self, snap):
        """Draw a snapshot. While training, the costly parts (curves, contour, neuron
        heatmaps) refresh at most every SLOW_PERIOD seconds; the rest every frame."""
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
        if slow and not same:
            for v in (self.auc_view, self.loss_view, self.roc_view):
                v.draw(snap)
        if self.play_action.isChecked() != snap.running and snap.ack >= self.controller.last_command:
            self.play_action.blockSignals(True)
            self.play_action.setChecked(snap.running)
            self.play_action.blockSignals(False)
        h = snap.history
        last = lambda k: h[k][-1] if len(h[k]) else float("nan")
        self.status.setText(
            f"epoch {snap.epoch}   train AUC {last('train_auc'):.4f}   test AUC "
            f"{last('test_auc'):.4f}   loss {last('train_loss'):.4f}   "
            f"{snap.samples_per_s:,.0f} samples/s   lr {snap.lr:g}")

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
