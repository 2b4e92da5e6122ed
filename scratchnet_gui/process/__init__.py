"""The training process, Qt-free: the window's handle on it (``worker.WorkerProcess``:
start, send, receive, stop), its entry point (``child``), the command loop (``loop``),
and the parts the loop holds: the live state (``live``), the snapshot pacer (``pacer``),
model edits and data files (``commands``), the timeline's scrubber (``scrubber``), undo
(``history``), the per-sample stepper (``stepper``) and the command handler registry
(``handlers``). Nothing here imports Qt, pyqtgraph, the views, the panels, the window or
the command line (an import-linter contract checks it)."""
