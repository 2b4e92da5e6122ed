"""How ``MainWindow`` lays out its views: the middle (graph, boundary, curves, timeline
bar, lesson note) and the step inspector's dock. Functions of the window, called once
while it is built."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QSplitter, QTabWidget, QVBoxLayout, QWidget

from .. import protocol as P
from ..views.inspector import InspectorView
from ..views.timeline_bar import TimelineBar
from .lesson_note import LessonNote
from .view_set import Rate


def build_center(self) -> None:
    """The window ``self``'s middle: the graph beside the boundary, over the curves and
    the timeline bar, under the lesson note."""
    top = QSplitter(Qt.Orientation.Horizontal)
    top.addWidget(self.network_view)
    top.addWidget(self.prediction_view)
    bottom = QSplitter(Qt.Orientation.Horizontal)
    self.roc_tabs = QTabWidget()  # the confusion matrix beside the ROC, one at a time
    self.roc_tabs.setObjectName("roc_tabs")
    self.roc_tabs.addTab(self.roc_view, "ROC")
    self.roc_tabs.addTab(self.confusion_view, "Confusion")
    self.roc_view.kindChanged.connect(lambda text: self.roc_tabs.setTabText(0, text))
    self.roc_tabs.currentChanged.connect(lambda _: self.view_set.catch_up())
    for v in (self.auc_view, self.loss_view, self.roc_tabs):
        bottom.addWidget(v)
    self.timeline_bar = TimelineBar()
    lower = QWidget()
    column = QVBoxLayout(lower)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(bottom, 1)
    column.addWidget(self.timeline_bar)
    center = QSplitter(Qt.Orientation.Vertical)
    center.addWidget(top)
    center.addWidget(lower)
    center.setStretchFactor(0, 3)
    center.setStretchFactor(1, 2)
    self.lesson_note = LessonNote()
    middle = QWidget()
    stack = QVBoxLayout(middle)
    stack.setContentsMargins(0, 0, 0, 0)
    stack.addWidget(self.lesson_note)
    stack.addWidget(center, 1)
    self.setCentralWidget(middle)
    self._splitters = (center, top)
    self._normal_sizes = None  # splitter sizes to return to after stepping

def build_inspector(self) -> None:
    """The step inspector, in a dock hidden until a sample is stepped."""
    self.inspector = InspectorView()
    self.view_set.add(self.inspector, Rate.FRAME)
    self.inspector.gradcheckRequested.connect(lambda: self.send(P.GradCheck))
    self.inspector.phaseClicked.connect(lambda k: self.step_walk(lambda: self.walk.jump(k)))
    dock = QDockWidget("Step inspector", self)
    dock.setObjectName("inspector_dock")
    dock.setWidget(self.inspector)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
    self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.hide()  # its column is the views' until a sample is stepped
    self.inspector_dock = dock
