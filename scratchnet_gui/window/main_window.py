"""The main window: views in the middle, controls on the left, actions on the toolbar."""

from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import (QDockWidget, QLabel, QMainWindow, QMessageBox, QScrollArea,
                               QSizePolicy, QVBoxLayout, QWidget)

from scratchnet.config import Config
from scratchnet.settings import TrainingSettings

from .. import protocol as P
from .. import resources
from . import help as window_help
from . import look as window_look
from .controller import Controller
from ..panels import DataPanel, ModelPanel, TrainingPanel
from ..panels.training_panel import SPEEDS
from .step_walk import StepWalk
from .status import status_line
from ..views.confusion_view import ConfusionView
from ..views.network_view import NetworkView
from ..views.prediction_view import PredictionView
from ..views.task_curves import MetricView, TaskLossView, TaskRocView
from .compare import CompareMode
from .menus import WindowMenus
from .examples import Examples
from .files import WindowFiles
from . import layout
from .insight import WindowInsight
from .landscape import LandscapeControls
from .timeline import TimelineControls
from .view_set import Rate, SlowClock, ViewSet



def app_icon() -> QIcon:
    """ScratchNet's icon at every size it ships (``resources/icons``)."""
    icon = QIcon()
    for data in resources.icon_pngs().values():
        pixmap = QPixmap()
        if pixmap.loadFromData(data, "PNG"):
            icon.addPixmap(pixmap)
    return icon


def refused(notices) -> bool:
    """Whether the trainer refused the command these notices answer."""
    return any(n.level is P.NoticeLevel.ERROR for n in notices)


def same_model(a, b) -> bool:
    """True when ``b`` shows the same weights, data and history as ``a`` (the trainer
    bumps ``model_version`` whenever any of them changes)."""
    if a is None or a.model_version != b.model_version or a.points is not b.points:
        return False
    # the ROC and the maps may still catch up with a model after a pause
    same_roc = (a.roc is None) == (b.roc is None) and (a.roc is None or all(
        np.array_equal(x, y) for x, y in zip(a.roc, b.roc)))
    return same_roc and np.array_equal(a.grid, b.grid)

