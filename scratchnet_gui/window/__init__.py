"""The window's process: ``MainWindow`` and the parts it holds (the view set, menus,
files, examples, timeline controls, look), and the ``Controller`` that speaks the
protocol to the training process through ``process.worker``."""
