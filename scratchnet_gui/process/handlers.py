"""The training process's command handlers, one per command type, registered with
``@handles(SomeCommand)`` beside the code it runs (Qt-free).

A handler is a method of one of the training loop's parts, called as
``part.handler(cmd)``; ``bind`` finds each one's part. It may answer ``DEFERRED`` (its change
comes later, so there is no edit to record yet) or ``STOP`` (end the loop).
"""

from __future__ import annotations

from .. import protocol as P

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


def bind(parts) -> dict:
    """``{command class: bound handler}``: each registered handler as a method of the one
    part in ``parts`` whose class defines it (``TypeError`` if none or several do)."""
    table = {}
    for cmd_type, fn in _HANDLERS.items():
        owners = [p for p in parts if getattr(type(p), fn.__name__, None) is fn]
        if len(owners) != 1:
            raise TypeError(f"{cmd_type.__name__}'s handler {fn.__qualname__} is a method "
                            f"of {len(owners)} of the parts, not of one")
        table[cmd_type] = getattr(owners[0], fn.__name__)
    return table


def registered() -> dict:
    """``{command class: handler}`` as registered so far."""
    return dict(_HANDLERS)
