"""A ``TrainingLoop`` run inline, without a process or a pipe: the tests of its parts
build one, hand it commands and read the snapshots it published."""

from scratchnet import data
from scratchnet_gui.process import loop as training_loop


class NoCommands:
    """The loop's command pipe, with nothing ever in it."""

    def poll(self, timeout=0.0):
        return False


def make_loop(cfg):
    """A loop on ``cfg``'s data; ``loop.snaps`` collects what it publishes."""
    snaps = []
    loop = training_loop.TrainingLoop(cfg, data.build(cfg.data), NoCommands(), snaps.append,
                                      emit=lambda e: None)
    loop.snaps = snaps
    return loop


def handle(loop, cmd):
    """Handle ``cmd`` as the loop does a received one (ids counting up); fail on an
    error notice."""
    loop._seq_id = getattr(loop, "_seq_id", 0) + 1
    loop._handle((loop._seq_id, cmd))
    assert not [n for n in loop._notices if n.level == "error"], loop._notices[-1].text