class MainWindow(QMainWindow):
    """ScratchNet's window. ``MainWindow()`` opens on the classic demo, ready to Play.

    It holds its parts: the view set (``view_set``), the actions and menus (``menus``),
    files (``files``), the Examples menu (``examples``), the timeline bar's controls and
    the Edit menu (``timeline``), and the look (``look``).

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
        self.setWindowIcon(app_icon())
        screen = QGuiApplication.primaryScreen().availableGeometry()  # e.g. 1280×800
        self.resize(min(1400, screen.width()), min(900, screen.height()))
        self.controller = Controller(config or Config(), self, tuning, worker)
        self.walk = StepWalk(lambda kind: self.send(P.Step(kind)))
        cfg = self.controller.config
        self.last_message = None
        self._dialog = None
        self._slow = SlowClock()
        self._drawn = None
        self._same = False
        self._drawn_source = None
        self.status = QLabel()
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.statusBar().addPermanentWidget(self.status, 1)
        self._build_views()
        self.landscape = LandscapeControls(self)  # a view of its own: exports take it
        self.insight = WindowInsight(self)  # the gradient and hidden-space views
        self.controller.snapshotReady.connect(self.draw)
        self.controller.message.connect(self.show_message)
        self.controller.died.connect(self._trainer_died)
        self.controller.configChanged.connect(
            lambda cfg, view: self.compare.configured(0, cfg, view)
            and self._config_changed(cfg, view))
        self._build_panels(cfg)
        self.files = WindowFiles(self)
        self.controller.progress.connect(self.files.progress)
        self.menus = WindowMenus(self)
        self.landscape.add_to(self.menus.view_menu)
        self.examples = Examples(self)
        self.timeline = TimelineControls(self)
        self.compare = CompareMode(self)  # Train ▸ Compare: a second run beside this one
        self.send(lambda: P.SetSpeed(SPEEDS[self.training_panel.speed.currentText()]))
        window_help.build_help_menu(self)
        self.look = window_look.WindowLook(self)

    def _build_views(self):
        self.network_view = NetworkView()
        self.prediction_view = PredictionView()
        self.auc_view, self.loss_view, self.roc_view = MetricView(), TaskLossView(), TaskRocView()
        self.confusion_view = ConfusionView()
        self.views = [self.network_view, self.prediction_view, self.auc_view, self.loss_view,
                      self.roc_view, self.confusion_view]
        self.view_set = ViewSet(self)
        self.view_set.add(self.network_view, Rate.FRAME,
                          lambda snap, slow: self.network_view.draw(snap, slow and not self._same))
        self.view_set.add(self.prediction_view, Rate.CHANGE)
        for v in (self.auc_view, self.loss_view, self.roc_view, self.confusion_view):
            self.view_set.add(v, Rate.SLOW, lambda snap, slow, v=v: v.draw(snap))
        layout.build_center(self)
        self.network_view.edgeClicked.connect(lambda *a: self.menus.edit_weight(*a))
        self.prediction_view.sampleClicked.connect(lambda i: self.menus.sample_clicked(i))
        layout.build_inspector(self)

    def _build_panels(self, cfg):
        self.data_panel = DataPanel(cfg.data)
        self.model_panel = ModelPanel(cfg.model.hidden, cfg.model.activations)
        self.training_panel = TrainingPanel(TrainingSettings.of(cfg))
        self._trainer_settings = TrainingSettings.of(cfg)  # the trainer's, as last told
        box = QWidget()
        lay = QVBoxLayout(box)
        for p in (self.data_panel, self.model_panel, self.training_panel):
            lay.addWidget(p)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(box)
        scroll.setWidgetResizable(True)
        # as wide as the controls need, so they never scroll sideways
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(box.minimumSizeHint().width()
                               + scroll.verticalScrollBar().sizeHint().width() + 4)
        dock = QDockWidget("Controls", self)
        dock.setObjectName("controls_dock")
        dock.setWidget(scroll)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.data_panel.specChanged.connect(lambda spec: self.send(lambda: P.SetData(spec)))
        self.model_panel.architectureChanged.connect(
            lambda sizes, acts: self.send(lambda: P.Resize(tuple(sizes), tuple(acts))))
        self.model_panel.invalid.connect(lambda text: self.show_message("error", text))
        self.model_panel.resetRequested.connect(lambda: self.send(P.Reset))
        # settings the trainer refuses (the article's backprop with a batch of 10): the
        # panel goes back to what it trains with
        self.training_panel.settingsChanged.connect(lambda s: self.send(
            lambda: P.Configure(s), on_ack=lambda snap, notices: refused(notices) and
            self.training_panel.set_settings(self._trainer_settings)))
        self.training_panel.speedChanged.connect(lambda v: self.send(lambda: P.SetSpeed(v)))
        self.training_panel.speed.currentTextChanged.connect(
            lambda text: self.menus.speed_chosen(text))
        self.training_panel.thresholdChanged.connect(lambda v: self.menus.set_threshold(v))
        self.controller.snapshotReady.connect(lambda snap: self.menus.follow_task(snap))

    def send(self, command, on_ack=None) -> int | None:
        """The window's one way to the trainer.

        Parameters
        ----------
        command : protocol.Command or callable
            A command, or what builds one (a command class, a lambda): a value the
            command refuses is shown as an error, and nothing is sent.
        on_ack : callable, optional
            ``on_ack(snapshot, notices)`` once the trainer has handled it (see
            ``Controller.send``).

        Returns
        -------
        int or None
            The command's id, or None when nothing was sent.
        """
        try:
            cmd = command if isinstance(command, P.Command) else command()
        except ValueError as e:
            self.show_message("error", str(e))
            return None
        return self.compare.send(cmd, on_ack)  # to this run, or where compare mode says

    def show_message(self, level: str, text: str):
        """Tell the user something: errors in a dialog that does not block training,
        news in the status bar."""
        level = P.NoticeLevel(level)  # a word that is no level fails here
        self.last_message = (level, text)
        self.statusBar().showMessage(text.splitlines()[0], 10_000)
        if level is not P.NoticeLevel.ERROR:
            self.messageShown.emit(level, text)
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "ScratchNet", text,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("message_dialog")
        self._open_dialog(box, "error", text)

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
        self._open_dialog(box, "error", text)

    def _open_dialog(self, box: QMessageBox, level: str, text: str):
        """Show ``box`` without blocking training, in place of any dialog still open."""
        if self._dialog is not None:
            self._dialog.close()
        self._dialog = box
        box.open()
        self.messageShown.emit(level, text)

    def shown_snapshot(self):
        """The snapshot the views draw: the newest, at the phase the window shows, and
        the scrubbed epoch while the timeline is scrubbed (``current_snapshot`` stays
        the live state)."""
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
        # the inspector's column shows while a sample is stepped (presenting too: the
        # class then sees every number of the step)
        wanted = snap.step is not None
        if self.inspector_dock.isHidden() == wanted:
            self.inspector_dock.setVisible(wanted)
        if self.menus.stepping_layout_action.isChecked():  # presenting: the curves keep
            presenting = self.look.presentation_action.isChecked()  # room for large text
            self.set_stepping_layout(snap.step is not None and not presenting)
        slow = self._slow.tick(snap.running)
        same = self._same = same_model(self._drawn, snap)  # e.g. stepping through phases
        self._drawn = snap
        selected = snap.step.index if snap.step is not None else self.prediction_view.selected
        if selected != self.prediction_view.selected:
            self.prediction_view.selected = selected
            same = False
        self.view_set.draw(snap, slow, same)
        if not self._same:
            self.auc_view.set_marker(snap.scrub)
            self.loss_view.set_marker(snap.scrub)
        if self.files.recorder is not None:
            self.files.offer_gif(snap)
        self.timeline.follow(snap)
        self.compare.follow_a(snap, slow)
        play = self.menus.play_action
        if play.isChecked() != snap.running and snap.ack >= self.controller.last_command:
            play.blockSignals(True)
            play.setChecked(snap.running)
            play.blockSignals(False)
        self.status.setText(status_line(snap))

    def _config_changed(self, cfg: Config, view):
        """An opened session (``view`` not None): every panel shows its settings, the
        threshold included, and the views follow them."""
        settings, before = TrainingSettings.of(cfg), self._trainer_settings
        self._trainer_settings = settings
        if view is None:  # the panels' own edits, new data (a CSV file read), and edits
            # sent before an open or undo landed: each panel shows what the trainer runs
            # (the training panel only when the trainer's settings changed: a value
            # being typed there stays)
            for panel, stale, show in (
                    (self.data_panel, cfg.data != self.data_panel.spec(),
                     lambda: self.data_panel.set_spec(cfg.data)),
                    (self.training_panel, settings != before
                     and settings != self.training_panel.settings(),
                     lambda: self.training_panel.set_settings(settings))):
                if stale:
                    blocker = QSignalBlocker(panel)
                    try:
                        show()
                    finally:
                        blocker.unblock()
            return
        blockers = [QSignalBlocker(p) for p in (self.data_panel, self.model_panel,
                                                self.training_panel)]
        try:  # the blockers end with this block, whatever happens in it
            self.data_panel.set_spec(cfg.data)
            self.model_panel.set_architecture(cfg.model.hidden, cfg.model.activations)
            self.training_panel.set_settings(TrainingSettings.of(cfg))
        finally:
            for b in blockers:
                b.unblock()
        threshold = view.get("threshold")  # absent after an undo: the window's own stays
        if isinstance(threshold, (int, float)) and 0.0 <= threshold <= 1.0:
            self.training_panel.threshold.setValue(threshold)  # emits: the views follow

    def set_stepping_layout(self, on: bool):
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

    def step_walk(self, move):
        """Move the stepper's phase cursor; a move within the sample redraws at once."""
        move()
        if self.controller.latest is not None:
            self.draw(self.controller.latest)

    def redraw(self) -> None:
        """Draw the newest snapshot again, every part of it (after a change of look)."""
        snap = self.controller.latest
        if snap is not None:
            self._drawn = None
            self._slow.reset()
            self.draw(snap)

    def current_snapshot(self):
        """The newest snapshot: ``epoch``, ``history``, ``weights`` and more."""
        return self.controller.current_snapshot()

    def closeEvent(self, event):
        self.compare.shutdown()  # told first: both processes stop together
        self.controller.shutdown()
        if self._dialog is not None:
            self._dialog.close()
        super().closeEvent(event)
