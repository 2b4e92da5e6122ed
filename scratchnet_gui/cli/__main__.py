"""``python -m scratchnet_gui.cli``: the ``scratchnet`` command."""

import sys

from .main import main

sys.exit(main())
