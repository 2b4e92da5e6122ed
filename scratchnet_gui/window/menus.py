"""The window's actions, toolbar and menus (File, Train, View), and what the simple
ones do."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QInputDialog, QLabel, QToolBar

from .. import protocol as P
from ..cli import export
from . import model as window_model
from ..panels.training_panel import WATCH
from ..views.network_view import OVERLAYS


def make_action(win, name, text, slot=None, key=None, tip="", checkable=False) -> QAction:
    """An action of window ``win`` named ``name`` (its objectName), calling ``slot``."""
    a = QAction(text, win)
    a.setObjectName(name)
    a.setCheckable(checkable)
    if key:
        a.setShortcut(QKeySequence(key))
    a.setToolTip(tip or text)
    a.setStatusTip(tip or text)
    if checkable and slot is not None:
        a.toggled.connect(slot)
    elif slot is not None:
        # triggered(bool) would hand ``checked`` (False) to a slot's first parameter,
        # an optional one included: a plain action's slot is called with nothing
        a.triggered.connect(lambda _checked=False: slot())
    win.addAction(a)
    return a


class WindowMenus:
    """``MainWindow``'s actions: Play, the steps, Reset, the stepper's walk, the menus;
    the window's other parts add their own (``make_action``).

    Parameters
    ----------
    win : MainWindow
        Built with its views and panels; ``win.files`` too (the File menu's actions).
    """

    def __init__(self, win):
        self.win = win
        self._build_actions()

    def _action(self, *args, **kw) -> QAction:
        return make_action(self.win, *args, **kw)

    def _build_actions(self):
        w = self.win
        self.play_action = self._action("play", "Play", self.play_toggled, Qt.Key.Key_Space,
                                        "Play / pause training (Space)", checkable=True)
        self.step_epoch_action = self._action("step_epoch", "Step epoch", lambda: w.send(P.StepEpoch),
                                              "E", "Train exactly one epoch (E)")
        self.step_batch_action = self._action("step_batch", "Step batch", lambda: w.send(P.StepBatch),
                                              "B", "Train on one minibatch (B)")
        self.reset_action = self._action("reset", "Reset", self.reset, "R",
                                         "Fresh weights and history (R)")
        self._paced = WATCH  # the pace Full speed returns to
        self.full_speed_action = self._action(
            "full_speed", "Full speed", self.full_speed, "F",
            "Train as fast as the machine goes; off, at the pace chosen under Training ▸ "
            "speed (F)", checkable=True)
        self.step_sample_action = self._action(
            "step_sample", "Step sample", lambda: w.send(P.Step(P.StepKind.SAMPLE)), "N",
            "One SGD step on the next sample, with every number in the inspector (N)")
        self.step_phase_action = self._action(
            "step_phase", "Phase →", lambda: w.step_walk(w.walk.forward),
            Qt.Key.Key_Right, "Walk the sample one phase on: forward, loss, backward, update (→)")
        self.step_phase_back_action = self._action(
            "step_phase_back", "← Phase", lambda: w.step_walk(w.walk.back),
            Qt.Key.Key_Left, "One phase back: through the update (undone to the bit) and on "
                             "into the samples stepped before (←)")
        self.overlay = QComboBox()
        self.overlay.setObjectName("edge_overlay")
        self.overlay.addItems(list(OVERLAYS))
        self.overlay.setToolTip("Draw the edges by weight, or (while stepping) by this "
                                "sample's gradient or by the optimizer's update")
        self.overlay.currentTextChanged.connect(lambda mode: w.view_set.set(overlay=mode))
        self.open_data_action = self._action("open_data", "Open data…", w.files.open_data,
                                             "Ctrl+D", "Load your own CSV (Ctrl+D)")
        self.heatmaps_action = self._action("neuron_heatmaps", "Neuron heatmaps",
                                            w.network_view.set_thumbs_visible,
                                            tip="Show each neuron's activation over the input plane",
                                            checkable=True)
        self.heatmaps_action.setChecked(True)
        self.test_points_action = self._action("show_test", "Show test points", self.show_test,
                                               tip="Draw the test points (triangles)", checkable=True)
        self.test_points_action.setChecked(True)
        self._build_toolbar()
        self._build_menus()

    def _build_toolbar(self):
        w = self.win
        self.toolbar = QToolBar("Training")
        self.toolbar.setObjectName("training_toolbar")
        w.addToolBar(self.toolbar)
        for a in (self.play_action, self.full_speed_action, self.step_epoch_action,
                  self.step_batch_action, self.reset_action, self.step_phase_back_action,
                  self.step_sample_action, self.step_phase_action):
            self.toolbar.addAction(a)
        self.toolbar.addWidget(QLabel(" edges: "))
        self.toolbar.addWidget(self.overlay)

    def _build_menus(self):
        w = self.win
        self.open_session_action = self._action("open_session", "Open session…",
                                                w.files.open_session, QKeySequence.StandardKey.Open,
                                                "Open a saved .scratchnet session (Ctrl+O)")
        self.save_session_action = self._action("save_session", "Save session…",
                                                w.files.save_session, QKeySequence.StandardKey.Save,
                                                "Save data, weights, optimizer and history (Ctrl+S)")
        self.export_all_action = self._action("export_all", "Export all views…", w.files.export_all,
                                              "Ctrl+E", "Write every view as PNG, SVG and CSV "
                                              "into a folder (Ctrl+E)")
        self.record_action = self._action("record_gif", "Record GIF", w.files.record,
                                          tip="Record the graph and boundary while training; "
                                              "uncheck to save the GIF", checkable=True)
        self.file_menu = w.menuBar().addMenu("&File")
        self.file_menu.addAction(self.open_data_action)
        self.file_menu.addAction(self.open_session_action)
        self.file_menu.addAction(self.save_session_action)
        w.files.add_recent_menu(self.file_menu)
        self.file_menu.addSeparator()
        export_menu = self.file_menu.addMenu("Export view")
        built = {v.objectName(): v for v in w.views + [w.inspector]}
        self.export_actions = {}  # view name -> its action (views built later take theirs)
        for name in export.VIEW_NAMES:
            a = QAction(f"Export {name.removesuffix('_view')}…", self.win)
            a.setObjectName(f"export_{name}")
            a.triggered.connect(lambda _=False, name=name: w.files.export_dialog(name))
            export_menu.addAction(a)
            self.export_actions[name] = a
            if name in built:
                self.add_context_export(built[name])
        self.file_menu.addAction(self.export_all_action)
        self.export_model_action = self._action(
            "export_model", "Export model…", lambda: window_model.export_model_dialog(self.win),
            tip="The trained network with its preprocessing, as ONNX (Netron, onnxruntime) "
                "or a PyTorch model.py")
        self.file_menu.addAction(self.export_model_action)
        self.file_menu.addAction(self.record_action)
        self._build_train_and_view_menus()

    def _build_train_and_view_menus(self):
        w = self.win
        self.train_menu = w.menuBar().addMenu("&Train")
        for a in (self.play_action, self.full_speed_action, self.step_epoch_action,
                  self.step_batch_action, self.reset_action, self.step_sample_action,
                  self.step_phase_action, self.step_phase_back_action):
            self.train_menu.addAction(a)
        self.view_menu = w.menuBar().addMenu("&View")
        self.stepping_layout_action = self._action(
            "stepping_layout", "Stepping layout", lambda on: w.set_stepping_layout(
                on and getattr(w.controller.latest, "step", None) is not None),
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
        self.color_by_class_action = self._action(
            "color_by_class", "Colour points by class", self.color_by_class,
            tip="Colour the points by their class (as the article's data plots), not by "
                "right or wrong", checkable=True)
        self.view_menu.addAction(self.color_by_class_action)
        self.label_mean_action = self._action(
            "threshold_label_mean", "Threshold at the label mean", self.threshold_at_label_mean,
            tip="The article's decision boundary: the mean of the training labels")
        self.view_menu.addAction(self.label_mean_action)

    def add_context_export(self, view):
        """Put the view's Export action in its right-click menu (pyqtgraph's scene menu
        for plots, replacing its own Export, whose SVG route fails under Qt 6.11+)."""
        action = self.export_actions[view.objectName()]
        if hasattr(view, "scene") and hasattr(view.scene(), "contextMenu"):
            view.scene().contextMenu = [action]
        else:
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            view.addAction(action)

    def full_speed(self, on: bool):
        """Full speed, or back to the pace the speed box had before."""
        box = self.win.training_panel.speed
        if on and box.currentText() != "max":
            self._paced = box.currentText()
            box.setCurrentText("max")  # emits: the training process follows
        elif not on and box.currentText() == "max":
            box.setCurrentText(self._paced)

    def speed_chosen(self, text: str):
        """The speed box and the Full speed button agree."""
        if self.full_speed_action.isChecked() != (text == "max"):
            with QSignalBlocker(self.full_speed_action):
                self.full_speed_action.setChecked(text == "max")

    def play_toggled(self, checked):
        self.win.send(P.Play if checked else P.Pause)

    def reset(self):
        self.win.send(P.Reset)

    def choose_axes(self, axes=None):
        """Pick the two raw columns the prediction view plots (asks when ``axes`` is None)."""
        snap = self.win.controller.latest
        if snap is None:
            return
        names = list(snap.points.names)
        if axes is None:
            if len(names) < 3:
                self.win.show_message("info", "The data have two columns; both are plotted.")
                return
            picked = []
            for which, default in (("horizontal", snap.points.axes[0]), ("vertical", snap.points.axes[1])):
                name, ok = QInputDialog.getItem(self.win, "Plot columns", f"{which} axis:", names,
                                                default, False)
                if not ok:
                    return
                picked.append(names.index(name))
            axes = picked
        self.win.send(lambda: P.SetAxes(tuple(axes)))

    def sample_clicked(self, index):
        self.win.prediction_view.select(index)
        self.win.send(lambda: P.SelectSample(int(index)))

    def set_threshold(self, value):
        self.win.view_set.set(threshold=float(value))

    def follow_task(self, snap):
        """Controls that mean something for one task only follow the data's: the
        threshold is for two classes (K ≥ 3 take the most probable class), and a
        regression has no confusion matrix."""
        self.win.training_panel.threshold.setEnabled(snap.task.n_classes == 2)
        tab = self.win.roc_tabs.indexOf(self.win.confusion_view)
        if self.win.roc_tabs.isTabVisible(tab) != (snap.task.kind != "regression"):
            self.win.roc_tabs.setTabVisible(tab, snap.task.kind != "regression")

    def color_by_class(self, on):
        self.win.view_set.set(color_by_class=bool(on))

    def threshold_at_label_mean(self):
        """Set the threshold to the training labels' mean (the article's choice)."""
        snap = self.win.controller.latest
        if snap is not None:
            self.win.training_panel.threshold.setValue(float(snap.points.y_train.mean()))

    def show_test(self, on):
        self.win.view_set.set(show_test=bool(on))

    def edit_weight(self, layer, row, col, value):
        what = "bias" if col < 0 else f"weight w[{row + 1},{col + 1}]"
        new, ok = QInputDialog.getDouble(self.win, "Edit weight", f"Layer {layer + 1} {what}:",
                                         value, -1e6, 1e6, 6)
        if ok:
            self.win.send(lambda: P.SetWeight(layer, row, col, new))
