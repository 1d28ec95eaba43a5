"""Official metrics and the SemEval label/prediction formats."""

from .formats import TASKS, predictions_of, read_labels, write_labels
from .metrics import format_scores, score

__all__ = ["TASKS", "format_scores", "predictions_of", "read_labels", "score", "write_labels"]
