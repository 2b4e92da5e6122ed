"""Defaults for every test module, whichever of them a run collects."""

import os

# Tests train on the numpy path unless they ask for the compiled kernel (each process
# would otherwise load, or on a fresh clone compile, it): tests/engine/test_kernel.py and
# test_one_path.py opt in. The same default whether one folder runs or all of them.
os.environ.setdefault("SCRATCHNET_KERNEL", "numpy")
