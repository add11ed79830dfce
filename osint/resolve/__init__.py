"""Resolve: link records of one real-world entity into profiles with stable ids."""

from osint.resolve.model import DESCRIPTIONS, MODEL_NAME
from osint.resolve.run import ResolveStats, model_version, resolve, train

__all__ = ["DESCRIPTIONS", "MODEL_NAME", "ResolveStats", "model_version", "resolve", "train"]
