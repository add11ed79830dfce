"""Resolve: link records of one real-world entity into profiles with stable ids."""

from osint.resolve.judgements import (
    Judgement,
    current_judgements,
    decide,
    export_judgements,
    import_judgements,
    undo,
)
from osint.resolve.model import DESCRIPTIONS, MODEL_NAME
from osint.resolve.run import ResolveStats, model_version, resolve
from osint.resolve.training import TrainResult, train

__all__ = [
    "DESCRIPTIONS",
    "MODEL_NAME",
    "Judgement",
    "ResolveStats",
    "TrainResult",
    "current_judgements",
    "decide",
    "export_judgements",
    "import_judgements",
    "model_version",
    "resolve",
    "train",
    "undo",
]
