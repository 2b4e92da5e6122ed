"""Control panels: data, model and training. Every control has a tooltip."""

from .data_panel import DataPanel
from .model_panel import ModelPanel
from .training_panel import TrainingPanel

__all__ = ["DataPanel", "ModelPanel", "TrainingPanel"]
