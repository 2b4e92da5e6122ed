"""ScratchNet: an exact, vectorised multilayer perceptron written from scratch with numpy."""

from . import activations, data, kernel, losses, metrics, optimizers, tasks
from .gradcheck import gradcheck
from .network import Dense, LayerTrace, Network, Trace
from .optimizers import SGD, Adam, Momentum, Schedule
from .tasks import Task
from .trainer import DivergenceError, History, SampleStep, Trainer

__all__ = [
    "Adam", "Dense", "DivergenceError", "History", "LayerTrace", "Momentum", "Network",
    "SGD", "SampleStep", "Schedule", "Task", "Trace", "Trainer", "activations", "data",
    "gradcheck", "kernel", "losses", "metrics", "optimizers", "tasks",
]
__version__ = "0.1.0"
