"""Analyzers: components that add labels, scores and evidence to an Article."""

from .base import Analyzer, get_analyzer, get_trainer, register_analyzer, register_trainer
from .pipeline import Pipeline

__all__ = [
    "Analyzer",
    "Pipeline",
    "get_analyzer",
    "get_trainer",
    "register_analyzer",
    "register_trainer",
]
