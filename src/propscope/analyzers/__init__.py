"""Analyzers: components that add labels, scores and evidence to an Article."""

from .base import Analyzer, get_analyzer, register_analyzer
from .pipeline import Pipeline

__all__ = ["Analyzer", "Pipeline", "get_analyzer", "register_analyzer"]
