"""F1 on label arrays, for tuning thresholds and offsets inside the trainers.

Official scores of prediction files are :mod:`propscope.evaluation.metrics`; these are the
same definitions on numpy arrays, fast enough to sit inside a grid search.
"""

from __future__ import annotations

import numpy as np


def micro_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    """Micro-F1 over all cells of two 0/1 integer arrays of the same shape."""
    tp = int((gold & pred).sum())
    wrong = int((gold ^ pred).sum())
    return 2 * tp / max(2 * tp + wrong, 1)


def micro_macro(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float, np.ndarray]:
    """(micro-F1, macro-F1, per-label F1) of (items x labels) 0/1 integer arrays."""
    tp = (gold & pred).sum(0)
    fp = ((1 - gold) & pred).sum(0)
    fn = (gold & (1 - pred)).sum(0)
    micro = 2 * tp.sum() / max(2 * tp.sum() + fp.sum() + fn.sum(), 1)
    per_label = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    return float(micro), float(per_label.mean()), per_label


def macro_f1(gold: np.ndarray, pred: np.ndarray, classes: int = 3) -> float:
    """Official single-label macro-F1 (classes present in gold or prediction) on class indices."""
    confusion = np.bincount(gold * classes + pred, minlength=classes * classes).reshape(
        classes, classes
    )
    support, predicted = confusion.sum(1), confusion.sum(0)
    present = (support + predicted) > 0
    f1 = 2 * np.diag(confusion) / np.maximum(support + predicted, 1)
    return float(f1[present].mean())
