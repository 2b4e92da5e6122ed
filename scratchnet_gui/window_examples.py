"""The Examples menu: the article's three experiments, the classic demo, three classes and
a regression, each loaded exactly as the matching CLI preset, with a few words on what to
look for."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from scratchnet import presets

from . import protocol as P

EXAMPLES = {
    "example_classic": ("classic", "Classic demo: circles, 2-9-6-1",
                        "The app's starting point: the article's concentric circles and a "
                        "2-9-6-1 sigmoid network trained on minibatches of 10. Press Play "
                        "and watch the boundary bend into a ring."),
    "example_blobs": ("blobs", "Article: blobs, 2-3-1",
                      "The article's first experiment: two Gaussian blobs and a 2-3-1 "
                      "network, per-sample SGD until the AUC reaches 0.99. This draw "
                      f"(random_state {presets.BLOBS_SEED}) separates the clusters as the "
                      "article's figure does; other draws overlap and cannot reach it. "
                      "A straight line is all it needs."),
    "example_circles_linear": ("circles-linear", "Article: circles, 2-1 (fails)",
                               "The article's counter-example: no hidden layer, so the "
                               "boundary is a straight line and concentric circles defeat "
                               "it. The AUC stays near 0.5 however long it trains: look at "
                               "the line sweeping through both rings."),
    "example_circles_deep": ("circles-deep", "Article: circles, 2-9-6-1",
                             "The article's answer: two hidden layers learn the ring. "
                             "Per-sample SGD stops once the test AUC reaches 0.975; watch "
                             "the first layer's heatmaps turn into half-planes that the "
                             "second layer combines."),
    "example_spiral_3": ("spiral-3", "Three classes: spiral, softmax",
                         "Three interleaved spiral arms and three softmax outputs, one per "
                         "class. The boundary blends each class's colour by its "
                         "probability; the Confusion tab beside the ROC counts which arm "
                         "is taken for which. Step a sample (N) to the loss to see "
                         "a_k = e^{z_k} / Σ_j e^{z_j} with its numbers."),
    "example_reg_gauss": ("reg-gauss", "Regression: Gaussian bumps",
                          "TensorFlow Playground's six Gaussian bumps as a regression "
                          "target: one linear output, trained until the test R² reaches "
                          "0.85. The background shows the prediction (purple low, teal "
                          "high), the points their residuals; the ROC's place shows "
                          "predicted against actual."),
}


class ExamplesMixin:
    """``MainWindow``'s Examples menu."""

    def _build_examples_menu(self):
        self.examples_menu = self.menuBar().addMenu("E&xamples")
        for name, (preset, title, _) in EXAMPLES.items():
            a = self._action(name, title, lambda _=False, n=name: self.load_example(n),
                             tip=f"Load the {preset!r} preset: data, model and training")
            self.examples_menu.addAction(a)

    def load_example(self, name: str):
        """Load example ``name`` (an action's objectName) and say what to look for."""
        preset, title, words = EXAMPLES[name]
        self.send(lambda: P.LoadExperiment(presets.get(preset)))
        box = QMessageBox(QMessageBox.Icon.Information, title, words,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("example_note")
        self._open_dialog(box, "info", words)
