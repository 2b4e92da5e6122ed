"""The training process's command handlers, one per command type, registered with
``@handles(SomeCommand)`` beside the code it runs (Qt-free).

A handler is called as ``handler(loop, cmd)``. It may answer ``DEFERRED`` (its change
comes later, so there is no edit to record yet) or ``STOP`` (end the loop).
"""

from __future__ import annotations

from . import protocol as P

DEFERRED = "deferred"  # a handler's answer when its change comes later (a file read)
STOP = "stop"          # a handler's answer when the training process should end

_HANDLERS: dict = {}


def handles(cmd_type):
    """Register the decorated function as the one handler of ``cmd_type``."""
    if not (isinstance(cmd_type, type) and issubclass(cmd_type, P.Command)):
        raise TypeError(f"handles takes a Command class, not {cmd_type!r}")

    def register(fn):
        if cmd_type in _HANDLERS:
            raise TypeError(f"{cmd_type.__name__} has two handlers: "
                            f"{_HANDLERS[cmd_type].__qualname__} and {fn.__qualname__}")
        _HANDLERS[cmd_type] = fn
        return fn

    return register


def handler_for(cmd):
    """The handler of ``cmd``'s exact type; ``ValueError`` for anything else."""
    fn = _HANDLERS.get(type(cmd)) if isinstance(cmd, P.Command) else None
    if fn is None:
        raise ValueError(f"the trainer does not know the command {cmd!r}")
    return fn


def registered() -> dict:
    """``{command class: handler}`` as registered so far."""
    return dict(_HANDLERS)
